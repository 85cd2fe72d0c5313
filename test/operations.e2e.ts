import { demoToken } from '../hub/demo-token';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { Writable } from 'node:stream';
import pino from 'pino';
import { startHub, type RunningHub } from '../hub/start-hub';
import { DEV_GATEWAY_CREDENTIAL } from '../shared/subgraph/config';
import { readContract } from './contract';
import {
  startTestHub,
  TEST_AUDIENCE,
  TEST_ISSUER,
  testDatabaseUrl,
  testSigningKey,
  type TestHub,
} from './hub';

/**
 * Operating the hub: health and readiness, Prometheus metrics on their own port, one JSON access log line per
 * request joined across processes by the request id, and a graceful shutdown that lets requests in flight finish.
 */
const BORDER_CHECK = readContract('border-check.graphql');
// Unreported: NO_HIT, and so no Hit is created in the shared test database.
const UNREPORTED = { issuingCountry: 'FRA', documentNumber: '00AA00000', documentType: 'PASSPORT' };

/** A hub like test/hub.ts's, with its log lines captured and its metrics served on a free port. */
class LogLines extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  readonly raw: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      this.raw.push(line);
      this.lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    done();
  }
}

async function borderCheck(base: string, accessToken: string, headers: Record<string, string> = {}) {
  return fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}`, ...headers },
    body: JSON.stringify({ query: BORDER_CHECK, variables: { documents: [UNREPORTED] } }),
  });
}

/** The value of one series in a Prometheus text exposition (0 when absent). */
function sample(exposition: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = exposition
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && wanted.every((pair) => l.includes(pair)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe('one hub, observed', () => {
  const logs = new LogLines();
  let hub: RunningHub;
  let base: string;
  let bpFra: string;

  beforeAll(async () => {
    hub = await startHub({
      databaseUrl: testDatabaseUrl(),
      gatewayPort: 0,
      host: '127.0.0.1',
      signingJwk: testSigningKey(),
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      tokenTtlSeconds: 300,
      gatewayCredential: DEV_GATEWAY_CREDENTIAL,
      authorizationMode: 'filter',
      supergraphSdl: fs.readFileSync('supergraph.graphql', 'utf8'),
      seed: 'none',
      pool: { size: 5 },
      log: pino({ level: 'info' }, logs),
      metrics: { port: 0, host: '127.0.0.1' },
    });
    base = hub.gatewayUrl.replace(/\/graphql$/, '');
    bpFra = await demoToken(base, 'bp-fra');
  });
  afterAll(() => hub.stop());

  test('/health and /ready answer JSON with 200 on the gateway and on each subgraph', async () => {
    for (const url of [base, ...Object.values(hub.subgraphs).map((s) => s.url.replace(/\/graphql$/, ''))]) {
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      expect(health.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await health.json()).toMatchObject({ status: 'ok' });
      const ready = await fetch(`${url}/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready' });
    }
    const ready = await (await fetch(`${base}/ready`)).json();
    expect(ready).toEqual({
      status: 'ready',
      service: 'gateway',
      subgraphs: {
        notices: 'ready',
        'travel-documents': 'ready',
        'document-alerts': 'ready',
        'partner-agencies': 'ready',
      },
      circuits: {
        notices: 'closed',
        'travel-documents': 'closed',
        'document-alerts': 'closed',
        'partner-agencies': 'closed',
      },
    });
  });

  test("a border check's request id is echoed and found in the gateway's and travel-documents' log lines", async () => {
    const requestId = `ops-${Date.now()}_check`;
    const response = await borderCheck(base, bpFra, { 'x-request-id': requestId });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe(requestId);
    await response.json();

    const lines = logs.lines.filter((line) => line.requestId === requestId && line.msg === 'request');
    const gateway = lines.find((line) => line.service === 'gateway');
    const travelDocuments = lines.find((line) => line.service === 'travel-documents');
    expect(gateway).toMatchObject({
      level: 30,
      operation: 'BorderCheck',
      status: 200,
      clientId: 'bp-fra',
      errors: ['UNAUTHORIZED_FIELD_OR_TYPE'],
    });
    expect(typeof gateway?.durationMs).toBe('number');
    expect(travelDocuments).toMatchObject({ status: 200, clientId: 'bp-fra' });
    expect(String(travelDocuments?.operation)).toMatch(/^BorderCheck__travel_documents__\d+$/);
    // No query text, no variables, no document number at info.
    const ours = logs.raw.filter((line) => line.includes(requestId));
    expect(ours.length).toBeGreaterThanOrEqual(2);
    for (const line of ours) {
      expect(line).not.toContain(UNREPORTED.documentNumber);
      expect(line).not.toContain('checkDocuments');
    }
  });

  test('a malformed or missing request id is replaced by a new one, echoed back', async () => {
    const headers: Record<string, string>[] = [
      { 'x-request-id': 'has spaces and ; semicolons' },
      { 'x-request-id': 'x'.repeat(101) },
      {},
    ];
    for (const header of headers) {
      const response = await borderCheck(base, bpFra, header);
      await response.json();
      const echoed = response.headers.get('x-request-id') ?? '';
      expect(echoed).toMatch(/^[0-9a-f-]{36}$/);
      expect(
        logs.lines.some((line) => line.requestId === echoed && line.service === 'travel-documents'),
      ).toBe(true);
    }
  });

  test('/metrics shows the operations, their errors, the denial by field, subgraph fetches and the pools', async () => {
    const before = await (await fetch(hub.metricsUrl as string)).text();
    const gatewayRequests = (text: string) =>
      sample(text, 'hub_requests_total', { service: 'gateway', operation: 'BorderCheck', status: '200' });
    const denials = (text: string) =>
      sample(text, 'hub_access_denials_total', { field: 'TravelDocument.notices' });
    for (let i = 0; i < 3; i++) await (await borderCheck(base, bpFra)).json();
    const anonymous = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(anonymous.status).toBe(200);

    const scrape = await fetch(hub.metricsUrl as string);
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toMatch(/^text\/plain/);
    const after = await scrape.text();
    expect(gatewayRequests(after) - gatewayRequests(before)).toBe(3);
    expect(denials(after) - denials(before)).toBe(3);
    expect(
      sample(after, 'hub_request_errors_total', {
        service: 'gateway',
        operation: 'BorderCheck',
        code: 'UNAUTHORIZED_FIELD_OR_TYPE',
      }),
    ).toBeGreaterThanOrEqual(3);
    expect(
      sample(after, 'hub_requests_total', { service: 'gateway', operation: 'anonymous', status: '200' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(after, 'hub_request_duration_seconds_count', { service: 'gateway', operation: 'BorderCheck' }),
    ).toBeGreaterThanOrEqual(3);
    expect(
      sample(after, 'hub_subgraph_fetch_duration_seconds_count', {
        subgraph: 'travel-documents',
        outcome: 'ok',
      }),
    ).toBeGreaterThanOrEqual(3);
    // travel-documents writes one CHECK row per border check.
    const auditRows = (text: string) =>
      sample(text, 'hub_audit_rows_written_total', { service: 'travel-documents' });
    expect(auditRows(after) - auditRows(before)).toBeGreaterThanOrEqual(3);
    const statements = (text: string) =>
      sample(text, 'hub_sql_statements_total', { service: 'travel-documents' });
    expect(statements(after)).toBeGreaterThan(statements(before));
    expect(after).toMatch(/^hub_db_pool_connections\{service="travel-documents"\} [1-9]/m);
    expect(after).toMatch(/^hub_db_pool_waiting_requests\{service="notices"\} 0$/m);
    // The token endpoint is a route of its own; process metrics come with the metrics port.
    expect(
      sample(after, 'hub_requests_total', { service: 'gateway', operation: '/oauth/token' }),
    ).toBeGreaterThan(0);
    expect(after).toContain('process_cpu_seconds_total');
  });

  test('metrics are not served on the API port', async () => {
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
  });
});

