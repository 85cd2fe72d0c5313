import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each audit row is about the records of one owner at most (shared/audit/audit-trail.ts), so that an owner
 * reading its trail learns nothing of another owner's records. Rows written before stay as they are (the trail
 * is append-only): the constraint holds for new rows, and owners read only rows that name them alone.
 */
export class AuditRowsPerOwner1764100000020 implements MigrationInterface {
  name = 'AuditRowsPerOwner1764100000020';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE audit.entries ADD CONSTRAINT entries_one_owner CHECK (cardinality(owner_agency_ids) <= 1) NOT VALID`,
    );
    // An owner's trail, newest first (rows that name it alone: see subgraphs/partner-agencies/audit.repository.ts).
    await db.query(
      `CREATE INDEX entries_owner_seq ON audit.entries ((owner_agency_ids[1]), seq DESC) WHERE cardinality(owner_agency_ids) = 1`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX audit.entries_owner_seq');
    await db.query('ALTER TABLE audit.entries DROP CONSTRAINT entries_one_owner');
  }
}
