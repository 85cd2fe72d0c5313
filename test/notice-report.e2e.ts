import type pg from 'pg';
import { GATEWAY_CREDENTIAL_HEADER } from '../shared/auth/gateway-credential';
import { reportKey } from '../shared/schema/operation-report-key';
import { DEV_GATEWAY_CREDENTIAL } from '../shared/subgraph/config';
import { withTestHubAndDatabase, type TestHub } from './hub';

/**
 * notices' figures of an operation report (issue 12), as the gateway asks notices for them: the key names the
 * operation and the border points of the caller's view (partner-agencies builds it), travel-documents' outcomes
 * and days come in the representation (@requires). Every figure must match the rows, counted over the view's
 * border points only and over the notices the caller may see only. The seeded LIONFISH-2026-MRS has results;
 * NTC-TEST-1 is this file's own operation code (rows written here).
 */
let hub: TestHub;
let db: pg.Client;
withTestHubAndDatabase((started) => ({ hub, db } = started));

const LIONFISH = 'LIONFISH-2026-MRS';
const TEST_OPERATION = 'NTC-TEST-1';
const FIGURES = `personsScreened noticeMatches { total byType { type count } } outcomes { outcome count }
  byDay { day documentsChecked documentHits noticeMatches }`;

/** The representation the gateway sends: the key and, for outcomes and byDay, travel-documents' figures. */
async function reportOf(
  clientId: string | null,
  operation: string,
  borderPoints: string[],
  documents: { documentOutcomes?: unknown[]; documentDays?: unknown[] } = {},
) {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    [GATEWAY_CREDENTIAL_HEADER]: DEV_GATEWAY_CREDENTIAL,
  };
  if (clientId) headers.authorization = `Bearer ${await hub.token(clientId)}`;
  const response = await fetch(hub.hub.subgraphs.notices.url, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on OperationReport { ${FIGURES} } } }`,
      variables: {
        r: [
          {
            __typename: 'OperationReport',
            id: reportKey({ operation, borderPoints }),
            documentOutcomes: [],
            documentDays: [],
            ...documents,
          },
        ],
      },
    }),
  });
  const body = (await response.json()) as { data?: { _entities: unknown[] }; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data?._entities[0];
}

/** The figures as the rows give them, counted here with plain SQL for comparison. */
async function expectedFromRows(operation: string, borderPoints: string[], visibleNotice: string) {
  const screened = await db.query(
    `SELECT count(*)::int AS n FROM notices.operation_screenings
      WHERE operation_code = $1 AND border_point_code = ANY ($2)`,
    [operation, borderPoints],
  );
  const matches = (
    await db.query(
      `SELECT n.type, h.outcome, to_char(h.reported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day
         FROM notices.notice_hits h JOIN notices.notices n ON n.id = h.notice_id
        WHERE h.operation_code = $1 AND h.border_point_code = ANY ($2) AND ${visibleNotice}`,
      [operation, borderPoints],
    )
  ).rows as { type: string; outcome: string | null; day: string }[];
  const tally = (values: (string | null)[]) => {
    const counts = new Map<string, number>();
    for (const value of values) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
    return counts;
  };
  return { screened: screened.rows[0].n as number, matches, tally };
}

describe('LIONFISH-2026-MRS, the seeded closed operation', () => {
  test('the General Secretariat’s view: every figure matches the rows, travel-documents’ figures merged in', async () => {
    const { screened, matches, tally } = await expectedFromRows(LIONFISH, ['FRMRS'], 'true');
    expect(screened).toBeGreaterThan(500);
    expect(matches.length).toBe(13);
    const documentOutcomes = [
      { outcome: 'ARRESTED', count: 2 },
      { outcome: 'DOCUMENT_SEIZED', count: 5 },
    ];
    const firstDay = [...new Set(matches.map((m) => m.day))].sort()[0];
    const documentDays = [
      { day: '2026-08-31', documentsChecked: 4, documentHits: 0 },
      { day: firstDay, documentsChecked: 120, documentHits: 3 },
    ];
    const report = await reportOf('gs-admin', LIONFISH, ['FRMRS'], { documentOutcomes, documentDays });

    const byType = [...tally(matches.map((m) => m.type))]
      .map(([type, count]) => ({ type, count }))
      .sort((a, b) => b.count - a.count || (a.type < b.type ? -1 : 1));
    const outcomes = tally([...matches.map((m) => m.outcome)]);
    for (const { outcome, count } of documentOutcomes)
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + count);
    const days = new Map<
      string,
      { day: string; documentsChecked: number; documentHits: number; noticeMatches: number }
    >();
    for (const d of documentDays) days.set(d.day, { ...d, noticeMatches: 0 });
    for (const [day, count] of tally(matches.map((m) => m.day)))
      days.set(day, { day, documentsChecked: 0, documentHits: 0, ...days.get(day), noticeMatches: count });
    expect(report).toEqual({
      personsScreened: screened,
      noticeMatches: { total: 13, byType },
      outcomes: [...outcomes]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([outcome, count]) => ({ outcome, count })),
      byDay: [...days.values()].sort((a, b) => (a.day < b.day ? -1 : 1)),
    });
    // The seed's fates: 7 outcomes recorded on notice hits, ARRESTED three times.
    expect((report as { outcomes: { outcome: string; count: number }[] }).outcomes).toContainEqual({
      outcome: 'ARRESTED',
      count: 5,
    });
  });

  test('a view without the operation’s border point counts nothing; without a token nothing is answered', async () => {
    expect(await reportOf('gs-admin', LIONFISH, [])).toEqual({
      personsScreened: 0,
      noticeMatches: { total: 0, byType: [] },
      outcomes: [],
      byDay: [],
    });
    const anonymous = await fetch(hub.hub.subgraphs.notices.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [GATEWAY_CREDENTIAL_HEADER]: DEV_GATEWAY_CREDENTIAL },
      body: JSON.stringify({
        query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on OperationReport { personsScreened noticeMatches { total } } } }`,
        variables: {
          r: [
            {
              __typename: 'OperationReport',
              id: reportKey({ operation: LIONFISH, borderPoints: ['FRMRS'] }),
            },
          ],
        },
      }),
    });
    const body = (await anonymous.json()) as {
      data: { _entities: Record<string, unknown>[] };
      errors: unknown[];
    };
    expect(body.data._entities).toEqual([{ personsScreened: null, noticeMatches: null }]);
    expect(body.errors).toHaveLength(2);
  });
});

