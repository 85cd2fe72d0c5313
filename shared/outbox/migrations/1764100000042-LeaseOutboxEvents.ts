import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Leases instead of held row locks: a worker claims due events by stamping them with its own claim id and a
 * `claimed_until`, commits, and delivers with no transaction open. Another worker skips claimed events until
 * the lease runs out (a worker that died), and a result is recorded only under the claim it was delivered with.
 */
export class LeaseOutboxEvents1764100000042 implements MigrationInterface {
  name = 'LeaseOutboxEvents1764100000042';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE outbox.events ADD COLUMN claim uuid, ADD COLUMN claimed_until timestamptz`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE outbox.events DROP COLUMN claim, DROP COLUMN claimed_until`);
  }
}
