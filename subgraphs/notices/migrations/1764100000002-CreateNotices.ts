import type { MigrationInterface, QueryRunner } from 'typeorm';
import { RESTRICTION_COLUMNS_SQL } from '../../../shared/restrictions';

export class CreateNotices1764100000002 implements MigrationInterface {
  name = 'CreateNotices1764100000002';

  async up(db: QueryRunner): Promise<void> {
    // unaccent() is only STABLE (its dictionary could change); name indexes need an IMMUTABLE wrapper.
    await db.query(`
      CREATE FUNCTION notices.fold_name(value text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      RETURN lower(public.unaccent('public.unaccent'::regdictionary, value))`);
    // Control numbers are issued by the hub from one sequence and never reused, even for refused notices.
    await db.query(`CREATE SEQUENCE notices.control_number_seq`);
    await db.query(`
      CREATE TABLE notices.notices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        control_number text NOT NULL UNIQUE,
        type text NOT NULL CHECK (type IN ('RED', 'YELLOW', 'BLUE', 'BLACK', 'GREEN', 'ORANGE', 'PURPLE', 'SILVER', 'UN_SPECIAL')),
        status text NOT NULL CHECK (status IN ('REQUESTED', 'PUBLISHED', 'REFUSED', 'CANCELLED')),
        title text NOT NULL,
        owner_agency_id uuid NOT NULL,
        owner_country varchar(3) NOT NULL,
        subject_surname text,
        subject_forenames text,
        subject_date_of_birth date,
        subject_sex char(1) CHECK (subject_sex IN ('F', 'M', 'X')),
        subject_nationalities text[] NOT NULL DEFAULT '{}',
        subject_place_of_birth text,
        distinguishing_marks text,
        charges text[] NOT NULL DEFAULT '{}',
        requested_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        status_reason text,
        review_date date NOT NULL,
        ${RESTRICTION_COLUMNS_SQL}
      )`);
    await db.query(
      `CREATE INDEX notices_status_requested ON notices.notices (status, requested_at DESC, id DESC)`,
    );
    await db.query(
      `CREATE INDEX notices_type_requested ON notices.notices (type, status, requested_at DESC, id DESC)`,
    );
    await db.query(`CREATE INDEX notices_owner ON notices.notices (owner_agency_id, requested_at DESC)`);
    await db.query(`CREATE INDEX notices_review ON notices.notices (review_date)`);
    await db.query(`
      CREATE INDEX notices_subject_name_trgm ON notices.notices
      USING gin (notices.fold_name(coalesce(subject_surname, '') || ' ' || coalesce(subject_forenames, '')) public.gin_trgm_ops)`);
    await db.query(`
      CREATE TABLE notices.aliases (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        notice_id uuid NOT NULL REFERENCES notices.notices (id) ON DELETE CASCADE,
        surname text,
        forenames text
      )`);
    await db.query(`CREATE INDEX aliases_notice ON notices.aliases (notice_id)`);
    await db.query(`
      CREATE INDEX aliases_name_trgm ON notices.aliases
      USING gin (notices.fold_name(coalesce(surname, '') || ' ' || coalesce(forenames, '')) public.gin_trgm_ops)`);
    await db.query(`
      CREATE TABLE notices.arrest_warrants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        notice_id uuid NOT NULL REFERENCES notices.notices (id) ON DELETE CASCADE,
        warrant_number text NOT NULL,
        issuing_authority text NOT NULL,
        issued_on date NOT NULL,
        charges text NOT NULL
      )`);
    await db.query(`CREATE INDEX warrants_notice ON notices.arrest_warrants (notice_id)`);
    await db.query(`
      CREATE TABLE notices.documents (
        notice_id uuid NOT NULL REFERENCES notices.notices (id) ON DELETE CASCADE,
        issuing_country varchar(3) NOT NULL,
        document_number varchar(23) NOT NULL,
        document_type text NOT NULL,
        PRIMARY KEY (notice_id, issuing_country, document_number)
      )`);
    await db.query(`CREATE INDEX documents_key ON notices.documents (issuing_country, document_number)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE notices.documents, notices.arrest_warrants, notices.aliases, notices.notices');
    await db.query('DROP FUNCTION notices.fold_name(text)');
    await db.query('DROP SEQUENCE notices.control_number_seq');
  }
}
