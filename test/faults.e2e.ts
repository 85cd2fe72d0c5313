import fs from 'node:fs';
import net from 'node:net';
import pino from 'pino';
import { freePort } from '../db/embedded-postgres';
import { startGateway, type RunningGateway } from '../gateway/server';
import { UnauthenticatedError } from '../shared/errors';
import { DEFAULT_OPERATION_LIMITS } from '../shared/limits';
import { DEV_GATEWAY_CREDENTIAL } from '../shared/subgraph/config';
import { readContract } from './contract';
import { startSubgraphProcess, waitUntil, type SubgraphProcess } from './fault-injection';
import { startTestHub, TEST_AUDIENCE, TEST_ISSUER, type GraphQLResponse, type TestHub } from './hub';

/**
 * Real faults while the hub runs: a subgraph process frozen (SIGSTOP) or killed, then resumed or restarted; the
 * database stopped and started again; the token service unreachable or silent. Each answer comes within a bound
 * (generous: it proves there is no hang, it is not a speed target), with what the healthy subgraphs know and an
 * error at the path of every field that is missing; and full answers come back without restarting the gateway.
 */
const BORDER_CHECK = readContract('border-check.graphql');
const LINKED_RECORDS = readContract('linked-records.graphql');

// Neither document is on file (so no Hit is written into the shared database); the first is covered by the
// specimen's Dial-Doc alert (numbers L898902C0-L898902C9), so its `alerts` is a non-empty list when all is well.
const DOCUMENTS = [
  { issuingCountry: 'UTO', documentNumber: 'L898902C5', documentType: 'PASSPORT' },
  { issuingCountry: 'FRA', documentNumber: '00AA00000', documentType: 'PASSPORT' },
];
const SPECIMEN_NOTICES = { first: 5, filter: { requestingCountry: 'UTO', types: ['YELLOW'] } };

const TIMEOUT_MS = 2000;
// Short waits for the subgraph that fails; the healthy ones keep the test hub's generous timeout, so that a busy
// machine cannot pass for a fault.
const RESILIENCE = {
  SUBGRAPH_TIMEOUTS: { 'document-alerts': TIMEOUT_MS },
  SUBGRAPH_BREAKER_FAILURES: 3,
  SUBGRAPH_BREAKER_HALF_OPEN_MS: 500,
  READY_TIMEOUT_MS: TIMEOUT_MS,
};
/** Far above the timeout: an answer later than this is a hang, not a slow machine. */
const NO_HANG_MS = 10 * TIMEOUT_MS;

type GraphQLError = NonNullable<GraphQLResponse['body']['errors']>[number];

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

const withCode = (response: GraphQLResponse, code: string) =>
  (response.body.errors ?? []).filter((error) => error.extensions?.code === code);

/** Every error that is not the expected "you may not see this field" (bp-fra has no notices:read). */
const faultErrors = (response: GraphQLResponse) =>
  (response.body.errors ?? []).filter((error) => error.extensions?.code !== 'UNAUTHORIZED_FIELD_OR_TYPE');

interface CheckResult {
  verdict: string;
  document: { documentNumber: string; sltdRecord: unknown; alerts: { alertNumber: string }[] | null } | null;
}

function borderCheckResults(response: GraphQLResponse): CheckResult[] {
  return (response.body.data?.checkDocuments ?? []) as CheckResult[];
}

/** The LinkedRecords answer's documents, each with its path in the response. */
function linkedDocuments(response: GraphQLResponse) {
  const connection = response.body.data?.notices as {
    edges: { node: { documents: { documentNumber: string; alerts: unknown[] | null }[] } }[];
  };
  return connection.edges.flatMap((edge, i) =>
    edge.node.documents.map((document, j) => ({
      path: ['notices', 'edges', i, 'node', 'documents', j],
      document,
    })),
  );
}

