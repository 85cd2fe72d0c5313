import { DataSource, type MixedList, type EntitySchema } from 'typeorm';
import { POOL_DEFAULTS, type PoolSettings } from './pool';
import { StatementCounter } from './statement-counter';

/**
 * One TypeORM data source per subgraph, bound to the PostgreSQL schema that subgraph owns. Migrations only:
 * `synchronize` stays off everywhere, so the database changes only through reviewed migrations.
 */
export interface SubgraphDataSourceOptions {
  url: string;
  /** The PostgreSQL schema this subgraph owns, e.g. `sltd`. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  /**
   * Size and timeouts (db/pool.ts); unset ones take their defaults. Migrations pass `statementTimeoutMs: 0`:
   * building an index on a large table takes as long as it takes.
   */
  pool?: Partial<PoolSettings>;
  applicationName?: string;
  /**
   * A read replica's pool (db/read-router.ts): every transaction read-only, so a write sent there by
   * mistake fails loudly even where the server would accept it.
   */
  readOnly?: boolean;
}

export function createSubgraphDataSource(options: SubgraphDataSourceOptions): DataSource {
  const pool = { ...POOL_DEFAULTS, ...options.pool };
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    logger: new StatementCounter(),
    installExtensions: false,
    extra: {
      max: pool.size,
      application_name: options.applicationName ?? options.schema,
      // pg-pool applies this to waiting for a free connection as well as to opening one: without it a request
      // queues forever behind a busy pool (docs/architecture.md, "Database connections").
      connectionTimeoutMillis: pool.acquireTimeoutMs,
      // Every lookup the API makes is indexed; a statement running longer than this is a bug or an attack.
      statement_timeout: pool.statementTimeoutMs,
      // A transaction open and idle this long is waiting on something outside the database: end it, free its
      // connection and its row locks.
      idle_in_transaction_session_timeout: pool.idleInTransactionTimeoutMs,
      ...(options.readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
    },
  });
}

/**
 * Creates the subgraph's schema (its migrations table lives in it), then applies pending migrations, each in its
 * own transaction. Returns the names of the migrations it applied. Callers serialise runs: db/migrate-all.ts.
 */
export async function migrateSubgraph(dataSource: DataSource, schema: string): Promise<string[]> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  return applied.map((migration) => migration.name);
}

/** How many SQL statements this data source has sent since it was created. */
export function statementCount(dataSource: DataSource): number {
  const logger = dataSource.logger;
  return logger instanceof StatementCounter ? logger.statements : 0;
}
