import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read-your-writes markers for read replicas (db/read-router.ts): per agency, the primary's WAL position
 * just after its last change committed. A read by that agency goes to a replica only once the replica has replayed
 * past it. UNLOGGED: a marker is written after every change and must cost no WAL and no fsync of its own; it is
 * read on the primary only (a standby cannot read unlogged tables), and after a crash of the primary the table is
 * empty, which docs/operations.md ("Read replicas") accounts for.
 */
export class CreateAgencyWrites1764100000070 implements MigrationInterface {
  name = 'CreateAgencyWrites1764100000070';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE UNLOGGED TABLE replication.agency_writes (
        agency_id text PRIMARY KEY,
        lsn pg_lsn NOT NULL,
        written_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE replication.agency_writes');
  }
}
