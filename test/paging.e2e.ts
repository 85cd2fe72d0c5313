import { randomInt } from 'node:crypto';
import pg from 'pg';
import { withTestHubAndDatabase, type TestHub } from './hub';

/**
 * Exact keyset paging (docs/architecture.md, "Paging"): rows written by one statement share one `now()`, and
 * every list still hands each of them out exactly once, whatever the page size. A forged cursor is BAD_USER_INPUT
 * naming `after`.
 */
let hub: TestHub;
let db: pg.Client;
withTestHubAndDatabase((started) => ({ hub, db } = started));

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: { id: string } }[];
}

/** Reads a whole list `size` items at a time, following endCursor; returns the ids in the order served. */
async function walk(
  clientId: string,
  list: string,
  args: string,
  variables: Record<string, unknown>,
  size: number,
  node = 'id',
): Promise<string[]> {
  const query = `query Walk(${args ? `${args}, ` : ''}$first: Int, $after: String) {
    ${list}(${args ? `${args.replace(/\$(\w+): [^,]+/g, '$1: $$$1')}, ` : ''}first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id: ${node} } }
    }
  }`;
  const ids: string[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 5000; pages += 1) {
    const response = await hub.graphql(clientId, query, { ...variables, first: size, after });
    const page = response.body.data?.[list] as Page | undefined;
    if (!page) throw new Error(JSON.stringify(response.body));
    expect(page.edges.length).toBeLessThanOrEqual(size);
    ids.push(...page.edges.map((e) => e.node.id));
    if (!page.pageInfo.hasNextPage) return ids;
    expect(page.pageInfo.endCursor).toBe(page.edges[page.edges.length - 1].cursor);
    after = page.pageInfo.endCursor;
  }
  throw new Error('the walk never ended');
}

/** The database's clock now: filters start from it, not from this process's clock. */
async function databaseNow(): Promise<string> {
  const { rows } = await db.query<{ now: string }>(
    `SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS now`,
  );
  return rows[0].now;
}

async function agencyId(code: string): Promise<string> {
  return (await db.query<{ id: string }>('SELECT id FROM partners.agencies WHERE code = $1', [code])).rows[0]
    .id;
}

const byIdDescending = (ids: string[]) => [...ids].sort((a, b) => (a < b ? 1 : -1));
const SIZES = [1, 7, 100];

