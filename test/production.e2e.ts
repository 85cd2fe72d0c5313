import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import readline from 'node:readline';
import pg from 'pg';
import { parse } from 'yaml';
import { freePort } from '../db/embedded-postgres';
import { generateSigningJwk } from '../subgraphs/partner-agencies/oauth/signing-key';
import { ensureBuilt, ROOT } from './build';
import { readContract, SPECIMEN_DECODED, SPECIMEN_MRZ } from './contract';
import { createDatabase } from './database-server';
import { waitUntil } from './fault-injection';
import { requestToken } from './tokens';

/**
 * The hub as production runs it (issue: "the production topology, tested here"): the compiled code (`npm run
 * build`), a fresh database prepared only by `node dist/scripts/migrate.js` and `node dist/scripts/bootstrap.js`,
 * then the four subgraphs and the gateway as five processes, each started with its docker-compose.yml command and
 * environment (NODE_ENV=production), the hosts and ports moved to free loopback ports. The first administrator
 * makes an agency, its agreement and its client with the admin mutations; that client runs the contract
 * operations; the audit trail holds each step. README "Running in production by hand" gives the same commands.
 */
interface ComposeService {
  command: string[];
  environment?: Record<string, string>;
}
const compose = parse(fs.readFileSync(`${ROOT}/docker-compose.yml`, 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const SUBGRAPHS = ['partner-agencies', 'notices', 'travel-documents', 'document-alerts'];
const SERVICES = [...SUBGRAPHS, 'gateway'];
const START_TIMEOUT_MS = 90_000;
const COMMAND_TIMEOUT_MS = 120_000;

const REPORTED = { issuingCountry: 'FRA', documentNumber: '19FR12345', documentType: 'PASSPORT' };
const NCB_SCOPES = [
  'alerts:read',
  'audit:read',
  'hits:manage',
  'notices:read',
  'notices:screen',
  'sltd:check',
  'sltd:read',
  'sltd:summary',
  'sltd:write',
];

interface Process {
  name: string;
  child: ChildProcess;
  output: string[];
}

let databaseUrl: string;
/** Where each process listens: PORT=0, so each takes a free port and logs it (no port is guessed ahead). */
const ports: Record<string, number> = {};
const processes: Process[] = [];
let gatewayBase: string;
let adminSecret: string;

/** A compose service's command, with `node` as this Node binary (the image's is the same major version). */
function commandOf(service: string): [string, string[]] {
  const [program, ...args] = compose.services[service].command;
  if (program !== 'node') throw new Error(`${service}: the image runs node, not ${program}`);
  return [process.execPath, args];
}

/**
 * A compose service's environment on this machine: every URL naming a compose service goes to that service's
 * loopback port here, and the secrets compose takes from its `.env` come from `secrets`. Nothing is left that
 * names a host other than loopback.
 */
function environmentOf(service: string, secrets: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, raw] of Object.entries(compose.services[service].environment ?? {})) {
    let value = String(raw);
    if (key in secrets) value = secrets[key];
    else if (/^https?:\/\//.test(value)) {
      const url = new URL(value);
      if (url.hostname in compose.services) {
        const port = ports[url.hostname];
        if (port === undefined) throw new Error(`${service}: ${key} names ${url.hostname}, not started yet`);
        url.hostname = '127.0.0.1';
        url.port = String(port);
        value = url.toString();
      }
    }
    if (value.includes('${')) throw new Error(`${service}: ${key} still names a compose variable: ${value}`);
    env[key] = value;
  }
  return env;
}

/** Runs a command to its end (at most COMMAND_TIMEOUT_MS). */
function runNode(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: ROOT, env: { PATH: process.env.PATH, ...env }, timeout: COMMAND_TIMEOUT_MS },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function start(service: string, env: Record<string, string>): Process {
  const [program, args] = commandOf(service);
  const child = spawn(program, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started: Process = { name: service, child, output: [] };
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => {
      started.output.push(line);
      if (started.output.length > 100) started.output.shift();
    });
  }
  processes.push(started);
  return started;
}

