import type { MigrationInterface, QueryRunner } from 'typeorm';
import { counterTableSql } from '../../../shared/numbering';

/**
 * Alert numbers are counted per owner's series and year (shared/numbering.ts), no longer by one hub-wide
 * sequence. Numbers already on file keep their old form (`DD-2026-00042`), which the new one
 * (`DD-FRA-2026-00001`) can never equal.
 */
export class AlertNumberCounters1764100000051 implements MigrationInterface {
  name = 'AlertNumberCounters1764100000051';

  async up(db: QueryRunner): Promise<void> {
    await db.query(counterTableSql('alerts.alert_number_counters'));
    await db.query('DROP SEQUENCE alerts.alert_number_seq');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('CREATE SEQUENCE alerts.alert_number_seq');
    await db.query('DROP TABLE alerts.alert_number_counters');
  }
}
