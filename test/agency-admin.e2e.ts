import pg from 'pg';
import { hashSecret } from '../subgraphs/partner-agencies/oauth/token.service';
import { startTestHub, type GraphQLResponse, type TestHub } from './hub';
import { mutationExpectations } from './mutation-expectations';
import { tableSnapshot } from './table-snapshot';
import { mintToken, requestToken } from './tokens';

/**
 * The General Secretariat administers the exchange: agencies, their agreements and API clients. Every change is
 * one transaction with its audit row; a revoked agreement or a disabled client takes effect at the next token;
 * a client secret is shown once and kept only as a slow hash. The agencies and clients here are the test's own
 * (codes TEST-ADMIN-..., client ids test-admin-...); seeded ones are only read.
 */
let hub: TestHub;
let db: pg.Client;
let fraNcb: string;
let usaNcb: string;

const { changesOf, refused, failure, invalid, unauthorized } = mutationExpectations(
  'partner-agencies',
  'partners',
  () => ({
    hub,
    db,
  }),
);

beforeAll(async () => {
  hub = await startTestHub();
  db = new pg.Client({ connectionString: hub.databaseUrl });
  await db.connect();
  const agencies = await db.query(
    `SELECT code, id FROM partners.agencies WHERE code IN ('NCB-FRA', 'NCB-USA')`,
  );
  const id = (code: string) => agencies.rows.find((row) => row.code === code).id as string;
  fraNcb = id('NCB-FRA');
  usaNcb = id('NCB-USA');
});
afterAll(async () => {
  await db.end();
  await hub.stop();
});

const REGISTER = `mutation RegisterAgency($input: RegisterAgencyInput!) {
  registerAgency(input: $input) { id code name kind country } }`;
const GRANT = `mutation GrantAgreement($agencyId: ID!, $scopes: [String!]!, $validFrom: DateTimeISO, $validUntil: DateTimeISO) {
  grantAgreement(agencyId: $agencyId, scopes: $scopes, validFrom: $validFrom, validUntil: $validUntil) {
    id scopes validFrom validUntil revokedAt } }`;
const REVOKE = `mutation RevokeAgreement($id: ID!, $reason: String!) { revokeAgreement(id: $id, reason: $reason) { id revokedAt } }`;
const CREATE_CLIENT = `mutation CreateApiClient($agencyId: ID!, $clientId: String!, $description: String) {
  createApiClient(agencyId: $agencyId, clientId: $clientId, description: $description) { clientId clientSecret } }`;
const ROTATE = `mutation RotateClientSecret($clientId: String!) { rotateClientSecret(clientId: $clientId) { clientId clientSecret } }`;
const DISABLE = `mutation DisableApiClient($clientId: String!) {
  disableApiClient(clientId: $clientId) { clientId description createdAt disabledAt agency { id code } } }`;

async function graphqlWithToken(token: string, query: string): Promise<GraphQLResponse> {
  const response = await fetch(hub.hub.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse['body'] };
}

async function gs<T>(query: string, variables: Record<string, unknown>, field: string): Promise<T> {
  const response = await hub.graphql('gs-admin', query, variables);
  expect(response.body.errors).toBeUndefined();
  return response.body.data?.[field] as T;
}

let agencyCount = 0;
/** A fresh international partner of the test's own. */
async function partner(): Promise<string> {
  agencyCount += 1;
  const agency = await gs<{ id: string }>(
    REGISTER,
    {
      input: {
        code: `TEST-ADMIN-P${agencyCount}`,
        name: `Test partner ${agencyCount}`,
        kind: 'INTERNATIONAL_PARTNER',
      },
    },
    'registerAgency',
  );
  return agency.id;
}

