import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import { createSubgraphDataSource } from '../../db/data-source';
import { createTestDatabase } from '../../test/databases';
import { travelDocuments } from '../../subgraphs/travel-documents';
import { SltdRecord } from '../../subgraphs/travel-documents/sltd-record.entity';
import { pageNewestFirst, type Connection } from './connection';

/**
 * Keyset paging over timestamps that PostgreSQL keeps in microseconds: batches written by one statement (one
 * `now()` each) and rows apart by less than a millisecond. Whatever the page sizes, a walk hands out every row
 * exactly once, in the list's order.
 */
let db: DataSource;
let expected: string[];

beforeAll(async () => {
  db = createSubgraphDataSource({
    url: await createTestDatabase('paging'),
    schema: travelDocuments.schema,
    entities: travelDocuments.entities,
    migrations: [],
  });
  await db.initialize();
  const owner = '00000000-0000-4000-8000-000000000001';
  const insert = (numbers: string, reportedAt: string) =>
    db.query(
      `INSERT INTO sltd.records (issuing_country, document_number, document_type, status, owner_agency_id,
                                 owner_country, review_date, reported_at)
       SELECT 'FRA', $1 || g, 'PASSPORT', 'STOLEN', $2, 'FRA', current_date + 100, ${reportedAt}
         FROM generate_series(1, 20) g`,
      [numbers, owner],
    );
  // Three batches sharing one now() each, then rows a microsecond apart within one millisecond.
  await insert('A', 'now()');
  await insert('B', 'now()');
  await insert('C', `now() + interval '1 second'`);
  await insert('D', `timestamptz '2026-03-01 10:00:00.123' + g * interval '1 microsecond'`);
  const rows = (await db.query(`SELECT id::text FROM sltd.records ORDER BY reported_at DESC, id DESC`)) as {
    id: string;
  }[];
  expected = rows.map((r) => r.id);
});

afterAll(async () => {
  await db.destroy();
});

async function walk(sizes: number[]): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let i = 0; ; i += 1) {
    const page: Connection<SltdRecord> = await pageNewestFirst(
      db.getRepository(SltdRecord).createQueryBuilder('r'),
      { alias: 'r', name: 'reported_at' },
      sizes[i % sizes.length],
      after,
    );
    ids.push(...page.edges.map((e) => e.node.id));
    if (!page.pageInfo.hasNextPage) return ids;
    after = page.pageInfo.endCursor;
  }
}

test('any sequence of page sizes gives every row once, in order', async () => {
  expect(expected).toHaveLength(80);
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 6 }),
      async (sizes) => {
        expect(await walk(sizes)).toEqual(expected);
      },
    ),
    { numRuns: 40 },
  );
});
