import type { GraphQLInputObjectType } from 'graphql';
import type pg from 'pg';
import { notices } from '../../subgraphs/notices';
import { controlNumberSeries, reserveControlNumbers } from '../../subgraphs/notices/control-number';
import { clientQuery } from '../../shared/numbering';
import type { NoticeType } from '../../subgraphs/notices/notice.entity';
import type { RequestNoticeInput } from '../../subgraphs/notices/notice.input';
import { validateNoticeRequest, type NoticeDraft } from '../../subgraphs/notices/notice.service';
import { copyRow } from './copy-text';
import type { ChangedRecords, ImportKind, MergeOptions, MergeResult } from './kind';
import type { ImportOwner } from './owner';

/**
 * Notices: a line is `requestNotice`'s input (RequestNoticeInput), validated by the same `validateNoticeRequest`;
 * a new notice is REQUESTED (the General Secretariat publishes it) and gets its control number from the hub's
 * sequence, as the mutation does. The same notice is the bureau's own notice, requested or published, of the same
 * type on the same subject (surname, forenames, date of birth; the title when there is no named subject): such a
 * line updates the title, subject, charges, restrictions, review date (when given) and the aliases, warrants and
 * documents (replaced) where anything differs. Notices are matched within the owner only.
 *
 * NDJSON is the format: aliases, arrest warrants and documents are lists of objects, which a CSV cell cannot
 * hold (a CSV file may carry notices without them: type, title, subject.*, charges, restrictions.*, reviewDate).
 */
interface NoticeImportRow {
  draft: NoticeDraft;
  reviewDateGiven: boolean;
}