describe('an operation of this file', () => {
  let restricted: string;
  let open: string;
  beforeAll(async () => {
    const agency = async (code: string) =>
      (await db.query(`SELECT id FROM partners.agencies WHERE code = $1`, [code])).rows[0].id as string;
    const [uto, usa, frontex] = [await agency('NCB-UTO'), await agency('NCB-USA'), await agency('FRONTEX')];
    const notice = async (type: string, owner: string, country: string, excluded: string[]) =>
      (
        await db.query(
          `INSERT INTO notices.notices (control_number, type, status, title, owner_agency_id, owner_country,
                                        subject_surname, review_date, published_at, excluded_countries)
           VALUES ($1, $2, 'PUBLISHED', 'Report test', $3, $4, 'REPORTTEST', '2031-01-01', now(), $5)
           RETURNING id`,
          [`T-${type}-${Math.random().toString(36).slice(2, 10)}`, type, owner, country, excluded],
        )
      ).rows[0].id as string;
    // NCB Washington keeps this RED notice from France.
    restricted = await notice('RED', usa, 'USA', ['FRA']);
    open = await notice('BLUE', uto, 'UTO', []);
    const hit = (noticeId: string, owner: string, point: string, outcome: string | null) =>
      db.query(
        `INSERT INTO notices.notice_hits (id, notice_id, owner_agency_id, reported_by_client, reported_by_agency_id,
                                          reported_at, operation_code, border_point_code, status, outcome)
         VALUES (gen_random_uuid(), $1, $2, 'frontex', $3, '2026-10-02T10:00:00Z', $4, $5, $6, $7)`,
        [noticeId, owner, frontex, TEST_OPERATION, point, outcome ? 'CONFIRMED' : 'PENDING', outcome],
      );
    await hit(restricted, usa, 'TST-A', 'ARRESTED');
    await hit(open, uto, 'TST-A', 'REFUSED_ENTRY');
    await hit(open, uto, 'TST-B', null);
    await db.query(
      `INSERT INTO notices.operation_screenings (operation_code, border_point_code, screened_at, screened_by_client,
                                                 screened_by_agency_id)
       SELECT $1, point, '2026-10-02T09:00:00Z', 'frontex', $2 FROM unnest(ARRAY['TST-A', 'TST-A', 'TST-B']) point`,
      [TEST_OPERATION, frontex],
    );
  });

  test('the counts follow the view’s border points', async () => {
    expect(await reportOf('gs-admin', TEST_OPERATION, ['TST-A', 'TST-B'])).toEqual({
      personsScreened: 3,
      noticeMatches: {
        total: 3,
        byType: [
          { type: 'BLUE', count: 2 },
          { type: 'RED', count: 1 },
        ],
      },
      outcomes: [
        { outcome: 'ARRESTED', count: 1 },
        { outcome: 'REFUSED_ENTRY', count: 1 },
      ],
      byDay: [{ day: '2026-10-02', documentsChecked: 0, documentHits: 0, noticeMatches: 3 }],
    });
    expect(await reportOf('gs-admin', TEST_OPERATION, ['TST-B'])).toEqual({
      personsScreened: 1,
      noticeMatches: { total: 1, byType: [{ type: 'BLUE', count: 1 }] },
      outcomes: [],
      byDay: [{ day: '2026-10-02', documentsChecked: 0, documentHits: 0, noticeMatches: 1 }],
    });
  });

  test('a match on a notice restricted away from the reader is not counted in its view; its owner counts it', async () => {
    const fra = await reportOf('ncb-fra', TEST_OPERATION, ['TST-A']);
    expect(fra).toEqual({
      personsScreened: 2,
      noticeMatches: { total: 1, byType: [{ type: 'BLUE', count: 1 }] },
      outcomes: [{ outcome: 'REFUSED_ENTRY', count: 1 }],
      byDay: [{ day: '2026-10-02', documentsChecked: 0, documentHits: 0, noticeMatches: 1 }],
    });
    const usa = await reportOf('ncb-usa', TEST_OPERATION, ['TST-A']);
    expect(usa).toMatchObject({
      noticeMatches: {
        total: 2,
        byType: [
          { type: 'BLUE', count: 1 },
          { type: 'RED', count: 1 },
        ],
      },
      outcomes: [
        { outcome: 'ARRESTED', count: 1 },
        { outcome: 'REFUSED_ENTRY', count: 1 },
      ],
    });
    expect(open).toBeDefined();
  });
});
