import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One National Central Bureau per country, decided by the database: two registrations at once can no longer both
 * pass a check and insert. The violation becomes CONFLICT on `input.country` (shared/database-errors.ts).
 */
export class OneNcbPerCountry1764100000044 implements MigrationInterface {
  name = 'OneNcbPerCountry1764100000044';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE UNIQUE INDEX agencies_one_ncb_per_country ON partners.agencies (country) WHERE kind = 'NCB'`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX partners.agencies_one_ncb_per_country');
  }
}
