import type { MigrationInterface, QueryRunner } from 'typeorm';
import { RESTRICTION_COLUMNS_SQL } from '../../../shared/restrictions';

export class CreateAlerts1764100000003 implements MigrationInterface {
  name = 'CreateAlerts1764100000003';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE alerts.alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        alert_number text NOT NULL UNIQUE,
        issuing_country varchar(3) NOT NULL,
        document_type text NOT NULL,
        series text,
        fraud_type text NOT NULL,
        description text NOT NULL,
        indicators text[] NOT NULL DEFAULT '{}',
        number_from varchar(23),
        number_to varchar(23),
        number_pattern text,
        owner_agency_id uuid NOT NULL,
        owner_country varchar(3),
        published_at timestamptz NOT NULL DEFAULT now(),
        withdrawn_at timestamptz,
        review_date date NOT NULL,
        ${RESTRICTION_COLUMNS_SQL},
        CHECK ((number_from IS NULL) = (number_to IS NULL)),
        CHECK (number_from IS NULL OR (length(number_from) = length(number_to) AND number_from <= number_to))
      )`);
    // Document lookups probe by issuing country, then test each of its (few) alerts' range or pattern.
    await db.query(
      `CREATE INDEX alerts_model ON alerts.alerts (issuing_country, document_type) WHERE withdrawn_at IS NULL`,
    );
    await db.query(`CREATE INDEX alerts_published ON alerts.alerts (published_at DESC, id DESC)`);
    await db.query(`CREATE INDEX alerts_review ON alerts.alerts (review_date)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE alerts.alerts');
  }
}
