import type { DataSource } from 'typeorm';
import type { Caller } from '../../shared/auth/caller';
import type { HitOutcomeAction } from '../../shared/schema/hit-outcome';
import type { OperationReportView } from '../../shared/schema/operation-report-key';
import { NoticeHit } from './notice-hit.entity';
import { Notice, type NoticeType } from './notice.entity';
import { noticeVisibility } from './notice.repository';

/**
 * notices' statements of an operation report: counts over indexed columns, never rows loaded. The view (an
 * operation and the border points the caller's figures cover) comes from the report key partner-agencies built.
 */

/** Persons screened in the view: an index-only count on operation_screenings_count. */
export async function countOperationScreenings(db: DataSource, view: OperationReportView): Promise<number> {
  const [row] = (await db.query(
    `SELECT count(*)::int AS count FROM notices.operation_screenings
      WHERE operation_code = $1 AND border_point_code = ANY ($2::text[])`,
    [view.operation, view.borderPoints],
  )) as { count: number }[];
  return row.count;
}

/** Every notice-match figure of one view, from one statement (operationMatchFigures). */
export interface MatchFigures {
  byType: { type: NoticeType; count: number }[];
  byOutcome: { outcome: HitOutcomeAction; count: number }[];
  byDay: { day: string; count: number }[];
}

/**
 * The notice matches of a report's view, counted three ways in one statement (GROUPING SETS: by notice type, by
 * outcome, by UTC day): the operation and the view's border points (the partial index notice_hits_operation),
 * joined to the notices the caller may see (the reads' own conditions: status, restrictions, notice types).
 */
export async function operationMatchFigures(
  db: DataSource,
  caller: Caller,
  view: OperationReportView,
): Promise<MatchFigures> {
  const visible = noticeVisibility('n', caller);
  const day = `to_char(h.reported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`;
  const rows = await db
    .createQueryBuilder()
    .from(NoticeHit, 'h')
    .innerJoin(Notice, 'n', 'n.id = h.notice_id')
    .select('n.type', 'type')
    .addSelect('h.outcome', 'outcome')
    .addSelect(day, 'day')
    .addSelect(`GROUPING(n.type, h.outcome, ${day})`, 'grouping')
    .addSelect('count(*)::int', 'count')
    .where('h.operation_code = :reportOperation', { reportOperation: view.operation })
    .andWhere('h.border_point_code = ANY (:reportPoints::text[])', { reportPoints: view.borderPoints })
    .andWhere(visible.sql, visible.params)
    .groupBy(`GROUPING SETS ((n.type), (h.outcome), (${day}))`)
    .getRawMany<{
      type: NoticeType;
      outcome: HitOutcomeAction | null;
      day: string;
      grouping: number;
      count: number;
    }>();
  // GROUPING(): a bit per argument, 1 where the row is not grouped by it (type 4, outcome 2, day 1).
  const figures: MatchFigures = { byType: [], byOutcome: [], byDay: [] };
  for (const row of rows) {
    if (row.grouping === 0b011) figures.byType.push({ type: row.type, count: row.count });
    else if (row.grouping === 0b101 && row.outcome !== null)
      figures.byOutcome.push({ outcome: row.outcome, count: row.count });
    else if (row.grouping === 0b110) figures.byDay.push({ day: row.day, count: row.count });
  }
  figures.byType.sort((a, b) => b.count - a.count || (a.type < b.type ? -1 : 1));
  return figures;
}
