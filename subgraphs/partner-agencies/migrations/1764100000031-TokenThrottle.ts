import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failed token requests, counted per client id and per source address (subgraphs/partner-agencies/oauth/throttle.ts).
 * In PostgreSQL so that every replica of partner-agencies counts the same failures; one row per key, changed by one
 * atomic upsert, so concurrent failures are all counted.
 */
export class TokenThrottle1764100000031 implements MigrationInterface {
  name = 'TokenThrottle1764100000031';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE partners.token_throttle (
        key text PRIMARY KEY,
        failures integer NOT NULL CHECK (failures > 0),
        locked_until timestamptz,
        expires_at timestamptz NOT NULL
      )`);
    // Rows whose failures are forgotten are removed a few at a time by later failures.
    await db.query(`CREATE INDEX token_throttle_expires ON partners.token_throttle (expires_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE partners.token_throttle');
  }
}
