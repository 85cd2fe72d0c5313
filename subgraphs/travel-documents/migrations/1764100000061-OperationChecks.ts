import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Border-security operations (docs/architecture.md, operations). A check made in an operation's context names
 * the operation and the border point: each such call is one row of `sltd.operation_checks` (how many documents it
 * checked), and each of its hits carries the two codes. The owner of a confirmed hit records what was done
 * (`outcome`). The operation report counts all of it in SQL from these indexes alone (index-only scans): the
 * report filters on the operation and the border points of the caller's view, and groups by day, status and
 * outcome. The codes are partner-agencies' keys, stored as text: no subgraph reads another schema's tables.
 */
export class OperationChecks1764100000061 implements MigrationInterface {
  name = 'OperationChecks1764100000061';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE sltd.operation_checks (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        operation_code text NOT NULL,
        border_point_code text NOT NULL,
        checked_at timestamptz NOT NULL,
        documents integer NOT NULL CHECK (documents > 0),
        checked_by_agency_id uuid NOT NULL,
        checked_by_client text NOT NULL,
        request_id text
      )`);
    await db.query(`
      CREATE INDEX operation_checks_report ON sltd.operation_checks (operation_code, border_point_code, checked_at)
      INCLUDE (documents)`);
    await db.query(`
      ALTER TABLE sltd.hits
        ADD COLUMN operation_code text,
        ADD COLUMN border_point_code text,
        ADD COLUMN outcome text
          CHECK (outcome IN ('ARRESTED', 'DETAINED', 'REFUSED_ENTRY', 'DOCUMENT_SEIZED', 'NO_ACTION')),
        ADD COLUMN outcome_at timestamptz,
        ADD COLUMN outcome_by_client text,
        ADD COLUMN outcome_action_note text,
        ADD CONSTRAINT hits_check_context CHECK ((operation_code IS NULL) = (border_point_code IS NULL)),
        ADD CONSTRAINT hits_outcome_of_confirmed CHECK (outcome IS NULL OR status = 'CONFIRMED'),
        ADD CONSTRAINT hits_outcome_at CHECK ((outcome IS NULL) = (outcome_at IS NULL))`);
    // The report's look-ups of one operation's hits; the record id joins the record's restrictions.
    await db.query(`
      CREATE INDEX hits_operation ON sltd.hits (operation_code, border_point_code)
      INCLUDE (status, outcome, checked_at, record_id) WHERE operation_code IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX sltd.hits_operation');
    await db.query(`
      ALTER TABLE sltd.hits
        DROP CONSTRAINT hits_outcome_at,
        DROP CONSTRAINT hits_outcome_of_confirmed,
        DROP CONSTRAINT hits_check_context,
        DROP COLUMN outcome_action_note,
        DROP COLUMN outcome_by_client,
        DROP COLUMN outcome_at,
        DROP COLUMN outcome,
        DROP COLUMN border_point_code,
        DROP COLUMN operation_code`);
    await db.query('DROP TABLE sltd.operation_checks');
  }
}