const DATA_COLUMNS = [
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

const SQL_KEY = (alias: string) => `concat_ws(chr(31), ${alias}.type, coalesce(${alias}.subject_surname, ''),
  coalesce(${alias}.subject_forenames, ''), coalesce(${alias}.subject_date_of_birth::text, ''),
  CASE WHEN ${alias}.subject_surname IS NULL AND ${alias}.subject_forenames IS NULL THEN ${alias}.title ELSE '' END)`;
const SAME_NOTICE = `n.owner_agency_id = $1 AND n.status IN ('REQUESTED', 'PUBLISHED') AND ${SQL_KEY('n')} = s.natural_key`;

/** The children of a notice as the staging table holds them (jsonb arrays), for comparison and reinsertion. */
const CHILDREN = [
  { table: 'notices.aliases', staged: 'aliases', columns: ['surname', 'forenames'], types: ['text', 'text'] },
  {
    table: 'notices.arrest_warrants',
    staged: 'warrants',
    columns: ['warrant_number', 'issuing_authority', 'issued_on', 'charges'],
    types: ['text', 'text', 'date', 'text'],
  },
  {
    table: 'notices.documents',
    staged: 'documents',
    columns: ['issuing_country', 'document_number', 'document_type'],
    types: ['varchar', 'varchar', 'text'],
  },
] as const;

let inputType: Promise<GraphQLInputObjectType> | null = null;

function naturalKey(draft: NoticeDraft): string {
  const n = draft.notice;
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

export const noticesImport: ImportKind<NoticeImportRow> = {
  name: 'notices',
  tables: ['notices.notices', ...CHILDREN.map((child) => child.table)],
  recordType: 'Notice',
  subgraph: 'notices',
  mutation: 'requestNotice',
  writeScope: 'notices:write',
  inputType: () =>
    (inputType ??= notices
      .buildSchema()
      .then(({ schema }) => schema.getType('RequestNoticeInput') as GraphQLInputObjectType)),

  ownerProblem: (owner) =>
    owner.agencyKind !== 'NCB' || !owner.country ? 'only a National Central Bureau requests notices' : null,

  validate(input, _owner, now) {
    const request = input as RequestNoticeInput;
    return { draft: validateNoticeRequest(request, now), reviewDateGiven: Boolean(request.reviewDate) };
  },

  duplicateField: 'subject',

  stagingTable: `
    CREATE TEMP TABLE import_rows (
      line int NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      natural_key text NOT NULL,
      type text NOT NULL,
      title text NOT NULL,
      subject_surname text,
      subject_forenames text,
      subject_date_of_birth date,
      subject_sex char(1),
      subject_nationalities text[] NOT NULL,
      subject_place_of_birth text,
      distinguishing_marks text,
      charges text[] NOT NULL,
      allowed_countries text[],
      excluded_countries text[] NOT NULL,
      allowed_agency_kinds text[],
      excluded_agency_kinds text[] NOT NULL,
      owner_review_date date,
      review_date date NOT NULL,
      review_date_given boolean NOT NULL,
      aliases jsonb NOT NULL,
      warrants jsonb NOT NULL,
      documents jsonb NOT NULL
    ) ON COMMIT DROP;
    CREATE TEMP TABLE import_changed (id uuid NOT NULL, line int NOT NULL, created boolean NOT NULL) ON COMMIT DROP`,
  stagingColumns: [
    'line',
    'natural_key',
    'type',
    ...DATA_COLUMNS,
    'owner_review_date',
    'review_date',
    'review_date_given',
    'aliases',
    'warrants',
    'documents',
  ],
  keyColumns: ['natural_key'],

  copyRow: ({ draft, reviewDateGiven }, line) => {
    const n = draft.notice;
    return copyRow([
      line,
      naturalKey(draft),
      n.type,
      n.title,
      n.subjectSurname,
      n.subjectForenames,
      n.subjectDateOfBirth,
      n.subjectSex,
      n.subjectNationalities ?? [],
      n.subjectPlaceOfBirth,
      n.distinguishingMarks,
      n.charges ?? [],
      n.allowedCountries,
      n.excludedCountries,
      n.allowedAgencyKinds,
      n.excludedAgencyKinds,
      n.ownerReviewDate,
      n.reviewDate,
      reviewDateGiven,
      JSON.stringify(draft.aliases.map((a) => ({ surname: a.surname, forenames: a.forenames }))),
      JSON.stringify(
        draft.warrants.map((w) => ({
          warrant_number: w.warrantNumber,
          issuing_authority: w.issuingAuthority,
          issued_on: w.issuedOn,
          charges: w.charges,
        })),
      ),
      JSON.stringify(
        draft.documents.map((d) => ({
          issuing_country: d.issuingCountry,
          document_number: d.documentNumber,
          document_type: d.documentType,
        })),
      ),
    ]);
  },

  merge: mergeNotices,
};

/** The stored children of notice `n` as a jsonb array, in the staged form. */
const storedChildren = (child: (typeof CHILDREN)[number]) =>
  `(SELECT coalesce(jsonb_agg(jsonb_build_object(${child.columns.map((c) => `'${c}', c.${c}`).join(', ')})), '[]')
      FROM ${child.table} c WHERE c.notice_id = n.id)`;
/** Equal as sets, whatever the order. */
const sameSet = (a: string, b: string) => `(${a} @> ${b} AND ${b} @> ${a})`;

async function mergeNotices(
  client: pg.ClientBase,
  owner: ImportOwner,
  options: MergeOptions,
): Promise<MergeResult> {
  await client.query('TRUNCATE import_changed');
  const reviewDate = 'CASE WHEN s.review_date_given THEN s.review_date ELSE n.review_date END';
  const ownerReviewDate =
    'CASE WHEN s.review_date_given THEN s.owner_review_date ELSE n.owner_review_date END';
  await client.query(
    `WITH changed AS (
       UPDATE notices.notices n
          SET ${DATA_COLUMNS.map((c) => `${c} = s.${c}`).join(', ')},
              review_date = ${reviewDate}, owner_review_date = ${ownerReviewDate}
         FROM import_rows s
        WHERE ${SAME_NOTICE}
          AND ((${DATA_COLUMNS.map((c) => `n.${c}`).join(', ')}, n.review_date, n.owner_review_date)
                 IS DISTINCT FROM (${DATA_COLUMNS.map((c) => `s.${c}`).join(', ')}, ${reviewDate}, ${ownerReviewDate})
               OR NOT ${CHILDREN.map((child) => sameSet(storedChildren(child), `s.${child.staged}`)).join(' OR NOT ')})
        RETURNING n.id, s.line)
     INSERT INTO import_changed SELECT id, line, false FROM changed`,
    [owner.agencyId],
  );
  for (const child of CHILDREN) {
    await client.query(
      `DELETE FROM ${child.table} WHERE notice_id IN (SELECT id FROM import_changed WHERE NOT created)`,
    );
  }
  // Each new notice takes the owner's next control number of its type: one block per type from the owner's
  // counters (shared/numbering.ts), numbered in file order.
  const { rows: fresh } = await client.query<{ type: `${NoticeType}`; count: number; now: Date }>(
    `SELECT s.type, count(*)::int AS count, now() AS now FROM import_rows s
      WHERE NOT EXISTS (SELECT 1 FROM notices.notices n WHERE ${SAME_NOTICE}) GROUP BY s.type`,
    [owner.agencyId],
  );
  const ownerCountry = owner.country ?? '';
  const first: Record<string, number> = {};
  const series: Record<string, string> = {};
  for (const { type, count, now } of fresh) {
    first[type] = await reserveControlNumbers(clientQuery(client), type, ownerCountry, now, count);
    series[type] = controlNumberSeries(type, ownerCountry);
  }
  await client.query(
    `WITH created AS (
       INSERT INTO notices.notices
         (id, control_number, type, status, title, ${DATA_COLUMNS.filter((c) => c !== 'title').join(', ')},
          owner_agency_id, owner_country, requested_at, review_date, owner_review_date)
       SELECT s.id, ($2::jsonb ->> s.type) || '-'
                || (($4::jsonb ->> s.type)::bigint + row_number() OVER (PARTITION BY s.type ORDER BY s.line) - 1)
                || '/' || to_char(now() AT TIME ZONE 'UTC', 'MM-YYYY'),
              s.type, 'REQUESTED', s.title, ${DATA_COLUMNS.filter((c) => c !== 'title')
                .map((c) => `s.${c}`)
                .join(', ')},
              $1::uuid, $3, now(), s.review_date, s.owner_review_date
         FROM (SELECT * FROM import_rows s
                WHERE NOT EXISTS (SELECT 1 FROM notices.notices n WHERE ${SAME_NOTICE})
                ORDER BY s.line) AS s
       RETURNING id)
     INSERT INTO import_changed SELECT c.id, s.line, true FROM created c JOIN import_rows s ON s.id = c.id`,
    [owner.agencyId, JSON.stringify(series), ownerCountry, JSON.stringify(first)],
  );
  for (const child of CHILDREN) {
    await client.query(
      `INSERT INTO ${child.table} (notice_id, ${child.columns.join(', ')})
       SELECT x.id, ${child.columns.map((c) => `c.${c}`).join(', ')}
         FROM import_changed x JOIN import_rows s ON s.line = x.line,
              jsonb_to_recordset(s.${child.staged}) AS c(${child.columns.map((c, i) => `${c} ${child.types[i]}`).join(', ')})`,
    );
  }
  const { rows } = await client.query<{ created: boolean; count: number; ids: string[] }>(
    `SELECT created, count(*)::int AS count, (array_agg(id::text))[1:$1] AS ids FROM import_changed GROUP BY created`,
    [options.idLimit + 1],
  );
  const changed = (created: boolean): ChangedRecords => {
    const row = rows.find((r) => r.created === created);
    if (!row) return { count: 0, ids: [] };
    return { count: row.count, ids: row.count <= options.idLimit ? row.ids : null };
  };
  return { inserted: changed(true), updated: changed(false), rejected: [] };
}
