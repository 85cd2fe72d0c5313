import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { RequestAudit } from './audit/audit-trail';
import type { Caller } from './auth/caller';
import type { SubgraphContext } from './context';
import { ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError } from './errors';
import { isUuid } from './loaders';
import { mayChangeRecordOf } from './schema/restrictions.input';

/**
 * The one gate of every mutation that takes a record id (docs/security.md, "one gate for every path to a
 * record"). The record is loaded, locked, through the query the reads use for this caller — the owner's
 * restrictions, the status rules, the notice types the caller reaches — so a record the caller cannot read is
 * NOT_FOUND before any other check, and no later message (a bad date, a status) can carry a value of it.
 * Only then: may this caller change it (FORBIDDEN), is it still in force (CONFLICT).
 *
 * Every refusal is audited (REFUSE): the caller's row names the mutation and the kind of record, never the id
 * of a record it cannot see; the owner of a hidden record gets its own copy, with the id.
 */
export interface RecordGate<Entity extends OwnedRecord> {
  /** The record's name in messages: "SLTD record not found". */
  label: string;
  /** The audit trail's record type. */
  recordType: string;
  /** Schema-qualified table, to find the owner of a record the caller cannot see (for the owner's copy). */
  table: string;
  /**
   * The reads' visibility query for `caller` (alias `alias`), run in the change's transaction. Records taken out
   * of force (withdrawn) may be included: `outOfForce` then decides.
   */
  visible(tx: EntityManager, caller: Caller): SelectQueryBuilder<Entity>;
  alias: string;
  /** May `caller` change this record it can see (default: its agency, or its country's NCB). */
  mayChange?(caller: Caller, record: Entity): boolean;
  /** Why a caller who may not change it is refused. */
  forbidden(record: Entity): string;
  /**
   * A record out of force is invisible to everyone but those who may change it; they are told CONFLICT with
   * this message (null: in force).
   */
  outOfForce?(record: Entity): string | null;
}

/** What the gate needs of a record: every record with restrictions has these columns. */
export interface OwnedRecord extends ObjectLiteral {
  ownerAgencyId: string;
  ownerCountry?: string | null;
}

const changerOf = (caller: Caller, record: OwnedRecord) =>
  mayChangeRecordOf(caller, {
    ownerAgencyId: record.ownerAgencyId,
    ownerCountry: record.ownerCountry ?? null,
  });

interface GateRequest {
  caller: Caller;
  audit: RequestAudit;
  /** The mutation, for the audit row. */
  operation: string;
}

/**
 * Loads and locks the record `id` for the mutation `operation` of the request `ctx`, or throws NOT_FOUND,
 * FORBIDDEN or CONFLICT (a record out of force: unless `allowOutOfForce`).
 */
export async function recordForChange<Entity extends OwnedRecord>(
  tx: EntityManager,
  gate: RecordGate<Entity>,
  ctx: Pick<SubgraphContext<unknown>, 'caller' | 'audit'>,
  operation: string,
  id: string,
  options: { allowOutOfForce?: boolean } = {},
): Promise<Entity> {
  const caller = ctx.caller;
  if (!caller) throw new UnauthenticatedError();
  const request: GateRequest = { caller, audit: ctx.audit, operation };
  const record = isUuid(id)
    ? await gate
        .visible(tx, caller)
        .andWhere(`${gate.alias}.id = :gateId`, { gateId: id })
        .setLock('pessimistic_write')
        .getOne()
    : null;
  const mayChange = record !== null && (gate.mayChange ?? changerOf)(caller, record);
  const outOfForce = record ? (gate.outOfForce?.(record) ?? null) : null;
  if (!record || (outOfForce && !mayChange)) {
    await refuseHidden(tx, gate, request, id);
    throw new NotFoundError(gate.label);
  }
  if (!mayChange) {
    refuse(request, gate, 'FORBIDDEN', { recordId: id, ownerAgencyId: record.ownerAgencyId });
    throw new ForbiddenError(gate.forbidden(record));
  }
  if (outOfForce && !options.allowOutOfForce) {
    refuse(request, gate, 'CONFLICT', { recordId: id, ownerAgencyId: record.ownerAgencyId });
    throw new ConflictError(outOfForce, 'id');
  }
  return record;
}

type Refusal = 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT';
interface RefusedRecord {
  recordId?: string;
  ownerAgencyId?: string | null;
  hiddenFromCaller?: boolean;
}

/**
 * A refused attempt on a record, for the trail (written with the response, whatever it carries): the client
 * (the row's), the mutation (its field), the kind of record and, where the caller may know it, the record.
 */
export function auditRefusal(
  ctx: Pick<SubgraphContext<unknown>, 'audit'>,
  recordType: string,
  operation: string,
  refusal: Refusal,
  about: RefusedRecord = {},
): void {
  ctx.audit.record({ action: 'REFUSE', recordType, ...about, fields: [operation], details: { refusal } });
}

function refuse(
  request: GateRequest,
  gate: Pick<RecordGate<OwnedRecord>, 'recordType'>,
  refusal: Refusal,
  about: RefusedRecord,
) {
  auditRefusal(request, gate.recordType, request.operation, refusal, about);
}

/**
 * NOT_FOUND: the caller's row names no record (it may not learn one exists); when a record with this id exists
 * but is hidden from the caller, its owner gets a copy naming it. The owner look-up runs for every NOT_FOUND,
 * found or not, so the refusal of a hidden record costs what the refusal of an absent one does.
 */
async function refuseHidden(
  tx: Pick<EntityManager, 'query'>,
  gate: Pick<RecordGate<OwnedRecord>, 'recordType' | 'table'>,
  request: GateRequest,
  id: string,
): Promise<void> {
  refuse(request, gate, 'NOT_FOUND', {});
  if (!isUuid(id)) return;
  const [hidden] = (await tx.query(`SELECT owner_agency_id::text AS owner FROM ${gate.table} WHERE id = $1`, [
    id,
  ])) as { owner: string }[];
  if (hidden)
    refuse(request, gate, 'NOT_FOUND', { recordId: id, ownerAgencyId: hidden.owner, hiddenFromCaller: true });
}

/**
 * A query by id (`sltdRecord(id)`, `notice(id)`, `documentAlert(id)`) that answers null: the record is absent, or
 * hidden from the caller. Audited as the gate's NOT_FOUND is: the caller's row names the query and the kind of
 * record, never the id; the owner of a hidden record gets its copy, naming it. The owner look-up runs for every
 * null answer, so a hidden record costs the statements an absent one does (docs/security.md, "No existence
 * oracle"); the rows go with the request's others, in its one INSERT before the response.
 */
export async function auditNotFoundRead<Entity extends OwnedRecord>(
  db: Pick<EntityManager, 'query'>,
  gate: Pick<RecordGate<Entity>, 'recordType' | 'table'>,
  ctx: Pick<SubgraphContext<unknown>, 'caller' | 'audit'>,
  operation: string,
  id: string,
): Promise<void> {
  if (!ctx.caller) return;
  await refuseHidden(db, gate, { caller: ctx.caller, audit: ctx.audit, operation }, id);
}
