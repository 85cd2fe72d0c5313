import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alert numbers (`DD-${year}-${sequence}`) are issued by the hub from one sequence and never reused. It starts
 * after the highest number already on file, so alerts the hub issues follow those loaded before it.
 */
export class AlertNumberSequence1764100000006 implements MigrationInterface {
  name = 'AlertNumberSequence1764100000006';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE SEQUENCE alerts.alert_number_seq`);
    await db.query(`
      SELECT setval('alerts.alert_number_seq', max(substring(alert_number FROM '[0-9]+$')::bigint))
        FROM alerts.alerts
       WHERE alert_number ~ '[0-9]+$'
      HAVING count(*) > 0`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP SEQUENCE alerts.alert_number_seq');
  }
}
