import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import type { AlongsideStatement } from '../../shared/audit';
import type { Caller } from '../../shared/auth/caller';
import type { CheckContext } from '../../shared/auth/operation-grants';
import { insertEventsSql } from '../../shared/outbox/outbox';
import type { RecordGate } from '../../shared/record-gate';
import { pageNewestFirst, type Connection } from '../../shared/schema/connection';
import { Hit } from './hit.entity';
import { HitSide, type HitFilter } from './hit.input';
import { operationCheckSteps, operationDayShard } from './operation-report.repository';

/**
 * Hits a caller may see: those on records its agency owns (with hits:manage), and those its own checks made,
 * unless the record was restricted away from it (it was told NO_HIT, and must not learn otherwise).
 */
function visibleHits(
  db: DataSource | EntityManager,
  caller: Caller,
  side?: HitSide,
): SelectQueryBuilder<Hit> {
  const asOwner = caller.scopes.has('hits:manage') && side !== HitSide.CHECKER;
  const asChecker = side !== HitSide.OWNER;
  const conditions = [
    asOwner ? 'h.owner_agency_id = :agency' : null,
    asChecker ? '(h.checked_by_agency_id = :agency AND h.visible_to_checker)' : null,
  ].filter(Boolean);
  return db
    .getRepository(Hit)
    .createQueryBuilder('h')
    .where(conditions.length ? `(${conditions.join(' OR ')})` : 'false', { agency: caller.agencyId });
}

export async function listHits(
  db: DataSource,
  caller: Caller,
  filter: HitFilter | undefined,
  first: number,
  after: string | null | undefined,
): Promise<Connection<Hit>> {
  const query = visibleHits(db, caller, filter?.side);
  if (filter?.status) query.andWhere('h.status = :status', { status: filter.status });
  if (filter?.from) query.andWhere('h.checked_at >= :from', { from: filter.from });
  if (filter?.to) query.andWhere('h.checked_at < :to', { to: filter.to });
  return pageNewestFirst(query, { alias: 'h', name: 'checked_at' }, first, after);
}

export function findHitsByIds(db: DataSource, caller: Caller, ids: string[]): Promise<Hit[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return visibleHits(db, caller).andWhere('h.id = ANY (:ids::uuid[])', { ids }).getMany();
}

/**
 * Every mutation on a hit finds it here (shared/record-gate.ts), through the hits the caller may read: a hit
 * it may not read is not found; one it made as a checker is its record owner's to decide.
 */
export const hitGate: RecordGate<Hit> = {
  label: 'Hit',
  recordType: 'Hit',
  table: 'sltd.hits',
  alias: 'h',
  visible: (tx, caller) => visibleHits(tx, caller),
  mayChange: (caller, hit) => hit.ownerAgencyId === caller.agencyId,
  forbidden: () => 'Only the owner of the record decides on its hits',
};

/** The SQL condition on an sltd.records row `r` that holds it back from retention: a hit on it awaits a decision. */
export const PENDING_HIT_ON_RECORD = `EXISTS (SELECT 1 FROM sltd.hits h WHERE h.record_id = r.id AND h.status = 'PENDING')`;

/** Deletes the hits of these records (retention deletes them with their record): each hit's id and owner. */
export async function deleteHitsOfRecords(
  tx: EntityManager,
  recordIds: string[],
): Promise<{ id: string; owner: string }[]> {
  return (await tx.query(
    `WITH gone AS (DELETE FROM sltd.hits WHERE record_id = ANY ($1::uuid[]) RETURNING id, owner_agency_id)
     SELECT id::text, owner_agency_id::text AS owner FROM gone`,
    [recordIds],
  )) as { id: string; owner: string }[];
}

/**
 * The hits a border check shows (records the checker may see), in one statement: the checker, and the operation
 * context when the check was made in one. Returns each id with the time PostgreSQL gave it.
 */
export async function insertCheckHits(
  tx: EntityManager,
  caller: Caller,
  context: CheckContext | null,
  hits: { id: string; recordId: string; ownerAgencyId: string; location: string | null; visible: boolean }[],
): Promise<{ id: string; checked_at: Date }[]> {
  return (await tx.query(
    `INSERT INTO sltd.hits (id, record_id, owner_agency_id, checked_by_client, checked_by_agency_id, checked_by_country,
                            location, visible_to_checker, operation_code, border_point_code)
     SELECT r.id, r.record_id, r.owner_agency_id, $1, $2::uuid, $3, r.location, r.visible, $9, $10
       FROM unnest($4::uuid[], $5::uuid[], $6::uuid[], $7::text[], $8::boolean[]) AS r(id, record_id, owner_agency_id, location, visible)
     RETURNING id, checked_at`,
    [
      caller.clientId,
      caller.agencyId,
      caller.country,
      hits.map((h) => h.id),
      hits.map((h) => h.recordId),
      hits.map((h) => h.ownerAgencyId),
      hits.map((h) => h.location),
      hits.map((h) => h.visible),
      context?.operation ?? null,
      context?.borderPoint ?? null,
    ],
  )) as { id: string; checked_at: Date }[];
}

/** A hidden hit as the check writes it, with the payload of its `hit.created` event. */
export interface HiddenHitRow {
  id: string;
  record_id: string;
  owner_agency_id: string;
  location: string | null;
  event: Record<string, unknown>;
}

/**
 * The statement every check with a document to look up runs, with no row or with some (docs/security.md, "No
 * existence oracle"): the hits of records hidden from the checker, their `hit.created` events, and — for a check
 * in an operation's context — its operation-check rows (operation-report.repository.ts). Given to
 * `RequestAudit.alongside`, which writes the check's audit rows as one more step of this WITH: one statement, one
 * round trip, and all of it commits exactly with them.
 */
export function hiddenHitsAndCheckStatement(
  caller: Caller,
  context: CheckContext | null,
  check: { checkedAt: Date; documents: number; requestId: string },
  hits: HiddenHitRow[],
): AlongsideStatement {
  return {
    steps: `input AS (
       SELECT * FROM jsonb_to_recordset($5::jsonb)
           AS r(id uuid, record_id uuid, owner_agency_id uuid, location text, event jsonb)),
     hits AS (
       INSERT INTO sltd.hits (id, record_id, owner_agency_id, checked_by_client, checked_by_agency_id,
                              checked_by_country, checked_at, location, visible_to_checker,
                              operation_code, border_point_code)
       SELECT id, record_id, owner_agency_id, $1, $2::uuid, $3, $4::timestamptz, location, false, $6, $7
         FROM input),
     ${operationCheckSteps({
       operation: '$6',
       borderPoint: '$7',
       checkedAt: '$4::timestamptz',
       documents: '$8',
       agencyId: '$2::uuid',
       clientId: '$1',
       requestId: '$9',
       shard: '$10',
     })}`,
    last: insertEventsSql(`SELECT 'hit.created', owner_agency_id, event FROM input`),
    values: [
      caller.clientId,
      caller.agencyId,
      caller.country,
      check.checkedAt,
      JSON.stringify(hits),
      context?.operation ?? null,
      context?.borderPoint ?? null,
      check.documents,
      check.requestId,
      operationDayShard(),
    ],
  };
}
