import { randomInt } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Caller } from '../../shared/auth/caller';
import type { HitOutcomeAction } from '../../shared/schema/hit-outcome';
import type { OperationReportView } from '../../shared/schema/operation-report-key';
import { visibleTo } from '../../shared/restrictions';
import type { SltdStatus } from './sltd-record.entity';

/**
 * The operation report's figures (docs/architecture.md, operations), each computed in SQL over the border points
 * of the caller's view, never by loading rows: two statements per report, whatever figures are asked for.
 *
 * - checks: `sltd.operation_check_days`, the documents checked per operation, border point and day, added to by
 *   every check as it is made (`sltd.operation_checks` keeps the checks themselves): the report reads at most 16
 *   rows per day and border point, however many checks there were (migration 1764100000062 says why).
 * - hits: `sltd.hits` through `hits_operation` (operation, border point INCLUDE status, outcome, checked_at,
 *   record_id), joined to their records for the records' status and the caller's record-level restrictions
 *   (shared/restrictions.ts): a hit on a record restricted away from the caller is not counted for it (its owner
 *   and the General Secretariat count it). One pass groups them four ways (GROUPING SETS).
 */
export interface CheckDay {
  /** YYYY-MM-DD, UTC. */
  day: string;
  documents: number;
}

export interface HitFigures {
  byStatus: { status: SltdStatus; count: number }[];
  byBorderPoint: { borderPoint: string; count: number }[];
  byOutcome: { outcome: HitOutcomeAction; count: number }[];
  byDay: { day: string; count: number }[];
}

/** Rows per operation, border point and day in sltd.operation_check_days (migration 1764100000062). */
const OPERATION_DAY_SHARDS = 16;

/** The day-count row a check adds itself to: one of the shards, at random, so parallel checks seldom wait. */
export const operationDayShard = (): number => randomInt(OPERATION_DAY_SHARDS);

/** Where the enclosing statement binds each value the operation-check rows need (placeholders with their casts). */
export interface OperationCheckParams {
  operation: string;
  borderPoint: string;
  checkedAt: string;
  documents: string;
  agencyId: string;
  clientId: string;
  requestId: string;
  shard: string;
}

/**
 * The rows a check in an operation's context writes, as two WITH steps for the statement that writes the check's
 * hidden hits (hit.repository.ts, `insertHiddenHitsAndCheck`): its `sltd.operation_checks` row, and its share of the
 * day's count in `sltd.operation_check_days`, the table this report reads. Both write nothing when the operation
 * placeholder is NULL (a check outside any operation).
 */
export const operationCheckSteps = (p: OperationCheckParams): string => `
       operation_check AS (
         INSERT INTO sltd.operation_checks (operation_code, border_point_code, checked_at, documents,
                                            checked_by_agency_id, checked_by_client, request_id)
         SELECT ${p.operation}, ${p.borderPoint}, ${p.checkedAt}, ${p.documents}, ${p.agencyId}, ${p.clientId},
                ${p.requestId}
          WHERE ${p.operation}::text IS NOT NULL),
       operation_day AS (
         INSERT INTO sltd.operation_check_days AS d (operation_code, border_point_code, day, shard, checks, documents)
         SELECT ${p.operation}, ${p.borderPoint}, (${p.checkedAt} AT TIME ZONE 'UTC')::date, ${p.shard}, 1,
                ${p.documents}
          WHERE ${p.operation}::text IS NOT NULL
         ON CONFLICT (operation_code, border_point_code, day, shard)
         DO UPDATE SET checks = d.checks + 1, documents = d.documents + EXCLUDED.documents)`;

export async function operationCheckDays(db: DataSource, view: OperationReportView): Promise<CheckDay[]> {
  if (view.borderPoints.length === 0) return [];
  const rows = (await db.query(
    `SELECT to_char(d.day, 'YYYY-MM-DD') AS day, sum(d.documents)::bigint AS documents
       FROM sltd.operation_check_days d
      WHERE d.operation_code = $1 AND d.border_point_code = ANY ($2::text[])
      GROUP BY d.day
      ORDER BY d.day`,
    [view.operation, view.borderPoints],
  )) as { day: string; documents: string }[];
  return rows.map((row) => ({ day: row.day, documents: Number(row.documents) }));
}

export async function operationHitFigures(
  db: DataSource,
  caller: Caller,
  view: OperationReportView,
): Promise<HitFigures> {
  const figures: HitFigures = { byStatus: [], byBorderPoint: [], byOutcome: [], byDay: [] };
  if (view.borderPoints.length === 0) return figures;
  const visible = visibleTo('r', caller);
  const [sql, params] = db.driver.escapeQueryWithParameters(
    `SELECT status, border_point, outcome, day,
            GROUPING(status) = 0 AS by_status, GROUPING(border_point) = 0 AS by_point,
            GROUPING(outcome) = 0 AS by_outcome, count(*)::int AS count
       FROM (SELECT r.status, h.border_point_code AS border_point, h.outcome,
                    to_char((h.checked_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day
               FROM sltd.hits h
               JOIN sltd.records r ON r.id = h.record_id
              WHERE h.operation_code = :operation AND h.border_point_code = ANY (:points::text[])
                AND ${visible.sql}) v
      GROUP BY GROUPING SETS ((status), (border_point), (outcome), (day))`,
    { ...visible.params, operation: view.operation, points: [...view.borderPoints] },
  );
  const rows = (await db.query(sql, params)) as {
    status: SltdStatus | null;
    border_point: string | null;
    outcome: HitOutcomeAction | null;
    day: string | null;
    by_status: boolean;
    by_point: boolean;
    by_outcome: boolean;
    count: number;
  }[];
  for (const row of rows) {
    if (row.by_status) figures.byStatus.push({ status: row.status as SltdStatus, count: row.count });
    else if (row.by_point)
      figures.byBorderPoint.push({ borderPoint: row.border_point as string, count: row.count });
    else if (row.by_outcome) {
      // Hits without an outcome form a group of their own (outcome NULL): not an outcome.
      if (row.outcome) figures.byOutcome.push({ outcome: row.outcome, count: row.count });
    } else figures.byDay.push({ day: row.day as string, count: row.count });
  }
  const byName =
    <T>(key: (item: T) => string) =>
    (a: T, b: T) =>
      key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
  figures.byStatus.sort(byName((f) => f.status));
  figures.byBorderPoint.sort(byName((f) => f.borderPoint));
  figures.byOutcome.sort(byName((f) => f.outcome));
  figures.byDay.sort(byName((f) => f.day));
  return figures;
}
