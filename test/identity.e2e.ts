import { DEMO_OPERATIONS } from '../db/seed/operations';
import { base64url, decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createHmac } from 'node:crypto';
import { readContract } from './contract';
import { startTestHub, TEST_AUDIENCE, TEST_ISSUER, testSigningKey, type TestHub } from './hub';

/** OAuth2 client credentials, the keys, and every way a token can be refused (issue: access control). */
let hub: TestHub;
let base: string;

beforeAll(async () => {
  hub = await startTestHub();
  base = hub.hub.gatewayUrl.replace(/\/graphql$/, '');
});
afterAll(() => hub.stop());

async function tokenRequest(body: string, contentType: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...headers },
    body,
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe('POST /oauth/token', () => {
  test('issues a short-lived ES256 JWT with the agency claims, the scopes of its active agreements and the grants of its ACTIVE operations', async () => {
    const response = await tokenRequest(
      form({ grant_type: 'client_credentials', client_id: 'bp-fra', client_secret: 'demo-bp-fra' }),
      'application/x-www-form-urlencoded',
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 300,
      scope: 'alerts:read notices:screen sltd:check sltd:summary',
    });
    const claims = decodeJwt(response.body.access_token as string);
    // Other test files activate operations of their own with bp-fra in them: only the demo's operations count here.
    const demoCodes: unknown[] = Object.values(DEMO_OPERATIONS);
    claims.ops = (claims.ops as { code: string }[]).filter((grant) => demoCodes.includes(grant.code));
    expect(claims).toEqual({
      sub: 'bp-fra',
      agency_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      agency_kind: 'NATIONAL_ENTITY',
      country: 'FRA',
      scope: 'alerts:read notices:screen sltd:check sltd:summary',
      iss: TEST_ISSUER,
      aud: TEST_AUDIENCE,
      iat: expect.any(Number),
      exp: expect.any(Number),
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      // bp-fra takes part in the demo's STOP-2026-CDG (db/seed/operations.ts), at both terminals.
      ops: [
        {
          code: 'STOP-2026-CDG',
          scopes: ['notices:screen', 'sltd:check'],
          border_points: ['FRCDG-T1', 'FRCDG-T2'],
          until: expect.any(Number),
        },
      ],
    });
    expect((claims.exp as number) - (claims.iat as number)).toBe(300);
  });

  test('accepts a JSON body and HTTP Basic client authentication', async () => {
    const json = await tokenRequest(
      JSON.stringify({ grant_type: 'client_credentials', client_id: 'iom', client_secret: 'demo-iom' }),
      'application/json',
    );
    expect(json.body.scope).toBe('alerts:read notices:read:yellow sltd:check');
    const basic = await tokenRequest(
      form({ grant_type: 'client_credentials' }),
      'application/x-www-form-urlencoded',
      {
        authorization: `Basic ${Buffer.from('frontex:demo-frontex').toString('base64')}`,
      },
    );
    expect(basic.status).toBe(200);
    expect(basic.body.scope).toBe('alerts:read notices:screen sltd:check sltd:summary');
  });

  test('narrows to the requested scopes, and refuses scopes not granted (invalid_scope)', async () => {
    const narrowed = await tokenRequest(
      form({
        grant_type: 'client_credentials',
        client_id: 'ncb-fra',
        client_secret: 'demo-ncb-fra',
        scope: 'sltd:check',
      }),
      'application/x-www-form-urlencoded',
    );
    expect(narrowed.body.scope).toBe('sltd:check');
    const refused = await tokenRequest(
      form({
        grant_type: 'client_credentials',
        client_id: 'bp-fra',
        client_secret: 'demo-bp-fra',
        scope: 'sltd:write',
      }),
      'application/x-www-form-urlencoded',
    );
    expect(refused).toMatchObject({
      status: 400,
      body: { error: 'invalid_scope', error_description: 'Scopes not granted to this client: sltd:write' },
    });
  });

  test.each([
    [
      'a wrong secret',
      { grant_type: 'client_credentials', client_id: 'bp-fra', client_secret: 'wrong' },
      401,
      'invalid_client',
    ],
    [
      'an unknown client',
      { grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'demo-nobody' },
      401,
      'invalid_client',
    ],
    [
      'another grant type',
      { grant_type: 'password', client_id: 'bp-fra', client_secret: 'demo-bp-fra' },
      400,
      'unsupported_grant_type',
    ],
    ['no grant type', { client_id: 'bp-fra', client_secret: 'demo-bp-fra' }, 400, 'invalid_request'],
  ])('refuses %s as RFC 6749 says', async (_what, fields, status, error) => {
    const response = await tokenRequest(form(fields), 'application/x-www-form-urlencoded');
    expect(response.status).toBe(status);
    expect(response.body).toEqual({ error, error_description: expect.any(String) });
    expect(response.body).not.toHaveProperty('access_token');
  });

  test('serves the public signing keys, without any private part', async () => {
    const response = await fetch(`${base}/.well-known/jwks.json`);
    const jwks = (await response.json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toEqual([
      {
        kty: 'EC',
        crv: 'P-256',
        x: expect.any(String),
        y: expect.any(String),
        kid: 'test-key',
        alg: 'ES256',
        use: 'sig',
      },
    ]);
  });
});

