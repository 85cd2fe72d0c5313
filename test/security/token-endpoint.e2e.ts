import http from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import pg from 'pg';
import { createTokenVerifier } from '../../shared/auth/token-verifier';
import { hashSecret, verifySecret } from '../../subgraphs/partner-agencies/oauth/token.service';
import type { VerificationGate } from '../../subgraphs/partner-agencies/oauth/verification-gate';
import { startTestHub, TEST_AUDIENCE, TEST_ISSUER, testSigningKey, type TestHub } from '../hub';
import { importJWK } from 'jose';

/**
 * The token endpoint under attack (docs/security.md, "Token endpoint"): guessing is throttled per client id and per
 * source address, across replicas (PostgreSQL), with a lockout that ends; verifications are bounded; bad input is
 * a 400/401, never a 500; every request is audited. Each scenario speaks from its own loopback address
 * (127.0.0.x), so its counts are its own; the hub's clock is moved instead of waiting.
 */
let hub: TestHub;
let db: pg.Client;
let gate: VerificationGate;
let clockOffsetMs = 0;
/** While set, every secret verification waits for it (the bounded-concurrency test). */
let hold: Promise<void> | null = null;
const THROTTLE = {
  clientFreeFailures: 3,
  addressFreeFailures: 6,
  backoffBaseSeconds: 2,
  lockoutMaxSeconds: 60,
  failureWindowSeconds: 300,
};
const COLON_CLIENT = 'test-token-colon';
const COLON_SECRET = 'p:a:ss wörd%';

beforeAll(async () => {
  hub = await startTestHub({
    tokenEndpoint: {
      throttle: THROTTLE,
      verification: { concurrency: 2, queue: 1, queueTimeoutMs: 10_000 },
    },
    tokenEndpointHooks: {
      clock: () => new Date(Date.now() + clockOffsetMs),
      verifier: async (hash, secret) => {
        if (hold) await hold;
        return verifySecret(hash, secret);
      },
      onGate: (g) => (gate = g),
    },
  });
  db = new pg.Client({ connectionString: hub.databaseUrl });
  await db.connect();
  await db.query(
    `INSERT INTO partners.api_clients (client_id, agency_id, secret_hash, description)
     SELECT $1, agency_id, $2, 'token endpoint test' FROM partners.api_clients WHERE client_id = 'airline-demo'`,
    [COLON_CLIENT, await hashSecret(COLON_SECRET)],
  );
});

afterAll(async () => {
  // The counts live in the run's shared database: later test files must not meet these lockouts.
  await db.query(
    `DELETE FROM partners.token_throttle WHERE key LIKE 'address:127.0.0.1_%' OR key LIKE 'client:%'`,
  );
  await db.query(`DELETE FROM partners.api_clients WHERE client_id = $1`, [COLON_CLIENT]);
  await db.end();
  await hub.stop();
});

interface TokenAnswer {
  status: number;
  body: Record<string, string>;
  retryAfter: string | undefined;
}

