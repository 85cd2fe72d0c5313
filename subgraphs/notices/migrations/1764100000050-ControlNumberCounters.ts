import type { MigrationInterface, QueryRunner } from 'typeorm';
import { counterTableSql } from '../../../shared/numbering';

/**
 * Control numbers are counted per owner's series and year (shared/numbering.ts), no longer by one hub-wide
 * sequence whose gaps showed other bureaus' hidden requests. Numbers already on file keep their old form
 * (`A-12/11-2026`, no country), which the new one (`A-FRA-12/11-2026`) can never equal.
 */
export class ControlNumberCounters1764100000050 implements MigrationInterface {
  name = 'ControlNumberCounters1764100000050';

  async up(db: QueryRunner): Promise<void> {
    await db.query(counterTableSql('notices.control_number_counters'));
    await db.query('DROP SEQUENCE notices.control_number_seq');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('CREATE SEQUENCE notices.control_number_seq');
    await db.query('DROP TABLE notices.control_number_counters');
  }
}
