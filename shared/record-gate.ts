import DataLoader from 'dataloader';
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

/** A record that exists under the key a caller was answered null for, and its owner (who gets the copy). */
export interface RecordOwner {
  id: string;
  owner: string;
}

type Queryable = Pick<EntityManager, 'query'>;

/**
 * The owners of the records with these ids, whoever may see them: one statement for any number of ids (ids that
 * are not UUIDs cannot name a record and are not sent). For each id, the record found (none or one).
 */
async function ownersByIds(
  db: Queryable,
  gate: Pick<RecordGate<OwnedRecord>, 'table'>,
  ids: readonly string[],
): Promise<RecordOwner[][]> {
  const uuids = [...new Set(ids.filter(isUuid))];
  if (uuids.length === 0) return ids.map(() => []);
  const rows = (await db.query(
    `SELECT id::text, owner_agency_id::text AS owner FROM ${gate.table} WHERE id = ANY ($1::uuid[])`,
    [uuids],
  )) as RecordOwner[];
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => {
    const found = byId.get(id.toLowerCase());
    return found ? [found] : [];
  });
}

/**
 * NOT_FOUND, for the trail: the caller's row names the field that answered and the kind of record, never a
 * record (the caller may not learn one exists); each record that does exist under that key — hidden from the
 * caller — gets its owner a copy naming it.
 */
function recordNotFound(
  ctx: Pick<SubgraphContext<unknown>, 'audit'>,
  recordType: string,
  operation: string,
  existing: readonly RecordOwner[],
): void {
  auditRefusal(ctx, recordType, operation, 'NOT_FOUND');
  for (const record of existing)
    auditRefusal(ctx, recordType, operation, 'NOT_FOUND', {
      recordId: record.id,
      ownerAgencyId: record.owner,
      hiddenFromCaller: true,
    });
}

/**
 * NOT_FOUND of a mutation: the owner look-up runs for every NOT_FOUND, found or not, so the refusal of a hidden
 * record costs what the refusal of an absent one does.
 */
async function refuseHidden(
  tx: Queryable,
  gate: Pick<RecordGate<OwnedRecord>, 'recordType' | 'table'>,
  request: GateRequest,
  id: string,
): Promise<void> {
  const [existing] = await ownersByIds(tx, gate, [id]);
  recordNotFound(request, gate.recordType, request.operation, existing);
}

/** One read that answered null: the key asked for, the field that answered, and the request. */
interface NullAnswer<Key = string> {
  key: Key;
  /**
   * The field that answered null, as the caller's row names it: a root query by its name (`sltdRecord`), a field
   * of another type by its coordinate (`Hit.record`, `TravelDocument.sltdRecord`), a reference by `_entities`.
   */
  operation: string;
  ctx: Pick<SubgraphContext<unknown>, 'caller' | 'audit'>;
}

/**
 * Audits null answers as NOT_FOUND (`notFoundAudit`): `answered` for each one, awaited before answering.
 */
export interface NotFoundAudit<Key = string> {
  answered(answer: NullAnswer<Key>): Promise<void>;
  /**
   * `answered`, when the request has already read the records under the key (hidden from the caller, since the
   * answer is null) — the border check reads every owner's record of its documents: no look-up, no promise.
   */
  answeredWith(answer: NullAnswer<Key>, existing: readonly RecordOwner[]): void;
}

/**
 * The NOT_FOUND rows of reads that answer null (docs/security.md, "Audit of refusals"): a query by id
 * (`sltdRecord(id)`), a field following a key to a record (`TravelDocument.sltdRecord`, `Hit.record`,
 * `NoticeHit.notice`) and `_entities` representations — the record absent, or hidden from the caller. Audited as
 * the gate's NOT_FOUND is: the caller's row names the field, never the key's record; the owner of a hidden record
 * gets its copy, naming it. The owner look-up runs for every null answer, hidden or absent alike, so a hidden record
 * costs the statements an absent one does ("No existence oracle"); and it runs once for all the null answers of a
 * tick — the representations of one `_entities` call, a field on every item of a list — as the reads' loaders do.
 * One per request, among a subgraph's loaders; the rows go with the request's others, in its one INSERT before
 * the response. Anonymous reads are not audited (no client to name: docs/security.md).
 */
export function notFoundAudit<Key>(
  recordType: string,
  owners: (keys: readonly Key[]) => Promise<RecordOwner[][]>,
  cacheKeyFn?: (key: Key) => string,
): NotFoundAudit<Key> {
  const existing = new DataLoader<Key, RecordOwner[], unknown>(async (keys) => owners(keys), { cacheKeyFn });
  return {
    async answered(answer) {
      if (!answer.ctx.caller) return;
      // Every null answer is audited, the same key asked twice included (its rows merge: RequestAudit).
      recordNotFound(answer.ctx, recordType, answer.operation, await existing.load(answer.key));
    },
    answeredWith(answer, records) {
      if (answer.ctx.caller) recordNotFound(answer.ctx, recordType, answer.operation, records);
    },
  };
}

/** `notFoundAudit` for records looked up by id: the owner look-up reads the gate's table. */
export function notFoundByIdAudit(
  db: Queryable,
  gate: Pick<RecordGate<OwnedRecord>, 'recordType' | 'table'>,
): NotFoundAudit<string> {
  return notFoundAudit(gate.recordType, (ids) => ownersByIds(db, gate, ids));
}