describe('readiness', () => {
  let testHub: TestHub;
  beforeAll(async () => {
    testHub = await startTestHub();
  });
  afterAll(async () => {
    // document-alerts is already stopped.
    await testHub.hub.gateway.stop();
    for (const [name, subgraph] of Object.entries(testHub.hub.subgraphs)) {
      if (name !== 'document-alerts') await subgraph.stop();
    }
    await testHub.hub.auditSealer?.stop();
  });

  test("the gateway's /ready turns 503 within seconds when a subgraph stops; /health stays 200", async () => {
    const base = testHub.hub.gatewayUrl.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/ready`)).status).toBe(200);
    await testHub.hub.subgraphs['document-alerts'].stop();
    const started = Date.now();
    const ready = await fetch(`${base}/ready`);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      status: 'unready',
      subgraphs: { 'document-alerts': 'unreachable', 'travel-documents': 'ready' },
    });
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });
});

describe('graceful shutdown (npm start, SIGTERM)', () => {
  let child: ChildProcess;
  let exited: Promise<number | null>;
  let base: string;
  const output: string[] = [];

  beforeAll(async () => {
    child = spawn(process.execPath, ['-r', '@swc-node/register', 'scripts/start.ts'], {
      cwd: path.resolve(__dirname, '..'),
      env: {
        ...process.env,
        // The one-process hub draining its own requests; the gateway-then-subgraphs stop of the other layouts:
        // test/process-layout.e2e.ts.
        HUB_LAYOUT: 'single',
        NODE_ENV: 'development',
        DATABASE_URL: testDatabaseUrl(),
        AUTH_SIGNING_KEY: JSON.stringify(testSigningKey()),
        PORT: '0',
        HOST: '127.0.0.1',
        METRICS_PORT: '0',
        SHUTDOWN_GRACE_MS: '10000',
        LOG_LEVEL: 'info',
        OTEL_EXPORTER_OTLP_ENDPOINT: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const lines = readline.createInterface({ input: child.stdout! });
    base = await new Promise<string>((resolve, reject) => {
      lines.on('line', (line) => {
        output.push(line);
        const match = /^\s+GraphQL\s+(http:\/\/\S+)\/graphql$/.exec(line);
        if (match) resolve(match[1]);
      });
      void exited.then((code) => reject(new Error(`npm start exited with ${code}:\n${output.join('\n')}`)));
    });
  }, 120_000);
  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  test('a request in flight when SIGTERM comes still completes with 200, new ones are refused, exit code 0', async () => {
    const accessToken = await demoToken(base, 'bp-fra');
    const body = JSON.stringify({ query: BORDER_CHECK, variables: { documents: [UNREPORTED] } });
    const half = Math.floor(body.length / 2);
    // The request goes in two halves: the server has it in hand (headers, half the body) when SIGTERM comes.
    const request = http.request(`${base}/graphql`, {
      method: 'POST',
      agent: false,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        authorization: `Bearer ${accessToken}`,
      },
    });
    const answer = new Promise<{ status: number; text: string; connection: string | undefined }>(
      (resolve, reject) => {
        request.on('response', (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text, connection: res.headers.connection }),
          );
        });
        request.on('error', reject);
      },
    );
    request.write(body.slice(0, half));
    await sleep(300);

    child.kill('SIGTERM');
    await waitFor(() => output.some((line) => line.includes('shutting down')));
    // Stopped accepting: a new connection is refused while the first request is still open.
    await expect(fetch(`${base}/health`)).rejects.toThrow();
    expect(child.exitCode).toBeNull();
    request.end(body.slice(half));

    const { status, text, connection } = await answer;
    expect(status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ data: { checkDocuments: [{ verdict: 'NO_HIT' }] } });
    expect(connection).toBe('close');
    expect(await exited).toBe(0);
    expect(output.join('\n')).toMatch(/"inFlight":1,.*"msg":"shutting down: finishing requests in flight"/);
    expect(output.join('\n')).toContain('"msg":"stopped"');
  }, 60_000);
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(25);
  }
}
