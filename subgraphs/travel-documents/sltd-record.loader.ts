import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Caller } from '../../shared/auth/caller';
import { isUuid, manyByKey, oneByKey } from '../../shared/loaders';
import { parseReportKey } from '../../shared/schema/operation-report-key';
import type { Hit } from './hit.entity';
import { findHitsByIds, hitGate } from './hit.repository';
import {
  operationCheckDays,
  operationHitFigures,
  type CheckDay,
  type HitFigures,
} from './operation-report.repository';
import type { SltdRecord } from './sltd-record.entity';
import {
  findRecordsByDocumentKeys,
  findRecordsByIds,
  preferredRecord,
  recordOwnersOfDocuments,
  sltdRecordGate,
} from './sltd-record.repository';
import { notFoundAudit, notFoundByIdAudit, type NotFoundAudit } from '../../shared/record-gate';
import type { CheckedRecord } from './travel-document.type';
import { documentKeyString, type DocumentKey } from '../../shared/documents/document-key';

export interface SltdLoaders {
  recordById: DataLoader<string, SltdRecord | null>;
  recordByDocument: DataLoader<DocumentKey, SltdRecord | null, string>;
  /**
   * What this request's border checks found, by `documentKeyString`: `recordByDocument` and
   * `documentRecordNotFound` answer these keys from it, with no second look-up.
   */
  checkedDocuments: Map<string, CheckedRecord>;
  hitById: DataLoader<string, Hit | null>;
  /** The NOT_FOUND rows of reads that answered null (shared/record-gate.ts): by record id, hit id, document. */
  recordNotFound: NotFoundAudit;
  hitNotFound: NotFoundAudit;
  documentRecordNotFound: NotFoundAudit<DocumentKey>;
  /**
   * An operation report's figures, by report key: each statement runs once per request and view, however many of
   * the report's fields (and the gateway's fetches for them) ask.
   */
  operationCheckDays: DataLoader<string, CheckDay[]>;
  operationHits: DataLoader<string, HitFigures>;
}

/** Per request and per caller (record restrictions are applied in the SQL of each batch). */
export function createSltdLoaders(db: DataSource, caller: Caller | null): SltdLoaders {
  const checkedDocuments = new Map<string, CheckedRecord>();
  return {
    recordById: new DataLoader(async (ids) => {
      const rows = await findRecordsByIds(db, caller, ids.filter(isUuid));
      return oneByKey(ids, rows, (r) => r.id);
    }),
    checkedDocuments,
    recordByDocument: new DataLoader(
      (keys) =>
        withChecked(
          checkedDocuments,
          keys,
          (checked) => checked.shown,
          async (unknown) => {
            const rows = await findRecordsByDocumentKeys(db, caller, unknown);
            return manyByKey(
              unknown,
              rows,
              (r) => ({ issuingCountry: r.issuingCountry, documentNumber: r.documentNumber }),
              documentKeyString,
            ).map((records) => preferredRecord(records, caller));
          },
        ),
      { cacheKeyFn: documentKeyString },
    ),
    hitById: new DataLoader(async (ids) => {
      const rows = caller ? await findHitsByIds(db, caller, ids.filter(isUuid)) : [];
      return oneByKey(ids, rows, (h) => h.id);
    }),
    recordNotFound: notFoundByIdAudit(db, sltdRecordGate),
    hitNotFound: notFoundByIdAudit(db, hitGate),
    documentRecordNotFound: notFoundAudit(
      sltdRecordGate.recordType,
      (keys) =>
        withChecked(
          checkedDocuments,
          keys,
          (checked) => checked.hidden,
          (unknown) => recordOwnersOfDocuments(db, unknown),
        ),
      documentKeyString,
    ),
    operationCheckDays: new DataLoader((keys) =>
      Promise.all(keys.map((key) => operationCheckDays(db, parseReportKey(key)))),
    ),
    operationHits: new DataLoader((keys) =>
      Promise.all(
        keys.map((key) =>
          caller
            ? operationHitFigures(db, caller, parseReportKey(key))
            : Promise.reject(new Error('no caller')),
        ),
      ),
    ),
  };
}

/**
 * The answers for `keys`, in their order: those a border check of this request already looked up from its
 * findings, the others from `lookUp` (one call for all of them, none when every key is known).
 */
async function withChecked<Answer>(
  checked: ReadonlyMap<string, CheckedRecord>,
  keys: readonly DocumentKey[],
  fromChecked: (checked: CheckedRecord) => Answer,
  lookUp: (keys: DocumentKey[]) => Promise<Answer[]>,
): Promise<Answer[]> {
  const unknown = keys.filter((key) => !checked.has(documentKeyString(key)));
  const looked = unknown.length > 0 ? await lookUp(unknown) : [];
  let next = 0;
  return keys.map((key) => {
    const known = checked.get(documentKeyString(key));
    return known ? fromChecked(known) : looked[next++];
  });
}
