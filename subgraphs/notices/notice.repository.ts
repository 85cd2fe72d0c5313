import type { DataSource, SelectQueryBuilder } from 'typeorm';
import type { Caller } from '../../shared/auth/caller';
import { visibleTo } from '../../shared/restrictions';
import { pageNewestFirst, type Connection } from '../../shared/schema/connection';
import { ArrestWarrant, NoticeAlias, NoticeDocument } from './notice-details.entity';
import { Notice, NoticeType } from './notice.entity';
import type { NoticeFilter } from './notice.input';

/**
 * Which notices a caller may see at all: published ones (their requester and the General Secretariat also see
 * the others), within the owner's restrictions, and only YELLOW ones for a caller whose sole notice scope is
 * `notices:read:yellow` (missing persons, e.g. IOM).
 */
function visibleNotices(db: DataSource, caller: Caller | null): SelectQueryBuilder<Notice> {
  const query = db.getRepository(Notice).createQueryBuilder('n');
  const restriction = visibleTo('n', caller);
  query.where(restriction.sql, restriction.params);
  if (caller?.agencyKind !== 'GENERAL_SECRETARIAT') {
    query.andWhere(`(n.status = 'PUBLISHED' OR n.owner_agency_id = :viewerAgency)`, {
      viewerAgency: caller?.agencyId ?? '00000000-0000-0000-0000-000000000000',
    });
  }
  if (caller && isYellowOnly(caller)) query.andWhere('n.type = :yellow', { yellow: NoticeType.YELLOW });
  return query;
}

export function isYellowOnly(caller: Caller): boolean {
  return (
    !caller.scopes.has('notices:read') &&
    !caller.scopes.has('notices:screen') &&
    caller.scopes.has('notices:read:yellow')
  );
}

export function findNoticesByIds(db: DataSource, caller: Caller | null, ids: string[]): Promise<Notice[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return visibleNotices(db, caller).andWhere('n.id = ANY (:ids::uuid[])', { ids }).getMany();
}

export async function listNotices(
  db: DataSource,
  caller: Caller | null,
  filter: NoticeFilter | undefined,
  first: number,
  after: string | null | undefined,
): Promise<Connection<Notice>> {
  const query = visibleNotices(db, caller);
  if (filter?.types?.length) query.andWhere('n.type = ANY (:types::text[])', { types: filter.types });
  if (filter?.status) query.andWhere('n.status = :status', { status: filter.status });
  if (filter?.requestingCountry)
    query.andWhere('n.owner_country = :ownerCountry', { ownerCountry: filter.requestingCountry });
  if (filter?.subjectNationality) {
    query.andWhere(':nationality = ANY (n.subject_nationalities)', {
      nationality: filter.subjectNationality,
    });
  }
  if (filter?.requestedAfter) query.andWhere('n.requested_at >= :from', { from: filter.requestedAfter });
  if (filter?.requestedBefore) query.andWhere('n.requested_at < :to', { to: filter.requestedBefore });
  return pageNewestFirst(
    query,
    { alias: 'n', name: 'requested_at', of: (row) => row.requestedAt },
    first,
    after,
  );
}

export function findAliases(db: DataSource, noticeIds: readonly string[]): Promise<NoticeAlias[]> {
  return db
    .getRepository(NoticeAlias)
    .createQueryBuilder('a')
    .where('a.notice_id = ANY (:ids::uuid[])', { ids: noticeIds })
    .getMany();
}

export function findWarrants(db: DataSource, noticeIds: readonly string[]): Promise<ArrestWarrant[]> {
  return db
    .getRepository(ArrestWarrant)
    .createQueryBuilder('w')
    .where('w.notice_id = ANY (:ids::uuid[])', { ids: noticeIds })
    .orderBy('w.issued_on', 'ASC')
    .getMany();
}

export function findDocuments(db: DataSource, noticeIds: readonly string[]): Promise<NoticeDocument[]> {
  return db
    .getRepository(NoticeDocument)
    .createQueryBuilder('d')
    .where('d.notice_id = ANY (:ids::uuid[])', { ids: noticeIds })
    .orderBy('d.issuing_country')
    .addOrderBy('d.document_number')
    .getMany();
}

export interface DocumentKey {
  issuingCountry: string;
  documentNumber: string;
}

/** Notices whose subject holds one of these documents: one statement for any number of documents. */
export async function findNoticesByDocuments(
  db: DataSource,
  caller: Caller | null,
  keys: readonly DocumentKey[],
): Promise<{ key: DocumentKey; notice: Notice }[]> {
  if (keys.length === 0) return [];
  const query = visibleNotices(db, caller)
    .innerJoin(NoticeDocument, 'd', 'd.notice_id = n.id')
    .addSelect('d.issuing_country', 'doc_country')
    .addSelect('d.document_number', 'doc_number')
    .andWhere(
      '(d.issuing_country, d.document_number) IN (SELECT * FROM unnest(:countries::varchar[], :numbers::varchar[]))',
      { countries: keys.map((k) => k.issuingCountry), numbers: keys.map((k) => k.documentNumber) },
    )
    .orderBy('n.requested_at', 'DESC');
  const { entities, raw } = await query.getRawAndEntities<{
    doc_country: string;
    doc_number: string;
    n_id: string;
  }>();
  const byId = new Map(entities.map((n) => [n.id, n]));
  return raw.map((row) => ({
    key: { issuingCountry: row.doc_country, documentNumber: row.doc_number },
    notice: byId.get(row.n_id) as Notice,
  }));
}
