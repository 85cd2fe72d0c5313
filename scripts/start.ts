import 'reflect-metadata';
import path from 'node:path';
import type { JWK } from 'jose';
import type { Logger } from 'pino';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded-postgres';
import { migrateAll } from '../db/migrate-all';
import { poolSettingsOf } from '../db/pool';
import { readReplicaOf } from '../db/read-router';
import { seedDemoData } from '../db/seed/demo-data';
import { readSupergraph } from '../gateway/supergraph';
import { hubEnvironment, parseSigningKey, type HubEnvironment } from '../hub/config';
import { startHubProcesses, type RunningHubProcesses } from '../hub/processes';
import { startHub, type RunningHub } from '../hub/start-hub';
import { tokenVerificationOf } from '../shared/auth/config';
import { tokenEndpointOf } from '../subgraphs/partner-agencies/config';
import { ConfigError, loadConfig } from '../shared/config';
import { createLogger } from '../shared/logger';
import { metricsListen } from '../shared/observability/config';
import { installGracefulShutdown } from '../shared/observability/shutdown';
import { startTracing } from '../shared/observability/tracing';
import { developmentSigningJwk } from '../subgraphs/partner-agencies/oauth/signing-key';
import { operationLimitsOf } from '../shared/limits';
import { auditChainOf } from '../shared/audit/config';

/**
 * `npm start`: the whole hub with demo data, with no configuration at all. Without DATABASE_URL it runs an
 * embedded PostgreSQL whose data stays under DATA_DIR between runs. HUB_LAYOUT says whether the gateway and the
 * subgraphs share this process (`single`) or run as child processes of it (`pair`, `split`: hub/processes.ts).
 * Ctrl-C (or SIGTERM) lets the requests in flight finish, then stops everything, database included.
 */
