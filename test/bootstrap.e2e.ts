import { execFile } from 'node:child_process';
import pg from 'pg';
import { createTestDatabase } from './databases';
import { startTestHub, type TestHub } from './hub';
import { requestToken } from './tokens';

/**
 * `npm run bootstrap` on a fresh, migrated database with NODE_ENV=production (no demo data, no clients): the first
 * administrator gets a token at /oauth/token, a second run is refused, `--rotate` replaces the secret, and every
 * change is in the audit trail. test/production.e2e.ts runs the compiled form in the production topology.
 */
let databaseUrl: string;
let hub: TestHub;

beforeAll(async () => {
  databaseUrl = await createTestDatabase('bootstrap');
  hub = await startTestHub({ databaseUrl, nodeEnv: 'production' });
});
afterAll(() => hub?.stop());

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function bootstrap(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', '@swc-node/register', 'scripts/bootstrap.ts', ...args],
      { env: { PATH: process.env.PATH, NODE_ENV: 'production', DATABASE_URL: databaseUrl }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const secretOf = (run: Run) => /^client_secret=(\S+)$/m.exec(run.stdout)?.[1] ?? '';

const tokenFor = (clientId: string, clientSecret: string) => requestToken(hub, clientId, clientSecret);

async function query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('npm run bootstrap', () => {
  let firstSecret: string;

  test('creates the General Secretariat, its agreement and the client, and prints the secret once', async () => {
    const run = await bootstrap('--client-id', 'gs-root');
    expect(run).toEqual({ code: 0, stdout: expect.any(String), stderr: '' });
    firstSecret = secretOf(run);
    expect(firstSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(run.stdout.split(firstSecret)).toHaveLength(2);
    expect(run.stdout).toMatch(/^General Secretariat agency [0-9a-f-]{36}: created$/m);
    expect(run.stdout).toMatch(/^agreement granting agencies:admin audit:read: granted$/m);
    expect(run.stdout).toMatch(/^client gs-root: created$/m);
    expect(
      await query(`SELECT a.code, a.kind, a.country, g.scopes, g.valid_until, c.description, c.disabled_at
                     FROM partners.api_clients c JOIN partners.agencies a ON a.id = c.agency_id
                     JOIN partners.agreements g ON g.agency_id = a.id`),
    ).toEqual([
      {
        code: 'GS',
        kind: 'GENERAL_SECRETARIAT',
        country: null,
        scopes: ['agencies:admin', 'audit:read'],
        valid_until: null,
        description: 'first administrator (bootstrap)',
        disabled_at: null,
      },
    ]);
    const token = await tokenFor('gs-root', firstSecret);
    expect(token).toEqual({
      status: 200,
      body: {
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 300,
        scope: 'agencies:admin audit:read',
      },
    });
  });

  test('refuses a second run for the same client and changes nothing', async () => {
    const before = await query('SELECT client_id, secret_hash FROM partners.api_clients');
    const run = await bootstrap('--client-id', 'gs-root');
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'refused: The client gs-root exists already: run again with --rotate to replace its secret\n',
    });
    expect(await query('SELECT client_id, secret_hash FROM partners.api_clients')).toEqual(before);
    expect((await tokenFor('gs-root', firstSecret)).status).toBe(200);
  });

  test('--rotate replaces the secret: the old one is refused at /oauth/token, the new one works', async () => {
    const run = await bootstrap('--client-id', 'gs-root', '--rotate');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/: already there$/m);
    expect(run.stdout).toMatch(/^agreement granting agencies:admin audit:read: already in force$/m);
    expect(run.stdout).toMatch(/^client gs-root: secret replaced$/m);
    const secret = secretOf(run);
    expect(secret).not.toBe(firstSecret);
    expect(await tokenFor('gs-root', firstSecret)).toEqual({
      status: 401,
      body: { error: 'invalid_client', error_description: expect.any(String) },
    });
    expect((await tokenFor('gs-root', secret)).body.scope).toBe('agencies:admin audit:read');
  });

  test('refuses bad input, naming the field and the reason', async () => {
    expect(await bootstrap('--client-id', 'Not Valid')).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'refused: Invalid input: clientId: must be 2 to 63 lower-case letters, digits or dashes, and not start with a dash\n',
    });
    expect(await bootstrap()).toMatchObject({
      code: 2,
      stdout: '',
      stderr: expect.stringMatching(/^usage: /),
    });
  });

  test('every change is in the audit trail, under the operation `bootstrap`', async () => {
    const [gs] = await query<{ id: string }>(`SELECT id FROM partners.agencies WHERE code = 'GS'`);
    const [agreement] = await query<{ id: string }>('SELECT id FROM partners.agreements');
    expect(
      await query(`SELECT client_id, agency_id, subgraph, operation, action, record_type, record_ids,
                          owner_agency_ids, fields, details
                     FROM audit.entries WHERE operation = 'bootstrap' ORDER BY seq`),
    ).toEqual([
      {
        ...row('CREATE', 'Agency', gs.id, gs.id, ['code', 'kind', 'name']),
      },
      {
        ...row('CREATE', 'DataSharingAgreement', agreement.id, gs.id, ['scopes', 'validFrom', 'validUntil']),
        details: { scopes: ['agencies:admin', 'audit:read'] },
      },
      row('CREATE', 'ApiClient', 'gs-root', gs.id, ['clientId', 'description', 'secret']),
      row('UPDATE', 'ApiClient', 'gs-root', gs.id, ['secret']),
    ]);
  });
});

function row(action: string, recordType: string, recordId: string, owner: string, fields: string[]) {
  return {
    client_id: null,
    agency_id: null,
    subgraph: 'partner-agencies',
    operation: 'bootstrap',
    action,
    record_type: recordType,
    record_ids: [recordId],
    owner_agency_ids: [owner],
    fields,
    details: null,
  };
}
