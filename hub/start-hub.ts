import type { JWK } from 'jose';
import type { Logger } from 'pino';
import { migrateAll } from '../db/migrate-all';
import type { PoolSettings } from '../db/pool';
import type { ReadReplicaSettings } from '../db/read-router';
import { seedDemoData, type SeedSummary } from '../db/seed/demo-data';
import { pickSubgraphResilience, type SubgraphResilienceEnvironment } from '../gateway/config';
import { startGateway, type RunningGateway } from '../gateway/server';
import { createTokenVerifier } from '../shared/auth/token-verifier';
import { DEFAULT_OPERATION_LIMITS, type OperationLimits } from '../shared/limits';
import { metrics } from '../shared/observability/metrics';
import {
  serveMetrics,
  type MetricsServerOptions,
  type RunningMetricsServer,
} from '../shared/observability/metrics-server';
import type { RunningSubgraph } from '../shared/subgraph/server';
import { startSubgraph } from '../shared/subgraph/start';
import { SUBGRAPHS } from '../subgraphs';
import { loadSigningKey } from '../subgraphs/partner-agencies/oauth/signing-key';
import { tokenRoutes, type TokenEndpointOptions } from '../subgraphs/partner-agencies/oauth/token.routes';
import { DEFAULT_TOKEN_VERIFICATION, type TokenVerificationLimits } from '../shared/auth/config';
import { DEFAULT_TOKEN_ENDPOINT, type TokenEndpointSettings } from '../subgraphs/partner-agencies/config';
import { DEFAULT_AUDIT_SEALING, DEV_AUDIT_CHAIN, type AuditChainSettings } from '../shared/audit/config';
import { startAuditSealer, type AuditSealer } from '../shared/audit/sealer';

/**
 * The whole hub in one process: the four subgraphs and the gateway, each on its own port and talking HTTP to
 * each other exactly as separate containers do. `npm start`, the end-to-end tests and the benchmarks run this;
 * docker-compose runs the same code as one process per service (gateway/main.ts, subgraphs/main.ts).
 */
export interface HubOptions {
  databaseUrl: string;
  /** 0 picks free ports (tests); `npm start` uses 4000-4004. */
  gatewayPort: number;
  subgraphPorts?: Partial<Record<string, number>>;
  host?: string;
  signingJwk: JWK;
  issuer: string;
  audience: string;
  tokenTtlSeconds: number;
  /** Longest token lifetime and clock skew the gateway and subgraphs accept (default 900 s and 30 s). */
  tokenVerification?: TokenVerificationLimits;
  /** The token endpoint's throttle and verification bound (default: the documented defaults). */
  tokenEndpoint?: TokenEndpointSettings;
  /**
   * The hub's clock (default: the system clock): the token endpoint, the token verifier of the gateway and the
   * subgraphs, and the subgraphs' resolvers (`context.now()`) read it. Tests move it instead of waiting.
   */
  clock?: () => Date;
  /** Test hooks of the token endpoint: its clock (default: the hub's) and secret verifier. */
  tokenEndpointHooks?: Pick<TokenEndpointOptions, 'clock' | 'verifier' | 'onGate'>;
  gatewayCredential: string;
  authorizationMode: 'filter' | 'reject';
  /** Production hides the explorer's schema and rules from callers without a token. Default: development. */
  nodeEnv?: 'development' | 'test' | 'production';
  /** The operation limits of the gateway and of every subgraph (default: the documented defaults). */
  limits?: OperationLimits;
  supergraphSdl: string;
  /**
   * The audit chain's keys and the sealer's pace (default: the development key). `null` runs no sealer (tests
   * that drive sealers themselves); another process's sealer, or the next start, seals the rows.
   */
  auditChain?: AuditChainSettings | null;
  seed: 'demo' | 'none' | 'production';
  /** Each subgraph's pool: size and timeouts (db/pool.ts); unset values take their defaults. */
  pool?: Partial<PoolSettings>;
  /** A streaming replica every subgraph sends its reads to (DATABASE_READ_URL); absent: the primary only. */
  readReplica?: ReadReplicaSettings | null;
  /** The gateway's timeouts and circuit breakers (gateway/config.ts); unset values take their defaults. */
  subgraphResilience?: Partial<SubgraphResilienceEnvironment>;
  /**
   * Subgraphs that run as processes of their own (fault tests, the chaos benchmark): not started here, and the
   * gateway calls them at these URLs.
   */
  externalSubgraphs?: Partial<Record<string, string>>;
  log: Logger;
  /**
   * Serve the process's one metrics registry (gateway and subgraphs, labelled by service) on this port
   * (0: a free one). Absent: metrics are still counted, but not served.
   */
  metrics?: MetricsServerOptions | null;
}