async function main(): Promise<void> {
  const env = loadConfig(hubEnvironment);
  const log = createLogger('hub', env.LOG_LEVEL);
  const started = Date.now();
  let database: EmbeddedDatabase | null = null;
  let databaseUrl = env.DATABASE_URL;
  const startDatabase = async () => {
    if (databaseUrl) return databaseUrl;
    database = await startEmbeddedPostgres({
      dataDir: path.join(env.DATA_DIR, 'postgres'),
      port: env.EMBEDDED_PG_PORT,
      // Stopped last, by the shutdown below, once the hub's requests in flight (and their audit rows) are done.
      stoppedByCaller: true,
      log: (line) => log.debug({ postgres: line }),
    });
    databaseUrl = database.url;
    log.info({ url: databaseUrl.replace(/:[^:@/]+@/, ':***@') }, 'embedded PostgreSQL running');
    return databaseUrl;
  };
  const signingKey = async () =>
    env.AUTH_SIGNING_KEY
      ? parseSigningKey(env.AUTH_SIGNING_KEY)
      : await developmentSigningJwk(path.join(env.DATA_DIR, 'signing-key.json'));
  const ready =
    env.HUB_LAYOUT === 'single'
      ? await startSingle(env, log, startDatabase, signingKey, () => database)
      : await startProcesses(env, env.HUB_LAYOUT, log, startDatabase, signingKey, () => database);
  const base = `http://localhost:${new URL(ready.gatewayUrl).port}`;
  console.log(
    [
      '',
      `Border data hub ready in ${((Date.now() - started) / 1000).toFixed(1)} s (HUB_LAYOUT=${env.HUB_LAYOUT})`,
      `  GraphQL      ${base}/graphql`,
      `  Token        POST ${base}/oauth/token  (demo clients: secret = demo-<client id>, e.g. bp-fra / demo-bp-fra)`,
      `  Keys         ${base}/.well-known/jwks.json`,
      `  Health       ${base}/health  ${base}/ready`,
      ...ready.lines,
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

interface Ready {
  gatewayUrl: string;
  /** The banner's lines about where the rest runs. */
  lines: string[];
}

/** Everything in this process (hub/start-hub.ts). */
async function startSingle(
  env: HubEnvironment,
  log: Logger,
  startDatabase: () => Promise<string>,
  signingKey: () => Promise<JWK>,
  database: () => EmbeddedDatabase | null,
): Promise<Ready> {
  // First: PostgreSQL's driver is instrumented when the first pool is created, HTTP before the first call.
  const tracing = await startTracing('border-data-hub', env.OTEL_EXPORTER_OTLP_ENDPOINT);
  if (tracing) log.info({ endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT }, 'tracing to OTLP');
  let hub: RunningHub | null = null;
  installGracefulShutdown({
    log,
    graceMs: env.SHUTDOWN_GRACE_MS,
    servers: () => (hub ? [hub.gateway.http, ...Object.values(hub.subgraphs).map((s) => s.http)] : []),
    stop: async () => {
      await hub?.stop();
      await database()?.stop();
      await tracing?.shutdown();
    },
  });
  const databaseUrl = await startDatabase();
  hub = await startHub({
    databaseUrl,
    gatewayPort: env.PORT,
    host: env.HOST,
    signingJwk: await signingKey(),
    issuer: env.AUTH_ISSUER,
    audience: env.AUTH_AUDIENCE,
    tokenTtlSeconds: env.TOKEN_TTL_SECONDS,
    tokenVerification: tokenVerificationOf(env),
    tokenEndpoint: tokenEndpointOf(env),
    gatewayCredential: env.GATEWAY_CREDENTIAL,
    authorizationMode: env.AUTHORIZATION_MODE,
    limits: operationLimitsOf(env),
    nodeEnv: env.NODE_ENV,
    supergraphSdl: readSupergraph(env.SUPERGRAPH_PATH),
    seed: env.NODE_ENV === 'production' ? 'production' : 'demo',
    pool: poolSettingsOf(env),
    readReplica: readReplicaOf(env),
    auditChain: auditChainOf(env),
    subgraphResilience: env,
    log,
    metrics: metricsListen(env),
  });
  return {
    gatewayUrl: hub.gatewayUrl,
    lines: [
      ...(hub.metricsUrl ? [`  Metrics      ${hub.metricsUrl}`] : []),
      ...Object.values(hub.subgraphs).map((s) => `  ${s.name.padEnd(18)} ${s.url}`),
    ],
  };
}

/**
 * The gateway and the subgraphs as child processes (hub/processes.ts), each with the production entry point and
 * its own tracing and metrics; this process owns the database, migrates and seeds it once, and stops the children.
 */
async function startProcesses(
  env: HubEnvironment,
  layout: 'pair' | 'split',
  log: Logger,
  startDatabase: () => Promise<string>,
  signingKey: () => Promise<JWK>,
  database: () => EmbeddedDatabase | null,
): Promise<Ready> {
  let processes: RunningHubProcesses | null = null;
  let failed = false;
  // Each child drains within SHUTDOWN_GRACE_MS (+5 s to close); the gateway stops before the subgraphs.
  const stopTimeoutMs = env.SHUTDOWN_GRACE_MS + 5_000;
  const shutdown = installGracefulShutdown({
    log,
    graceMs: 2 * stopTimeoutMs,
    servers: () => [],
    stop: async () => {
      await processes?.stop();
      await database()?.stop();
    },
    exit: (code) => process.exit(failed ? 1 : code),
  });
  const databaseUrl = await startDatabase();
  await migrateAll(databaseUrl);
  // As startHub does in one process: the demo data, or in production only what production needs of it.
  const seed = await seedDemoData(databaseUrl, { production: env.NODE_ENV === 'production' });
  if (!seed.skipped) log.info({ seed }, 'seeded demo data');
  processes = await startHubProcesses({
    layout,
    env: process.env,
    databaseUrl,
    signingJwk: await signingKey(),
    gatewayCredential: env.GATEWAY_CREDENTIAL,
    gatewayPort: env.PORT,
    host: env.HOST,
    metricsPort: env.METRICS_PORT,
    stopTimeoutMs,
    log,
    onUnexpectedExit: () => {
      // Half a hub answers with errors at the paths of what is missing: stop, and say so with the exit code.
      failed = true;
      void shutdown('a hub process exited');
    },
  });
  return {
    gatewayUrl: processes.gatewayUrl,
    lines: processes.processes.flatMap((p) =>
      Object.entries(p.urls)
        .filter(([service]) => service !== 'gateway')
        .map(([service, url]) => `  ${service.padEnd(18)} ${url}  (process ${p.name}, pid ${p.pid})`)
        .concat(p.name === 'gateway' ? [`  ${'gateway'.padEnd(18)} pid ${p.pid}`] : []),
    ),
  };
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
