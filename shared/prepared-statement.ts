import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { DataSource, EntityManager, Logger } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';

/**
 * A constant SQL text under a fixed name, for the hot look-ups (bench/README.md, "Where the time goes"): sent as a
 * named prepared statement over node-postgres, each pooled connection parses and plans it once, where TypeORM's
 * query builder builds the SQL again on every call and PostgreSQL plans it again (planning cost more than running
 * the one-document check). Rows come back as PostgreSQL returns them: no entity hydration.
 *
 * One name, one text: node-postgres refuses a name it already prepared with another text on the same connection.
 */
export interface PreparedStatement {
  name: string;
  text: string;
}

/**
 * Runs `statement` on `db`'s pool, the same pool (and so the same primary or replica, db/read-router.ts) TypeORM
 * would use for `db.query`. Counted and logged through `db`'s logger, as TypeORM does for its own statements
 * (db/statement-counter.ts; bench/sql-floor.ts captures the look-up's text and values there).
 */
export function queryPrepared<R extends QueryResultRow>(
  db: DataSource,
  statement: PreparedStatement,
  values: unknown[],
): Promise<R[]> {
  return logged(db.logger, statement, values, () => (db.driver as PostgresDriver).master as Pool);
}

/**
 * The same inside a transaction: on the transaction's own connection (through its EntityManager), so that the
 * transaction's settings apply to it (screening's `set_config(..., true)`). `logger` is the data source's.
 */
export function queryPreparedIn<R extends QueryResultRow>(
  logger: Logger,
  manager: EntityManager,
  statement: PreparedStatement,
  values: unknown[],
): Promise<R[]> {
  const runner = manager.queryRunner as PostgresQueryRunner;
  return logged(logger, statement, values, async () => (await runner.connect()) as PoolClient);
}

async function logged<R extends QueryResultRow>(
  logger: Logger,
  statement: PreparedStatement,
  values: unknown[],
  target: () => Pool | PoolClient | Promise<PoolClient>,
): Promise<R[]> {
  logger.logQuery(statement.text, values);
  try {
    const result = await (await target()).query<R>({ name: statement.name, text: statement.text, values });
    return result.rows;
  } catch (error) {
    logger.logQueryError(error instanceof Error ? error : String(error), statement.text, values);
    throw error;
  }
}
