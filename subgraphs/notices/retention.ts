import type { RetentionPolicy } from '../../shared/retention/retention';
import { Notice } from './notice.entity';
import { noticeGate } from './notice.repository';
import { NOTICE_RETENTION_YEARS } from './notice.service';

/**
 * Notices go 5 years after publication (or at the owner's earlier date); their aliases, warrants, documents and
 * notice hits go with them (ON DELETE CASCADE). An extension is also the owner's own choice of date, which a later
 * publication keeps (notice.service.ts, publishNotice).
 */
export const noticeRetention: RetentionPolicy<Notice> = {
  recordType: 'Notice',
  subgraph: 'notices',
  entity: Notice,
  table: 'notices.notices',
  years: NOTICE_RETENTION_YEARS,
  gate: noticeGate,
  extendSql: 'owner_review_date = $1::date',
};
