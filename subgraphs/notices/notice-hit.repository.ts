import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import type { Caller } from '../../shared/auth/caller';
import type { RecordGate } from '../../shared/record-gate';
import { pageNewestFirst, type Connection } from '../../shared/schema/connection';
import { NoticeHit } from './notice-hit.entity';
import { NoticeHitSide, type NoticeHitFilter } from './notice-hit.input';
import type { Notice } from './notice.entity';
import { noticeGate } from './notice.repository';

/**
 * Notice hits a caller may see: those on notices its agency requested (with hits:manage), and those its agency
 * reported. Nobody else sees that a match was reported.
 */
function visibleNoticeHits(
  db: DataSource | EntityManager,
  caller: Caller,
  side?: NoticeHitSide,
): SelectQueryBuilder<NoticeHit> {
  const asOwner = caller.scopes.has('hits:manage') && side !== NoticeHitSide.REPORTER;
  const asReporter = side !== NoticeHitSide.OWNER;
  const conditions = [
    asOwner ? 'h.owner_agency_id = :agency' : null,
    asReporter ? 'h.reported_by_agency_id = :agency' : null,
  ].filter(Boolean);
  return db
    .getRepository(NoticeHit)
    .createQueryBuilder('h')
    .where(conditions.length ? `(${conditions.join(' OR ')})` : 'false', { agency: caller.agencyId });
}

export async function listNoticeHits(
  db: DataSource,
  caller: Caller,
  filter: NoticeHitFilter | undefined,
  first: number,
  after: string | null | undefined,
): Promise<Connection<NoticeHit>> {
  const query = visibleNoticeHits(db, caller, filter?.side);
  if (filter?.status) query.andWhere('h.status = :status', { status: filter.status });
  if (filter?.from) query.andWhere('h.reported_at >= :from', { from: filter.from });
  if (filter?.to) query.andWhere('h.reported_at < :to', { to: filter.to });
  return pageNewestFirst(query, { alias: 'h', name: 'reported_at' }, first, after);
}

export function findNoticeHitsByIds(db: DataSource, caller: Caller, ids: string[]): Promise<NoticeHit[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return visibleNoticeHits(db, caller).andWhere('h.id = ANY (:ids::uuid[])', { ids }).getMany();
}

/**
 * Decisions and outcomes find the hit here (shared/record-gate.ts), among the hits of the caller's own notices
 * only: a hit on another bureau's notice, its own reports included, is NOT_FOUND.
 */
export const noticeHitGate: RecordGate<NoticeHit> = {
  label: 'Notice hit',
  recordType: 'NoticeHit',
  table: 'notices.notice_hits',
  alias: 'h',
  visible: (tx, caller) => visibleNoticeHits(tx, caller, NoticeHitSide.OWNER),
  mayChange: (caller, hit) => hit.ownerAgencyId === caller.agencyId,
  forbidden: () => 'Only the notice’s requesting bureau decides on its hits',
};

/**
 * reportNoticeMatch finds the notice here: through the reads' own query (status, record restrictions, the notice
 * types the caller reaches), so a notice the caller cannot read is NOT_FOUND exactly as an absent one is. Any
 * caller who sees it may report a match on it.
 */
export const noticeMatchGate: RecordGate<Notice> = {
  ...noticeGate,
  mayChange: () => true,
  forbidden: () => 'unreachable',
};

/** Writes a new PENDING notice hit in the reporting transaction; returns when it was reported (the database's now). */
export async function insertNoticeHit(tx: EntityManager, hit: NoticeHit): Promise<Date> {
  const [{ reported_at: reportedAt }] = (await tx.query(
    `INSERT INTO notices.notice_hits (id, notice_id, owner_agency_id, reported_by_client, reported_by_agency_id,
                                      reported_by_country, note, operation_code, border_point_code)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING reported_at`,
    [
      hit.id,
      hit.noticeId,
      hit.ownerAgencyId,
      hit.reportedByClient,
      hit.reportedByAgencyId,
      hit.reportedByCountry,
      hit.note,
      hit.operationCode,
      hit.borderPointCode,
    ],
  )) as { reported_at: Date }[];
  return reportedAt;
}
