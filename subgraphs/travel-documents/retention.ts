import type { AuditEvent } from '../../shared/audit/audit-trail';
import type { RetentionPolicy } from '../../shared/retention/retention';
import { deleteHitsOfRecords, PENDING_HIT_ON_RECORD } from './hit.repository';
import { SltdRecord } from './sltd-record.entity';
import { sltdRecordGate } from './sltd-record.repository';
import { SLTD_RETENTION_YEARS } from './sltd-record.service';

/**
 * SLTD records go 10 years after they are reported (or at the owner's earlier date), withdrawn ones too.
 *
 * Hits: a hit says who checked the document, where and when — personal data about a traveller, meaningful only
 * with its record. So the decided hits (CONFIRMED, FALSE_POSITIVE) are deleted with their record, each deletion
 * audited; the checks themselves stay in the audit trail. A record with a PENDING hit is held back (listed as
 * HELD) until its owner decides on the hit: deleting it would silently drop a possible match at a border.
 */
export const sltdRetention: RetentionPolicy<SltdRecord> = {
  recordType: 'SltdRecord',
  subgraph: 'travel-documents',
  entity: SltdRecord,
  table: 'sltd.records',
  years: SLTD_RETENTION_YEARS,
  gate: sltdRecordGate,
  hold: {
    sql: PENDING_HIT_ON_RECORD,
    reason: 'a hit on it awaits the owner’s decision',
  },
  async beforeDelete(tx, ids): Promise<AuditEvent[]> {
    const hits = await deleteHitsOfRecords(tx, ids);
    return hits.map((hit) => ({
      action: 'DELETE',
      recordType: 'Hit',
      recordId: hit.id,
      ownerAgencyId: hit.owner,
      details: { reason: 'retention of its SLTD record' },
    }));
  },
};
