import type pg from 'pg';
import { requestDemoToken } from '../hub/demo-token';
import { parseContractExample } from '../gateway/explorer/examples';
import { readContract } from './contract';
import { withTestHubAndDatabase, type TestHub } from './hub';
import { graphqlWithToken } from './tokens';

/**
 * The operations that joined the contract with border-security operations (test/contract/operation-check,
 * screening-match, record-outcome and operation-report .graphql), each sent exactly as written, with the variables
 * of its comment (placeholders such as "<a confirmed hit>" filled in), through the gateway, as the caller its
 * comment names, with the tokens the token endpoint issues. What each comment expects is asserted on whole
 * responses; the report's figures are compared with rows counted here. The seeded CLOSED LIONFISH-2026-MRS is the
 * report's operation: no test adds rows to it (its window is over, so every check in its context is refused).
 */
let hub: TestHub;
let db: pg.Client;
// The hub's clock runs with the wall clock, moved forward where a test needs an operation's window to have ended.
let clockOffsetMs = 0;
withTestHubAndDatabase((started) => ({ hub, db } = started), {
  clock: () => new Date(Date.now() + clockOffsetMs),
});

const STOP = 'STOP-2026-CDG';
const LIONFISH = 'LIONFISH-2026-MRS';

/** A contract file's operation text and the variables of its comment. */
function contract(file: string): { query: string; variables: Record<string, unknown> } {
  const query = readContract(file);
  const { variables } = parseContractExample(file, query);
  return { query, variables: JSON.parse(variables) as Record<string, unknown> };
}

async function send(
  clientId: string,
  file: string,
  fill: (variables: Record<string, unknown>) => void = () => {},
) {
  const { query, variables } = contract(file);
  fill(variables);
  return (await hub.graphql(clientId, query, variables)).body;
}

const agencies = new Map<string, string>();
const agency = (code: string) => agencies.get(code) as string;

const baseUrl = () => hub.hub.gatewayUrl.replace(/\/graphql$/, '');

/** A demo client's token issued now (the test hub caches earlier ones, which hold no grant of this file's operations). */
async function freshToken(clientId: string): Promise<string> {
  const answer = await requestDemoToken(baseUrl(), clientId);
  if (!answer.access_token) throw new Error(JSON.stringify(answer));
  return answer.access_token;
}