describe('who administers', () => {
  test.each([
    ['registerAgency', REGISTER, { input: { code: 'TEST-ADMIN-X', name: 'X', kind: 'PRIVATE_PARTNER' } }],
    ['grantAgreement', GRANT, { agencyId: '00000000-0000-4000-8000-000000000000', scopes: ['sltd:check'] }],
    ['revokeAgreement', REVOKE, { id: '00000000-0000-4000-8000-000000000000', reason: 'x' }],
    [
      'createApiClient',
      CREATE_CLIENT,
      { agencyId: '00000000-0000-4000-8000-000000000000', clientId: 'test-admin-x' },
    ],
    ['rotateClientSecret', ROTATE, { clientId: 'ncb-usa' }],
    ['disableApiClient', DISABLE, { clientId: 'ncb-usa' }],
  ])(
    '%s needs agencies:admin: a national bureau gets null and an error at its path',
    async (field, query, variables) => {
      expect((await refused('ncb-fra', query, variables)).body).toEqual(unauthorized(field));
    },
  );

  test('agencies:admin outside the General Secretariat: no token carries it, and a token claiming it gets nothing', async () => {
    // An agreement the API would refuse to grant, written directly, as a misconfiguration (or an agreement made
    // before the kind policy) would: the token endpoint leaves the scope out, so this agency gets no token at all.
    const agency = await partner();
    await db.query(`INSERT INTO partners.agreements (agency_id, scopes) VALUES ($1, '{agencies:admin}')`, [
      agency,
    ]);
    await db.query(
      `INSERT INTO partners.api_clients (client_id, agency_id, secret_hash) VALUES ($1, $2, $3)`,
      ['test-admin-intruder', agency, await hashSecret('intruder-secret')],
    );
    const token = await requestToken(hub, 'test-admin-intruder', 'intruder-secret');
    expect(token).toEqual({
      status: 400,
      body: { error: 'invalid_scope', error_description: 'The agency has no active data-sharing agreement' },
    });
    // A token that claims it anyway (an external issuer's, signed with a trusted key) loses it on verification.
    const forged = await mintToken({
      clientId: 'test-admin-intruder',
      agencyId: agency,
      agencyKind: 'INTERNATIONAL_PARTNER',
      country: null,
      scopes: ['agencies:admin'],
    });
    const before = await tableSnapshot(db, ['partners']);
    const response = await graphqlWithToken(
      forged,
      'mutation { disableApiClient(clientId: "ncb-usa") { clientId } }',
    );
    expect(response.body).toEqual(unauthorized('disableApiClient'));
    expect(await tableSnapshot(db, ['partners'])).toEqual(before);
  });
});

