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
import { documentKeyString, type DocumentKey } from '../../shared/documents/document-key';

export interface SltdLoaders {
  recordById: DataLoader<string, SltdRecord | null>;
  recordByDocument: DataLoader<DocumentKey, SltdRecord | null, string>;
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
  return {
    recordById: new DataLoader(async (ids) => {
      const rows = await findRecordsByIds(db, caller, ids.filter(isUuid));
      return oneByKey(ids, rows, (r) => r.id);
    }),
    recordByDocument: new DataLoader(
      async (keys) => {
        const rows = await findRecordsByDocumentKeys(db, caller, keys);
        return manyByKey(
          keys,
          rows,
          (r) => ({ issuingCountry: r.issuingCountry, documentNumber: r.documentNumber }),
          documentKeyString,
        ).map((records) => preferredRecord(records, caller));
      },
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
      (keys) => recordOwnersOfDocuments(db, keys),
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
