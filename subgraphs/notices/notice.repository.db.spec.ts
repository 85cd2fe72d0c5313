import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import type { Caller } from '../../shared/auth/caller';
import { createSubgraphDataSource, statementCount } from '../../db/data-source';
import { pageNewestFirst, type Connection } from '../../shared/schema/connection';
import { createTestDatabase } from '../../test/databases';
import { notices } from '.';
import { NoticeDocument } from './notice-details.entity';
import { Notice } from './notice.entity';
import type { NoticeFilter } from './notice.input';
import { findDocuments, findNoticesByDocuments, listNotices, noticeVisibility } from './notice.repository';

/**
 * The notices list (its page and `totalCount`), a page's documents and a document's notices are named prepared
 * statements that return plain rows (shared/prepared-statement.ts). Here, against a real PostgreSQL, each answers
 * what TypeORM's query builders answered with the same visibility (`noticeVisibility`): the same entities (every
 * column, dates as TypeORM gives them), the same order, cursors and counts, for every kind of caller.
 */
const OWNER = '00000000-0000-4000-8000-0000000000a1';
const FRA_BP = '00000000-0000-4000-8000-0000000000f1';
const DEU_NCB = '00000000-0000-4000-8000-0000000000d1';
const GS = '00000000-0000-4000-8000-0000000000c1';
const YELLOW_READER = '00000000-0000-4000-8000-0000000000e1';

function caller(
  agencyId: string,
  agencyKind: Caller['agencyKind'],
  country: string | null,
  scopes: string[],
) {
  return {
    clientId: 'client',
    agencyId,
    agencyKind,
    country,
    scopes: new Set(scopes),
    operations: [],
    tokenId: 'token-id',
    token: 'token',
  } satisfies Caller;
}

const CALLERS: Record<string, Caller | null> = {
  owner: caller(OWNER, 'NCB', 'ITA', ['notices:read']),
  fraBorderPoint: caller(FRA_BP, 'NATIONAL_ENTITY', 'FRA', ['notices:screen']),
  deuNcb: caller(DEU_NCB, 'NCB', 'DEU', ['notices:read']),
  secretariat: caller(GS, 'GENERAL_SECRETARIAT', null, ['notices:publish']),
  yellowReader: caller(YELLOW_READER, 'INTERNATIONAL_PARTNER', null, [
    'notices:read:yellow',
    'notices:screen',
  ]),
  nobody: null,
};

const TYPES = ['RED', 'YELLOW', 'BLUE'];
const STATUSES = ['PUBLISHED', 'REQUESTED', 'PUBLISHED', 'REFUSED', 'CANCELLED'];
const RESTRICTIONS = [
  '',
  `excluded_countries = '{FRA}'`,
  `allowed_countries = '{DEU}'`,
  `allowed_agency_kinds = '{NCB}'`,
  `excluded_agency_kinds = '{INTERNATIONAL_PARTNER}'`,
  '',
];

let db: DataSource;
const keys: { issuingCountry: string; documentNumber: string }[] = [];

