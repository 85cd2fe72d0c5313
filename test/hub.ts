import fs from 'node:fs';
import type { JWK } from 'jose';
import pg from 'pg';
import pino, { type Logger } from 'pino';
import { demoToken } from '../hub/demo-token';
import { startHub, type HubOptions, type RunningHub } from '../hub/start-hub';
import { DEFAULT_OPERATION_LIMITS, type OperationLimits } from '../shared/limits';
import { DEV_GATEWAY_CREDENTIAL } from '../shared/subgraph/config';

/**
 * The real hub for end-to-end tests: four subgraphs and the gateway on free ports, over the database the global
 * setup migrated and seeded. Tests talk to it over HTTP only.
 */
export interface TestHub {
  hub: RunningHub;
  databaseUrl: string;
  /** A fresh access token for a demo client (secret `demo-<id>`), from the real token endpoint. */
  token(clientId: string): Promise<string>;
  /** POSTs a GraphQL operation through the gateway as `clientId` (null: no token) and returns status and body. */
  graphql(
    clientId: string | null,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse>;
  /** Links every audit row written so far into the chain now, instead of within the sealer's next rounds. */
  sealAudit(): Promise<number>;
  stop(): Promise<void>;
}

export interface GraphQLResponse {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  };
}

export const TEST_ISSUER = 'http://hub.test';
export const TEST_AUDIENCE = 'border-data-hub';

export function testDatabaseUrl(): string {
  const url = process.env.HUB_TEST_DATABASE_URL;
  if (!url)
    throw new Error('HUB_TEST_DATABASE_URL is not set: run the tests through jest (test/global-setup.ts)');
  return url;
}

export function testSigningKey(): JWK {
  return JSON.parse(process.env.HUB_TEST_SIGNING_KEY ?? '{}') as JWK;
}

export interface TestHubOptions {
  authorizationMode?: 'filter' | 'reject';
  /** 'production' hides the explorer's schema and rules from callers without a token. */
  nodeEnv?: 'development' | 'production';
  /** Limits to change from their documented defaults. */
  limits?: Partial<OperationLimits>;
  log?: Logger;
  /** Another database than the run's shared one (the database-restart test brings its own). */
  databaseUrl?: string;
  subgraphResilience?: HubOptions['subgraphResilience'];
  tokenEndpoint?: HubOptions['tokenEndpoint'];
  tokenEndpointHooks?: HubOptions['tokenEndpointHooks'];
  /** The hub's clock (tokens, operation windows); move it instead of waiting. */
  clock?: HubOptions['clock'];
  /** The subgraphs' pool (size 5 unless said; timeouts: db/pool.ts defaults). */
  pool?: HubOptions['pool'];
  /** A streaming replica for the subgraphs' reads (DATABASE_READ_URL). */
  readReplica?: HubOptions['readReplica'];
  externalSubgraphs?: HubOptions['externalSubgraphs'];
  /** null: no sealer in this hub (the test drives its own). */
  auditChain?: HubOptions['auditChain'];
}

export async function startTestHub(options: TestHubOptions = {}): Promise<TestHub> {
  const databaseUrl = options.databaseUrl ?? testDatabaseUrl();
  const hub = await startHub({
    databaseUrl,
    gatewayPort: 0,
    host: '127.0.0.1',
    signingJwk: testSigningKey(),
    issuer: TEST_ISSUER,
    audience: TEST_AUDIENCE,
    tokenTtlSeconds: 300,
    gatewayCredential: DEV_GATEWAY_CREDENTIAL,
    authorizationMode: options.authorizationMode ?? 'filter',
    limits: { ...DEFAULT_OPERATION_LIMITS, ...options.limits },
    nodeEnv: options.nodeEnv,
    supergraphSdl: fs.readFileSync('supergraph.graphql', 'utf8'),
    seed: 'none',
    pool: { size: 5, ...options.pool },
    readReplica: options.readReplica,
    // Tests run on a shared, often saturated machine: the default 5 s would turn a slow answer into a missing
    // field. The fault tests set their own short timeouts.
    subgraphResilience: {
      SUBGRAPH_TIMEOUT_MS: 30_000,
      TOKEN_TIMEOUT_MS: 30_000,
      // Tests read the refusal's audit row as soon as the answer is in: the answer must wait for it.
      REFUSAL_AUDIT_TIMEOUT_MS: 30_000,
      ...options.subgraphResilience,
    },
    externalSubgraphs: options.externalSubgraphs,
    tokenEndpoint: options.tokenEndpoint,
    tokenEndpointHooks: options.tokenEndpointHooks,
    clock: options.clock,
    auditChain: options.auditChain,
    log: options.log ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  });
  const base = hub.gatewayUrl.replace(/\/graphql$/, '');
  const tokens = new Map<string, string>();
  const token = async (clientId: string) => {
    const cached = tokens.get(clientId);
    if (cached) return cached;
    const issued = await demoToken(base, clientId);
    tokens.set(clientId, issued);
    return issued;
  };
  const graphql = async (clientId: string | null, query: string, variables?: Record<string, unknown>) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (clientId) headers.authorization = `Bearer ${await token(clientId)}`;
    const response = await fetch(hub.gatewayUrl, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as GraphQLResponse['body'] };
  };
  const sealAudit = async () => {
    if (!hub.auditSealer) throw new Error('this test hub runs no audit sealer');
    return hub.auditSealer.sealNow(30_000);
  };
  return { hub, databaseUrl, token, graphql, sealAudit, stop: () => hub.stop() };
}

/**
 * A test file's hub and a client on its database: started before the file's tests, stopped after them, and
 * handed to `started` (which assigns the file's own `hub` and `db`).
 */
export function withTestHubAndDatabase(
  started: (running: { hub: TestHub; db: pg.Client }) => void,
  options: TestHubOptions = {},
): void {
  let running: { hub: TestHub; db: pg.Client } | undefined;
  beforeAll(async () => {
    const hub = await startTestHub(options);
    const db = new pg.Client({ connectionString: hub.databaseUrl });
    await db.connect();
    running = { hub, db };
    started(running);
  });
  afterAll(async () => {
    await running?.db.end();
    await running?.hub.stop();
  });
}
