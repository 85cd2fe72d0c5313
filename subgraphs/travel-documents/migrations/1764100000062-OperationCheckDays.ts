import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The operation report's count of documents checked, kept per day as checks are made. Summing `sltd.operation_checks`
 * at report time reads every check of the operation: an index-only scan of a million checks took 0.5 s for the
 * total and 1.4 s per day on the benchmark machine, too slow for a report read at will. Each check in an operation
 * now also adds itself to its day's row here, in the statement that writes its `operation_checks` row, so the report
 * reads a few rows per day and border point whatever the number of checks.
 *
 * `shard` (0–15, drawn per check) spreads concurrent checks at one border point over sixteen rows a day, so they do
 * not queue on one row lock; the report sums the shards.
 */
export class OperationCheckDays1764100000062 implements MigrationInterface {
  name = 'OperationCheckDays1764100000062';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE sltd.operation_check_days (
        operation_code text NOT NULL,
        border_point_code text NOT NULL,
        day date NOT NULL,
        shard smallint NOT NULL CHECK (shard BETWEEN 0 AND 15),
        checks bigint NOT NULL CHECK (checks > 0),
        documents bigint NOT NULL CHECK (documents > 0),
        PRIMARY KEY (operation_code, border_point_code, day, shard)
      )`);
    // Checks made before this table existed.
    await db.query(`
      INSERT INTO sltd.operation_check_days (operation_code, border_point_code, day, shard, checks, documents)
      SELECT operation_code, border_point_code, (checked_at AT TIME ZONE 'UTC')::date, 0, count(*), sum(documents)
        FROM sltd.operation_checks GROUP BY 1, 2, 3`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE sltd.operation_check_days');
  }
}