beforeAll(async () => {
  db = createSubgraphDataSource({
    url: await createTestDatabase('notice_lookup'),
    schema: notices.schema,
    entities: notices.entities,
    migrations: [],
    pool: { size: 2 },
  });
  await db.initialize();
  // 30 notices: every status, type and restriction, two owners, pairs sharing one requested_at (ties broken by id),
  // documents shared between notices and a notice with two documents.
  for (let i = 0; i < 30; i++) {
    const [{ id }] = (await db.query(
      `INSERT INTO notices.notices (control_number, type, status, title, owner_agency_id, owner_country,
              subject_surname, subject_forenames, subject_date_of_birth, subject_sex, subject_nationalities,
              subject_place_of_birth, distinguishing_marks, charges, requested_at, published_at, status_reason,
              review_date, owner_review_date)
       VALUES ($1, $2, $3, 'Title ' || $1, $4, $5, CASE WHEN $6 % 4 = 0 THEN NULL ELSE 'Rossi' END, 'Mario',
               CASE WHEN $6 % 3 = 0 THEN NULL ELSE DATE '1980-02-29' END, CASE WHEN $6 % 2 = 0 THEN 'F' END,
               '{ITA,FRA}', 'Nice', NULL, '{theft}',
               TIMESTAMPTZ '2026-03-01 23:30:00.123456+00' - ($6 / 2) * interval '1 hour',
               CASE WHEN $3 = 'PUBLISHED' THEN TIMESTAMPTZ '2026-03-02 00:00:00+00' END, NULL,
               DATE '2031-01-01', CASE WHEN $6 % 5 = 0 THEN DATE '2030-06-30' END)
       RETURNING id`,
      [
        `N-${i}`,
        TYPES[i % TYPES.length],
        STATUSES[i % STATUSES.length],
        i % 7 === 0 ? DEU_NCB : OWNER,
        i % 7 === 0 ? 'DEU' : 'ITA',
        i,
      ],
    )) as { id: string }[];
    const restriction = RESTRICTIONS[i % RESTRICTIONS.length];
    if (restriction) await db.query(`UPDATE notices.notices SET ${restriction} WHERE id = $1`, [id]);
    const numbers = i % 4 === 0 ? [`D${i}`, `D${i + 1}`] : [`D${i - (i % 2)}`];
    for (const number of numbers) {
      await db.query(
        `INSERT INTO notices.documents (notice_id, issuing_country, document_number, document_type)
         VALUES ($1, 'ITA', $2, 'PASSPORT') ON CONFLICT DO NOTHING`,
        [id, number],
      );
      if (!keys.some((k) => k.documentNumber === number))
        keys.push({ issuingCountry: 'ITA', documentNumber: number });
    }
  }
  keys.push({ issuingCountry: 'ITA', documentNumber: 'ABSENT1' });
});

afterAll(async () => {
  await db?.destroy();
});

/** What the notices list answered through TypeORM (the query builder and pageNewestFirst). */
function typeormList(
  who: Caller | null,
  filter: NoticeFilter | undefined,
  first: number,
  after: string | null,
): Promise<Connection<Notice>> {
  const visible = noticeVisibility('n', who);
  const query = db.getRepository(Notice).createQueryBuilder('n').where(visible.sql, visible.params);
  if (filter?.types?.length) query.andWhere('n.type = ANY (:types::text[])', { types: filter.types });
  if (filter?.status) query.andWhere('n.status = :status', { status: filter.status });
  if (filter?.requestingCountry)
    query.andWhere('n.owner_country = ANY (:ownerCountries::text[])', {
      ownerCountries: [filter.requestingCountry],
    });
  if (filter?.requestedBefore) query.andWhere('n.requested_at < :to', { to: filter.requestedBefore });
  return pageNewestFirst(query, { alias: 'n', name: 'requested_at' }, first, after);
}

/** What a document's notices were through TypeORM: the entities, with the document each was found by. */
async function typeormByDocuments(who: Caller | null) {
  const visible = noticeVisibility('n', who, { level: 'full' });
  const { entities, raw } = await db
    .getRepository(Notice)
    .createQueryBuilder('n')
    .where(visible.sql, visible.params)
    .innerJoin(NoticeDocument, 'd', 'd.notice_id = n.id')
    .addSelect('d.issuing_country', 'doc_country')
    .addSelect('d.document_number', 'doc_number')
    .andWhere(
      '(d.issuing_country, d.document_number) IN (SELECT * FROM unnest(:countries::varchar[], :numbers::varchar[]))',
      { countries: keys.map((k) => k.issuingCountry), numbers: keys.map((k) => k.documentNumber) },
    )
    .getRawAndEntities<{ doc_country: string; doc_number: string; n_id: string }>();
  const byId = new Map(entities.map((n) => [n.id, n]));
  return raw.map((row) => ({
    key: { issuingCountry: row.doc_country, documentNumber: row.doc_number },
    notice: byId.get(row.n_id),
  }));
}

const FILTERS: (NoticeFilter | undefined)[] = [
  undefined,
  { types: ['YELLOW', 'BLUE'] } as NoticeFilter,
  { status: 'PUBLISHED', requestingCountry: 'ITA' } as NoticeFilter,
  { requestedBefore: new Date('2026-03-01T18:00:00Z') } as NoticeFilter,
];

