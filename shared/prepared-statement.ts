import { createHash } from 'node:crypto';
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

/**
 * A condition written for TypeORM's query builder (`:name` parameters, as shared/restrictions.ts `visibleTo` and
 * the repositories' `noticeVisibility` give it) as the same SQL with positional parameters from `$first`, for a
 * prepared statement: each name becomes one `$n` (a name used twice, one number), its value in `values`. The text
 * depends on which parameters the condition has, never on their values. As TypeORM does, only names present in
 * `params` are replaced (a cast's `::text` is not a parameter).
 */
export function positionalCondition(
  condition: { sql: string; params: Record<string, unknown> },
  first: number,
): { sql: string; values: unknown[] } {
  const values: unknown[] = [];
  const numbers = new Map<string, number>();
  const sql = condition.sql.replace(/(?<![:\w]):([A-Za-z_]\w*)/g, (whole, name: string) => {
    if (!Object.prototype.hasOwnProperty.call(condition.params, name)) return whole;
    let n = numbers.get(name);
    if (n === undefined) {
      n = first + values.length;
      numbers.set(name, n);
      values.push(condition.params[name]);
    }
    return `$${n}`;
  });
  return { sql, values };
}

const byText = new Map<string, PreparedStatement>();

/**
 * The prepared statement for a text composed from a few shapes (which filters a list has, which form of a
 * visibility predicate the caller gets): named `prefix` and the text's hash, so one name always has one text.
 * Made once per text per process; the texts are bounded by the shapes, never by values (those are parameters).
 */
export function statementForText(prefix: string, text: string): PreparedStatement {
  let statement = byText.get(text);
  if (!statement) {
    statement = { name: `${prefix}_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`, text };
    byText.set(text, statement);
  }
  return statement;
}