describe('registerAgency', () => {
  test('a national entity authorised by its NCB: registered, audited', async () => {
    const input = {
      code: 'test-admin-customs-fra',
      name: 'Direction générale des douanes (test)',
      kind: 'NATIONAL_ENTITY',
      country: 'fra',
      authorisedBy: fraNcb,
    };
    const response = await hub.graphql('gs-admin', REGISTER, { input });
    const id = (response.body.data?.registerAgency as { id: string }).id;
    expect(response.body).toEqual({
      data: {
        registerAgency: {
          id,
          code: 'TEST-ADMIN-CUSTOMS-FRA',
          name: 'Direction générale des douanes (test)',
          kind: 'NATIONAL_ENTITY',
          country: 'FRA',
        },
      },
    });
    const row = await db.query('SELECT authorised_by, webhook_url FROM partners.agencies WHERE id = $1', [
      id,
    ]);
    expect(row.rows).toEqual([{ authorised_by: fraNcb, webhook_url: null }]);
    expect(await changesOf(id)).toEqual([
      {
        action: 'CREATE',
        client_id: 'gs-admin',
        subgraph: 'partner-agencies',
        record_type: 'Agency',
        owner_agency_ids: [id],
        fields: ['authorisedBy', 'code', 'country', 'kind', 'name'],
        details: null,
      },
    ]);
  });

  test('an international partner needs no country', async () => {
    const response = await hub.graphql('gs-admin', REGISTER, {
      input: {
        code: 'TEST-ADMIN-UNODC',
        name: 'UN Office on Drugs and Crime (test)',
        kind: 'INTERNATIONAL_PARTNER',
      },
    });
    expect(response.body.data?.registerAgency).toMatchObject({
      kind: 'INTERNATIONAL_PARTNER',
      country: null,
    });
  });

  test.each([
    [
      'code, name and an NCB of another country',
      { code: '-bad code', name: '  ', kind: 'NATIONAL_ENTITY', country: 'FRA', authorisedBy: 'usa' },
      [
        {
          field: 'input.code',
          reason: 'must be at least 2 letters A-Z, digits or dashes, and not start with a dash',
        },
        { field: 'input.name', reason: 'is required' },
        { field: 'input.authorisedBy', reason: 'must be the NCB of FRA' },
      ],
    ],
    [
      'a short code, a long name, no ISO country, and an authoriser for an NCB',
      { code: 'X', name: 'N'.repeat(201), kind: 'NCB', country: 'France', authorisedBy: 'fra' },
      [
        {
          field: 'input.code',
          reason: 'must be at least 2 letters A-Z, digits or dashes, and not start with a dash',
        },
        { field: 'input.name', reason: 'must be at most 200 characters' },
        { field: 'input.country', reason: 'FRANCE is not an ISO 3166-1 alpha-3 country code' },
        { field: 'input.authorisedBy', reason: 'only a national entity is authorised by an NCB' },
      ],
    ],
    [
      'a second General Secretariat',
      { code: 'TEST-ADMIN-GS2', name: 'Another secretariat', kind: 'GENERAL_SECRETARIAT' },
      [{ field: 'input.kind', reason: 'the General Secretariat exists once and is not registered' }],
    ],
    [
      'an NCB without a country, whose code is too long',
      { code: 'T'.repeat(41), name: 'NCB somewhere', kind: 'NCB' },
      [
        { field: 'input.code', reason: 'must be at most 40 characters' },
        { field: 'input.country', reason: 'is required for an agency of kind NCB' },
      ],
    ],
    [
      'a national entity without its NCB, nor its country',
      { code: 'TEST-ADMIN-NE', name: 'Border guard', kind: 'NATIONAL_ENTITY' },
      [
        { field: 'input.country', reason: 'is required for an agency of kind NATIONAL_ENTITY' },
        { field: 'input.authorisedBy', reason: 'is required for a national entity: the NCB of its country' },
      ],
    ],
  ])('bad input: %s — every problem named at once, nothing written', async (_name, input, problems) => {
    const authorisedBy =
      'authorisedBy' in input ? { authorisedBy: input.authorisedBy === 'usa' ? usaNcb : fraNcb } : {};
    const response = await refused('gs-admin', REGISTER, { input: { ...input, ...authorisedBy } });
    expect(response.body).toEqual(invalid('registerAgency', problems));
  });

  test('a code already taken, in any case, or a second NCB for a country, is a conflict', async () => {
    expect(
      (
        await refused('gs-admin', REGISTER, {
          input: { code: 'bp-fra', name: 'Copy', kind: 'PRIVATE_PARTNER' },
        })
      ).body,
    ).toEqual(
      failure('registerAgency', 'CONFLICT', 'An agency with code BP-FRA already exists', {
        field: 'input.code',
      }),
    );
    expect(
      (
        await refused('gs-admin', REGISTER, {
          input: { code: 'TEST-ADMIN-NCB-FRA', name: 'Second bureau', kind: 'NCB', country: 'FRA' },
        })
      ).body,
    ).toEqual(failure('registerAgency', 'CONFLICT', 'FRA already has an NCB', { field: 'input.country' }));
  });
});

