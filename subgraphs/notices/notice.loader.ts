import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Caller } from '../../shared/auth/caller';
import { isUuid, manyByKey, oneByKey } from '../../shared/loaders';
import type { ArrestWarrant, NoticeAlias, NoticeDocument } from './notice-details.entity';
import type { Notice } from './notice.entity';
import type { NoticeHit } from './notice-hit.entity';
import { findNoticeHitsByIds, noticeHitGate } from './notice-hit.repository';
import { notFoundByIdAudit, type NotFoundAudit } from '../../shared/record-gate';
import { parseReportKey } from '../../shared/schema/operation-report-key';
import { operationMatchFigures, type MatchFigures } from './operation-report.repository';
import {
  findAliases,
  findDocuments,
  findNoticesByDocuments,
  findNoticesByIds,
  findWarrants,
  noticeGate,
} from './notice.repository';
import { documentKeyString, type DocumentKey } from '../../shared/documents/document-key';

export interface NoticeLoaders {
  noticeById: DataLoader<string, Notice | null>;
  aliasesOfNotice: DataLoader<string, NoticeAlias[]>;
  warrantsOfNotice: DataLoader<string, ArrestWarrant[]>;
  documentsOfNotice: DataLoader<string, NoticeDocument[]>;
  noticesOfDocument: DataLoader<DocumentKey, Notice[], string>;
  /** Notice hits the caller reported or owns (notice-hit.repository.ts). */
  noticeHitById: DataLoader<string, NoticeHit | null>;
  /** The NOT_FOUND rows of reads that answered null (shared/record-gate.ts): by notice id, notice hit id. */
  noticeNotFound: NotFoundAudit;
  noticeHitNotFound: NotFoundAudit;
  /** Notice-match figures of an operation report, by report key (one statement per report). */
  operationMatches: DataLoader<string, MatchFigures>;
}

/** Per request; notice visibility (status, restrictions, YELLOW-only readers) is applied in each batch's SQL. */
export function createNoticeLoaders(db: DataSource, caller: Caller | null): NoticeLoaders {
  return {
    noticeById: new DataLoader(async (ids) =>
      oneByKey(ids, await findNoticesByIds(db, caller, ids.filter(isUuid)), (n) => n.id),
    ),
    aliasesOfNotice: new DataLoader(async (ids) =>
      manyByKey(ids, await findAliases(db, ids), (a) => a.noticeId),
    ),
    warrantsOfNotice: new DataLoader(async (ids) =>
      manyByKey(ids, await findWarrants(db, ids), (w) => w.noticeId),
    ),
    documentsOfNotice: new DataLoader(async (ids) =>
      manyByKey(ids, await findDocuments(db, ids), (d) => d.noticeId),
    ),
    noticesOfDocument: new DataLoader(
      async (keys) => {
        const rows = await findNoticesByDocuments(db, caller, keys);
        return manyByKey(keys, rows, (r) => r.key, documentKeyString).map((list) =>
          list.map((r) => r.notice),
        );
      },
      { cacheKeyFn: documentKeyString },
    ),
    noticeHitById: new DataLoader(async (ids) =>
      caller
        ? oneByKey(ids, await findNoticeHitsByIds(db, caller, ids.filter(isUuid)), (h) => h.id)
        : ids.map(() => null),
    ),
    noticeNotFound: notFoundByIdAudit(db, noticeGate),
    noticeHitNotFound: notFoundByIdAudit(db, noticeHitGate),
    operationMatches: new DataLoader(
      (keys) =>
        Promise.all(
          keys.map((key) =>
            caller
              ? operationMatchFigures(db, caller, parseReportKey(key))
              : Promise.resolve({ byType: [], byOutcome: [], byDay: [] }),
          ),
        ),
      { batch: false },
    ),
  };
}
