import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import type { Caller } from '../../shared/auth/caller';
import { countryVariants } from '../../shared/countries';
import { noticeReach, type NoticeLevel } from '../../shared/auth/notice-reach';
import type { RecordGate } from '../../shared/record-gate';
import {
  positionalCondition,
  queryPrepared,
  statementForText,
  type PreparedStatement,
} from '../../shared/prepared-statement';
import { restrictionColumnsAs, visibleTo, type SqlCondition } from '../../shared/restrictions';
import {
  decodeCursor,
  timestampCursorSql,
  toConnection,
  type Connection,
} from '../../shared/schema/connection';
import { ArrestWarrant, NoticeAlias, NoticeDocument } from './notice-details.entity';
import { Notice, type NoticeType } from './notice.entity';
import type { NoticeFilter } from './notice.input';
import type { DocumentKey } from '../../shared/documents/document-key';
import { updateFromStaged, type ChangedRecords, type ImportMerge } from '../../shared/bulk-merge';
import { formatControlNumber, reserveControlNumbers } from './control-number';

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

/**
 * A notice's columns as its entity's properties, for the constant statements below (plain rows, no hydration).
 * Dates as ISO text, as TypeORM gives them for `date` columns; notice.repository.db.spec.ts holds these rows equal
 * to TypeORM's entities for the same notices.
 */
const NOTICE_COLUMNS = `n.id, n.control_number AS "controlNumber", n.type, n.status, n.title,
  n.owner_country AS "ownerCountry", n.subject_surname AS "subjectSurname", n.subject_forenames AS "subjectForenames",
  n.subject_date_of_birth::text AS "subjectDateOfBirth", n.subject_sex AS "subjectSex",
  n.subject_nationalities AS "subjectNationalities", n.subject_place_of_birth AS "subjectPlaceOfBirth",
  n.distinguishing_marks AS "distinguishingMarks", n.charges, n.requested_at AS "requestedAt",
  n.published_at AS "publishedAt", n.status_reason AS "statusReason", n.review_date::text AS "reviewDate",
  n.owner_review_date::text AS "ownerReviewDate", ${restrictionColumnsAs('n')}`;

/** A plain row as the Notice the resolvers take (the class is the GraphQL type). */
const asNotice = (row: object): Notice => Object.assign(new Notice(), row);

/** Conditions joined as the query builder's `andWhere` joins them. */
function allOf(conditions: SqlCondition[]): SqlCondition {
  return {
    sql: conditions.map((c) => `(${c.sql})`).join(' AND '),
    params: Object.assign({}, ...conditions.map((c) => c.params)) as Record<string, unknown>,
  };
}

/**
 * The notices list (LinkedRecords and every `notices` page): newest first, keyset-paged as `pageNewestFirst`
 * pages (shared/schema/connection.ts: the same cursors, the count of the filtered list), as two named prepared
 * statements with plain rows (shared/prepared-statement.ts), one text per shape of the filter and of the caller's
 * visibility (`noticeVisibility`, unchanged), where TypeORM built both statements and hydrated the page on every
 * call (bench/README.md, "Where the time goes").
 */
