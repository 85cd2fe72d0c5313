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
import { startAuditSealer } from '../audit/sealer';

/**
 * Entry point of one subgraph as its own process (one container per subgraph): validates the environment,
 * serves, and on SIGTERM finishes its requests in flight before it closes its pool. In production the database
 * is migrated beforehand by `npm run migrate`; outside it (or with MIGRATE_ON_START=true) the process runs the
 * same whole migrate step first, under the same lock, so the audit and outbox schemas exist whichever starts.
 */
export interface SubgraphProcessOptions {
  /** The whole migrate step (db/migrate-all.ts, which knows every schema): passed in by the entry point. */
  migrate(databaseUrl: string): Promise<unknown>;
  extraRoutes?: (
    env: SubgraphEnvironment,
    verifyToken: TokenVerifier,
  ) => Promise<(db: DataSource) => Route[]>;
}

export async function runSubgraphProcess(
  module: SubgraphModule<unknown>,
  defaultPort: number,
  { migrate, extraRoutes }: SubgraphProcessOptions,
): Promise<void> {
  let env: SubgraphEnvironment;
  try {
    env = loadConfig(subgraphEnvironment(defaultPort));
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  }
  const log = createLogger(module.name, env.LOG_LEVEL);
  // Before the database pool is created: PostgreSQL's driver is patched when TypeORM loads it.
  const tracing = await startTracing(module.name, env.OTEL_EXPORTER_OTLP_ENDPOINT);
  const verifyToken = createTokenVerifier({
    issuer: env.AUTH_ISSUER,
    audience: env.AUTH_AUDIENCE,
    jwks: new URL(env.AUTH_JWKS_URL),
    limits: tokenVerificationOf(env),
  });
  if (env.MIGRATE_ON_START) {
    log.info({ migrations: await migrate(env.DATABASE_URL) }, 'migrated at start');
  }
  const running = await startSubgraph(module, {
    databaseUrl: env.DATABASE_URL,
    port: env.PORT,
    host: env.HOST,
    pool: poolSettingsOf(env),
    readReplica: readReplicaOf(env),
    gatewayCredential: env.GATEWAY_CREDENTIAL,
    verifyToken,
    limits: operationLimitsOf(env),
    log,
    extraRoutes: extraRoutes ? await extraRoutes(env, verifyToken) : undefined,
  });
  // Every subgraph process runs a sealer; one at a time links a batch (shared/audit/sealer.ts).
  const sealer = startAuditSealer({
    databaseUrl: env.DATABASE_URL,
    ...auditChainOf(env),
    log: log.child({ worker: 'audit-sealer' }),
  });
  const metricsOptions = metricsListen(env);
  const metricsServer = metricsOptions ? await serveMetrics(metrics(), metricsOptions, log) : null;
  installGracefulShutdown({
    log,
    graceMs: env.SHUTDOWN_GRACE_MS,
    servers: () => [running.http],
    stop: async () => {
      await running.stop();
      await sealer.stop();
      await metricsServer?.close();
      await tracing?.shutdown();
    },
  });
}
