import type { TokenVerifier } from '../auth/token-verifier';
import { createTokenVerifier } from '../auth/token-verifier';
import { ConfigError, loadConfig } from '../config';
import type { Route } from '../http/server';
import { createLogger } from '../logger';
import type { SubgraphModule } from './module';
import { subgraphEnvironment, type SubgraphEnvironment } from './config';
import { startSubgraph } from './start';
import type { DataSource } from 'typeorm';
import { ensureExtensions } from '../../db/extensions';

/**
 * Entry point of one subgraph as its own process (one container per subgraph): validates the environment,
 * migrates its schema, serves, and stops cleanly on SIGTERM.
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
  const stop = async () => {
    log.info('stopping');
    await running.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}