function expectUnavailable(errors: GraphQLError[], subgraph: string, reasons: string[]): void {
  for (const error of errors) {
    expect(error.message).toMatch(new RegExp(`^Subgraph "${subgraph}" is unavailable`));
    expect(error.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', subgraph, serviceName: subgraph });
    expect(reasons).toContain(error.extensions?.reason);
  }
}

describe('a frozen or dead subgraph costs only its own fields', () => {
  let hub: TestHub;
  let alerts: SubgraphProcess;
  let base: string;

  beforeAll(async () => {
    // document-alerts runs as its own process; the gateway and the other subgraphs in this one.
    const port = await freePort();
    hub = await startTestHub({
      subgraphResilience: RESILIENCE,
      externalSubgraphs: { 'document-alerts': `http://127.0.0.1:${port}/graphql` },
    });
    base = hub.hub.gatewayUrl.replace(/\/graphql$/, '');
    alerts = await startSubgraphProcess({
      name: 'document-alerts',
      port,
      databaseUrl: hub.databaseUrl,
      jwksUrl: `${base}/.well-known/jwks.json`,
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
    });
  });

  afterAll(async () => {
    await alerts?.stop();
    await hub?.stop();
  });

  const borderCheck = () => timed(() => hub.graphql('bp-fra', BORDER_CHECK, { documents: DOCUMENTS }));
  const linkedRecords = () => timed(() => hub.graphql('ncb-fra', LINKED_RECORDS, SPECIMEN_NOTICES));

  async function expectFullAnswers(): Promise<void> {
    const check = (await borderCheck()).result;
    expect(faultErrors(check)).toEqual([]);
    expect(borderCheckResults(check).map((r) => [r.verdict, r.document?.alerts?.length])).toEqual([
      ['NO_HIT', 1],
      ['NO_HIT', 0],
    ]);
    const linked = (await linkedRecords()).result;
    expect(linked.body.errors).toBeUndefined();
    const documents = linkedDocuments(linked);
    expect(documents.length).toBeGreaterThan(0);
    for (const { document } of documents) expect(document.alerts).toEqual(expect.any(Array));
    expect(documents.find((d) => d.document.documentNumber === 'L898902C3')?.document.alerts).toHaveLength(1);
  }

  /** Polls until both operations answer in full again: the subgraph is back and its circuit closed. */
  async function expectRecovery(): Promise<void> {
    await waitUntil(async () => {
      const check = (await borderCheck()).result;
      return faultErrors(check).length === 0;
    }, 30_000);
    await expectFullAnswers();
  }

  async function expectPartialAnswers(reasons: string[]): Promise<void> {
    // BorderCheck: the verdicts and SLTD data arrive; each document's alerts are null with an error at their path.
    const check = await borderCheck();
    expect(check.ms).toBeLessThan(NO_HANG_MS);
    expect(check.result.status).toBe(200);
    const results = borderCheckResults(check.result);
    expect(results.map((r) => [r.verdict, r.document?.documentNumber, r.document?.alerts])).toEqual([
      ['NO_HIT', 'L898902C5', null],
      ['NO_HIT', '00AA00000', null],
    ]);
    const checkErrors = faultErrors(check.result);
    expect(checkErrors.map((e) => e.path)).toEqual([
      ['checkDocuments', 0, 'document', 'alerts'],
      ['checkDocuments', 1, 'document', 'alerts'],
    ]);
    expectUnavailable(checkErrors, 'document-alerts', reasons);
    // bp-fra's own access errors are still there, unchanged.
    expect(withCode(check.result, 'UNAUTHORIZED_FIELD_OR_TYPE').length).toBeGreaterThan(0);

    // LinkedRecords: notices, subjects, SLTD records and owners arrive; every document's alerts is null, each
    // with its own error.
    const linked = await linkedRecords();
    expect(linked.ms).toBeLessThan(NO_HANG_MS);
    const documents = linkedDocuments(linked.result);
    expect(documents.length).toBeGreaterThan(0);
    const specimen = documents.find((d) => d.document.documentNumber === 'L898902C3');
    expect(specimen?.document).toMatchObject({
      issuingCountry: 'UTO',
      sltdRecord: { status: 'STOLEN', owner: { name: expect.any(String) } },
      alerts: null,
    });
    const linkedErrors = linked.result.body.errors ?? [];
    expect(linkedErrors.map((e) => e.path)).toEqual(documents.map((d) => [...d.path, 'alerts']));
    expectUnavailable(linkedErrors, 'document-alerts', reasons);
  }

  test('all answers are full while every subgraph runs', async () => {
    await expectFullAnswers();
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
  });

  test('frozen (SIGSTOP): partial answers within the timeout, /ready names it; full again after SIGCONT', async () => {
    alerts.freeze();
    try {
      // The first calls wait for the timeout; once the circuit opens, the next ones fail at once.
      await expectPartialAnswers(['TIMEOUT', 'CIRCUIT_OPEN']);
      await expectPartialAnswers(['TIMEOUT', 'CIRCUIT_OPEN']);
      const ready = await timed(() => fetch(`${base}/ready`));
      expect(ready.ms).toBeLessThan(NO_HANG_MS);
      expect(ready.result.status).toBe(503);
      expect(await ready.result.json()).toMatchObject({
        status: 'unready',
        subgraphs: {
          'document-alerts': 'unreachable',
          notices: 'ready',
          'travel-documents': 'ready',
          'partner-agencies': 'ready',
        },
        circuits: { 'document-alerts': expect.stringMatching(/^(open|half-open)$/), notices: 'closed' },
      });
    } finally {
      alerts.resume();
    }
    await expectRecovery();
    expect((await fetch(`${base}/ready`)).status).toBe(200);
  });

  test('killed: partial answers at once; full again once it is restarted on the same port', async () => {
    await alerts.kill();
    await expectPartialAnswers(['UNREACHABLE', 'CIRCUIT_OPEN']);
    // Refused connections cost no waiting: well under the timeout (bound still generous for a busy machine).
    const fast = await borderCheck();
    expect(fast.ms).toBeLessThan(NO_HANG_MS);
    expect(faultErrors(fast.result)).toHaveLength(2);
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ subgraphs: { 'document-alerts': 'unreachable' } });

    await alerts.start();
    await expectRecovery();
  });
});

