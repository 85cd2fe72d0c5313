import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The notices list (`notices`, LinkedRecords in the bench) reads newest first, keyset-paged on (requested_at, id),
 * with the caller's visibility as a filter (bench/README.md, "Where the time goes", LinkedRecords).
 *
 * Visibility is an OR (published, or the caller's own; the restrictions, or the caller's own), so no index on
 * status or owner gives the list's order: PostgreSQL read every notice and sorted them for each page of 50. In
 * (requested_at DESC, id DESC) order it walks the index from the cursor and stops after the page's 51 visible rows.
 *
 * `totalCount` still evaluates visibility on every notice: the covering index holds the columns visibility reads,
 * so the count is an index-only scan over a fraction of the table's pages rather than a scan of the rows.
 */
export class NoticeListIndexes1764100000081 implements MigrationInterface {
  name = 'NoticeListIndexes1764100000081';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX notices_requested ON notices.notices (requested_at DESC, id DESC)`);
    await db.query(`
      CREATE INDEX notices_visibility ON notices.notices (status, owner_agency_id)
      INCLUDE (type, allowed_countries, excluded_countries, allowed_agency_kinds, excluded_agency_kinds)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX notices.notices_visibility, notices.notices_requested');
  }
}
