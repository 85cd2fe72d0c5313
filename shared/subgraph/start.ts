import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { createSubgraphDataSource } from '../../db/data-source';
import type { PoolSettings } from '../../db/pool';
import { ReadRouter, type ReadReplicaSettings } from '../../db/read-router';
import type { TokenVerifier } from '../auth/token-verifier';
import type { OperationLimits } from '../limits';
import type { Route } from '../http/server';
import type { SubgraphModule } from './module';
import { startSubgraphServer, type RunningSubgraph } from './server';

export interface SubgraphRuntime {
  databaseUrl: string;
  port: number;
  host?: string;
  pool?: Partial<PoolSettings>;
  /** A streaming replica for reads (DATABASE_READ_URL), with the same pool settings; absent: the primary only. */
  readReplica?: ReadReplicaSettings | null;
  gatewayCredential: string;
  verifyToken: TokenVerifier;
  limits: OperationLimits;
  log: Logger;
  /** Routes beyond the module's own (partner-agencies adds the token endpoint, which needs its signing key). */
  extraRoutes?: (db: DataSource) => Route[];
  /** Where the subgraph's own settings are read from (SubgraphModule.readSettings), once; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** The hub's clock (default: the system clock); tests move it. */
  clock?: () => Date;
}

/** Connects a subgraph to its schema (migrated beforehand: db/migrate-all.ts) and serves it. */
export async function startSubgraph<L, S>(
  module: SubgraphModule<L, S>,
  runtime: SubgraphRuntime,
): Promise<RunningSubgraph> {
  const db = createSubgraphDataSource({
    url: runtime.databaseUrl,
    schema: module.schema,
    entities: module.entities,
    migrations: module.migrations,
    pool: runtime.pool,
    applicationName: module.name,
  });
  const settings = module.readSettings?.(runtime.env ?? process.env) as S;
  await db.initialize();
  const replica = runtime.readReplica
    ? createSubgraphDataSource({
        url: runtime.readReplica.url,
        schema: module.schema,
        entities: module.entities,
        migrations: [],
        pool: runtime.pool,
        applicationName: `${module.name}-replica`,
        readOnly: true,
      })
    : null;
  // A replica that cannot be reached at start is tried again at every check; the primary serves meanwhile.
  const reads = new ReadRouter(
    db,
    replica,
    runtime.readReplica ?? { maxLagMs: 0, checkIntervalMs: 0 },
    runtime.log.child({ pool: 'replica' }),
  );
  await reads.start();
  const built = await module.buildSchema(settings);
  const server = await startSubgraphServer({
    name: module.name,
    port: runtime.port,
    host: runtime.host,
    db,
    reads,
    built,
    createLoaders: module.createLoaders,
    gatewayCredential: runtime.gatewayCredential,
    verifyToken: runtime.verifyToken,
    limits: runtime.limits,
    log: runtime.log,
    clock: runtime.clock,
    routes: [
      ...(module.routes?.(db, {
        gatewayCredential: runtime.gatewayCredential,
        verifyToken: runtime.verifyToken,
      }) ?? []),
      ...(runtime.extraRoutes?.(db) ?? []),
    ],
  });
  const workers = module.workers?.(db, runtime.log, settings) ?? [];
  return {
    ...server,
    reads,
    stop: async () => {
      await server.stop();
      for (const worker of workers) await worker.stop();
      await reads.stop();
      await db.destroy();
    },
  };
}