async function clientToken(clientId: string, secret: string) {
  const issued = await fetch(`${baseUrl()}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: secret,
    }),
  });
  return (await issued.json()) as { access_token?: string; scope?: string; error?: string };
}

/** Plans and activates an operation of this file as the General Secretariat (its coordinator). */
async function activeOperation(input: Record<string, unknown>) {
  const started = Date.now();
  const planned = await hub.graphql(
    'gs-admin',
    `mutation($input: PlanOperationInput!) { planOperation(input: $input) { code status } }`,
    {
      input: {
        name: `Contract-next ${String(input.code)}`,
        kind: 'HAWK',
        purpose: 'Testing the contract-next operations',
        startsAt: new Date(started - 86_400_000).toISOString(),
        endsAt: new Date(started + 10 * 86_400_000).toISOString(),
        grantedScopes: ['sltd:check', 'notices:screen'],
        ...input,
      },
    },
  );
  expect(planned.body).toEqual({ data: { planOperation: { code: input.code, status: 'PLANNED' } } });
  expect(
    (
      await hub.graphql(
        'gs-admin',
        `mutation { activateOperation(code: "${String(input.code)}") { status } }`,
      )
    ).body,
  ).toEqual({ data: { activateOperation: { status: 'ACTIVE' } } });
}

beforeAll(async () => {
  const { rows } = await db.query<{ code: string; id: string }>('SELECT code, id FROM partners.agencies');
  for (const row of rows) agencies.set(row.code, row.id);
});

const badInput = (path: string[], field: string, reason: string) => ({
  message: expect.any(String),
  path,
  extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', problems: [{ field, reason }] }),
});

describe('OperationCheck (operation-check.graphql) as frontex in STOP-2026-CDG', () => {
  let hitId: string;

  test('the specimen at FRCDG-T2: HIT, the hit carrying the border point (named by partner-agencies) and the operation', async () => {
    const body = await send('frontex', 'operation-check.graphql');
    hitId = (body.data?.checkDocuments as { hit: { id: string } }[])[0].hit.id;
    const point = await db.query(`SELECT name FROM partners.border_points WHERE code = 'FRCDG-T2'`);
    expect(body).toEqual({
      data: {
        checkDocuments: [
          {
            verdict: 'HIT',
            problems: [],
            document: {
              issuingCountry: 'UTO',
              documentNumber: 'L898902C3',
              sltdRecord: { status: 'STOLEN', documentType: 'PASSPORT' },
            },
            hit: {
              id: hitId,
              status: 'PENDING',
              borderPoint: { code: 'FRCDG-T2', name: point.rows[0].name },
              operation: { code: STOP },
            },
          },
        ],
      },
    });
    expect(
      (
        await db.query(
          `SELECT checked_by_client, operation_code, border_point_code, status FROM sltd.hits WHERE id = $1`,
          [hitId],
        )
      ).rows,
    ).toEqual([
      {
        checked_by_client: 'frontex',
        operation_code: STOP,
        border_point_code: 'FRCDG-T2',
        status: 'PENDING',
      },
    ]);
  });

  test('another border point, or an operation that is not ACTIVE, is refused naming the context field', async () => {
    const refused = (context: Record<string, string>) =>
      send('frontex', 'operation-check.graphql', (v) => (v.context = context));
    expect(await refused({ operation: STOP, borderPoint: 'FRMRS' })).toEqual({
      data: { checkDocuments: null },
      errors: [
        badInput(['checkDocuments'], 'context.borderPoint', `is not one of the border points of ${STOP}`),
      ],
    });
    expect(await refused({ operation: LIONFISH, borderPoint: 'FRMRS' })).toEqual({
      data: { checkDocuments: null },
      errors: [
        badInput(
          ['checkDocuments'],
          'context.operation',
          'is not an ACTIVE operation your agency takes part in',
        ),
      ],
    });
  });

  describe('RecordOutcome (record-outcome.graphql) on that hit', () => {
    const record = (clientId: string) => send(clientId, 'record-outcome.graphql', (v) => (v.hitId = hitId));

    test('while PENDING, its owner (NCB Utopia) is refused: confirm it first', async () => {
      expect(await record('ncb-uto')).toEqual({
        data: { recordOutcome: null },
        errors: [
          {
            message: expect.any(String),
            path: ['recordOutcome'],
            extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
          },
        ],
      });
      expect((await db.query(`SELECT status, outcome FROM sltd.hits WHERE id = $1`, [hitId])).rows).toEqual([
        { status: 'PENDING', outcome: null },
      ]);
    });

    test('confirmed, its owner records ARRESTED with its time; another owner (NCB Paris) gets NOT_FOUND', async () => {
      const confirmed = await hub.graphql(
        'ncb-uto',
        'mutation($id: ID!) { confirmHit(id: $id, outcome: CONFIRMED) { id status } }',
        { id: hitId },
      );
      expect(confirmed.body).toEqual({ data: { confirmHit: { id: hitId, status: 'CONFIRMED' } } });

      expect(await record('ncb-fra')).toEqual({
        data: { recordOutcome: null },
        errors: [
          {
            message: expect.any(String),
            path: ['recordOutcome'],
            extensions: expect.objectContaining({ code: 'NOT_FOUND' }),
          },
        ],
      });
      expect((await db.query(`SELECT outcome FROM sltd.hits WHERE id = $1`, [hitId])).rows).toEqual([
        { outcome: null },
      ]);

      const body = await record('ncb-uto');
      const row = (
        await db.query<{ outcome: string; outcome_at: Date; outcome_note: string }>(
          `SELECT outcome, outcome_at, outcome_note FROM sltd.hits WHERE id = $1`,
          [hitId],
        )
      ).rows[0];
      expect(body).toEqual({
        data: { recordOutcome: { id: hitId, outcome: 'ARRESTED', outcomeAt: row.outcome_at.toISOString() } },
      });
      expect(row.outcome).toBe('ARRESTED');
    });
  });
});

describe('ReportNoticeMatch (screening-match.graphql) as bp-fra', () => {
  test('the Eriksson YELLOW notice at FRCDG-T2 in STOP-2026-CDG: a PENDING NoticeHit for its requesting bureau', async () => {
    const notice = (
      await db.query<{ id: string; control_number: string }>(
        `SELECT id, control_number FROM notices.notices
          WHERE subject_surname = 'ERIKSSON' AND type = 'YELLOW' AND owner_country = 'UTO'`,
      )
    ).rows[0];
    const body = await send('bp-fra', 'screening-match.graphql', (v) => {
      (v.input as Record<string, unknown>).noticeId = notice.id;
    });
    const id = (body.data?.reportNoticeMatch as { id: string }).id;
    expect(body).toEqual({
      data: {
        reportNoticeMatch: {
          id,
          status: 'PENDING',
          notice: { controlNumber: notice.control_number, type: 'YELLOW' },
          borderPoint: { code: 'FRCDG-T2' },
          operation: { code: STOP },
        },
      },
    });
    expect(
      (
        await db.query(
          `SELECT notice_id, owner_agency_id, status, operation_code, border_point_code, reported_by_agency_id
             FROM notices.notice_hits WHERE id = $1`,
          [id],
        )
      ).rows,
    ).toEqual([
      {
        notice_id: notice.id,
        owner_agency_id: agency('NCB-UTO'),
        status: 'PENDING',
        operation_code: STOP,
        border_point_code: 'FRCDG-T2',
        reported_by_agency_id: agency('BP-FRA'),
      },
    ]);
  });
});

interface Viewer {
  clientId: string;
  agencyCode: string;
  kind: string;
  country: string | null;
}

/** shared/restrictions.ts's rule, restated here for the comparison: may `viewer` see the record aliased `r`? */
function visible(r: string, viewer: Viewer, first: number): { sql: string; params: unknown[] } {
  if (viewer.kind === 'GENERAL_SECRETARIAT') return { sql: 'true', params: [] };
  const [agencyId, country, kind] = [`$${first}`, `$${first + 1}`, `$${first + 2}`];
  return {
    sql: `(${r}.owner_agency_id = ${agencyId}::uuid OR (
      (${r}.allowed_countries IS NULL OR ${country} = ANY (${r}.allowed_countries))
      AND NOT (${country} = ANY (${r}.excluded_countries))
      AND (${r}.allowed_agency_kinds IS NULL OR ${kind} = ANY (${r}.allowed_agency_kinds))
      AND NOT (${kind} = ANY (${r}.excluded_agency_kinds))))`,
    params: [agency(viewer.agencyCode), viewer.country ?? '', viewer.kind],
  };
}

/** OperationReport's answer as the rows give it, for `viewer` over `points`, counted here with plain SQL. */
async function reportFromRows(code: string, viewer: Viewer, points: string[]) {
  const operation = (
    await db.query<{
      name: string;
      kind: string;
      status: string;
      starts_at: Date;
      ends_at: Date;
      coordinator_name: string;
      coordinator_country: string | null;
    }>(
      `SELECT o.name, o.kind, o.status, o.starts_at, o.ends_at, a.name AS coordinator_name,
              a.country AS coordinator_country
         FROM partners.operations o JOIN partners.agencies a ON a.id = o.coordinator_id WHERE o.code = $1`,
      [code],
    )
  ).rows[0];
  const participants = (
    await db.query(
      `SELECT a.name, a.country, a.kind FROM partners.operation_participants p
         JOIN partners.agencies a ON a.id = p.agency_id WHERE p.operation_code = $1 ORDER BY a.code`,
      [code],
    )
  ).rows;
  const borderPoints = (
    await db.query(
      `SELECT b.code, b.name, b.kind, b.country FROM partners.operation_border_points o
         JOIN partners.border_points b ON b.code = o.border_point_code WHERE o.operation_code = $1 ORDER BY b.code`,
      [code],
    )
  ).rows;
  const checkDays = (
    await db.query<{ day: string; documents: number }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(documents)::int AS documents FROM sltd.operation_check_days
        WHERE operation_code = $1 AND border_point_code = ANY ($2) GROUP BY 1`,
      [code, points],
    )
  ).rows;
  const records = visible('r', viewer, 3);
  const hits = (
    await db.query<{ status: string; point: string; outcome: string | null; day: string }>(
      `SELECT r.status, h.border_point_code AS point, h.outcome,
              to_char(h.checked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day
         FROM sltd.hits h JOIN sltd.records r ON r.id = h.record_id
        WHERE h.operation_code = $1 AND h.border_point_code = ANY ($2) AND ${records.sql}`,
      [code, points, ...records.params],
    )
  ).rows;
  const screened = (
    await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notices.operation_screenings
        WHERE operation_code = $1 AND border_point_code = ANY ($2)`,
      [code, points],
    )
  ).rows[0].n;
  const notices = visible('n', viewer, 3);
  const matches = (
    await db.query<{ type: string; outcome: string | null; day: string }>(
      `SELECT n.type, h.outcome, to_char(h.reported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day
         FROM notices.notice_hits h JOIN notices.notices n ON n.id = h.notice_id
        WHERE h.operation_code = $1 AND h.border_point_code = ANY ($2) AND ${notices.sql}`,
      [code, points, ...notices.params],
    )
  ).rows;

  const tally = (values: (string | null)[]) => {
    const counts = new Map<string, number>();
    for (const value of values) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
    return [...counts];
  };
  const byName =
    <T>(key: (t: T) => string) =>
    (a: T, b: T) =>
      key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
  const days = new Map<
    string,
    { day: string; documentsChecked: number; documentHits: number; noticeMatches: number }
  >();
  const dayOf = (day: string) => {
    const known = days.get(day) ?? { day, documentsChecked: 0, documentHits: 0, noticeMatches: 0 };
    days.set(day, known);
    return known;
  };
  for (const d of checkDays) dayOf(d.day).documentsChecked += d.documents;
  for (const h of hits) dayOf(h.day).documentHits += 1;
  for (const m of matches) dayOf(m.day).noticeMatches += 1;

  return {
    code,
    name: operation.name,
    kind: operation.kind,
    status: operation.status,
    startsAt: operation.starts_at.toISOString(),
    endsAt: operation.ends_at.toISOString(),
    coordinator: { name: operation.coordinator_name, country: operation.coordinator_country },
    participants,
    borderPoints,
    report: {
      documentsChecked: checkDays.reduce((sum, d) => sum + d.documents, 0),
      personsScreened: screened,
      documentHits: {
        total: hits.length,
        byStatus: tally(hits.map((h) => h.status))
          .map(([status, count]) => ({ status, count }))
          .sort(byName((s) => s.status)),
        byBorderPoint: tally(hits.map((h) => h.point))
          .map(([point, count]) => ({ borderPoint: { code: point }, count }))
          .sort(byName((p) => p.borderPoint.code)),
      },
      noticeMatches: {
        total: matches.length,
        byType: tally(matches.map((m) => m.type))
          .map(([type, count]) => ({ type, count }))
          .sort((a, b) => b.count - a.count || byName<{ type: string }>((t) => t.type)(a, b)),
      },
      outcomes: tally([...hits.map((h) => h.outcome), ...matches.map((m) => m.outcome)])
        .map(([outcome, count]) => ({ outcome, count }))
        .sort(byName((o) => o.outcome)),
      byDay: [...days.values()].sort(byName((d) => d.day)),
    },
  };
}

const GS: Viewer = { clientId: 'gs-admin', agencyCode: 'GS', kind: 'GENERAL_SECRETARIAT', country: null };
const NCB_FRA: Viewer = { clientId: 'ncb-fra', agencyCode: 'NCB-FRA', kind: 'NCB', country: 'FRA' };
const FRONTEX: Viewer = {
  clientId: 'frontex',
  agencyCode: 'FRONTEX',
  kind: 'INTERNATIONAL_PARTNER',
  country: null,
};

describe('OperationReport (operation-report.graphql) of LIONFISH-2026-MRS', () => {
  const report = (clientId: string) => send(clientId, 'operation-report.graphql', (v) => (v.code = LIONFISH));

  test.each([GS, NCB_FRA])(
    '$clientId sees the operation whole; every figure, merged from both subgraphs, matches the rows',
    async (viewer) => {
      const expected = await reportFromRows(LIONFISH, viewer, ['FRMRS']);
      expect(expected.report.documentsChecked).toBeGreaterThan(0);
      expect(expected.report.personsScreened).toBeGreaterThan(0);
      expect(expected.report.noticeMatches.total).toBeGreaterThan(0);
      expect(expected.report.documentHits.total).toBeGreaterThan(0);
      expect(await report(viewer.clientId)).toEqual({ data: { operation: expected } });
    },
  );

  test('frontex, a participant, sees the figures of its border point over the records it may see', async () => {
    const assigned = (
      await db.query<{ points: string[] | null }>(
        `SELECT border_points AS points FROM partners.operation_participants
          WHERE operation_code = $1 AND agency_id = $2`,
        [LIONFISH, agency('FRONTEX')],
      )
    ).rows[0].points;
    const expected = await reportFromRows(LIONFISH, FRONTEX, assigned ?? ['FRMRS']);
    // The seed keeps one of LIONFISH's hit records from international partners: frontex counts one hit less.
    const all = await reportFromRows(LIONFISH, GS, ['FRMRS']);
    expect(expected.report.documentHits.total).toBe(all.report.documentHits.total - 1);
    expect(await report('frontex')).toEqual({ data: { operation: expected } });
  });

  test('an outsider (ncb-usa) gets NOT_FOUND', async () => {
    expect(await report('ncb-usa')).toEqual({
      data: { operation: null },
      errors: [
        {
          message: expect.any(String),
          path: ['operation'],
          extensions: expect.objectContaining({ code: 'NOT_FOUND' }),
        },
      ],
    });
  });
});

/**
 * A team device bound to an operation (createApiClient's `operation`): its token holds no scope of its own, so
 * notices:screen and sltd:check come from the operation's grant only, in the operation's context and window.
 */
describe('notices:screen through an operation only: an operation-bound device', () => {
  const code = 'HAWK-2026-CN1';
  const SCREEN = `query($person: PersonScreeningInput!, $context: CheckContextInput) {
    screenPerson(input: $person, context: $context) { notice { id } } }`;
  const MATCH = `mutation($input: NoticeMatchInput!) {
    reportNoticeMatch(input: $input) { status borderPoint { code } operation { code } } }`;
  const person = { surname: 'Eriksson', forenames: 'Anna Maria', dateOfBirth: '1974-08-12' };
  const refused = (path: string[]) => ({
    message: 'Unauthorized field or type',
    path,
    extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
  });

  test('screens and reports a match in its operation’s context; outside it refused at the path; after the window its token is over', async () => {
    const started = Date.now();
    const planned = await hub.graphql(
      'gs-admin',
      `mutation($input: PlanOperationInput!) { planOperation(input: $input) { code status } }`,
      {
        input: {
          code,
          name: 'Contract-next device test',
          kind: 'HAWK',
          purpose: 'A device that screens only through its operation',
          startsAt: new Date(started - 86_400_000).toISOString(),
          endsAt: new Date(started + 120_000).toISOString(),
          grantedScopes: ['sltd:check', 'notices:screen'],
          borderPoints: ['FRORY'],
          participants: [{ agencyId: agency('FRONTEX') }],
        },
      },
    );
    expect(planned.body).toEqual({ data: { planOperation: { code, status: 'PLANNED' } } });
    expect(
      (await hub.graphql('gs-admin', `mutation { activateOperation(code: "${code}") { status } }`)).body,
    ).toEqual({ data: { activateOperation: { status: 'ACTIVE' } } });
    const created = await hub.graphql(
      'gs-admin',
      `mutation($a: ID!, $op: String) { createApiClient(agencyId: $a, clientId: "test-cn-device", operation: $op) { clientSecret } }`,
      { a: agency('FRONTEX'), op: code },
    );
    const secret = (created.body.data?.createApiClient as { clientSecret: string }).clientSecret;
    const deviceToken = async () => {
      const issued = await fetch(`${hub.hub.gatewayUrl.replace(/\/graphql$/, '')}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: 'test-cn-device',
          client_secret: secret,
        }),
      });
      return (await issued.json()) as { access_token?: string; scope?: string; error?: string };
    };
    const answer = await deviceToken();
    expect(answer.scope).toBe('');
    const token = answer.access_token as string;
    const as = async (query: string, variables: Record<string, unknown>) =>
      (await graphqlWithToken(hub, token, query, variables)).body;
    const eriksson = (
      await db.query<{ id: string }>(
        `SELECT id FROM notices.notices WHERE subject_surname = 'ERIKSSON' AND type = 'YELLOW' AND owner_country = 'UTO'`,
      )
    ).rows[0].id;
    const context = { operation: code, borderPoint: 'FRORY' };
    const match = { noticeId: eriksson, ...context };

    // In the operation's context: the screening is answered and counted, the match reported.
    expect(await as(SCREEN, { person, context })).toEqual({
      data: { screenPerson: expect.arrayContaining([{ notice: { id: eriksson } }]) },
    });
    expect(
      (
        await db.query(
          `SELECT border_point_code, screened_by_client FROM notices.operation_screenings WHERE operation_code = $1`,
          [code],
        )
      ).rows,
    ).toEqual([{ border_point_code: 'FRORY', screened_by_client: 'test-cn-device' }]);
    expect(await as(MATCH, { input: match })).toEqual({
      data: {
        reportNoticeMatch: { status: 'PENDING', borderPoint: { code: 'FRORY' }, operation: { code } },
      },
    });

    // Outside it: no context, or another operation (its agency's STOP grant is not the device's).
    const stop = { operation: STOP, borderPoint: 'FRCDG-T2' };
    for (const outside of [undefined, stop]) {
      expect(await as(SCREEN, { person, context: outside })).toEqual({
        data: null,
        errors: [refused(['screenPerson'])],
      });
    }
    for (const input of [{ noticeId: eriksson }, { noticeId: eriksson, ...stop }])
      expect(await as(MATCH, { input })).toEqual({ data: null, errors: [refused(['reportNoticeMatch'])] });

    // Three minutes on, past the window: the device's token ended with it, and no new one is issued.
    clockOffsetMs = 180_000;
    try {
      const expired = {
        errors: [{ message: 'The access token has expired', extensions: { code: 'UNAUTHENTICATED' } }],
      };
      expect(await as(SCREEN, { person, context })).toEqual(expired);
      expect(await as(MATCH, { input: match })).toEqual(expired);
      expect((await deviceToken()).error).toBe('invalid_grant');
    } finally {
      clockOffsetMs = 0;
    }
    expect(
      (await db.query(`SELECT count(*)::int AS n FROM notices.notice_hits WHERE operation_code = $1`, [code]))
        .rows,
    ).toEqual([{ n: 1 }]);
  });
});

