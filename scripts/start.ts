import 'reflect-metadata';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded-postgres';
import { poolSettingsOf } from '../db/pool';
import { readReplicaOf } from '../db/read-router';
import { readSupergraph } from '../gateway/supergraph';
import { hubEnvironment, parseSigningKey } from '../hub/config';
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
 * embedded PostgreSQL whose data stays under DATA_DIR between runs. Ctrl-C (or SIGTERM) lets the requests in
 * flight finish, then stops everything, database included.
 */
async function main(): Promise<void> {
  const env = loadConfig(hubEnvironment);
  const log = createLogger('hub', env.LOG_LEVEL);
  const started = Date.now();
  // First: PostgreSQL's driver is instrumented when the first pool is created, HTTP before the first call.
  const tracing = await startTracing('border-data-hub', env.OTEL_EXPORTER_OTLP_ENDPOINT);
  if (tracing) log.info({ endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT }, 'tracing to OTLP');
  let database: EmbeddedDatabase | null = null;
  let hub: RunningHub | null = null;
  installGracefulShutdown({
    log,
    graceMs: env.SHUTDOWN_GRACE_MS,
    servers: () => (hub ? [hub.gateway.http, ...Object.values(hub.subgraphs).map((s) => s.http)] : []),
    stop: async () => {
      await hub?.stop();
      await database?.stop();
      await tracing?.shutdown();
    },
  });

  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    database = await startEmbeddedPostgres({
      dataDir: path.join(env.DATA_DIR, 'postgres'),
      port: env.EMBEDDED_PG_PORT,
      log: (line) => log.debug({ postgres: line }),
    });
    databaseUrl = database.url;
    log.info({ url: databaseUrl.replace(/:[^:@/]+@/, ':***@') }, 'embedded PostgreSQL running');
  }
  const signingJwk = env.AUTH_SIGNING_KEY
    ? parseSigningKey(env.AUTH_SIGNING_KEY)
    : await developmentSigningJwk(path.join(env.DATA_DIR, 'signing-key.json'));
  hub = await startHub({
    databaseUrl,
    gatewayPort: env.PORT,
    host: env.HOST,
    signingJwk,
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
  const base = `http://localhost:${hub.gateway.port}`;
  console.log(
    [
      '',
      `Border data hub ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      `  GraphQL      ${base}/graphql`,
      `  Token        POST ${base}/oauth/token  (demo clients: secret = demo-<client id>, e.g. bp-fra / demo-bp-fra)`,
      `  Keys         ${base}/.well-known/jwks.json`,
      `  Health       ${base}/health  ${base}/ready`,
      ...(hub.metricsUrl ? [`  Metrics      ${hub.metricsUrl}`] : []),
      ...Object.values(hub.subgraphs).map((s) => `  ${s.name.padEnd(18)} ${s.url}`),
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