describe('thirty SLTD records reported by one statement, and the thirty hits of one check', () => {
  let from: string;
  let recordIds: string[];
  let hitIds: string[];
  const numbers = Array.from({ length: 30 }, (_, i) => `${randomInt(10, 99)}PG${randomInt(1000, 9999)}${i}`);

  beforeAll(async () => {
    from = await databaseNow();
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO sltd.records (issuing_country, document_number, document_type, status, owner_agency_id,
                                 owner_country, review_date)
       SELECT 'FRA', n, 'PASSPORT', 'STOLEN', $2, 'FRA', current_date + 3650 FROM unnest($1::text[]) n
       RETURNING id::text`,
      [numbers, await agencyId('NCB-FRA')],
    );
    recordIds = rows.map((r) => r.id);
    const check = await hub.graphql(
      'ncb-fra',
      `query Check($documents: [DocumentCheckInput!]!) { checkDocuments(input: $documents) { verdict hit { id } } }`,
      {
        documents: numbers.map((documentNumber) => ({
          issuingCountry: 'FRA',
          documentNumber,
          documentType: 'PASSPORT',
        })),
      },
    );
    const results = check.body.data?.checkDocuments as { verdict: string; hit: { id: string } }[];
    expect(results.map((r) => r.verdict)).toEqual(numbers.map(() => 'HIT'));
    hitIds = results.map((r) => r.hit.id);
    // The premise: one timestamp for all thirty, in each table.
    const shared = await db.query(
      `SELECT (SELECT count(DISTINCT reported_at) FROM sltd.records WHERE id = ANY ($1::uuid[]))::int AS records,
              (SELECT count(DISTINCT checked_at) FROM sltd.hits WHERE id = ANY ($2::uuid[]))::int AS hits`,
      [recordIds, hitIds],
    );
    expect(shared.rows).toEqual([{ records: 1, hits: 1 }]);
  });
  // The rows are this file's alone: other files read the newest records and hits of the shared database.
  afterAll(async () => {
    await db.query('DELETE FROM sltd.hits WHERE id = ANY ($1::uuid[])', [hitIds]);
    await db.query('DELETE FROM sltd.records WHERE id = ANY ($1::uuid[])', [recordIds]);
  });

  test.each(SIZES)('hits, %i at a time: every hit once, newest first, ties by id', async (size) => {
    const walked = await walk(
      'ncb-fra',
      'hits',
      '$filter: HitFilter',
      { filter: { from, side: 'CHECKER' } },
      size,
    );
    expect(walked).toEqual(byIdDescending(hitIds));
  });

  test.each(SIZES)('SLTD records, %i at a time: every record once', async (size) => {
    const walked = await walk(
      'ncb-fra',
      'sltdRecords',
      '$filter: SltdRecordFilter',
      { filter: { reportedAfter: from, issuingCountry: 'FRA' } },
      size,
    );
    expect(walked).toEqual(byIdDescending(recordIds));
  });
});

describe('thirty notices and thirty document alerts written by one statement each', () => {
  let from: string;
  let noticeIds: string[];
  let alertIds: string[];

  beforeAll(async () => {
    from = await databaseNow();
    const tag = randomInt(100000, 999999);
    const notices = await db.query<{ id: string }>(
      `INSERT INTO notices.notices (control_number, type, status, title, owner_agency_id, owner_country,
                                    subject_surname, subject_forenames, review_date)
       SELECT 'PG-' || $1 || '-' || g, 'BLUE', 'PUBLISHED', 'Paging ' || g, $2, 'UTO', 'PAGING', 'CASE ' || g,
              current_date + 1000
         FROM generate_series(1, 30) g
       RETURNING id::text`,
      [tag, await agencyId('NCB-UTO')],
    );
    noticeIds = notices.rows.map((r) => r.id);
    const alerts = await db.query<{ id: string }>(
      `INSERT INTO alerts.alerts (alert_number, issuing_country, document_type, fraud_type, description,
                                  owner_agency_id, review_date)
       SELECT 'PG-' || $1 || '-' || g, 'UTO', 'PASSPORT', 'COUNTERFEIT', 'Paging ' || g, $2, current_date + 1000
         FROM generate_series(1, 30) g
       RETURNING id::text`,
      [tag, await agencyId('NCB-UTO')],
    );
    alertIds = alerts.rows.map((r) => r.id);
  });
  // Other files page the newest notices of the shared database and expect their linked documents.
  afterAll(async () => {
    await db.query('DELETE FROM notices.notices WHERE id = ANY ($1::uuid[])', [noticeIds]);
    await db.query('DELETE FROM alerts.alerts WHERE id = ANY ($1::uuid[])', [alertIds]);
  });

  test.each(SIZES)('notices, %i at a time: every notice once', async (size) => {
    const walked = await walk(
      'ncb-usa',
      'notices',
      '$filter: NoticeFilter',
      { filter: { requestingCountry: 'UTO', requestedAfter: from } },
      size,
    );
    expect(walked).toEqual(byIdDescending(noticeIds));
  });

  test.each(SIZES)('document alerts, %i at a time: every alert once', async (size) => {
    const walked = await walk(
      'bp-fra',
      'documentAlerts',
      '$filter: DocumentAlertFilter',
      { filter: { publishedAfter: from, issuingCountry: 'UTO' } },
      size,
    );
    expect(walked).toEqual(byIdDescending(alertIds));
  });
});

test.each(SIZES)('agencies, %i at a time: every agency once, by code', async (size) => {
  const { rows } = await db.query<{ id: string }>('SELECT id::text FROM partners.agencies ORDER BY code');
  expect(await walk('gs-admin', 'agencies', '', {}, size)).toEqual(rows.map((r) => r.id));
});

test('the audit trail, more than 1,000 entries, 100 at a time: every entry once, by seq descending', async () => {
  const before = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM audit.entries');
  const missing = Math.max(0, 1_100 - before.rows[0].count);
  await db.query(
    `INSERT INTO audit.entries (request_id, subgraph, action, record_type, record_ids)
     SELECT 'paging-' || g, 'test', 'READ', 'Paging', ARRAY['x'] FROM generate_series(1, $1::int) g`,
    [missing],
  );
  const { rows } = await db.query<{ seq: string }>(
    'SELECT e.seq::text AS seq FROM audit.entries e ORDER BY e.seq DESC',
  );
  const last = Number(rows[0].seq);
  expect(rows.length).toBeGreaterThan(1_000);
  const walked = await walk('gs-admin', 'auditTrail', '', {}, 100, 'seq');
  // Reading the trail writes to it: entries newer than the snapshot may open the walk, each once.
  expect(new Set(walked).size).toBe(walked.length);
  expect(walked.filter((seq) => Number(seq) <= last)).toEqual(rows.map((r) => r.seq));
  expect(walked.map(Number)).toEqual([...walked.map(Number)].sort((a, b) => b - a));
});

describe('a forged cursor is BAD_USER_INPUT naming `after`, never an internal error', () => {
  const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const uuid = '6f1c2b9e-0d7a-4a53-9a43-6b1f3c2d9e01';
  const forged = [
    ['not base64 JSON', 'not a cursor'],
    ['a timestamp that is not one', cursor(['yesterday', uuid])],
    ['a day that does not exist', cursor(['2026-02-30T10:00:00.000000Z', uuid])],
    ['an id that is not a UUID', cursor(['2026-01-10T10:00:00.123456Z', "1' OR '1'='1"])],
    ['another list’s cursor (an agency code)', cursor(['NCB-FRA', uuid])],
  ];
  const lists: [string, string, string][] = [
    ['ncb-fra', 'hits', 'id'],
    ['ncb-fra', 'sltdRecords', 'id'],
    ['ncb-usa', 'notices', 'id'],
    ['bp-fra', 'documentAlerts', 'id'],
    ['gs-admin', 'auditTrail', 'seq'],
  ];
  test.each(lists)('%s reads %s', async (clientId, list, key) => {
    for (const [, after] of forged) {
      const response = await hub.graphql(
        clientId,
        `query Forged($after: String) { ${list}(first: 5, after: $after) { edges { node { ${key} } } } }`,
        { after },
      );
      expect(response.body).toEqual({
        data: { [list]: null },
        errors: [
          {
            message: 'Invalid input: after: is not a cursor returned by this list',
            path: [list],
            extensions: expect.objectContaining({
              code: 'BAD_USER_INPUT',
              problems: [{ field: 'after', reason: 'is not a cursor returned by this list' }],
            }),
          },
        ],
      });
    }
  });
});