describe('OperationReport of an operation where frontex holds one of two border points', () => {
  const code = 'HAWK-2026-CN2';

  test('frontex’s view counts FRNCE only; the coordinator (General Secretariat) counts both', async () => {
    await activeOperation({
      code,
      borderPoints: ['FRORY', 'FRNCE'],
      participants: [
        { agencyId: agency('FRONTEX'), borderPoints: ['FRNCE'] },
        { agencyId: agency('BP-FRA') },
      ],
    });
    const { query, variables } = contract('operation-check.graphql');
    const checkAt = async (clientId: string, borderPoint: string) => {
      const body = (
        await graphqlWithToken(hub, await freshToken(clientId), query, {
          ...variables,
          context: { operation: code, borderPoint },
        })
      ).body;
      expect(body.errors).toBeUndefined();
    };
    await checkAt('bp-fra', 'FRORY');
    await checkAt('bp-fra', 'FRORY');
    await checkAt('bp-fra', 'FRNCE');
    await checkAt('frontex', 'FRNCE');

    const report = contract('operation-report.graphql').query;
    const frontex = await reportFromRows(code, FRONTEX, ['FRNCE']);
    const all = await reportFromRows(code, GS, ['FRNCE', 'FRORY']);
    expect(frontex.report.documentsChecked).toBe(2);
    expect(all.report.documentsChecked).toBe(4);
    expect(all.report.documentHits.byBorderPoint).toEqual([
      { borderPoint: { code: 'FRNCE' }, count: 2 },
      { borderPoint: { code: 'FRORY' }, count: 2 },
    ]);
    expect((await graphqlWithToken(hub, await freshToken('frontex'), report, { code })).body).toEqual({
      data: { operation: frontex },
    });
    expect((await hub.graphql('gs-admin', report, { code })).body).toEqual({ data: { operation: all } });
  });
});