/** POST /oauth/token through the gateway from a chosen loopback address. */
function tokenRequest(
  from: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
  body = new URLSearchParams(fields).toString(),
): Promise<TokenAnswer> {
  const url = new URL(hub.hub.gatewayUrl.replace(/\/graphql$/, '/oauth/token'));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: from,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(text) as Record<string, string>,
            retryAfter: res.headers['retry-after'],
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const grant = (clientId: string, clientSecret: string) => ({
  grant_type: 'client_credentials',
  client_id: clientId,
  client_secret: clientSecret,
});
const basic = (text: string) => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;
const INVALID_CLIENT = {
  error: 'invalid_client',
  error_description: 'Unknown client, wrong secret, or disabled client',
};

async function latestSeq(): Promise<number> {
  return Number((await db.query('SELECT coalesce(max(seq), 0) AS seq FROM audit.entries')).rows[0].seq);
}

describe('throttling per client id', () => {
  test('free failures, then 429 with Retry-After, even for the right secret, until the lockout ends', async () => {
    const from = '127.0.0.11';
    for (let i = 0; i < THROTTLE.clientFreeFailures; i++) {
      expect(await tokenRequest(from, grant('iom', `wrong-${i}`))).toMatchObject({
        status: 401,
        body: INVALID_CLIENT,
      });
    }
    // One failure past the free ones: refused as wrong, and the client is locked out for the base (2 s).
    expect((await tokenRequest(from, grant('iom', 'wrong-again'))).status).toBe(401);
    const locked = await tokenRequest(from, grant('iom', 'demo-iom'));
    expect(locked).toEqual({
      status: 429,
      retryAfter: '2',
      body: {
        error: 'temporarily_unavailable',
        error_description: 'Too many failed attempts for this client or from this address; try again in 2 s',
      },
    });
    // The lockout is the client's, from any address.
    expect((await tokenRequest('127.0.0.12', grant('iom', 'demo-iom'))).status).toBe(429);

    clockOffsetMs += 2_000;
    expect((await tokenRequest(from, grant('iom', 'wrong-once-more'))).status).toBe(401);
    // The next failure doubled the lockout (failure 5 of 3 free: 2 × 2 s).
    expect(await tokenRequest(from, grant('iom', 'demo-iom'))).toMatchObject({
      status: 429,
      retryAfter: '4',
    });
    clockOffsetMs += 4_000;
    expect(await tokenRequest(from, grant('iom', 'demo-iom'))).toMatchObject({
      status: 200,
      body: { token_type: 'Bearer' },
    });
    // Authenticating forgot the client's failures: a wrong secret is a plain 401 again, not a lockout.
    expect((await tokenRequest(from, grant('iom', 'wrong'))).status).toBe(401);
    expect((await tokenRequest(from, grant('iom', 'demo-iom'))).status).toBe(200);
  });

  test('unknown client ids are counted like known ones (a lockout does not tell which exist)', async () => {
    const from = '127.0.0.13';
    for (let i = 0; i <= THROTTLE.clientFreeFailures; i++)
      expect((await tokenRequest(from, grant('nobody-here', 'guess'))).status).toBe(401);
    expect(await tokenRequest(from, grant('nobody-here', 'guess'))).toMatchObject({
      status: 429,
      retryAfter: '2',
    });
    clockOffsetMs += 60_000;
  });
});

describe('throttling per source address', () => {
  test('many client ids guessed from one address lock that address, not others', async () => {
    const from = '127.0.0.14';
    for (let i = 0; i <= THROTTLE.addressFreeFailures; i++)
      expect((await tokenRequest(from, grant(`sprayed-${i}`, 'guess'))).status).toBe(401);
    expect(await tokenRequest(from, grant('bp-fra', 'demo-bp-fra'))).toMatchObject({
      status: 429,
      retryAfter: '2',
    });
    expect((await tokenRequest('127.0.0.15', grant('bp-fra', 'demo-bp-fra'))).status).toBe(200);
    clockOffsetMs += 2_000;
    expect((await tokenRequest(from, grant('bp-fra', 'demo-bp-fra'))).status).toBe(200);
  });
});

describe('malformed credentials are a 400 or 401, never a 500', () => {
  const from = '127.0.0.16';
  test.each([
    [
      'Basic credentials that are not base64',
      basic('x').replace(/=+$/, '') + '!',
      'The Basic credentials are not valid base64',
    ],
    [
      'Basic credentials without a colon',
      basic('bp-fra'),
      'The Basic credentials must be "client_id:client_secret"',
    ],
    [
      'broken percent-encoding in the id',
      basic('bp%zzfra:secret'),
      "The Basic credentials' client_id has invalid percent-encoding",
    ],
    [
      'broken percent-encoding in the secret',
      basic('bp-fra:demo%E0%A4%A'),
      "The Basic credentials' client_secret has invalid percent-encoding",
    ],
    [
      'a NUL in the id (percent-encoded)',
      basic('bp%00fra:secret'),
      'client_id must not contain control characters',
    ],
    [
      'bytes that are not UTF-8',
      `Basic ${Buffer.from([0x62, 0xff, 0x3a, 0x73]).toString('base64')}`,
      'The Basic credentials are not valid UTF-8',
    ],
  ])('%s', async (_what, authorization, description) => {
    const answer = await tokenRequest(from, { grant_type: 'client_credentials' }, { authorization });
    expect(answer).toEqual({
      status: 400,
      retryAfter: undefined,
      body: { error: 'invalid_request', error_description: description },
    });
  });

  test.each([
    [
      'a NUL in a form client_id',
      new URLSearchParams(grant('bp\u0000fra', 'x')).toString(),
      'application/x-www-form-urlencoded',
    ],
    [
      'a control character in a JSON client_id',
      JSON.stringify(grant('bp\u0007fra', 'x')),
      'application/json',
    ],
  ])('%s', async (_what, body, type) => {
    const answer = await tokenRequest(from, {}, { 'content-type': type }, body);
    expect(answer).toMatchObject({
      status: 400,
      body: { error: 'invalid_request', error_description: 'client_id must not contain control characters' },
    });
  });

  test('credentials in the header and in the body at once', async () => {
    const answer = await tokenRequest(from, grant('bp-fra', 'demo-bp-fra'), {
      authorization: basic('bp-fra:demo-bp-fra'),
    });
    expect(answer).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });
});

describe('secrets with colons (RFC 6749 2.3.1)', () => {
  const from = '127.0.0.17';
  test('form-urlencoded then base64: the first colon separates id and secret', async () => {
    const encoded = `${encodeURIComponent(COLON_CLIENT)}:${encodeURIComponent(COLON_SECRET)}`;
    const answer = await tokenRequest(
      from,
      { grant_type: 'client_credentials' },
      { authorization: basic(encoded) },
    );
    expect(answer).toMatchObject({ status: 200, body: { scope: 'sltd:check' } });
  });

  test('a secret sent with its colons unencoded still reaches the secret whole', async () => {
    const answer = await tokenRequest(
      from,
      { grant_type: 'client_credentials' },
      { authorization: basic(`${COLON_CLIENT}:p:a:ss+w%C3%B6rd%25`) },
    );
    expect(answer.status).toBe(200);
  });

  test('and in the body', async () => {
    expect((await tokenRequest(from, grant(COLON_CLIENT, COLON_SECRET))).status).toBe(200);
  });
});

describe('secret verifications are bounded', () => {
  test('past the running and queued ones, requests are answered 503 at once', async () => {
    const from = '127.0.0.18';
    let release!: () => void;
    hold = new Promise((resolve) => (release = resolve));
    try {
      const answers: TokenAnswer[] = [];
      const pending = Array.from({ length: 5 }, (_, i) =>
        tokenRequest(from, grant(`queued-${i}`, 'guess')).then((answer) => {
          answers.push(answer);
          return answer;
        }),
      );
      // Two run (held), one waits in the queue, two are refused without waiting for any of them.
      while (answers.length < 2) await new Promise((resolve) => setImmediate(resolve));
      expect(answers).toEqual([
        {
          status: 503,
          retryAfter: '1',
          body: {
            error: 'temporarily_unavailable',
            error_description: 'Too many token requests are being verified; try again shortly',
          },
        },
        expect.objectContaining({ status: 503 }),
      ]);
      expect(gate.active).toBe(2);
      release();
      const all = await Promise.all(pending);
      expect(all.map((a) => a.status).sort()).toEqual([401, 401, 401, 503, 503]);
    } finally {
      hold = null;
      release();
    }
  });
});

describe('every token request is audited, granted or refused', () => {
  test('the client id tried and the source address, never the secret', async () => {
    const from = '127.0.0.19';
    const before = await latestSeq();
    expect((await tokenRequest(from, grant('frontex', 'demo-frontex'))).status).toBe(200);
    expect((await tokenRequest(from, grant('frontex', 'not-the-secret'))).status).toBe(401);
    expect((await tokenRequest(from, grant('no-such-client', 'not-the-secret'))).status).toBe(401);
    expect(
      (await tokenRequest(from, { grant_type: 'client_credentials' }, { authorization: basic('bp%00x:y') }))
        .status,
    ).toBe(400);
    const { rows } = await db.query(
      `SELECT client_id, agency_id IS NOT NULL AS has_agency, subgraph, operation, action, record_type, record_ids,
              owner_agency_ids, details
         FROM audit.entries WHERE seq > $1 AND action = 'TOKEN' ORDER BY seq`,
      [before],
    );
    const common = {
      subgraph: 'partner-agencies',
      operation: 'POST /oauth/token',
      action: 'TOKEN',
      record_type: 'AccessToken',
      owner_agency_ids: [],
    };
    expect(rows).toEqual([
      {
        ...common,
        client_id: 'frontex',
        has_agency: true,
        record_ids: [expect.stringMatching(/^[0-9a-f-]{36}$/)],
        details: { sourceAddress: from, outcome: 'granted' },
      },
      {
        ...common,
        client_id: 'frontex',
        has_agency: false,
        record_ids: [],
        details: { sourceAddress: from, outcome: 'refused', status: 401, error: 'invalid_client' },
      },
      {
        ...common,
        client_id: 'no-such-client',
        has_agency: false,
        record_ids: [],
        details: { sourceAddress: from, outcome: 'refused', status: 401, error: 'invalid_client' },
      },
      {
        ...common,
        client_id: 'bp\\u0000x',
        has_agency: false,
        record_ids: [],
        details: { sourceAddress: from, outcome: 'refused', status: 400, error: 'invalid_request' },
      },
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/demo-frontex|not-the-secret/);
  });
});

describe('token times are bounded at verification', () => {
  async function signed(claims: { iat: number; exp: number }, key = importJWK(testSigningKey(), 'ES256')) {
    return new SignJWT({ agency_id: '00000000-0000-4000-8000-000000000000', agency_kind: 'NCB', scope: '' })
      .setProtectedHeader({ alg: 'ES256', kid: testSigningKey().kid })
      .setSubject('ncb-fra')
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setIssuedAt(claims.iat)
      .setExpirationTime(claims.exp)
      .sign(await key);
  }
  const now = () => Math.floor(Date.now() / 1000);

  test.each([
    [
      'an iat in the future',
      () => ({ iat: now() + 600, exp: now() + 900 }),
      'The access token claim "iat" is invalid',
    ],
    [
      'a lifetime beyond the maximum',
      () => ({ iat: now() - 10, exp: now() + 3600 }),
      `The access token's lifetime exceeds 900 seconds (claims "iat" and "exp")`,
    ],
  ])('%s is refused by the gateway', async (_what, claims, message) => {
    const response = await fetch(hub.hub.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await signed(claims())}` },
      body: JSON.stringify({ query: '{ me { clientId } }' }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }],
    });
  });

  test('and from an external issuer alike', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'idp', alg: 'ES256' };
    const verify = createTokenVerifier({
      issuer: 'https://idp.test',
      audience: TEST_AUDIENCE,
      jwks: { keys: [jwk] },
      limits: { maxLifetimeSeconds: 600, clockSkewSeconds: 30 },
    });
    const external = (iat: number, exp: number) =>
      new SignJWT({ agency_id: '00000000-0000-4000-8000-000000000000', agency_kind: 'NCB' })
        .setProtectedHeader({ alg: 'ES256', kid: 'idp' })
        .setSubject('someone')
        .setIssuer('https://idp.test')
        .setAudience(TEST_AUDIENCE)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(privateKey);
    await expect(verify(await external(now() + 120, now() + 300))).rejects.toThrow(
      'The access token claim "iat" is invalid',
    );
    await expect(verify(await external(now(), now() + 601))).rejects.toThrow(
      `The access token's lifetime exceeds 600 seconds`,
    );
    // Within the skew and the lifetime: accepted.
    await expect(verify(await external(now() + 20, now() + 600))).resolves.toMatchObject({
      clientId: 'someone',
    });
  });
});
