import type { DataSource } from 'typeorm';
import type { Caller } from '../../shared/auth/caller';
import { decodeCursor, toConnection, type Connection } from '../../shared/schema/connection';
import type { AuditTrailFilter } from './audit-entry.type';

export interface AuditRow {
  seq: string;
  at: Date;
  request_id: string;
  client_id: string | null;
  agency_id: string | null;
  subgraph: string;
  operation: string | null;
  action: string;
  record_type: string;
  record_ids: string[];
  fields: string[];
  refusal: string | null;
}

/**
 * The audit trail as its readers may see it: the General Secretariat all of it, an owner the entries about its
 * own records (each names no other owner's record: shared/audit/audit-trail.ts). Newest first, keyset-paged on
 * seq, in numeric order (the column, not its text form, which sorts 999 after 1000).
 */
export async function listAuditEntries(
  db: DataSource,
  caller: Caller,
  filter: AuditTrailFilter | undefined,
  first: number,
  after: string | null | undefined,
): Promise<Connection<AuditRow>> {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  // Rows about one owner's records only: a row naming several owners (written before rows were split by
  // owner) would show one owner another's record ids, so only the General Secretariat reads those.
  if (caller.agencyKind !== 'GENERAL_SECRETARIAT')
    conditions.push(
      `cardinality(owner_agency_ids) = 1 AND owner_agency_ids[1] = ${param(caller.agencyId)}::uuid`,
    );
  if (filter?.recordId) conditions.push(`record_ids @> ARRAY[${param(filter.recordId)}::text]`);
  if (filter?.action) conditions.push(`action = ${param(filter.action)}`);
  if (filter?.clientId) conditions.push(`client_id = ${param(filter.clientId)}`);
  if (filter?.from) conditions.push(`at >= ${param(filter.from)}`);
  if (filter?.to) conditions.push(`at < ${param(filter.to)}`);
  const cursor = decodeCursor(after, 'integer');
  const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
  const [{ count }] = (await db.query(
    `SELECT count(*)::int AS count FROM audit.entries ${where}`,
    params,
  )) as { count: number }[];
  const pageConditions = cursor ? [...conditions, `e.seq < ${param(cursor.sort)}::bigint`] : conditions;
  const pageWhere = pageConditions.length ? `WHERE ${pageConditions.join(' AND ')}` : '';
  const rows = (await db.query(
    `SELECT e.seq::text AS seq, at, request_id, client_id, agency_id, subgraph, operation, action, record_type,
            record_ids, fields, details->>'refusal' AS refusal
       FROM audit.entries e ${pageWhere} ORDER BY e.seq DESC LIMIT ${param(first + 1)}`,
    params,
  )) as AuditRow[];
  return toConnection(
    rows,
    first,
    count,
    (r) => ({ sort: r.seq, id: r.seq }),
    (r) => r,
  );
}
