import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notice matches and operation screenings (docs/architecture.md, operations).
 *
 * `notice_hits`: an officer's report that the person in front of them is the subject of a notice, for the notice's
 * requesting bureau to decide (PENDING → CONFIRMED or FALSE_POSITIVE) and, once confirmed, to say what was done.
 * Its indexes serve the owner's and the reporter's keyset pages and the operation report's counts (operation and
 * border point first, what the counts group by included, so the report reads the index only).
 *
 * `operation_screenings`: one row per screenPerson made in an operation's context, counted by the report
 * (personsScreened) with an index-only scan; it holds no name, only where and when.
 */
export class NoticeHits1764100000061 implements MigrationInterface {
  name = 'NoticeHits1764100000061';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE notices.notice_hits (
        id uuid PRIMARY KEY,
        notice_id uuid NOT NULL REFERENCES notices.notices (id) ON DELETE CASCADE,
        owner_agency_id uuid NOT NULL,
        reported_by_client text NOT NULL,
        reported_by_agency_id uuid NOT NULL,
        reported_by_country varchar(3),
        reported_at timestamptz NOT NULL DEFAULT now(),
        note text,
        operation_code text,
        border_point_code text,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'CONFIRMED', 'FALSE_POSITIVE')),
        decision_note text,
        decided_at timestamptz,
        decided_by_client text,
        outcome text CHECK (outcome IN ('ARRESTED', 'DETAINED', 'REFUSED_ENTRY', 'DOCUMENT_SEIZED', 'NO_ACTION')),
        outcome_note text,
        outcome_at timestamptz,
        outcome_by_client text,
        CHECK ((operation_code IS NULL) = (border_point_code IS NULL)),
        CHECK (outcome IS NULL OR status = 'CONFIRMED')
      )`);
    await db.query(
      `CREATE INDEX notice_hits_owner ON notices.notice_hits (owner_agency_id, reported_at DESC, id DESC)`,
    );
    await db.query(
      `CREATE INDEX notice_hits_reporter ON notices.notice_hits (reported_by_agency_id, reported_at DESC, id DESC)`,
    );
    await db.query(`CREATE INDEX notice_hits_notice ON notices.notice_hits (notice_id)`);
    await db.query(`
      CREATE INDEX notice_hits_operation ON notices.notice_hits (operation_code, border_point_code)
        INCLUDE (notice_id, outcome, reported_at) WHERE operation_code IS NOT NULL`);
    await db.query(`
      CREATE TABLE notices.operation_screenings (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        operation_code text NOT NULL,
        border_point_code text NOT NULL,
        screened_at timestamptz NOT NULL DEFAULT now(),
        screened_by_client text NOT NULL,
        screened_by_agency_id uuid NOT NULL
      )`);
    await db.query(`
      CREATE INDEX operation_screenings_count
        ON notices.operation_screenings (operation_code, border_point_code, screened_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE notices.operation_screenings`);
    await db.query(`DROP TABLE notices.notice_hits`);
  }
}
