import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import type { Caller } from '../../shared/auth/caller';
import { countryVariants } from '../../shared/countries';
import { noticeReach, type NoticeLevel } from '../../shared/auth/notice-reach';
import type { RecordGate } from '../../shared/record-gate';
import { visibleTo, type SqlCondition } from '../../shared/restrictions';
import { pageNewestFirst, type Connection } from '../../shared/schema/connection';
import { ArrestWarrant, NoticeAlias, NoticeDocument } from './notice-details.entity';
import { Notice } from './notice.entity';
import type { NoticeFilter } from './notice.input';
import type { DocumentKey } from '../../shared/documents/document-key';

/**
 * Which notices a caller may see at all: published ones (their requester and the General Secretariat also see
 * the others), within the owner's restrictions, and of the types the caller's scopes reach at `level`
 * (shared/auth/notice-reach.ts: a `notices:read:yellow` reader without `notices:screen` or `notices:read` sees
 * YELLOW notices only; a list of notices in full, such as a document's notices, holds only the types it reads
 * in full).
 */
function visibleNotices(
  db: DataSource | EntityManager,
  caller: Caller | null,
  level: NoticeLevel = 'identity',
): SelectQueryBuilder<Notice> {
  const visible = noticeVisibility('n', caller, { level });
  return db.getRepository(Notice).createQueryBuilder('n').where(visible.sql, visible.params);
}

/**
 * visibleNotices' conditions as SQL on the notice aliased `alias`, for statements that count (the reports) and
 * for screening. `publishedOnly` (screening) keeps PUBLISHED notices only, even for their requester and the General
 * Secretariat: a requested, refused or cancelled notice must never flag a traveller at a border.
 */
export function noticeVisibility(
  alias: string,
  caller: Caller | null,
  { level = 'identity', publishedOnly = false }: { level?: NoticeLevel; publishedOnly?: boolean } = {},
): SqlCondition {
  const restriction = visibleTo(alias, caller);
  const conditions = [restriction.sql];
  const params: Record<string, unknown> = { ...restriction.params };
  if (publishedOnly) conditions.push(`${alias}.status = 'PUBLISHED'`);
  else if (caller?.agencyKind !== 'GENERAL_SECRETARIAT') {
    conditions.push(`(${alias}.status = 'PUBLISHED' OR ${alias}.owner_agency_id = :viewerAgency)`);
    params.viewerAgency = caller?.agencyId ?? '00000000-0000-0000-0000-000000000000';
  }
  const types = noticeTypesCondition(alias, caller, level);
  conditions.push(types.sql);
  Object.assign(params, types.params);
  return { sql: conditions.map((c) => `(${c})`).join(' AND '), params };
}

/** Every mutation on a notice finds it here (shared/record-gate.ts): a notice the caller cannot read is not found. */
export const noticeGate: RecordGate<Notice> = {
  label: 'Notice',
  recordType: 'Notice',
  table: 'notices.notices',
  alias: 'n',
  visible: (tx, caller) => visibleNotices(tx, caller),
  forbidden: (notice) =>
    `Only the NCB of ${notice.ownerCountry} or the requesting bureau may change this notice`,
};

/** The SQL form of the notice types `caller` reaches at `level` (every type: no condition). */
function noticeTypesCondition(alias: string, caller: Caller | null, level: NoticeLevel): SqlCondition {
  const reach = noticeReach(caller?.scopes ?? [], level);
  if (reach.all) return { sql: 'true', params: {} };
  return { sql: `${alias}.type = ANY (:reachTypes::text[])`, params: { reachTypes: reach.types } };
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
  if (filter?.requestingCountry) {
    query.andWhere('n.owner_country = ANY (:ownerCountries::text[])', {
      ownerCountries: countryVariants(filter.requestingCountry),
    });
  }
  if (filter?.subjectNationality) {
    query.andWhere('n.subject_nationalities && :nationalities::text[]', {
      nationalities: countryVariants(filter.subjectNationality),
    });
  }
  if (filter?.requestedAfter) query.andWhere('n.requested_at >= :from', { from: filter.requestedAfter });
  if (filter?.requestedBefore) query.andWhere('n.requested_at < :to', { to: filter.requestedBefore });
  return pageNewestFirst(query, { alias: 'n', name: 'requested_at' }, first, after);
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

/** Notices whose subject holds one of these documents: one statement for any number of documents. */
export async function findNoticesByDocuments(
  db: DataSource,
  caller: Caller | null,
  keys: readonly DocumentKey[],
): Promise<{ key: DocumentKey; notice: Notice }[]> {
  if (keys.length === 0) return [];
  const query = visibleNotices(db, caller, 'full')
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
