import 'reflect-metadata';
import { tokenVerificationOf } from '../shared/auth/config';
import { createTokenVerifier } from '../shared/auth/token-verifier';
import { ConfigError, loadConfig } from '../shared/config';
import { operationLimitsOf } from '../shared/limits';
import { createLogger } from '../shared/logger';
import { metricsListen } from '../shared/observability/config';
import { metrics } from '../shared/observability/metrics';
import { serveMetrics } from '../shared/observability/metrics-server';
import { installGracefulShutdown } from '../shared/observability/shutdown';
import { startTracing } from '../shared/observability/tracing';
import { announceReady, stopWithParent } from '../shared/observability/supervised';
import { gatewayEnvironment } from './config';
import { startGateway } from './server';
import { readSupergraph } from './supergraph';

/** `node dist/gateway/main.js`: the gateway as its own process (see docker-compose.yml). */
async function main(): Promise<void> {
  const env = loadConfig(gatewayEnvironment);
  const log = createLogger('gateway', env.LOG_LEVEL);
  // First: the HTTP instrumentation must be in place before the gateway makes its first call to a subgraph.
  const tracing = await startTracing('gateway', env.OTEL_EXPORTER_OTLP_ENDPOINT);
  const verifyToken = createTokenVerifier({
    issuer: env.AUTH_ISSUER,
    audience: env.AUTH_AUDIENCE,
    jwks: new URL(env.AUTH_JWKS_URL),
    limits: tokenVerificationOf(env),
  });
  const gateway = await startGateway({
    env,
    supergraphSdl: readSupergraph(env.SUPERGRAPH_PATH),
    verifyToken,
    log,
    limits: operationLimitsOf(env),
  });
  const metricsOptions = metricsListen(env);
  const metricsServer = metricsOptions ? await serveMetrics(metrics(), metricsOptions, log) : null;
  const shutdown = installGracefulShutdown({
    log,
    graceMs: env.SHUTDOWN_GRACE_MS,
    servers: () => [gateway.http],
    stop: async () => {
      await gateway.stop();
      await metricsServer?.close();
      await tracing?.shutdown();
    },
  });
  stopWithParent(shutdown);
  announceReady({ gateway: gateway.url });
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