/** Waits for the process's "listening" log line (its port), then until its /ready answers 200. */
async function ready(started: Process): Promise<void> {
  const exited = () => {
    if (started.child.exitCode !== null)
      throw new Error(`${started.name} exited while starting:\n${started.output.join('\n')}`);
  };
  const listening = () =>
    started.output
      .map((line) => (line.startsWith('{') ? (JSON.parse(line) as { msg?: string; url?: string }) : {}))
      .find((entry) => entry.msg?.endsWith(' listening') && entry.url?.endsWith('/graphql'));
  await waitUntil(async () => listening() !== undefined, START_TIMEOUT_MS, exited);
  ports[started.name] = Number(new URL(listening()!.url!).port);
  await waitUntil(
    async () =>
      (await fetch(`http://127.0.0.1:${ports[started.name]}/ready`, { signal: AbortSignal.timeout(2000) }))
        .ok,
    START_TIMEOUT_MS,
    exited,
  );
}

// Whatever happens to the test run, the five processes end with it.
const stopAll = () => processes.forEach((p) => p.child.exitCode === null && p.child.kill('SIGKILL'));
process.once('exit', stopAll);

beforeAll(async () => {
  await ensureBuilt();
  const adminUrl = process.env.HUB_TEST_ADMIN_URL;
  if (!adminUrl) throw new Error('HUB_TEST_ADMIN_URL is not set: run through jest (test/global-setup.ts)');
  databaseUrl = await createDatabase(adminUrl, `hub_production_${process.pid}`);
  const metricsPorts: Record<string, number> = {};
  for (const service of SERVICES) metricsPorts[service] = await freePort();

  // The database: the one migrate step, then the first administrator, nothing else.
  const migrated = await runNode(
    commandOf('migrate')[1],
    environmentOf('migrate', { DATABASE_URL: databaseUrl }),
  );
  expect(migrated).toMatchObject({ code: 0, stderr: '' });
  // As README says: the image's bootstrap script, with the migrate service's environment (DATABASE_URL).
  const bootstrapped = await runNode(['dist/scripts/bootstrap.js', '--client-id', 'gs-root'], {
    ...environmentOf('migrate', { DATABASE_URL: databaseUrl }),
    NODE_ENV: 'production',
  });
  expect(bootstrapped).toMatchObject({ code: 0, stderr: '' });
  adminSecret = /^client_secret=(\S+)$/m.exec(bootstrapped.stdout)?.[1] ?? '';

  const secrets = {
    DATABASE_URL: databaseUrl,
    GATEWAY_CREDENTIAL: randomBytes(32).toString('base64url'),
    AUDIT_CHAIN_KEYS: `production-e2e=${randomBytes(32).toString('base64url')}`,
    AUTH_SIGNING_KEY: JSON.stringify(await generateSigningJwk('production-e2e')),
  };
  const local = (service: string) => ({
    ...environmentOf(service, secrets),
    PORT: '0',
    HOST: '127.0.0.1',
    METRICS_HOST: '127.0.0.1',
    METRICS_PORT: String(metricsPorts[service]),
  });
  // partner-agencies first: every AUTH_JWKS_URL names it, its own included, so its port is chosen ahead (the
  // others take theirs at start); then the gateway, whose subgraph URLs name them all.
  ports['partner-agencies'] = await freePort();
  await ready(
    start('partner-agencies', { ...local('partner-agencies'), PORT: String(ports['partner-agencies']) }),
  );
  await Promise.all(SUBGRAPHS.slice(1).map((name) => ready(start(name, local(name)))));
  await ready(start('gateway', local('gateway')));
  gatewayBase = `http://127.0.0.1:${ports.gateway}`;
}, 400_000);

afterAll(async () => {
  await Promise.all(
    processes.map(
      (p) =>
        new Promise<void>((resolve) => {
          if (p.child.exitCode !== null) return resolve();
          const kill = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
          p.child.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          p.child.kill('SIGTERM');
        }),
    ),
  );
});

async function token(clientId: string, clientSecret: string): Promise<string> {
  const { body } = await requestToken(
    { hub: { gatewayUrl: `${gatewayBase}/graphql` } },
    clientId,
    clientSecret,
  );
  if (!body.access_token) throw new Error(`no token for ${clientId}: ${JSON.stringify(body)}`);
  return body.access_token;
}