it.each(Object.keys(CALLERS))(
  'pages the notices %s may see as TypeORM paged them: entities, cursors, counts',
  async (name) => {
    const who = CALLERS[name];
    for (const filter of FILTERS) {
      for (const size of [0, 4, 100]) {
        let after: string | null = null;
        let pages = 0;
        for (;;) {
          const expected = await typeormList(who, filter, size, after);
          // Twice on one pool of two: the second call runs the statements the connection prepared.
          for (let round = 0; round < 2; round++) {
            const page = await listNotices(db, who, filter, size, after);
            expect(page).toEqual(expected);
            for (const edge of page.edges) expect(edge.node).toBeInstanceOf(Notice);
          }
          pages++;
          if (!expected.pageInfo.hasNextPage || size === 0) break;
          after = expected.pageInfo.endCursor;
        }
        if (name === 'secretariat' && !filter && size === 4) expect(pages).toBe(8);
      }
    }
  },
);

it('gives every column as TypeORM hydrates it', async () => {
  const { edges } = await listNotices(db, CALLERS.secretariat, undefined, 100, null);
  const entities = await db.getRepository(Notice).find();
  expect(edges).toHaveLength(30);
  for (const { node } of edges) expect(node).toEqual(entities.find((e) => e.id === node.id));
  const nodes = edges.map((e) => e.node);
  for (const value of [
    { subjectDateOfBirth: '1980-02-29' },
    { subjectSex: 'F' },
    { reviewDate: '2031-01-01' },
    { ownerReviewDate: '2030-06-30' },
    { requestedAt: new Date('2026-03-01T23:30:00.123Z') },
    { publishedAt: new Date('2026-03-02T00:00:00Z') },
    { charges: ['theft'] },
    { excludedCountries: ['FRA'] },
    { allowedAgencyKinds: ['NCB'] },
  ])
    expect(nodes).toContainEqual(expect.objectContaining(value));
});

it.each(Object.keys(CALLERS))(
  'finds the notices of documents %s may read in full, as TypeORM did',
  async (name) => {
    const who = CALLERS[name];
    const expected = await typeormByDocuments(who);
    for (let round = 0; round < 2; round++) {
      const found = await findNoticesByDocuments(db, who, keys);
      const order = (list: { key: { documentNumber: string }; notice?: Notice }[]) =>
        [...list].sort(
          (a, b) =>
            a.key.documentNumber.localeCompare(b.key.documentNumber) ||
            (a.notice?.id ?? '').localeCompare(b.notice?.id ?? ''),
        );
      expect(order(found)).toEqual(order(expected));
      // Newest first, as the list.
      const times = found.map((f) => f.notice.requestedAt.getTime());
      expect(times).toEqual([...times].sort((a, b) => b - a));
    }
    if (name === 'secretariat') expect(expected.length).toBeGreaterThan(30);
    if (name === 'nobody' || name === 'fraBorderPoint') expect(expected).toEqual([]);
  },
);

it("reads a page's documents as TypeORM's entities, ordered", async () => {
  const entities = await db.getRepository(NoticeDocument).find({
    order: { noticeId: 'ASC', issuingCountry: 'ASC', documentNumber: 'ASC' },
  });
  const ids = [...new Set(entities.map((d) => d.noticeId))];
  const found = await findDocuments(db, [...ids, '00000000-0000-4000-8000-00000000dead']);
  expect([...found].sort((a, b) => a.noticeId.localeCompare(b.noticeId))).toEqual(entities);
  for (const document of found) expect(document).toBeInstanceOf(NoticeDocument);
  const one = ids[0];
  expect(await findDocuments(db, [one])).toEqual(entities.filter((d) => d.noticeId === one));
});

it('counts its statements as the data source counts TypeORM’s', async () => {
  const before = statementCount(db);
  await listNotices(db, CALLERS.deuNcb, undefined, 5, null);
  expect(statementCount(db) - before).toBe(2);
  await findNoticesByDocuments(db, CALLERS.deuNcb, keys);
  await findNoticesByDocuments(db, CALLERS.deuNcb, []);
  expect(statementCount(db) - before).toBe(3);
});
