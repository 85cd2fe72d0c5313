import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A notice's review date is 5 years after publication unless its owner chose an earlier one (docs/architecture.md,
 * retention). Before publication `review_date` holds a provisional date, so the owner's own choice is kept apart
 * for `publishNotice` to honour; null means the owner took the default.
 */
export class NoticeOwnerReviewDate1764100000005 implements MigrationInterface {
  name = 'NoticeOwnerReviewDate1764100000005';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE notices.notices ADD COLUMN owner_review_date date`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE notices.notices DROP COLUMN owner_review_date`);
  }
}