describe('grantAgreement and revokeAgreement', () => {
  test('scopes granted for a period, audited; known scopes only, and only those the agency’s kind may hold', async () => {
    const agency = await partner();
    const validUntil = new Date(Date.now() + 365 * 86_400_000).toISOString();
    const agreement = await gs<{ id: string; validFrom: string }>(
      GRANT,
      { agencyId: agency, scopes: ['sltd:check', 'alerts:read', 'sltd:check'], validUntil },
      'grantAgreement',
    );
    expect(agreement).toEqual({
      id: agreement.id,
      scopes: ['alerts:read', 'sltd:check'],
      validFrom: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      validUntil,
      revokedAt: null,
    });
    expect(await changesOf(agreement.id)).toEqual([
      {
        action: 'CREATE',
        client_id: 'gs-admin',
        subgraph: 'partner-agencies',
        record_type: 'DataSharingAgreement',
        owner_agency_ids: [agency],
        fields: ['scopes', 'validFrom', 'validUntil'],
        details: { scopes: ['alerts:read', 'sltd:check'] },
      },
    ]);

    const validFrom = '2027-01-01T00:00:00.000Z';
    const bad = await refused('gs-admin', GRANT, {
      agencyId: agency,
      scopes: ['alerts:read', 'alerts:fly', 'agencies:admin', 'notices:publish'],
      validFrom,
      validUntil: '2026-12-31T00:00:00.000Z',
    });
    expect(bad.body).toEqual(
      invalid('grantAgreement', [
        { field: 'scopes.1', reason: 'alerts:fly is not a known scope' },
        {
          field: 'scopes.2',
          reason:
            'agencies:admin may not be granted to an agency of kind INTERNATIONAL_PARTNER: the exchange is administered by the General Secretariat only',
        },
        {
          field: 'scopes.3',
          reason:
            'notices:publish may not be granted to an agency of kind INTERNATIONAL_PARTNER: publication is the General Secretariat’s review',
        },
        { field: 'validUntil', reason: 'must be after validFrom' },
      ]),
    );
    const past = await refused('gs-admin', GRANT, {
      agencyId: agency,
      scopes: [],
      validFrom: '2020-01-01T00:00:00.000Z',
      validUntil: '2021-01-01T00:00:00.000Z',
    });
    expect(past.body).toEqual(
      invalid('grantAgreement', [
        { field: 'scopes', reason: 'must list at least one scope' },
        { field: 'validUntil', reason: 'must be in the future' },
      ]),
    );
    for (const agencyId of ['00000000-0000-4000-8000-000000000000', 'NCB-FRA']) {
      expect((await refused('gs-admin', GRANT, { agencyId, scopes: ['sltd:check'] })).body).toEqual(
        failure('grantAgreement', 'NOT_FOUND', 'Agency not found'),
      );
    }
  });

  test('a revoked agreement: tokens issued after it lack its scopes; one issued before works until it expires', async () => {
    const agency = await partner();
    await gs(GRANT, { agencyId: agency, scopes: ['sltd:check'] }, 'grantAgreement');
    const alerts = await gs<{ id: string }>(
      GRANT,
      { agencyId: agency, scopes: ['alerts:read'] },
      'grantAgreement',
    );
    const client = await gs<{ clientSecret: string }>(
      CREATE_CLIENT,
      { agencyId: agency, clientId: 'test-admin-revoked' },
      'createApiClient',
    );
    const before = await requestToken(hub, 'test-admin-revoked', client.clientSecret);
    expect(before.body.scope).toBe('alerts:read sltd:check');
    const READ_ALERTS = '{ documentAlerts(first: 1) { totalCount } }';
    expect((await graphqlWithToken(before.body.access_token, READ_ALERTS)).body).toEqual({
      data: { documentAlerts: { totalCount: expect.any(Number) } },
    });

    const revoked = await gs<{ id: string; revokedAt: string }>(
      REVOKE,
      { id: alerts.id, reason: 'Agreement ended' },
      'revokeAgreement',
    );
    expect(revoked).toEqual({ id: alerts.id, revokedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
    const row = await db.query('SELECT revocation_reason FROM partners.agreements WHERE id = $1', [
      alerts.id,
    ]);
    expect(row.rows).toEqual([{ revocation_reason: 'Agreement ended' }]);
    expect((await changesOf(alerts.id)).at(-1)).toEqual({
      action: 'WITHDRAW',
      client_id: 'gs-admin',
      subgraph: 'partner-agencies',
      record_type: 'DataSharingAgreement',
      owner_agency_ids: [agency],
      fields: ['revokedAt'],
      details: { reason: 'Agreement ended' },
    });

    const after = await requestToken(hub, 'test-admin-revoked', client.clientSecret);
    expect(after.body.scope).toBe('sltd:check');
    expect((await graphqlWithToken(after.body.access_token, READ_ALERTS)).body).toEqual(
      unauthorized('documentAlerts'),
    );
    // The token issued before the revocation keeps its scopes until it expires (TOKEN_TTL_SECONDS, minutes).
    expect((await graphqlWithToken(before.body.access_token, READ_ALERTS)).body).toEqual({
      data: { documentAlerts: { totalCount: expect.any(Number) } },
    });

    expect((await refused('gs-admin', REVOKE, { id: alerts.id, reason: 'again' })).body).toEqual(
      failure('revokeAgreement', 'CONFLICT', 'The agreement was already revoked', { field: 'id' }),
    );
    expect((await refused('gs-admin', REVOKE, { id: alerts.id, reason: '' })).body).toEqual(
      invalid('revokeAgreement', [{ field: 'reason', reason: 'is required' }]),
    );
    expect(
      (await refused('gs-admin', REVOKE, { id: '00000000-0000-4000-8000-000000000000', reason: 'x' })).body,
    ).toEqual(failure('revokeAgreement', 'NOT_FOUND', 'Data-sharing agreement not found'));
  });
});

describe('API clients', () => {
  test('created with a secret shown once and stored only as its argon2 hash; audited', async () => {
    const agency = await partner();
    await gs(GRANT, { agencyId: agency, scopes: ['sltd:check'] }, 'grantAgreement');
    const response = await hub.graphql('gs-admin', CREATE_CLIENT, {
      agencyId: agency,
      clientId: 'test-admin-client',
      description: 'Check-in desks',
    });
    const secret = (response.body.data?.createApiClient as { clientSecret: string }).clientSecret;
    expect(response.body).toEqual({
      data: {
        createApiClient: {
          clientId: 'test-admin-client',
          clientSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        },
      },
    });
    const row = await db.query(
      `SELECT agency_id, description, secret_hash, disabled_at FROM partners.api_clients WHERE client_id = $1`,
      ['test-admin-client'],
    );
    expect(row.rows).toEqual([
      {
        agency_id: agency,
        description: 'Check-in desks',
        secret_hash: expect.stringMatching(/^\$argon2id\$/),
        disabled_at: null,
      },
    ]);
    expect(row.rows[0].secret_hash).not.toContain(secret);
    expect(await changesOf('test-admin-client')).toEqual([
      {
        action: 'CREATE',
        client_id: 'gs-admin',
        subgraph: 'partner-agencies',
        record_type: 'ApiClient',
        owner_agency_ids: [agency],
        fields: ['clientId', 'description', 'secret'],
        details: null,
      },
    ]);
    const token = await requestToken(hub, 'test-admin-client', secret);
    expect(token).toMatchObject({ status: 200, body: { token_type: 'Bearer', scope: 'sltd:check' } });
  });

  test('bad client ids and descriptions are named; a taken id is a conflict; an unknown agency not found', async () => {
    const agency = await partner();
    expect(
      (
        await refused('gs-admin', CREATE_CLIENT, {
          agencyId: agency,
          clientId: 'Bad_Id',
          description: 'D'.repeat(201),
        })
      ).body,
    ).toEqual(
      invalid('createApiClient', [
        {
          field: 'clientId',
          reason: 'must be 2 to 63 lower-case letters, digits or dashes, and not start with a dash',
        },
        { field: 'description', reason: 'must be at most 200 characters' },
      ]),
    );
    expect(
      (await refused('gs-admin', CREATE_CLIENT, { agencyId: agency, clientId: 'ncb-fra' })).body,
    ).toEqual(
      failure('createApiClient', 'CONFLICT', 'The client id ncb-fra is taken', { field: 'clientId' }),
    );
    expect(
      (
        await refused('gs-admin', CREATE_CLIENT, {
          agencyId: '00000000-0000-4000-8000-000000000000',
          clientId: 'test-admin-orphan',
        })
      ).body,
    ).toEqual(failure('createApiClient', 'NOT_FOUND', 'Agency not found'));
  });

  test('a rotated secret replaces the old one at once; audited', async () => {
    const agency = await partner();
    await gs(GRANT, { agencyId: agency, scopes: ['sltd:check'] }, 'grantAgreement');
    const created = await gs<{ clientSecret: string }>(
      CREATE_CLIENT,
      { agencyId: agency, clientId: 'test-admin-rotated' },
      'createApiClient',
    );
    const rotated = await gs<{ clientId: string; clientSecret: string }>(
      ROTATE,
      { clientId: 'test-admin-rotated' },
      'rotateClientSecret',
    );
    expect(rotated.clientId).toBe('test-admin-rotated');
    expect(rotated.clientSecret).not.toBe(created.clientSecret);
    expect(await requestToken(hub, 'test-admin-rotated', created.clientSecret)).toMatchObject({
      status: 401,
      body: { error: 'invalid_client' },
    });
    expect(await requestToken(hub, 'test-admin-rotated', rotated.clientSecret)).toMatchObject({
      status: 200,
    });
    expect((await changesOf('test-admin-rotated')).map((c) => [c.action, c.fields])).toEqual([
      ['CREATE', ['clientId', 'description', 'secret']],
      ['UPDATE', ['secret']],
    ]);
    expect((await refused('gs-admin', ROTATE, { clientId: 'test-admin-nobody' })).body).toEqual(
      failure('rotateClientSecret', 'NOT_FOUND', 'API client not found'),
    );
  });

  test('a disabled client is refused by the token endpoint; it cannot be disabled or rotated again', async () => {
    const agency = await partner();
    await gs(GRANT, { agencyId: agency, scopes: ['sltd:check'] }, 'grantAgreement');
    const created = await gs<{ clientSecret: string }>(
      CREATE_CLIENT,
      { agencyId: agency, clientId: 'test-admin-disabled', description: 'Old kiosk' },
      'createApiClient',
    );
    const response = await hub.graphql('gs-admin', DISABLE, { clientId: 'test-admin-disabled' });
    expect(response.body).toEqual({
      data: {
        disableApiClient: {
          clientId: 'test-admin-disabled',
          description: 'Old kiosk',
          createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
          disabledAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
          agency: { id: agency, code: expect.stringMatching(/^TEST-ADMIN-P\d+$/) },
        },
      },
    });
    expect(await requestToken(hub, 'test-admin-disabled', created.clientSecret)).toMatchObject({
      status: 401,
      body: { error: 'invalid_client' },
    });
    expect((await changesOf('test-admin-disabled')).at(-1)).toEqual({
      action: 'WITHDRAW',
      client_id: 'gs-admin',
      subgraph: 'partner-agencies',
      record_type: 'ApiClient',
      owner_agency_ids: [agency],
      fields: ['disabledAt'],
      details: null,
    });
    for (const [field, query] of [
      ['disableApiClient', DISABLE],
      ['rotateClientSecret', ROTATE],
    ]) {
      expect((await refused('gs-admin', query, { clientId: 'test-admin-disabled' })).body).toEqual(
        failure(field, 'CONFLICT', 'The client is disabled', { field: 'clientId' }),
      );
    }
  });
});
