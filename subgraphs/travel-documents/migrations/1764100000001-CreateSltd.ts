import type { MigrationInterface, QueryRunner } from 'typeorm';
import { RESTRICTION_COLUMNS_SQL } from '../../../shared/restrictions';

export class CreateSltd1764100000001 implements MigrationInterface {
  name = 'CreateSltd1764100000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE sltd.records (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        issuing_country varchar(3) NOT NULL,
        document_number varchar(23) NOT NULL CHECK (document_number ~ '^[A-Z0-9]+$'),
        document_type text NOT NULL,
        status text NOT NULL CHECK (status IN ('STOLEN', 'LOST', 'REVOKED', 'INVALID', 'STOLEN_BLANK')),
        series text,
        owner_agency_id uuid NOT NULL,
        owner_country varchar(3) NOT NULL,
        national_reference text,
        holder_surname text,
        holder_forenames text,
        holder_date_of_birth date,
        holder_nationality varchar(3),
        issue_date date,
        expiry_date date,
        theft_date date,
        theft_country varchar(3),
        theft_place text,
        reported_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        review_date date NOT NULL,
        withdrawn_at timestamptz,
        ${RESTRICTION_COLUMNS_SQL}
      )`);
    // The border check: one index probe per document. Withdrawn records stay for the audit trail, not for checks.
    await db.query(`
      CREATE UNIQUE INDEX records_document_key ON sltd.records (issuing_country, document_number)
      WHERE withdrawn_at IS NULL`);
    await db.query(`CREATE INDEX records_owner ON sltd.records (owner_agency_id, reported_at DESC, id)`);
    await db.query(`CREATE INDEX records_reported ON sltd.records (reported_at DESC, id)`);
    await db.query(`CREATE INDEX records_review ON sltd.records (review_date)`);
    await db.query(`
      CREATE TABLE sltd.hits (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        record_id uuid NOT NULL REFERENCES sltd.records (id),
        owner_agency_id uuid NOT NULL,
        checked_by_client text NOT NULL,
        checked_by_agency_id uuid NOT NULL,
        checked_by_country varchar(3),
        checked_at timestamptz NOT NULL DEFAULT now(),
        location text,
        -- False when the record is restricted away from the checker: it was told NO_HIT, the owner still learns.
        visible_to_checker boolean NOT NULL DEFAULT true,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'CONFIRMED', 'FALSE_POSITIVE')),
        outcome_note text,
        decided_at timestamptz,
        decided_by_client text
      )`);
    await db.query(`CREATE INDEX hits_owner ON sltd.hits (owner_agency_id, status, checked_at DESC, id)`);
    await db.query(
      `CREATE INDEX hits_checker ON sltd.hits (checked_by_agency_id, status, checked_at DESC, id)`,
    );
    await db.query(`CREATE INDEX hits_record ON sltd.hits (record_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE sltd.hits');
    await db.query('DROP TABLE sltd.records');
  }
}
