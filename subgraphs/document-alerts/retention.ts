import type { RetentionPolicy } from '../../shared/retention/retention';
import { DocumentAlert } from './document-alert.entity';
import { documentAlertGate } from './document-alert.repository';
import { ALERT_RETENTION_YEARS } from './document-alert.service';

/** Document alerts go 10 years after they are published (or at the publisher's earlier date), withdrawn ones too. */
export const documentAlertRetention: RetentionPolicy<DocumentAlert> = {
  recordType: 'DocumentAlert',
  subgraph: 'document-alerts',
  entity: DocumentAlert,
  table: 'alerts.alerts',
  years: ALERT_RETENTION_YEARS,
  gate: documentAlertGate,
};
