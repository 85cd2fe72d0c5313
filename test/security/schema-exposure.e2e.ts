import { startTestHub, type TestHub } from '../hub';
import { direct } from './attacks';

/**
 * What the hub tells about its own schema. In production the explorer's schema file and access rules need a
 * valid token (of any client, schema:read or not); introspection needs schema:read (test/field-access.e2e.ts);
 * and validation errors give "Did you mean …" hints to schema:read holders only, at the gateway and in the
 * subgraphs.
 */
let hub: TestHub;
let origin: string;

beforeAll(async () => {
  hub = await startTestHub({ nodeEnv: 'production' });
  origin = new URL(hub.hub.gatewayUrl).origin;
});
afterAll(() => hub.stop());

const FILES = ['/explorer/schema.graphql', '/explorer/access.json'];
const SIGN_IN = {
  errors: [
    {
      message: 'Sign in: the schema is shown to clients with a valid access token (POST /oauth/token)',
      extensions: { code: 'UNAUTHENTICATED' },
    },
  ],
};

async function get(file: string, token?: string) {
  const response = await fetch(`${origin}${file}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe("in production, the explorer's schema file and access rules", () => {
  test.each(FILES)('%s: 401 without a token, and nothing of the schema', async (file) => {
    const response = await get(file);
    expect(response.status).toBe(401);
    expect(JSON.parse(response.text)).toEqual(SIGN_IN);
    expect(response.text).not.toContain('checkDocuments');
  });

  test.each(FILES)('%s: 401 with a tampered token', async (file) => {
    // airline-demo's own token, its payload rewritten to claim schema:read: the signature no longer holds.
    const [header, payload, signature] = (await hub.token('airline-demo')).split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, scope: 'sltd:check schema:read' })).toString(
      'base64url',
    );
    const response = await get(file, `${header}.${forged}.${signature}`);
    expect(response.status).toBe(401);
    expect(JSON.parse(response.text)).toMatchObject({
      errors: [{ extensions: { code: 'UNAUTHENTICATED' } }],
    });
  });

  test('are served to any signed-in client, schema:read or not, and kept out of shared caches', async () => {
    const token = await hub.token('airline-demo');
    const schema = await get('/explorer/schema.graphql', token);
    expect(schema.status).toBe(200);
    expect(schema.text).toContain('checkDocuments(');
    expect(schema.headers.get('cache-control')).toBe('private, no-cache');
    const rules = await get('/explorer/access.json', token);
    expect(rules.status).toBe(200);
    expect(JSON.parse(rules.text)).toMatchObject({ 'TravelDocument.notices': { scopes: expect.any(Array) } });
    expect(rules.headers.get('cache-control')).toBe('private, no-cache');
  });
});

describe('validation errors do not spell out the schema', () => {
  const misspelt = `{ chekDocuments(input: []) { verdict } }`;

  test.each(['airline-demo', null])(
    'no "Did you mean" for %s, at the gateway and at a subgraph',
    async (clientId) => {
      const expected = {
        status: 400,
        body: {
          errors: [
            {
              message: 'Cannot query field "chekDocuments" on type "Query".',
              locations: [{ line: 1, column: 3 }],
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
            },
          ],
        },
      };
      expect(await hub.graphql(clientId, misspelt)).toEqual(expected);
      expect(await direct(hub, 'travel-documents', clientId, { query: misspelt })).toEqual(expected);
    },
  );

  test('nor for a misspelt enum value in variables', async () => {
    const response = await hub.graphql(
      'airline-demo',
      `query ($documents: [DocumentCheckInput!]!) { checkDocuments(input: $documents) { verdict } }`,
      { documents: [{ issuingCountry: 'FRA', documentNumber: 'X1', documentType: 'PASPORT' }] },
    );
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.message).toMatch(/^Variable "\$documents" got invalid value "PASPORT"/);
    expect(response.body.errors?.[0]?.message).not.toMatch(/Did you mean|PASSPORT/);
  });

  test('a caller with schema:read (explorer) still gets the suggestion', async () => {
    const response = await hub.graphql('explorer', misspelt);
    expect(response.body.errors?.[0]?.message).toMatch(
      /^Cannot query field "chekDocuments" on type "Query"\. Did you mean "checkDocuments"/,
    );
  });
});
