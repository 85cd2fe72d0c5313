import 'reflect-metadata';
import { createTokenVerifier } from '../shared/auth/token-verifier';
import { ConfigError, loadConfig } from '../shared/config';
import { createLogger } from '../shared/logger';
import { gatewayEnvironment } from './config';
import { startGateway } from './server';
import { readSupergraph } from './supergraph';

/** `node dist/gateway/main.js`: the gateway as its own process (see docker-compose.yml). */
async function main(): Promise<void> {
  const env = loadConfig(gatewayEnvironment);
  const log = createLogger('gateway', env.LOG_LEVEL);
  const verifyToken = createTokenVerifier({
    issuer: env.AUTH_ISSUER,
    audience: env.AUTH_AUDIENCE,
    jwks: new URL(env.AUTH_JWKS_URL),
  });
  const gateway = await startGateway({
    env,
    supergraphSdl: readSupergraph(env.SUPERGRAPH_PATH),
    verifyToken,
    log,
  });
  const stop = async () => {
    log.info('stopping');
    await gateway.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