export async function listNotices(
  db: DataSource,
  caller: Caller | null,
  filter: NoticeFilter | undefined,
  first: number,
  after: string | null | undefined,
): Promise<Connection<Notice>> {
  const cursor = decodeCursor(after, 'timestamp');
  const conditions = [noticeVisibility('n', caller)];
  if (filter?.types?.length)
    conditions.push({ sql: 'n.type = ANY (:types::text[])', params: { types: filter.types } });
  if (filter?.status) conditions.push({ sql: 'n.status = :status', params: { status: filter.status } });
  if (filter?.requestingCountry) {
    conditions.push({
      sql: 'n.owner_country = ANY (:ownerCountries::text[])',
      params: { ownerCountries: countryVariants(filter.requestingCountry) },
    });
  }
  if (filter?.subjectNationality) {
    conditions.push({
      sql: 'n.subject_nationalities && :nationalities::text[]',
      params: { nationalities: countryVariants(filter.subjectNationality) },
    });
  }
  if (filter?.requestedAfter)
    conditions.push({ sql: 'n.requested_at >= :from', params: { from: filter.requestedAfter } });
  if (filter?.requestedBefore)
    conditions.push({ sql: 'n.requested_at < :to', params: { to: filter.requestedBefore } });
  const where = positionalCondition(allOf(conditions), 1);
  const [{ count }] = await queryPrepared<{ count: number }>(
    db,
    statementForText(
      'notices_count',
      `SELECT count(*)::int AS count FROM notices.notices n WHERE ${where.sql}`,
    ),
    where.values,
  );
  const values = [...where.values];
  let keyset = '';
  if (cursor) {
    values.push(cursor.sort, cursor.id);
    keyset = ` AND (n.requested_at, n.id) < ($${values.length - 1}::timestamptz, $${values.length}::uuid)`;
  }
  values.push(first + 1);
  const rows = await queryPrepared<Notice & { cursorSort: string }>(
    db,
    statementForText(
      'notices_page',
      `SELECT ${NOTICE_COLUMNS}, ${timestampCursorSql('n.requested_at')} AS "cursorSort"
  FROM notices.notices n
 WHERE ${where.sql}${keyset}
 ORDER BY n.requested_at DESC, n.id DESC
 LIMIT $${values.length}`,
    ),
    values,
  );
  return toConnection(
    rows,
    first,
    count,
    (row) => ({ sort: row.cursorSort, id: row.id }),
    ({ cursorSort: _sort, ...row }) => asNotice(row),
  );
}

/**
 * The bulk import (db/import/notices.ts) stages a notice per line: NOTICE_IMPORT_COLUMNS, its natural key
 * (noticeNaturalKey) and its children as jsonb arrays (aliases, warrants, documents). The same notice is the
 * bureau's own notice, requested or published, of the same type on the same subject (surname, forenames, date of
 * birth; the title when there is no named subject).
 */
export const NOTICE_IMPORT_COLUMNS = [
  'title',
  'subject_surname',
  'subject_forenames',
  'subject_date_of_birth',
  'subject_sex',
  'subject_nationalities',
  'subject_place_of_birth',
  'distinguishing_marks',
  'charges',
  'allowed_countries',
  'excluded_countries',
  'allowed_agency_kinds',
  'excluded_agency_kinds',
] as const;

/** The tables the import's merge writes (analysed after it commits). */
export const NOTICE_IMPORT_TABLES = [
  'notices.notices',
  'notices.aliases',
  'notices.arrest_warrants',
  'notices.documents',
] as const;

/** A notice's natural key as the import stages it; `storedNaturalKey` is its SQL twin. */
export function noticeNaturalKey(
  n: Pick<Partial<Notice>, 'type' | 'subjectSurname' | 'subjectForenames' | 'subjectDateOfBirth' | 'title'>,
): string {
  const named = n.subjectSurname != null || n.subjectForenames != null;
  return [
    n.type,
    n.subjectSurname ?? '',
    n.subjectForenames ?? '',
    n.subjectDateOfBirth ?? '',
    named ? '' : n.title,
  ]
    .map((v) => v ?? '')
    .join('\u001f');
}

const storedNaturalKey = (
  alias: string,
) => `concat_ws(chr(31), ${alias}.type, coalesce(${alias}.subject_surname, ''),
  coalesce(${alias}.subject_forenames, ''), coalesce(${alias}.subject_date_of_birth::text, ''),
  CASE WHEN ${alias}.subject_surname IS NULL AND ${alias}.subject_forenames IS NULL THEN ${alias}.title ELSE '' END)`;
const SAME_NOTICE = `n.owner_agency_id = $1 AND n.status IN ('REQUESTED', 'PUBLISHED') AND ${storedNaturalKey('n')} = s.natural_key`;

/**
 * A notice's children as the import compares and replaces them: the stored ones of notice `n` as a jsonb array in
 * the staged form, the staged column, and the statements that delete the changed notices' children and insert the
 * staged ones (`import_changed`: the notices the merge created or changed, with their lines).
 */
