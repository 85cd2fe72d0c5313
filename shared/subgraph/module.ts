import type { Logger } from 'pino';
import type { DataSource, MixedList } from 'typeorm';
import type { Caller } from '../auth/caller';
import type { TokenVerifier } from '../auth/token-verifier';
import type { Route } from '../http/server';
import type { BuiltSubgraphSchema } from '../schema/build-subgraph-schema';

/**
 * What a subgraph folder exports: its name, the PostgreSQL schema it owns, its entities and migrations, how to
 * build its GraphQL schema and its per-request loaders. Everything that runs a subgraph (the `npm start`
 * runner, a container's entry point, the tests, composition) works from this description.
 */
export interface SubgraphModule<Loaders = unknown, Settings = unknown> {
  name: string;
  /** The PostgreSQL schema this subgraph owns; no other subgraph touches it. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>;
  /**
   * The subgraph's own settings (beyond every subgraph's), read from the environment once, when it starts
   * (startSubgraph), and handed to its schema and workers: nothing reads the environment while serving.
   */
  readSettings?(env: NodeJS.ProcessEnv): Settings;
  /**
   * Built with the settings to serve; without them (composition, docs) for its shape only, and a resolver that
   * needs them refuses to run.
   */
  buildSchema(settings?: Settings): Promise<BuiltSubgraphSchema>;
  createLoaders(db: DataSource, caller: Caller | null): Loaders;
  /** HTTP routes of the subgraph's own beside /graphql (partner-agencies: the gateway's refusal reports). */
  routes?(db: DataSource, services: SubgraphServices): Route[];
  /** Background work the subgraph runs while it serves (partner-agencies: webhook deliveries). */
  workers?(db: DataSource, log: Logger, settings: Settings): { stop(): Promise<void> }[];
}

/** What a subgraph's own routes may need of its runtime: who the gateway is, and how to verify a caller. */
export interface SubgraphServices {
  gatewayCredential: string;
  verifyToken: TokenVerifier;
}
