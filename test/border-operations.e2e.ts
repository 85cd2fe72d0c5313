import { decodeJwt } from 'jose';
import pg from 'pg';
import { requestDemoToken } from '../hub/demo-token';
import { GATEWAY_CREDENTIAL_HEADER } from '../shared/auth/gateway-credential';
import { DEV_GATEWAY_CREDENTIAL } from '../shared/subgraph/config';
import { startTestHub, type TestHub } from './hub';
import { mutationExpectations } from './mutation-expectations';
import { graphqlWithToken } from './tokens';

/**
 * Border-security operations in partner-agencies (docs/architecture.md, "Operations"): who sees an operation and
 * how much, planning and the status transitions (each one transaction, audited), and the temporary grant a
 * participant's token carries while an operation is ACTIVE and its window open. The hub's clock is moved instead
 * of waiting. Operations planned here are the file's own (codes HAWK-2026-T…); the demo ones are only read.
 */
let hub: TestHub;
let db: pg.Client;
let clockOffsetMs = 0;
const DAY = 86_400_000;
// The hub's clock stands still except where a test moves it, so windows and expiries compare exactly.
const START = Date.now();
const now = () => new Date(START + clockOffsetMs);
const ids: Record<string, string> = {};

const { changesOf, refused, invalid, failure } = mutationExpectations('partner-agencies', 'partners', () => ({
  hub,
  db,
}));

beforeAll(async () => {
  hub = await startTestHub({ clock: now });
  db = new pg.Client({ connectionString: hub.databaseUrl });
  await db.connect();
  const { rows } = await db.query<{ code: string; id: string }>('SELECT code, id FROM partners.agencies');
  for (const row of rows) ids[row.code] = row.id;
});
afterAll(async () => {
  await db.end();
  await hub.stop();
});

/** A token issued at the hub's current (moved) time: the test hub's cached ones belong to another moment. */
async function tokenNow(clientId: string, secret?: string): Promise<string> {
  const base = hub.hub.gatewayUrl.replace(/\/graphql$/, '');
  if (secret === undefined) {
    const answer = await requestDemoToken(base, clientId);
    if (!answer.access_token) throw new Error(JSON.stringify(answer));
    return answer.access_token;
  }
  const answer = await clientToken(clientId, secret);
  if (!answer.body.access_token) throw new Error(JSON.stringify(answer));
  return answer.body.access_token as string;
}