describe('the token endpoint when partner-agencies is down', () => {
  let gateway: RunningGateway;
  let silent: net.Server;
  const sockets = new Set<net.Socket>();

  async function gatewayTo(partnerAgenciesUrl: string): Promise<RunningGateway> {
    return startGateway({
      env: {
        PORT: 0,
        HOST: '127.0.0.1',
        NOTICES_URL: 'http://127.0.0.1:9/graphql',
        TRAVEL_DOCUMENTS_URL: 'http://127.0.0.1:9/graphql',
        DOCUMENT_ALERTS_URL: 'http://127.0.0.1:9/graphql',
        PARTNER_AGENCIES_URL: partnerAgenciesUrl,
        GATEWAY_CREDENTIAL: DEV_GATEWAY_CREDENTIAL,
        AUTHORIZATION_MODE: 'filter',
        TOKEN_TIMEOUT_MS: TIMEOUT_MS,
      },
      supergraphSdl: fs.readFileSync('supergraph.graphql', 'utf8'),
      limits: DEFAULT_OPERATION_LIMITS,
      verifyToken: async () => {
        throw new UnauthenticatedError();
      },
      log: pino({ level: 'silent' }),
    });
  }

  const requestToken = (base: string) =>
    timed(() =>
      fetch(`${base}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: 'bp-fra',
          client_secret: 'x',
        }),
      }),
    );

  beforeAll(async () => {
    // Accepts connections and never answers: a frozen process, as the kernel presents it.
    silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });

  afterEach(async () => {
    await gateway?.stop();
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  test('no connection: 503 with an OAuth error body and Retry-After', async () => {
    gateway = await gatewayTo(`http://127.0.0.1:${await freePort()}/graphql`);
    const { result, ms } = await requestToken(`http://127.0.0.1:${gateway.port}`);
    expect(ms).toBeLessThan(NO_HANG_MS);
    expect(result.status).toBe(503);
    expect(result.headers.get('retry-after')).toBe('5');
    expect(await result.json()).toEqual({
      error: 'temporarily_unavailable',
      error_description: 'The token service cannot be reached; try again shortly',
    });
    const keys = await fetch(`http://127.0.0.1:${gateway.port}/.well-known/jwks.json`);
    expect(keys.status).toBe(503);
  });

  test('no answer: 504 after the timeout, not a hang', async () => {
    const address = silent.address() as net.AddressInfo;
    gateway = await gatewayTo(`http://127.0.0.1:${address.port}/graphql`);
    const { result, ms } = await requestToken(`http://127.0.0.1:${gateway.port}`);
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(NO_HANG_MS);
    expect(result.status).toBe(504);
    expect(await result.json()).toEqual({
      error: 'temporarily_unavailable',
      error_description: `The token service did not answer within ${TIMEOUT_MS} ms; try again shortly`,
    });
  });
});
