import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pg from 'pg';
import pino from 'pino';
import { metrics } from '../../shared/observability/metrics';
import { startTestHub, type TestHub } from '../hub';
import { graphqlWithToken, mintToken } from '../tokens';

/**
 * A refusal report the gateway could not deliver (gateway/refusal-audit.ts): partner-agencies, here a stand-in on
 * loopback in its place, hangs past REFUSAL_AUDIT_TIMEOUT_MS, answers 503, or is gone. The caller's answer is
 * whole either way — the refused field null with its UNAUTHORIZED_FIELD_OR_TYPE error — and each lost row is one
 * `hub_refusal_audit_failures_total` increment of its reason and one `refusal not audited` warning naming what
 * the row would have held (docs/security.md, "Audit of refusals").
 *
 * partner-agencies is not running in this hub, so its token endpoint is not either: the caller's token is signed
 * with the hub's key, as partner-agencies signs them.
 */
// Long enough that a loaded machine still gets the stand-in's 503 within it (counted as rejected, not as a
// timeout): the hanging case waits it out once.
const REFUSAL_AUDIT_TIMEOUT_MS = 3000;

class LogLines extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
      this.lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  }
}

type Behaviour = 'hang' | 'fail';

/** Stands where partner-agencies would: holds every request (`hang`) or answers 503 (`fail`). */
class StandIn {
  behaviour: Behaviour = 'hang';
  readonly received: string[] = [];
  private readonly held = new Set<http.ServerResponse>();
  private readonly server = http.createServer((req, res) => {
    this.received.push(`${req.method ?? ''} ${req.url ?? ''}`);
    req.resume();
    if (this.behaviour === 'fail') res.writeHead(503).end('{}');
    else this.held.add(res);
  });

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/graphql`;
  }

  close(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.held.clear();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const logs = new LogLines();
const standIn = new StandIn();
let hub: TestHub;
let token: string;

beforeAll(async () => {
  const partnerAgenciesUrl = await standIn.listen();
  hub = await startTestHub({
    externalSubgraphs: { 'partner-agencies': partnerAgenciesUrl },
    subgraphResilience: { REFUSAL_AUDIT_TIMEOUT_MS },
    log: pino({ level: 'warn' }, logs),
  });
  const db = new pg.Client({ connectionString: hub.databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ id: string }>(
      `SELECT id::text FROM partners.agencies WHERE code = 'BP-FRA'`,
    );
    // A border police's check scope: the document's SLTD record is sltd:summary's, so the gateway refuses it.
    token = await mintToken({
      clientId: 'bp-fra',
      agencyId: rows[0].id,
      agencyKind: 'NATIONAL_ENTITY',
      country: 'FRA',
      scopes: ['sltd:check'],
    });
  } finally {
    await db.end();
  }
});
afterAll(async () => {
  await standIn.close();
  await hub?.stop();
});

const PROBE = `query Probe { travelDocument(issuingCountry: "FRA", documentNumber: "00AA00000") {
  issuingCountry sltdRecord { id }
} }`;

/** The answer does not depend on whether the refusal's row could be written. */
const WHOLE_ANSWER = {
  status: 200,
  body: {
    data: { travelDocument: { issuingCountry: 'FRA', sltdRecord: null } },
    errors: [
      {
        message: 'Unauthorized field or type',
        path: ['travelDocument', 'sltdRecord'],
        extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
      },
    ],
  },
};

async function failures(): Promise<Record<string, number>> {
  const metric = metrics().registry.getSingleMetric('hub_refusal_audit_failures_total');
  const { values } = await (metric as NonNullable<typeof metric>).get();
  return Object.fromEntries(values.map((v) => [String(v.labels.reason), v.value]));
}

/** Sends the probe; returns its answer, what it added to each reason's count, and the warnings it logged. */
async function probe() {
  const countsBefore = await failures();
  const linesBefore = logs.lines.length;
  const receivedBefore = standIn.received.length;
  const answer = await graphqlWithToken(hub, token, PROBE);
  const countsAfter = await failures();
  const added = Object.fromEntries(
    Object.entries(countsAfter).map(([reason, n]) => [reason, n - (countsBefore[reason] ?? 0)]),
  );
  const warnings = logs.lines
    .slice(linesBefore)
    .filter((line) => line.msg === 'refusal not audited')
    .map(({ clientId, operation, fields, reason }) => ({ clientId, operation, fields, reason }));
  return { answer, added, warnings, received: standIn.received.slice(receivedBefore) };
}

test('a partner-agencies that hangs: the answer goes at the bound, one timeout counted and logged', async () => {
  standIn.behaviour = 'hang';
  expect(await probe()).toEqual({
    answer: WHOLE_ANSWER,
    added: { timeout: 1, rejected: 0, unreachable: 0 },
    warnings: [
      {
        clientId: 'bp-fra',
        operation: 'Probe',
        fields: ['TravelDocument.sltdRecord'],
        reason: `no answer within ${REFUSAL_AUDIT_TIMEOUT_MS} ms`,
      },
    ],
    received: ['POST /internal/refusals'],
  });
});

test('a partner-agencies that answers 503: one rejected report counted and logged', async () => {
  standIn.behaviour = 'fail';
  expect(await probe()).toEqual({
    answer: WHOLE_ANSWER,
    added: { timeout: 0, rejected: 1, unreachable: 0 },
    warnings: [
      {
        clientId: 'bp-fra',
        operation: 'Probe',
        fields: ['TravelDocument.sltdRecord'],
        reason: 'partner-agencies answered 503',
      },
    ],
    received: ['POST /internal/refusals'],
  });
});

test('a partner-agencies that is gone: one unreachable report counted and logged', async () => {
  await standIn.close();
  expect(await probe()).toEqual({
    answer: WHOLE_ANSWER,
    added: { timeout: 0, rejected: 0, unreachable: 1 },
    warnings: [
      {
        clientId: 'bp-fra',
        operation: 'Probe',
        fields: ['TravelDocument.sltdRecord'],
        reason: 'partner-agencies unreachable',
      },
    ],
    received: [],
  });
});

test('an answer with nothing refused sends no report and counts nothing', async () => {
  const sent = await probeWithout();
  expect(sent).toEqual({
    answer: { status: 200, body: { data: { travelDocument: { issuingCountry: 'FRA' } } } },
    added: { timeout: 0, rejected: 0, unreachable: 0 },
  });
});

async function probeWithout() {
  const before = await failures();
  const answer = await graphqlWithToken(
    hub,
    token,
    `{ travelDocument(issuingCountry: "FRA", documentNumber: "00AA00000") { issuingCountry } }`,
  );
  const after = await failures();
  return {
    answer,
    added: Object.fromEntries(Object.entries(after).map(([k, n]) => [k, n - (before[k] ?? 0)])),
  };
}
