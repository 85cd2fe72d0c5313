import pg from 'pg';
import { AGENCY_SCOPE_POLICY, scopesAllowedTo } from '../../shared/auth/agency-policy';
import { AgencyKinds, type AgencyKind } from '../../shared/auth/caller';
import { KNOWN_SCOPES } from '../../shared/auth/scopes';
import { startTestHub, type TestHub } from '../hub';
import { graphqlWithToken, mintToken, requestToken } from '../tokens';

/**
 * What each kind of agency may ever hold (shared/auth/agency-policy.ts, docs/architecture.md), generated from the
 * policy table and the scope list: every kind × every scope through `grantAgreement`; then, for every kind, an
 * agreement made before the policy (written directly) that grants every scope — `createApiClient` refuses the
 * agency, the token endpoint leaves out what the kind may not hold, and so does the verification of a token that
 * claims it anyway.
 */
let hub: TestHub;
let db: pg.Client;
const agencies = new Map<AgencyKind, { id: string; country: string | null }>();

const GRANT = `mutation($agencyId: ID!, $scopes: [String!]!) { grantAgreement(agencyId: $agencyId, scopes: $scopes) { scopes } }`;
const CREATE_CLIENT = `mutation($agencyId: ID!, $clientId: String!) {
  createApiClient(agencyId: $agencyId, clientId: $clientId) { clientId clientSecret } }`;

beforeAll(async () => {
  hub = await startTestHub();
  db = new pg.Client({ connectionString: hub.databaseUrl });
  await db.connect();
  // An agency of each kind of the test's own (the General Secretariat cannot be registered through the API, and
  // the seeded ones' agreements must stay as other tests expect them).
  for (const kind of AgencyKinds) {
    const national = kind === 'NCB' || kind === 'NATIONAL_ENTITY';
    const { rows } = await db.query(
      `INSERT INTO partners.agencies (code, name, kind, country) VALUES ($1, $2, $3, $4) RETURNING id, country`,
      [`TEST-POLICY-${kind}`, `Policy test ${kind}`, kind, national ? 'ATA' : null],
    );
    agencies.set(kind, rows[0]);
  }
});
afterAll(async () => {
  await db.end();
  await hub.stop();
});

const CELLS = AgencyKinds.flatMap((kind) => KNOWN_SCOPES.map((scope) => [kind, scope] as const));

test('the policy decides every scope for every kind, with a reason', () => {
  expect(CELLS).toHaveLength(AgencyKinds.length * KNOWN_SCOPES.length);
  for (const [kind, scope] of CELLS) expect(AGENCY_SCOPE_POLICY[scope][kind].reason).toMatch(/\w{3}/);
});

describe('grantAgreement', () => {
  test.each(CELLS)('a %s is granted %s only if the policy allows it', async (kind, scope) => {
    const agency = agencies.get(kind) as { id: string };
    const response = await hub.graphql('gs-admin', GRANT, { agencyId: agency.id, scopes: [scope] });
    const cell = AGENCY_SCOPE_POLICY[scope][kind];
    if (cell.allowed) {
      expect(response.body).toEqual({ data: { grantAgreement: { scopes: [scope] } } });
      return;
    }
    expect(response.body).toEqual({
      data: { grantAgreement: null },
      errors: [
        {
          message: expect.stringMatching(/^Invalid input: /),
          path: ['grantAgreement'],
          extensions: {
            code: 'BAD_USER_INPUT',
            serviceName: 'partner-agencies',
            problems: [
              {
                field: 'scopes.0',
                reason: `${scope} may not be granted to an agency of kind ${kind}: ${cell.reason}`,
              },
            ],
          },
        },
      ],
    });
    const saved = await db.query(
      `SELECT count(*)::int AS n FROM partners.agreements WHERE agency_id = $1 AND $2 = ANY (scopes)`,
      [agency.id, scope],
    );
    expect(saved.rows).toEqual([{ n: 0 }]);
  });
});

describe('an agreement made before the policy, granting every scope', () => {
  test.each([...AgencyKinds])(
    'a %s: no new client, and no token carries more than its kind may hold',
    async (kind) => {
      const agency = agencies.get(kind) as { id: string; country: string | null };
      const allowed = scopesAllowedTo(kind);
      const clientId = `test-policy-${kind.toLowerCase().replace(/_/g, '-')}`;
      // Before: the agency holds only what grantAgreement let through, and gets a client.
      const created = await hub.graphql('gs-admin', CREATE_CLIENT, { agencyId: agency.id, clientId });
      const secret = (created.body.data?.createApiClient as { clientSecret: string }).clientSecret;
      expect((await requestToken(hub, clientId, secret)).body.scope).toBe([...allowed].sort().join(' '));

      const { rows } = await db.query(
        `INSERT INTO partners.agreements (agency_id, scopes) VALUES ($1, $2) RETURNING id`,
        [agency.id, KNOWN_SCOPES],
      );
      const beyond = KNOWN_SCOPES.filter((scope) => !allowed.includes(scope));
      const another = await hub.graphql('gs-admin', CREATE_CLIENT, {
        agencyId: agency.id,
        clientId: `${clientId}-2`,
      });
      expect(another.body).toEqual({
        data: { createApiClient: null },
        errors: [
          {
            message: `Agreement ${rows[0].id} grants ${beyond.join(', ')}, which an agency of kind ${kind} may not hold: revoke it and grant one within the policy first`,
            path: ['createApiClient'],
            extensions: { code: 'CONFLICT', serviceName: 'partner-agencies', field: 'agencyId' },
          },
        ],
      });
      expect(
        (await db.query(`SELECT 1 FROM partners.api_clients WHERE client_id = $1`, [`${clientId}-2`])).rows,
      ).toEqual([]);

      const issued = await requestToken(hub, clientId, secret);
      expect(issued).toEqual({
        status: 200,
        body: expect.objectContaining({ token_type: 'Bearer', scope: [...allowed].sort().join(' ') }),
      });
      expect(await requestToken(hub, clientId, secret, KNOWN_SCOPES.join(' '))).toEqual({
        status: 400,
        body: {
          error: 'invalid_scope',
          error_description: `Scopes not granted to this client: ${beyond.join(' ')}`,
        },
      });

      // A token that claims every scope (an external issuer's, or one minted before the policy) is cut down too.
      const claimed = await mintToken({
        clientId,
        agencyId: agency.id,
        agencyKind: kind,
        country: agency.country,
        scopes: KNOWN_SCOPES,
      });
      const me = await graphqlWithToken(hub, claimed, '{ me { scopes } }');
      expect(me.body).toEqual({ data: { me: { scopes: [...allowed].sort() } } });
    },
  );
});