const IMPORTED_CHILDREN = [
  {
    staged: 's.aliases',
    stored: `(SELECT coalesce(jsonb_agg(jsonb_build_object('surname', c.surname, 'forenames', c.forenames)), '[]')
                FROM notices.aliases c WHERE c.notice_id = n.id)`,
    remove: `DELETE FROM notices.aliases WHERE notice_id IN (SELECT id FROM import_changed WHERE NOT created)`,
    insert: `INSERT INTO notices.aliases (notice_id, surname, forenames)
             SELECT x.id, c.surname, c.forenames
               FROM import_changed x JOIN import_rows s ON s.line = x.line,
                    jsonb_to_recordset(s.aliases) AS c(surname text, forenames text)`,
  },
  {
    staged: 's.warrants',
    stored: `(SELECT coalesce(jsonb_agg(jsonb_build_object('warrant_number', c.warrant_number,
                      'issuing_authority', c.issuing_authority, 'issued_on', c.issued_on, 'charges', c.charges)), '[]')
                FROM notices.arrest_warrants c WHERE c.notice_id = n.id)`,
    remove: `DELETE FROM notices.arrest_warrants WHERE notice_id IN (SELECT id FROM import_changed WHERE NOT created)`,
    insert: `INSERT INTO notices.arrest_warrants (notice_id, warrant_number, issuing_authority, issued_on, charges)
             SELECT x.id, c.warrant_number, c.issuing_authority, c.issued_on, c.charges
               FROM import_changed x JOIN import_rows s ON s.line = x.line,
                    jsonb_to_recordset(s.warrants)
                      AS c(warrant_number text, issuing_authority text, issued_on date, charges text)`,
  },
  {
    staged: 's.documents',
    stored: `(SELECT coalesce(jsonb_agg(jsonb_build_object('issuing_country', c.issuing_country,
                      'document_number', c.document_number, 'document_type', c.document_type)), '[]')
                FROM notices.documents c WHERE c.notice_id = n.id)`,
    remove: `DELETE FROM notices.documents WHERE notice_id IN (SELECT id FROM import_changed WHERE NOT created)`,
    insert: `INSERT INTO notices.documents (notice_id, issuing_country, document_number, document_type)
             SELECT x.id, c.issuing_country, c.document_number, c.document_type
               FROM import_changed x JOIN import_rows s ON s.line = x.line,
                    jsonb_to_recordset(s.documents)
                      AS c(issuing_country varchar, document_number varchar, document_type text)`,
  },
] as const;

/** Equal as sets, whatever the order. */
const sameSet = (a: string, b: string) => `(${a} @> ${b} AND ${b} @> ${a})`;

/**
 * The bulk import's merge of its staged rows (`import_rows`, and `import_changed` to collect what it changed) into
 * the owner's notices, in the import's transaction: a line for the same notice updates the title, subject,
 * charges, restrictions, review date (when given) and replaces the children where anything differs; any other line
 * is a new REQUESTED notice with the owner's next control number of its type, issued and formatted as
 * requestNotice issues one (control-number.ts), in file order.
 */