describe('refused tokens get UNAUTHENTICATED and no data', () => {
  const ME = readContract('whoami.graphql');

  async function callWithToken(token: string) {
    const response = await fetch(hub.hub.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: ME }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  const claims = {
    agency_id: '00000000-0000-4000-8000-000000000001',
    agency_kind: 'NCB',
    country: 'FRA',
    scope: 'sltd:read',
  };

  async function signedWithTestKey(expiresIn: number) {
    const { importJWK } = await import('jose');
    const key = await importJWK(testSigningKey(), 'ES256');
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'test-key' })
      .setSubject('ncb-fra')
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setIssuedAt(now - 1000)
      .setExpirationTime(now + expiresIn)
      .sign(key);
  }

  const tokens: [string, () => Promise<string>][] = [
    ['an expired token', () => signedWithTestKey(-60)],
    ['a malformed token', async () => 'not.a.jwt'],
    [
      'a token signed by another key',
      async () => {
        const { privateKey } = await generateKeyPair('ES256');
        return new SignJWT(claims)
          .setProtectedHeader({ alg: 'ES256', kid: 'test-key' })
          .setSubject('ncb-fra')
          .setIssuer(TEST_ISSUER)
          .setAudience(TEST_AUDIENCE)
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(privateKey);
      },
    ],
    [
      'an unsigned token (alg: none)',
      async () => {
        const now = Math.floor(Date.now() / 1000);
        const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
        const payload = base64url.encode(
          JSON.stringify({
            ...claims,
            sub: 'ncb-fra',
            iss: TEST_ISSUER,
            aud: TEST_AUDIENCE,
            iat: now,
            exp: now + 300,
          }),
        );
        return `${header}.${payload}.`;
      },
    ],
    [
      'an HMAC token signed with the public key',
      async () => {
        const { d: _d, ...publicJwk } = testSigningKey();
        const secret = JSON.stringify(
          await exportJWK(await (await import('jose')).importJWK(publicJwk, 'ES256')),
        );
        const now = Math.floor(Date.now() / 1000);
        const header = base64url.encode(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'test-key' }));
        const payload = base64url.encode(
          JSON.stringify({
            ...claims,
            sub: 'ncb-fra',
            iss: TEST_ISSUER,
            aud: TEST_AUDIENCE,
            iat: now,
            exp: now + 300,
          }),
        );
        const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
        return `${header}.${payload}.${signature}`;
      },
    ],
  ];

  test.each(tokens)('%s', async (_what, make) => {
    const response = await callWithToken(await make());
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED' } }],
    });
  });

  test('no token at all, on a field that needs one', async () => {
    const response = await hub.graphql(null, ME);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      data: null,
      errors: [
        {
          message: 'This operation needs an access token: get one at POST /oauth/token',
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ],
    });
  });
});