export interface RunningHub {
  gatewayUrl: string;
  gateway: RunningGateway;
  subgraphs: Record<string, RunningSubgraph>;
  seed: SeedSummary | null;
  /** This process's audit sealer (one per process, not per subgraph), when it runs one. */
  auditSealer: AuditSealer | null;
  /** `http://host:port/metrics`, when served. */
  metricsUrl: string | null;
  stop(): Promise<void>;
}

export async function startHub(options: HubOptions): Promise<RunningHub> {
  const { log } = options;
  const limits = options.limits ?? DEFAULT_OPERATION_LIMITS;
  await migrateAll(options.databaseUrl);
  const seed =
    options.seed === 'none'
      ? null
      : await seedDemoData(options.databaseUrl, { production: options.seed === 'production' });
  if (seed && !seed.skipped) log.info({ seed }, 'seeded demo data');

  const key = await loadSigningKey(options.signingJwk);
  // In one process the key set is at hand; separate processes fetch it from partner-agencies' JWKS URL.
  const verifyToken = createTokenVerifier({
    issuer: options.issuer,
    audience: options.audience,
    jwks: key.jwks,
    limits: options.tokenVerification ?? DEFAULT_TOKEN_VERIFICATION,
    clock: options.clock,
  });
  const tokenEndpoint: TokenEndpointOptions = {
    token: { issuer: options.issuer, audience: options.audience, ttlSeconds: options.tokenTtlSeconds },
    endpoint: options.tokenEndpoint ?? DEFAULT_TOKEN_ENDPOINT,
    gatewayCredential: options.gatewayCredential,
    clock: options.clock,
    ...options.tokenEndpointHooks,
  };

  const subgraphs: Record<string, RunningSubgraph> = {};
  let metricsServer: RunningMetricsServer | null = null;
  const auditChain =
    options.auditChain === undefined
      ? { keys: DEV_AUDIT_CHAIN, ...DEFAULT_AUDIT_SEALING }
      : options.auditChain;
  const auditSealer = auditChain
    ? startAuditSealer({
        databaseUrl: options.databaseUrl,
        ...auditChain,
        log: log.child({ worker: 'audit-sealer' }),
      })
    : null;
  try {
    if (options.metrics) metricsServer = await serveMetrics(metrics(), options.metrics, log);
    for (const { module, defaultPort } of SUBGRAPHS) {
      if (options.externalSubgraphs?.[module.name]) continue;
      subgraphs[module.name] = await startSubgraph(module, {
        databaseUrl: options.databaseUrl,
        port: options.subgraphPorts?.[module.name] ?? (options.gatewayPort === 0 ? 0 : defaultPort),
        host: options.host,
        pool: options.pool,
        readReplica: options.readReplica,
        gatewayCredential: options.gatewayCredential,
        verifyToken,
        limits,
        log: log.child({ service: module.name }),
        clock: options.clock,
        extraRoutes:
          module.name === 'partner-agencies' ? (db) => tokenRoutes(db, key, tokenEndpoint) : undefined,
      });
    }
    const urlOf = (name: string) => options.externalSubgraphs?.[name] ?? subgraphs[name].url;
    const gateway = await startGateway({
      env: {
        PORT: options.gatewayPort,
        HOST: options.host ?? '0.0.0.0',
        NOTICES_URL: urlOf('notices'),
        TRAVEL_DOCUMENTS_URL: urlOf('travel-documents'),
        DOCUMENT_ALERTS_URL: urlOf('document-alerts'),
        PARTNER_AGENCIES_URL: urlOf('partner-agencies'),
        GATEWAY_CREDENTIAL: options.gatewayCredential,
        AUTHORIZATION_MODE: options.authorizationMode,
        ...pickSubgraphResilience(options.subgraphResilience ?? {}),
        NODE_ENV: options.nodeEnv ?? 'development',
      },
      supergraphSdl: options.supergraphSdl,
      verifyToken,
      clock: options.clock,
      log: log.child({ service: 'gateway' }),
      limits,
    });
    return {
      gatewayUrl: gateway.url,
      gateway,
      subgraphs,
      seed,
      auditSealer,
      metricsUrl: metricsServer?.url ?? null,
      // The gateway first: its requests in flight still need the subgraphs. Each server drains before it closes.
      stop: async () => {
        try {
          await gateway.stop();
          await Promise.all(Object.values(subgraphs).map((subgraph) => subgraph.stop()));
        } finally {
          await auditSealer?.stop();
          await metricsServer?.close();
        }
      },
    };
  } catch (error) {
    for (const subgraph of Object.values(subgraphs)) await subgraph.stop();
    await auditSealer?.stop();
    await metricsServer?.close();
    throw error;
  }
}