export const mergeImportedNotices: ImportMerge = async (db, owner, idLimit) => {
  const columns = NOTICE_IMPORT_COLUMNS;
  await db.query('TRUNCATE import_changed');
  const update = updateFromStaged('n', columns, ['review_date', 'owner_review_date']);
  await db.query(
    `WITH changed AS (
       UPDATE notices.notices n SET ${update.set}
         FROM import_rows s
        WHERE ${SAME_NOTICE}
          AND (${update.differs}
               OR NOT ${IMPORTED_CHILDREN.map((child) => sameSet(child.stored, child.staged)).join(' OR NOT ')})
        RETURNING n.id, s.line)
     INSERT INTO import_changed SELECT id, line, false FROM changed`,
    [owner.agencyId],
  );
  for (const child of IMPORTED_CHILDREN) await db.query(child.remove);
  // Each new notice takes the owner's next control numbers of its type: one block per type from the owner's
  // counters (shared/numbering.ts), formatted here by the function that formats requestNotice's.
  const fresh = (await db.query(
    `SELECT s.type, count(*)::int AS count, now() AS now FROM import_rows s
      WHERE NOT EXISTS (SELECT 1 FROM notices.notices n WHERE ${SAME_NOTICE}) GROUP BY s.type`,
    [owner.agencyId],
  )) as { type: `${NoticeType}`; count: number; now: Date }[];
  const ownerCountry = owner.country ?? '';
  const numbers: Record<string, string[]> = {};
  for (const { type, count, now } of fresh) {
    const first = await reserveControlNumbers(
      (sql, params) => db.query(sql, params),
      type,
      ownerCountry,
      now,
      count,
    );
    numbers[type] = Array.from({ length: count }, (_, i) =>
      formatControlNumber(type, ownerCountry, first + i, now),
    );
  }
  await db.query(
    `WITH created AS (
       INSERT INTO notices.notices
         (id, control_number, type, status, title, ${columns.filter((c) => c !== 'title').join(', ')},
          owner_agency_id, owner_country, requested_at, review_date, owner_review_date)
       SELECT s.id, $2::jsonb -> s.type ->> (row_number() OVER (PARTITION BY s.type ORDER BY s.line) - 1)::int,
              s.type, 'REQUESTED', s.title, ${columns
                .filter((c) => c !== 'title')
                .map((c) => `s.${c}`)
                .join(', ')},
              $1::uuid, $3, now(), s.review_date, s.owner_review_date
         FROM (SELECT * FROM import_rows s
                WHERE NOT EXISTS (SELECT 1 FROM notices.notices n WHERE ${SAME_NOTICE})
                ORDER BY s.line) AS s
       RETURNING id)
     INSERT INTO import_changed SELECT c.id, s.line, true FROM created c JOIN import_rows s ON s.id = c.id`,
    [owner.agencyId, JSON.stringify(numbers), ownerCountry],
  );
  for (const child of IMPORTED_CHILDREN) await db.query(child.insert);
  const rows = (await db.query(
    `SELECT created, count(*)::int AS count, (array_agg(id::text))[1:$1] AS ids FROM import_changed GROUP BY created`,
    [idLimit + 1],
  )) as { created: boolean; count: number; ids: string[] }[];
  const changed = (created: boolean): ChangedRecords => {
    const row = rows.find((r) => r.created === created);
    if (!row) return { count: 0, ids: [] };
    return { count: row.count, ids: row.count <= idLimit ? row.ids : null };
  };
  return { inserted: changed(true), updated: changed(false) };
};

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

/** A notice's documents, every notice of a page in one constant statement (plain rows, as the list's). */
const DOCUMENTS_OF_NOTICES: PreparedStatement = {
  name: 'notices_documents_of_notices',
  text: `SELECT d.notice_id AS "noticeId", d.issuing_country AS "issuingCountry",
       d.document_number AS "documentNumber", d.document_type AS "documentType"
  FROM notices.documents d
 WHERE d.notice_id = ANY ($1::uuid[])
 ORDER BY d.issuing_country, d.document_number`,
};

export async function findDocuments(db: DataSource, noticeIds: readonly string[]): Promise<NoticeDocument[]> {
  const rows = await queryPrepared<NoticeDocument>(db, DOCUMENTS_OF_NOTICES, [noticeIds]);
  return rows.map((row) => Object.assign(new NoticeDocument(), row));
}

/**
 * Notices whose subject holds one of these documents: one statement for any number of documents, each notice with
 * the document it was found by (a notice holding two of them comes twice). Every `TravelDocument.notices` of a
 * border check asks it (through `_entities`): a named prepared statement with plain rows, one text per form of
 * the caller's visibility (`noticeVisibility` at the `full` level, unchanged).
 */
export async function findNoticesByDocuments(
  db: DataSource,
  caller: Caller | null,
  keys: readonly DocumentKey[],
): Promise<{ key: DocumentKey; notice: Notice }[]> {
  if (keys.length === 0) return [];
  const visible = positionalCondition(noticeVisibility('n', caller, { level: 'full' }), 3);
  const rows = await queryPrepared<{ keyCountry: string; keyNumber: string }>(
    db,
    statementForText(
      'notices_of_documents',
      `SELECT ${NOTICE_COLUMNS}, d.issuing_country AS "keyCountry", d.document_number AS "keyNumber"
  FROM notices.notices n
  JOIN notices.documents d ON d.notice_id = n.id
 WHERE (${visible.sql})
   AND (d.issuing_country, d.document_number) IN (SELECT * FROM unnest($1::varchar[], $2::varchar[]))
 ORDER BY n.requested_at DESC, n.id DESC`,
    ),
    [keys.map((k) => k.issuingCountry), keys.map((k) => k.documentNumber), ...visible.values],
  );
  return rows.map(({ keyCountry, keyNumber, ...notice }) => ({
    key: { issuingCountry: keyCountry, documentNumber: keyNumber },
    notice: asNotice(notice),
  }));
}
