import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Caller } from '../../shared/auth/caller';
import { isUuid, manyByKey, oneByKey } from '../../shared/loaders';
import type { DocumentAlert } from './document-alert.entity';
import { documentAlertGate, findAlertsByIds, findAlertsForDocuments } from './document-alert.repository';
import { notFoundByIdAudit, type NotFoundAudit } from '../../shared/record-gate';
import { documentKeyString, type DocumentKey } from '../../shared/documents/document-key';

export interface AlertLoaders {
  alertById: DataLoader<string, DocumentAlert | null>;
  alertsOfDocument: DataLoader<DocumentKey, DocumentAlert[], string>;
  /** The NOT_FOUND rows of reads that answered null (shared/record-gate.ts), by alert id. */
  alertNotFound: NotFoundAudit;
}

export function createAlertLoaders(db: DataSource, caller: Caller | null): AlertLoaders {
  return {
    alertById: new DataLoader(async (ids) =>
      oneByKey(ids, await findAlertsByIds(db, caller, ids.filter(isUuid)), (a) => a.id),
    ),
    alertsOfDocument: new DataLoader(
      async (keys) => {
        const rows = await findAlertsForDocuments(db, caller, keys);
        return manyByKey(keys, rows, (r) => r.key, documentKeyString).map((list) => list.map((r) => r.alert));
      },
      { cacheKeyFn: documentKeyString },
    ),
    alertNotFound: notFoundByIdAudit(db, documentAlertGate),
  };
}