async function clientToken(clientId: string, secret: string) {
  const base = hub.hub.gatewayUrl.replace(/\/graphql$/, '');
  const response = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: secret,
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function as(clientId: string, query: string, variables?: Record<string, unknown>) {
  return (await graphqlWithToken(hub, await tokenNow(clientId), query, variables)).body;
}

const OPERATION = `query Operation($code: String!) {
  operation(code: $code) {
    code name kind status purpose startsAt endsAt grantedScopes
    coordinator { code } participants { code } borderPoints { code name kind country } report { id }
  }
}`;

const PLAN = `mutation Plan($input: PlanOperationInput!) {
  planOperation(input: $input) {
    code status grantedScopes coordinator { code } participants { code } borderPoints { code }
  }
}`;

function planInput(code: string, overrides: Record<string, unknown> = {}) {
  const start = now();
  return {
    code,
    name: `Test ${code}`,
    kind: 'HAWK',
    purpose: 'Testing operations end to end',
    startsAt: new Date(start.getTime() - DAY).toISOString(),
    endsAt: new Date(start.getTime() + 10 * DAY).toISOString(),
    grantedScopes: ['sltd:check', 'notices:screen'],
    borderPoints: ['FRORY', 'FRNCE'],
    participants: [{ agencyId: ids.FRONTEX, borderPoints: ['FRNCE'] }],
    ...overrides,
  };
}

describe('reading operations', () => {
  test('the coordinator sees the demo ACTIVE operation whole, with the report key of all its border points', async () => {
    const stop = (
      await db.query<{ starts_at: Date; ends_at: Date }>(
        `SELECT starts_at, ends_at FROM partners.operations WHERE code = 'STOP-2026-CDG'`,
      )
    ).rows[0];
    expect(await as('ncb-fra', OPERATION, { code: 'STOP-2026-CDG' })).toEqual({
      data: {
        operation: {
          code: 'STOP-2026-CDG',
          name: 'STOP 2026 — Paris Charles de Gaulle',
          kind: 'STOP',
          status: 'ACTIVE',
          purpose: expect.stringContaining('people smuggling'),
          startsAt: stop.starts_at.toISOString(),
          endsAt: stop.ends_at.toISOString(),
          grantedScopes: ['notices:screen', 'sltd:check'],
          coordinator: { code: 'NCB-FRA' },
          participants: expect.arrayContaining([{ code: 'FRONTEX' }, { code: 'BP-FRA' }]),
          borderPoints: [
            {
              code: 'FRCDG-T1',
              name: 'Paris Charles de Gaulle, terminal 1',
              kind: 'AIRPORT',
              country: 'FRA',
            },
            {
              code: 'FRCDG-T2',
              name: 'Paris Charles de Gaulle, terminal 2',
              kind: 'AIRPORT',
              country: 'FRA',
            },
          ],
          report: { id: 'STOP-2026-CDG|FRCDG-T1,FRCDG-T2' },
        },
      },
    });
  });

  test('anyone else gets null and NOT_FOUND, as for a code nobody used; without a token nothing', async () => {
    const notFound = {
      data: { operation: null },
      errors: [
        {
          message: 'Operation not found',
          path: ['operation'],
          extensions: { code: 'NOT_FOUND', serviceName: 'partner-agencies' },
        },
      ],
    };
    expect(await as('ncb-usa', OPERATION, { code: 'STOP-2026-CDG' })).toEqual(notFound);
    expect(await as('airline-demo', OPERATION, { code: 'STOP-2026-CDG' })).toEqual(notFound);
    expect(await as('ncb-usa', OPERATION, { code: 'NOPE-2026-XXX' })).toEqual(notFound);
    const anonymous = await hub.graphql(null, OPERATION, { code: 'STOP-2026-CDG' });
    expect(anonymous.body.data ?? null).toBeNull();
    expect(anonymous.body.errors?.[0].extensions?.code).toMatch(/UNAUTHORIZED_FIELD_OR_TYPE|UNAUTHENTICATED/);
  });

  test('operations lists what the caller may see, newest start first, keyset paged', async () => {
    const list = `query List($first: Int, $after: String, $filter: OperationFilter) {
      operations(first: $first, after: $after, filter: $filter) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { code status } } } }`;
    const first = await as('frontex', list, { first: 1, filter: { kind: 'STOP' } });
    expect(first).toEqual({
      data: {
        operations: {
          totalCount: 1,
          pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
          edges: [{ node: { code: 'STOP-2026-CDG', status: 'ACTIVE' } }],
        },
      },
    });
    // Other test files plan operations of their own with NCB Washington in them (the test database is shared):
    // the demo's planned one is among its PLANNED operations, and nothing of another status is.
    const usa = (await as('ncb-usa', list, { filter: { status: 'PLANNED' } })).data?.operations as {
      edges: { node: { code: string; status: string } }[];
    };
    expect(usa.edges.map((edge) => edge.node)).toContainEqual({ code: 'IMEST-2027-LAX', status: 'PLANNED' });
    expect([...new Set(usa.edges.map((edge) => edge.node.status))]).toEqual(['PLANNED']);
    const bad = await as('ncb-usa', list, { after: 'not-a-cursor' });
    expect(bad.errors?.[0]).toMatchObject({
      path: ['operations'],
      extensions: {
        code: 'BAD_USER_INPUT',
        problems: [{ field: 'after', reason: 'is not a cursor returned by this list' }],
      },
    });
  });

  test('a participant sees the report of its own border points only', async () => {
    // LIONFISH: frontex takes part at all border points (null assignment).
    expect(
      (await as('frontex', `{ operation(code: "LIONFISH-2026-MRS") { status report { id } } }`)).data,
    ).toEqual({
      operation: { status: 'CLOSED', report: { id: 'LIONFISH-2026-MRS|FRMRS' } },
    });
  });

  test('borderPoints lists by country and kind; a bad country is BAD_USER_INPUT naming it', async () => {
    expect(await as('airline-demo', `{ borderPoints(country: "USA", kind: AIRPORT) { code } }`)).toEqual({
      data: { borderPoints: [{ code: 'USJFK-T4' }, { code: 'USLAX' }, { code: 'USMIA' }] },
    });
    expect(await as('airline-demo', `{ borderPoints(country: "XX") { code } }`)).toEqual({
      data: { borderPoints: null },
      errors: [
        {
          message: 'Invalid input: country: XX is not an ISO 3166-1 alpha-3 country code',
          path: ['borderPoints'],
          extensions: {
            code: 'BAD_USER_INPUT',
            serviceName: 'partner-agencies',
            problems: [{ field: 'country', reason: 'XX is not an ISO 3166-1 alpha-3 country code' }],
          },
        },
      ],
    });
  });
});

describe('managing operations', () => {
  test('a bureau plans, activates and closes its own operation; each step audited; the grant follows', async () => {
    const code = 'HAWK-2026-T1';
    expect(await as('ncb-fra', PLAN, { input: planInput(code) })).toEqual({
      data: {
        planOperation: {
          code,
          status: 'PLANNED',
          grantedScopes: ['notices:screen', 'sltd:check'],
          coordinator: { code: 'NCB-FRA' },
          participants: [{ code: 'FRONTEX' }],
          borderPoints: [{ code: 'FRNCE' }, { code: 'FRORY' }],
        },
      },
    });
    // PLANNED grants nothing (other files' operations may give frontex grants of their own: only this one counts).
    const grantOf = async () =>
      ((decodeJwt(await tokenNow('frontex')).ops ?? []) as { code: string }[]).find(
        (grant) => grant.code === code,
      );
    expect(await grantOf()).toBeUndefined();
    const activate = `mutation { activateOperation(code: "${code}", reason: "go") { code status } }`;
    expect(await as('ncb-fra', activate)).toEqual({
      data: { activateOperation: { code, status: 'ACTIVE' } },
    });
    const endsAt = new Date(planInput(code).endsAt);
    expect(await grantOf()).toEqual({
      code,
      scopes: ['notices:screen', 'sltd:check'],
      border_points: ['FRNCE'],
      until: Math.floor(endsAt.getTime() / 1000),
    });
    // Activating again is a conflict with the current status, nothing written.
    expect((await refused('ncb-fra', activate, {})).body).toEqual(
      failure(
        'activateOperation',
        'CONFLICT',
        `Operation ${code}: the operation is ACTIVE; only PLANNED operations can be activated`,
        { field: 'code' },
      ),
    );
    const close = `mutation { closeOperation(code: "${code}") { status } }`;
    expect(await as('ncb-fra', close)).toEqual({ data: { closeOperation: { status: 'CLOSED' } } });
    expect(await grantOf()).toBeUndefined();
    expect(await changesOf(code)).toEqual([
      expect.objectContaining({
        action: 'CREATE',
        client_id: 'ncb-fra',
        record_type: 'Operation',
        owner_agency_ids: [ids['NCB-FRA']],
        details: expect.objectContaining({
          status: 'PLANNED',
          borderPoints: ['FRNCE', 'FRORY'],
          participants: [ids.FRONTEX],
        }),
      }),
      expect.objectContaining({
        action: 'UPDATE',
        fields: ['status'],
        details: { from: 'PLANNED', to: 'ACTIVE', reason: 'go' },
      }),
      expect.objectContaining({
        action: 'UPDATE',
        fields: ['status'],
        details: { from: 'ACTIVE', to: 'CLOSED' },
      }),
    ]);
  });

  test('participants and border points change while PLANNED or ACTIVE; each change audited', async () => {
    const code = 'HAWK-2026-T2';
    await as('gs-admin', PLAN, {
      input: planInput(code, { coordinatorId: ids['NCB-FRA'], participants: [] }),
    });
    const add = `mutation Add($code: String!, $p: [ParticipantInput!]!) {
      addOperationParticipants(code: $code, participants: $p) { participants { code } } }`;
    expect(await as('ncb-fra', add, { code, p: [{ agencyId: ids['BP-FRA'] }] })).toEqual({
      data: { addOperationParticipants: { participants: [{ code: 'BP-FRA' }] } },
    });
    const badPoint = await refused('ncb-fra', add, {
      code,
      p: [{ agencyId: ids.IOM, borderPoints: ['FRCDG-T1'] }],
    });
    expect(badPoint.body).toEqual(
      invalid('addOperationParticipants', [
        { field: 'participants.0.borderPoints.0', reason: 'FRCDG-T1 is not a border point of the operation' },
      ]),
    );
    const points = `mutation { addOperationBorderPoints(code: "${code}", borderPoints: ["FRCDG-T1", "frmrs"]) { borderPoints { code } } }`;
    expect(await as('ncb-fra', points)).toEqual({
      data: {
        addOperationBorderPoints: {
          borderPoints: [{ code: 'FRCDG-T1' }, { code: 'FRMRS' }, { code: 'FRNCE' }, { code: 'FRORY' }],
        },
      },
    });
    const remove = `mutation { removeOperationBorderPoints(code: "${code}", borderPoints: ["FRMRS"]) { borderPoints { code } } }`;
    expect((await as('ncb-fra', remove)).data).toEqual({
      removeOperationBorderPoints: {
        borderPoints: [{ code: 'FRCDG-T1' }, { code: 'FRNCE' }, { code: 'FRORY' }],
      },
    });
    const removeParticipant = `mutation { removeOperationParticipants(code: "${code}", agencyIds: ["${ids['BP-FRA']}"]) { participants { code } } }`;
    expect((await as('ncb-fra', removeParticipant)).data).toEqual({
      removeOperationParticipants: { participants: [] },
    });
    const window = `mutation W($input: UpdateOperationInput!) { updateOperation(code: "${code}", input: $input) { endsAt } }`;
    const endsAt = new Date(now().getTime() + 20 * DAY).toISOString();
    expect((await as('ncb-fra', window, { input: { endsAt } })).data).toEqual({
      updateOperation: { endsAt },
    });
    const tooLong = await refused('ncb-fra', window, {
      input: { endsAt: new Date(now().getTime() + 400 * DAY).toISOString() },
    });
    expect(tooLong.body).toEqual(
      invalid('updateOperation', [
        { field: 'input.endsAt', reason: 'must be at most 366 days after startsAt' },
      ]),
    );
    const changes = (await changesOf(code)).map((row) => [
      row.client_id,
      row.action,
      row.fields,
      row.details,
    ]);
    expect(changes).toEqual([
      ['gs-admin', 'CREATE', expect.any(Array), expect.objectContaining({ participants: [] })],
      [
        'ncb-fra',
        'UPDATE',
        ['participants'],
        { added: [{ agencyId: ids['BP-FRA'], borderPoints: 'ALL' }], reassigned: [] },
      ],
      ['ncb-fra', 'UPDATE', ['borderPoints'], { added: ['FRCDG-T1', 'FRMRS'] }],
      ['ncb-fra', 'UPDATE', ['borderPoints'], { removed: ['FRMRS'] }],
      ['ncb-fra', 'UPDATE', ['participants'], { removed: [ids['BP-FRA']] }],
      [
        'ncb-fra',
        'UPDATE',
        ['endsAt'],
        {
          window: {
            from: expect.objectContaining({ endsAt: expect.any(String) }),
            to: expect.objectContaining({ endsAt }),
          },
        },
      ],
    ]);
  });

  test('refusals: no scope, another bureau’s operation, a bureau naming another coordinator, bad input, a taken code', async () => {
    const noScope = await refused('frontex', PLAN, { input: planInput('HAWK-2026-T3') });
    expect(noScope.body).toEqual({
      data: null,
      errors: [
        {
          message: 'Unauthorized field or type',
          path: ['planOperation'],
          extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
        },
      ],
    });
    const foreign = await refused(
      'ncb-usa',
      `mutation { closeOperation(code: "STOP-2026-CDG") { status } }`,
      {},
    );
    expect(foreign.body).toEqual(failure('closeOperation', 'NOT_FOUND', 'Operation not found'));
    const other = await refused('ncb-usa', PLAN, {
      input: planInput('HAWK-2026-T3', { coordinatorId: ids['NCB-FRA'] }),
    });
    expect(other.body).toEqual(
      invalid('planOperation', [
        {
          field: 'input.coordinatorId',
          reason: 'a bureau plans the operations it coordinates itself: omit it or name your agency',
        },
      ]),
    );
    const bad = await refused('gs-admin', PLAN, {
      input: planInput('hawk', {
        grantedScopes: ['sltd:read'],
        borderPoints: ['FRXXXX', 'ZZZZZ'],
        endsAt: new Date(now().getTime() - 2 * DAY).toISOString(),
        participants: [],
      }),
    });
    expect(bad.body).toEqual(
      invalid('planOperation', [
        {
          field: 'input.code',
          reason:
            'must be like STOP-2026-CDG: a capital letter, letters or digits, then 1 to 4 dash-separated parts',
        },
        { field: 'input.endsAt', reason: 'must be after startsAt' },
        { field: 'input.endsAt', reason: 'must be in the future' },
        {
          field: 'input.grantedScopes.0',
          reason:
            'sltd:read is not a scope an operation grants (sltd:check, sltd:summary, notices:screen, alerts:read)',
        },
        {
          field: 'input.borderPoints.0',
          reason: 'FRXXXX is not a border point code (UN/LOCODE, e.g. FRCDG-T2)',
        },
        { field: 'input.borderPoints.1', reason: 'ZZZZZ is not a known border point' },
      ]),
    );
    const taken = await refused('gs-admin', PLAN, { input: planInput('STOP-2026-CDG') });
    expect(taken.body).toEqual(
      failure('planOperation', 'CONFLICT', 'An operation with code STOP-2026-CDG already exists', {
        field: 'input.code',
      }),
    );
  });
});

describe('operation-bound API clients', () => {
  const CREATE = `mutation C($agencyId: ID!, $clientId: String!, $operation: String) {
    createApiClient(agencyId: $agencyId, clientId: $clientId, operation: $operation) { clientId clientSecret } }`;

  test('carry only their operation’s grant, expire with its window, and are refused once it closes', async () => {
    const code = 'HAWK-2026-T4';
    const endsAt = new Date(now().getTime() + 2 * 3600_000);
    await as('gs-admin', PLAN, {
      input: planInput(code, { endsAt: endsAt.toISOString(), participants: [{ agencyId: ids.FRONTEX }] }),
    });
    const notParticipant = await as('gs-admin', CREATE, {
      agencyId: ids.IOM,
      clientId: 'test-ops-iom',
      operation: code,
    });
    expect(notParticipant.errors?.[0]).toMatchObject({
      extensions: {
        code: 'BAD_USER_INPUT',
        problems: [{ field: 'operation', reason: 'the agency does not take part in it' }],
      },
    });
    const created = await as('gs-admin', CREATE, {
      agencyId: ids.FRONTEX,
      clientId: 'test-ops-device',
      operation: code,
    });
    const secret = (created.data?.createApiClient as { clientSecret: string }).clientSecret;
    // PLANNED: no token.
    expect(await clientToken('test-ops-device', secret)).toEqual({
      status: 400,
      body: {
        error: 'invalid_grant',
        error_description: `The operation this client is bound to (${code}) is not ACTIVE with its window open, or its agency no longer takes part in it`,
      },
    });
    await as('gs-admin', `mutation { activateOperation(code: "${code}") { status } }`).then((r) =>
      expect(r).toEqual({ data: { activateOperation: { status: 'ACTIVE' } } }),
    );
    // 1 h 55 min before the window ends: the token lives 5 minutes (the test hub's lifetime)…
    clockOffsetMs = 0;
    const issued = await clientToken('test-ops-device', secret);
    expect(issued).toMatchObject({ status: 200, body: { scope: '', expires_in: 300 } });
    const claims = decodeJwt(issued.body.access_token as string);
    expect(claims.scope).toBe('');
    expect(claims.ops).toEqual([
      {
        code,
        scopes: ['notices:screen', 'sltd:check'],
        border_points: ['FRNCE', 'FRORY'],
        until: Math.floor(endsAt.getTime() / 1000),
      },
    ]);
    // …2 minutes before, it ends with the window.
    clockOffsetMs = 2 * 3600_000 - 120_000;
    const late = await clientToken('test-ops-device', secret);
    expect(late).toMatchObject({ status: 200, body: { expires_in: 120 } });
    expect(decodeJwt(late.body.access_token as string).exp).toBe(Math.floor(endsAt.getTime() / 1000));
    // It reads what any verified caller may, and nothing its agency's agreements grant.
    const token = late.body.access_token as string;
    expect((await graphqlWithToken(hub, token, `{ operation(code: "${code}") { status } }`)).body).toEqual({
      data: { operation: { status: 'ACTIVE' } },
    });
    // After the window: refused, and the refusal audited.
    clockOffsetMs = 2 * 3600_000 + 1000;
    expect((await clientToken('test-ops-device', secret)).body.error).toBe('invalid_grant');
    clockOffsetMs = 0;
    await as('gs-admin', `mutation { closeOperation(code: "${code}") { status } }`);
    expect((await clientToken('test-ops-device', secret)).body.error).toBe('invalid_grant');
    const audit = await db.query(
      `SELECT details FROM audit.entries WHERE action = 'TOKEN' AND client_id = 'test-ops-device' ORDER BY seq`,
    );
    expect(audit.rows.map((row) => [row.details.outcome, row.details.error ?? null])).toEqual([
      ['refused', 'invalid_grant'],
      ['granted', null],
      ['granted', null],
      ['refused', 'invalid_grant'],
      ['refused', 'invalid_grant'],
    ]);
  });
});

describe('temporary scopes: a check in an operation’s context', () => {
  const SPECIMEN =
    'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10';
  const CHECK = `query Check($context: CheckContextInput) {
    checkDocuments(input: [{ mrz: "${SPECIMEN.replace('\n', '\\n')}" }], context: $context) { verdict } }`;
  const refused = {
    data: null,
    errors: [
      {
        message: 'Unauthorized field or type',
        path: ['checkDocuments'],
        extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
      },
    ],
  };

  test('an operation-bound device checks in its operation’s context only, and only the check', async () => {
    const code = 'HAWK-2026-T5';
    await as('gs-admin', PLAN, {
      input: planInput(code, { borderPoints: ['FRORY'], participants: [{ agencyId: ids.FRONTEX }] }),
    });
    await as('gs-admin', `mutation { activateOperation(code: "${code}") { status } }`);
    const created = await as(
      'gs-admin',
      `mutation { createApiClient(agencyId: "${ids.FRONTEX}", clientId: "test-ops-t5", operation: "${code}") { clientSecret } }`,
    );
    const token = await tokenNow(
      'test-ops-t5',
      (created.data?.createApiClient as { clientSecret: string }).clientSecret,
    );
    const check = async (query: string, variables?: Record<string, unknown>) =>
      (await graphqlWithToken(hub, token, query, variables)).body;
    expect(await check(CHECK, { context: { operation: code, borderPoint: 'FRORY' } })).toEqual({
      data: { checkDocuments: [{ verdict: 'HIT' }] },
    });
    // The context written inline rather than through a variable counts the same.
    expect(
      await check(
        CHECK.replace('($context: CheckContextInput)', '').replace(
          '$context',
          `{ operation: "${code}", borderPoint: "FRORY" }`,
        ),
      ),
    ).toEqual({ data: { checkDocuments: [{ verdict: 'HIT' }] } });
    // No context, or another operation (its agency's STOP grant is not the device's): no sltd:check.
    expect(await check(CHECK)).toEqual(refused);
    expect(await check(CHECK, { context: { operation: 'STOP-2026-CDG', borderPoint: 'FRCDG-T1' } })).toEqual(
      refused,
    );
    // Another root field beside the check: the request gets the device's own scopes only.
    const mixed = `query($context: CheckContextInput) { me { clientId }
      checkDocuments(input: [{ mrz: "${SPECIMEN.replace('\n', '\\n')}" }], context: $context) { verdict } }`;
    expect(await check(mixed, { context: { operation: code, borderPoint: 'FRORY' } })).toEqual({
      data: { me: { clientId: 'test-ops-t5' }, checkDocuments: null },
      errors: [refused.errors[0]],
    });
    // A subgraph reached with the device's token applies the same rule itself.
    const subgraph = await fetch(hub.hub.subgraphs['travel-documents'].url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        [GATEWAY_CREDENTIAL_HEADER]: DEV_GATEWAY_CREDENTIAL,
      },
      body: JSON.stringify({ query: CHECK, variables: {} }),
    });
    expect(
      ((await subgraph.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code,
    ).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
  });

  test('an agency whose only access is an operation checks until its window ends; then it is refused', async () => {
    const code = 'HAWK-2026-T6';
    const registered = await as(
      'gs-admin',
      `mutation { registerAgency(input: { code: "TEST-OPS-ONLY", name: "Operation-only partner", kind: INTERNATIONAL_PARTNER }) { id } }`,
    );
    const agencyId = (registered.data?.registerAgency as { id: string }).id;
    const created = await as(
      'gs-admin',
      `mutation { createApiClient(agencyId: "${agencyId}", clientId: "test-ops-only") { clientSecret } }`,
    );
    const secret = (created.data?.createApiClient as { clientSecret: string }).clientSecret;
    // Nothing yet: no agreement, no operation.
    expect((await clientToken('test-ops-only', secret)).body.error).toBe('invalid_scope');
    await as('gs-admin', PLAN, {
      input: planInput(code, {
        borderPoints: ['FRORY'],
        participants: [{ agencyId }],
        endsAt: new Date(now().getTime() + 120_000).toISOString(),
      }),
    });
    await as('gs-admin', `mutation { activateOperation(code: "${code}") { status } }`);
    const token = await tokenNow('test-ops-only', secret);
    expect(decodeJwt(token).scope).toBe('');
    const context = { operation: code, borderPoint: 'FRORY' };
    expect((await graphqlWithToken(hub, token, CHECK, { context })).body).toEqual({
      data: { checkDocuments: [{ verdict: 'HIT' }] },
    });
    expect((await graphqlWithToken(hub, token, CHECK)).body).toEqual(refused);
    // Three minutes on: the token still runs (five-minute lifetime) but the grant ended with the window.
    clockOffsetMs = 180_000;
    try {
      expect((await graphqlWithToken(hub, token, CHECK, { context })).body).toEqual(refused);
      expect((await clientToken('test-ops-only', secret)).body.error).toBe('invalid_scope');
    } finally {
      clockOffsetMs = 0;
    }
  });
});
