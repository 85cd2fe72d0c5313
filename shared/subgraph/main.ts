import type { DataSource } from 'typeorm';
import { ensureExtensions } from '../../db/extensions';
import type { TokenVerifier } from '../auth/token-verifier';
import { createTokenVerifier } from '../auth/token-verifier';
import { ConfigError, loadConfig } from '../config';
import type { Route } from '../http/server';
import { createLogger } from '../logger';
import { metricsListen } from '../observability/config';
import { metrics } from '../observability/metrics';
import { serveMetrics } from '../observability/metrics-server';
import { installGracefulShutdown } from '../observability/shutdown';
import { startTracing } from '../observability/tracing';
import type { SubgraphModule } from './module';
import { subgraphEnvironment, type SubgraphEnvironment } from './config';
import { startSubgraph } from './start';

/**
 * Entry point of one subgraph as its own process (one container per subgraph): validates the environment,
 * migrates its schema, serves, and on SIGTERM finishes its requests in flight before it closes its pool.
 */
export async function runSubgraphProcess(
  module: SubgraphModule<unknown>,
  defaultPort: number,
  extraRoutes?: (
    env: SubgraphEnvironment,
    verifyToken: TokenVerifier,
  ) => Promise<(db: DataSource) => Route[]>,
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
  });
  if (env.MIGRATE_ON_START) await ensureExtensions(env.DATABASE_URL);
  const running = await startSubgraph(module, {
    databaseUrl: env.DATABASE_URL,
    port: env.PORT,
    host: env.HOST,
    poolSize: env.DB_POOL_SIZE,
    migrate: env.MIGRATE_ON_START,
    gatewayCredential: env.GATEWAY_CREDENTIAL,
    verifyToken,
    log,
    extraRoutes: extraRoutes ? await extraRoutes(env, verifyToken) : undefined,
  });
  const metricsOptions = metricsListen(env);
  const metricsServer = metricsOptions ? await serveMetrics(metrics(), metricsOptions, log) : null;
  installGracefulShutdown({
    log,
    graceMs: env.SHUTDOWN_GRACE_MS,
    servers: () => [running.http],
    stop: async () => {
      await running.stop();
      await metricsServer?.close();
      await tracing?.shutdown();
    },
  });
}