describe('notices:screen through an operation only: an agency whose only access is the operation', () => {
  test('screens in its context until the window ends; after it, its still-running token is refused at the path', async () => {
    const code = 'HAWK-2026-CN3';
    const registered = await hub.graphql(
      'gs-admin',
      `mutation { registerAgency(input: { code: "TEST-CN-ONLY", name: "Contract-next operation-only partner", kind: INTERNATIONAL_PARTNER }) { id } }`,
    );
    const agencyId = (registered.body.data?.registerAgency as { id: string }).id;
    const created = await hub.graphql(
      'gs-admin',
      `mutation($a: ID!) { createApiClient(agencyId: $a, clientId: "test-cn-only") { clientSecret } }`,
      { a: agencyId },
    );
    const secret = (created.body.data?.createApiClient as { clientSecret: string }).clientSecret;
    await activeOperation({
      code,
      borderPoints: ['FRORY'],
      participants: [{ agencyId }],
      endsAt: new Date(Date.now() + 120_000).toISOString(),
    });
    const answer = await clientToken('test-cn-only', secret);
    expect(answer.scope).toBe('');
    const token = answer.access_token as string;
    const SCREEN = `query($person: PersonScreeningInput!, $context: CheckContextInput) {
      screenPerson(input: $person, context: $context) { notice { controlNumber } } }`;
    const person = { surname: 'Eriksson', forenames: 'Anna Maria', dateOfBirth: '1974-08-12' };
    const context = { operation: code, borderPoint: 'FRORY' };
    const inContext = (await graphqlWithToken(hub, token, SCREEN, { person, context })).body;
    expect(inContext.errors).toBeUndefined();
    expect((inContext.data?.screenPerson as unknown[]).length).toBeGreaterThan(0);
    const refused = {
      data: null,
      errors: [
        {
          message: 'Unauthorized field or type',
          path: ['screenPerson'],
          extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
        },
      ],
    };
    expect((await graphqlWithToken(hub, token, SCREEN, { person })).body).toEqual(refused);
    clockOffsetMs = 180_000;
    try {
      expect((await graphqlWithToken(hub, token, SCREEN, { person, context })).body).toEqual(refused);
    } finally {
      clockOffsetMs = 0;
    }
  });
});
