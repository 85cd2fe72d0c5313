import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Events to deliver to agencies (webhooks), written in the same transaction as the change that causes them, so
 * none is lost when a process stops: a delivery worker takes them from here until each is delivered.
 */
export class CreateOutbox1764100000011 implements MigrationInterface {
  name = 'CreateOutbox1764100000011';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE outbox.events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        topic text NOT NULL,
        agency_id uuid NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        last_error text
      )`);
    await db.query(`CREATE INDEX events_due ON outbox.events (next_attempt_at) WHERE delivered_at IS NULL`);
    await db.query(`CREATE INDEX events_agency ON outbox.events (agency_id, created_at DESC)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE outbox.events');
  }
}
