import type { DataSource } from 'typeorm';
import { poolSettingsOf } from '../../db/pool';
import { readReplicaOf } from '../../db/read-router';
import type { TokenVerifier } from '../auth/token-verifier';
import { tokenVerificationOf } from '../auth/config';
import { createTokenVerifier } from '../auth/token-verifier';
import { ConfigError, loadConfig } from '../config';
import type { Route } from '../http/server';
import { operationLimitsOf } from '../limits';
import { createLogger } from '../logger';
import { metricsListen } from '../observability/config';
import { metrics } from '../observability/metrics';
import { serveMetrics } from '../observability/metrics-server';
import { installGracefulShutdown } from '../observability/shutdown';
import { startTracing } from '../observability/tracing';
import type { SubgraphModule } from './module';
import { subgraphEnvironment, type SubgraphEnvironment } from './config';
import { startSubgraph } from './start';
import { auditChainOf } from '../audit/config';
import { announceReady, stopWithParent } from '../observability/supervised';
import type { RunningSubgraph } from './server';
import { startAuditSealer } from '../audit/sealer';

/**
 * Entry point of one subgraph as its own process (one container per subgraph), or of several subgraphs in one
 * process (`npm start`'s `pair` layout, hub/processes.ts): validates the environment, serves, and on SIGTERM
 * finishes its requests in flight before it closes its pools. In production the database is migrated beforehand
 * by `npm run migrate`; outside it (or with MIGRATE_ON_START=true) the process runs the same whole migrate step
 * first, under the same lock, so the audit and outbox schemas exist whichever starts.
 *
 * One subgraph listens on PORT. Several listen each on its default port (4001-4004), or each on a free port with
 * PORT=0. A process serving partner-agencies checks tokens against the key set it serves itself.
 */
export interface SubgraphProcessOptions {
  /** The whole migrate step (db/migrate-all.ts, which knows every schema): passed in by the entry point. */
  migrate(databaseUrl: string): Promise<unknown>;
  /** Routes beyond a subgraph's own (partner-agencies' token endpoint), by subgraph name. */
  extraRoutes?: (
    name: string,
    env: SubgraphEnvironment,
    verifyToken: TokenVerifier,
  ) => Promise<((db: DataSource) => Route[]) | undefined>;
}

export interface SubgraphProcessEntry {
  module: SubgraphModule<unknown>;
  defaultPort: number;
}

export async function runSubgraphProcess(
  entries: readonly SubgraphProcessEntry[],
  { migrate, extraRoutes }: SubgraphProcessOptions,
): Promise<void> {
  const alone = entries.length === 1;
  let env: SubgraphEnvironment;
  try {
    env = loadConfig(subgraphEnvironment(alone ? entries[0].defaultPort : PAIR_DEFAULT_PORT));
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  }
  const name = alone ? entries[0].module.name : 'subgraphs';
  const log = createLogger(name, env.LOG_LEVEL);
  // Before the database pool is created: PostgreSQL's driver is patched when TypeORM loads it.
  const tracing = await startTracing(name, env.OTEL_EXPORTER_OTLP_ENDPOINT);
  if (env.MIGRATE_ON_START) {
    log.info({ migrations: await migrate(env.DATABASE_URL) }, 'migrated at start');
  }
  // partner-agencies first: the others (and partner-agencies itself) check tokens against its key set.
  const ordered = [...entries].sort(
    (a, b) => Number(b.module.name === PARTNER_AGENCIES) - Number(a.module.name === PARTNER_AGENCIES),
  );
  let jwksUrl = new URL(env.AUTH_JWKS_URL);
  let checkTokens: TokenVerifier | null = null;
  const verifierFor = (url: URL) =>
    createTokenVerifier({
      issuer: env.AUTH_ISSUER,
      audience: env.AUTH_AUDIENCE,
      jwks: url,
      limits: tokenVerificationOf(env),
    });
  // Until this process's own partner-agencies listens (on a free port, say) its key set's URL is not known yet.
  const verifyToken: TokenVerifier = (token) => (checkTokens ?? (checkTokens = verifierFor(jwksUrl)))(token);
  const running: RunningSubgraph[] = [];
  const stopAll = async () => {
    for (const subgraph of running) await subgraph.stop();
  };
  try {
    for (const { module, defaultPort } of ordered) {
      const subgraph = await startSubgraph(module, {
        databaseUrl: env.DATABASE_URL,
        port: alone || env.PORT === 0 ? env.PORT : defaultPort,
        host: env.HOST,
        pool: poolSettingsOf(env),
        readReplica: readReplicaOf(env),
        gatewayCredential: env.GATEWAY_CREDENTIAL,
        verifyToken,
        limits: operationLimitsOf(env),
        log: alone ? log : log.child({ service: module.name }),
        extraRoutes: await extraRoutes?.(module.name, env, verifyToken),
      });
      running.push(subgraph);
      // The process that serves the key set checks tokens against it where it listens (a free port included).
      if (module.name === PARTNER_AGENCIES) {
        jwksUrl = new URL('/.well-known/jwks.json', subgraph.url);
        checkTokens = null;
      }
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  // One sealer per process; one at a time links a batch (shared/audit/sealer.ts).
  const sealer = startAuditSealer({
    databaseUrl: env.DATABASE_URL,
    ...auditChainOf(env),
    log: log.child({ worker: 'audit-sealer' }),
  });
  const metricsOptions = metricsListen(env);
  const metricsServer = metricsOptions ? await serveMetrics(metrics(), metricsOptions, log) : null;
  const shutdown = installGracefulShutdown({
    log,
    graceMs: env.SHUTDOWN_GRACE_MS,
    servers: () => running.map((subgraph) => subgraph.http),
    stop: async () => {
      await stopAll();
      await sealer.stop();
      await metricsServer?.close();
      await tracing?.shutdown();
    },
  });
  stopWithParent(shutdown);
  announceReady(Object.fromEntries(running.map((subgraph) => [subgraph.name, subgraph.url])));
}

const PARTNER_AGENCIES = 'partner-agencies';
/** Several subgraphs in one process: metrics on 9401 (the first subgraph's), as one subgraph alone would. */
const PAIR_DEFAULT_PORT = 4001;