async function graphql(
  bearer: string,
  query: string,
  variables: Record<string, unknown> = {},
  operationName?: string,
) {
  const response = await fetch(`${gatewayBase}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
    body: JSON.stringify({ query, variables, operationName }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function rows<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

const UUID = expect.stringMatching(/^[0-9a-f-]{36}$/);

describe('the production topology: five processes from the compiled code, NODE_ENV=production', () => {
  let agencyId: string;
  let client: { clientId: string; clientSecret: string };

  test('the first administrator registers an agency, grants its agreement and creates its client', async () => {
    const admin = await token('gs-root', adminSecret);
    const registered = await graphql(
      admin,
      `
        mutation RegisterAgency($input: RegisterAgencyInput!) {
          registerAgency(input: $input) {
            id
            code
            kind
            country
          }
        }
      `,
      { input: { code: 'NCB-FRA', name: 'NCB Paris', kind: 'NCB', country: 'FRA' } },
    );
    expect(registered).toEqual({
      status: 200,
      body: { data: { registerAgency: { id: UUID, code: 'NCB-FRA', kind: 'NCB', country: 'FRA' } } },
    });
    agencyId = (registered.body.data as { registerAgency: { id: string } }).registerAgency.id;
    expect(
      await graphql(
        admin,
        `
          mutation GrantAgreement($agencyId: ID!, $scopes: [String!]!) {
            grantAgreement(agencyId: $agencyId, scopes: $scopes) {
              scopes
              validUntil
              revokedAt
            }
          }
        `,
        { agencyId, scopes: NCB_SCOPES },
      ),
    ).toEqual({
      status: 200,
      body: { data: { grantAgreement: { scopes: NCB_SCOPES, validUntil: null, revokedAt: null } } },
    });
    const created = await graphql(
      admin,
      `
        mutation CreateApiClient($agencyId: ID!, $clientId: String!) {
          createApiClient(agencyId: $agencyId, clientId: $clientId) {
            clientId
            clientSecret
          }
        }
      `,
      { agencyId, clientId: 'ncb-fra-border' },
    );
    expect(created).toEqual({
      status: 200,
      body: { data: { createApiClient: { clientId: 'ncb-fra-border', clientSecret: expect.any(String) } } },
    });
    client = (created.body.data as { createApiClient: typeof client }).createApiClient;
  });

  test('that client runs the contract operations', async () => {
    const bearer = await token(client.clientId, client.clientSecret);
    const owner = { id: agencyId, name: 'NCB Paris', country: 'FRA' };
    expect(await graphql(bearer, readContract('whoami.graphql'))).toEqual({
      status: 200,
      body: {
        data: {
          me: {
            clientId: 'ncb-fra-border',
            agency: { id: agencyId, name: 'NCB Paris', kind: 'NCB', country: 'FRA' },
            scopes: NCB_SCOPES,
          },
        },
      },
    });
    const reported = await graphql(bearer, readContract('report-document.graphql'), {
      input: { ...REPORTED, status: 'STOLEN', theftCountry: 'FRA', theftDate: '2026-01-15' },
    });
    expect(reported).toEqual({
      status: 200,
      body: {
        data: {
          reportTravelDocument: {
            id: UUID,
            status: 'STOLEN',
            ...REPORTED,
            owner: { id: agencyId, country: 'FRA' },
          },
        },
      },
    });
    const recordId = (reported.body.data as { reportTravelDocument: { id: string } }).reportTravelDocument.id;
    expect(await graphql(bearer, readContract('parse-mrz.graphql'), { mrz: SPECIMEN_MRZ })).toEqual({
      status: 200,
      body: {
        data: {
          parseMrz: {
            format: 'TD3',
            ...SPECIMEN_DECODED,
            personalNumber: 'ZE184226B',
            checks: ['documentNumber', 'dateOfBirth', 'expiryDate', 'personalNumber', 'composite'].map(
              (field) => ({ field, valid: true }),
            ),
          },
        },
      },
    });
    const checked = await graphql(bearer, readContract('border-check.graphql'), {
      documents: [{ mrz: SPECIMEN_MRZ }, REPORTED],
    });
    expect(checked).toEqual({
      status: 200,
      body: {
        data: {
          checkDocuments: [
            {
              verdict: 'NO_HIT',
              problems: [],
              mrz: SPECIMEN_DECODED,
              document: {
                issuingCountry: 'UTO',
                documentNumber: 'L898902C3',
                sltdRecord: null,
                alerts: [],
                notices: [],
              },
              hit: null,
            },
            {
              verdict: 'HIT',
              problems: [],
              mrz: null,
              document: {
                issuingCountry: 'FRA',
                documentNumber: '19FR12345',
                sltdRecord: { id: recordId, status: 'STOLEN', documentType: 'PASSPORT', owner },
                alerts: [],
                notices: [],
              },
              hit: { id: UUID, status: 'PENDING' },
            },
          ],
        },
      },
    });
    const hitId = (checked.body.data as { checkDocuments: { hit: { id: string } | null }[] })
      .checkDocuments[1].hit!.id;
    expect(await graphql(bearer, readContract('hits.graphql'), {}, 'PendingHits')).toEqual({
      status: 200,
      body: {
        data: {
          hits: {
            edges: [
              {
                node: {
                  id: hitId,
                  status: 'PENDING',
                  checkedAt: expect.any(String),
                  checkedBy: { name: 'NCB Paris', country: 'FRA' },
                  record: { documentNumber: '19FR12345' },
                },
              },
            ],
          },
        },
      },
    });
    expect(await graphql(bearer, readContract('hits.graphql'), { id: hitId }, 'ConfirmHit')).toEqual({
      status: 200,
      body: { data: { confirmHit: { id: hitId, status: 'CONFIRMED' } } },
    });
    expect(await graphql(bearer, readContract('linked-records.graphql'), { first: 20 })).toEqual({
      status: 200,
      body: {
        data: { notices: { totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] } },
      },
    });
    expect(
      await graphql(bearer, readContract('screen-person.graphql'), {
        person: {
          surname: 'Eriksson',
          forenames: 'Anna Maria',
          dateOfBirth: '1974-08-12',
          nationality: 'UTO',
        },
      }),
    ).toEqual({ status: 200, body: { data: { screenPerson: [] } } });

    // Every step is in the one audit chain, written by the process that did it, under the caller that asked.
    const trail = await rows(
      `SELECT client_id, subgraph, operation, action, record_type, record_ids FROM audit.entries ORDER BY seq`,
    );
    const entry = (
      client_id: string | null,
      subgraph: string,
      operation: string,
      action: string,
      record_type: string,
      record_ids: string[],
    ) => ({ client_id, subgraph, operation, action, record_type, record_ids });
    expect(trail).toEqual([
      entry(null, 'partner-agencies', 'bootstrap', 'CREATE', 'Agency', [UUID]),
      entry(null, 'partner-agencies', 'bootstrap', 'CREATE', 'DataSharingAgreement', [UUID]),
      entry(null, 'partner-agencies', 'bootstrap', 'CREATE', 'ApiClient', ['gs-root']),
      entry('gs-root', 'partner-agencies', 'POST /oauth/token', 'TOKEN', 'AccessToken', [UUID]),
      entry('gs-root', 'partner-agencies', 'RegisterAgency__partner_agencies__0', 'CREATE', 'Agency', [
        agencyId,
      ]),
      entry(
        'gs-root',
        'partner-agencies',
        'GrantAgreement__partner_agencies__0',
        'CREATE',
        'DataSharingAgreement',
        [UUID],
      ),
      entry('gs-root', 'partner-agencies', 'CreateApiClient__partner_agencies__0', 'CREATE', 'ApiClient', [
        'ncb-fra-border',
      ]),
      entry('ncb-fra-border', 'partner-agencies', 'POST /oauth/token', 'TOKEN', 'AccessToken', [UUID]),
      entry(
        'ncb-fra-border',
        'travel-documents',
        'ReportDocument__travel_documents__0',
        'CREATE',
        'SltdRecord',
        [recordId],
      ),
      entry('ncb-fra-border', 'travel-documents', 'BorderCheck__travel_documents__0', 'HIT', 'SltdRecord', [
        recordId,
      ]),
      entry(
        'ncb-fra-border',
        'travel-documents',
        'BorderCheck__travel_documents__0',
        'CHECK',
        'TravelDocument',
        expect.any(Array),
      ),
      // The check's document not on file: its sltdRecord answered null, NOT_FOUND like any null answer.
      entry(
        'ncb-fra-border',
        'travel-documents',
        'BorderCheck__travel_documents__0',
        'REFUSE',
        'SltdRecord',
        [],
      ),
      entry('ncb-fra-border', 'travel-documents', 'PendingHits__travel_documents__0', 'READ', 'Hit', [hitId]),
      entry('ncb-fra-border', 'travel-documents', 'ConfirmHit__travel_documents__0', 'DECIDE', 'Hit', [
        hitId,
      ]),
    ]);
    expect(await rows('SELECT action FROM audit.entries WHERE client_id IS NULL')).toHaveLength(3);
  });
});
