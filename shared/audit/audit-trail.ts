import type { EntityManager } from 'typeorm';
import type { Caller } from '../auth/caller';

/**
 * What one request did with personal data and records, collected while it runs and written before its response
 * leaves: reads and checks in one INSERT at the end of the request, changes inside the change's own
 * transaction (`flush(transactionManager)`), so a change and its audit row commit or fail together.
 */
export type AuditAction =
  'READ' | 'CHECK' | 'HIT' | 'SCREEN' | 'CREATE' | 'UPDATE' | 'WITHDRAW' | 'DECIDE' | 'DELETE' | 'EXTEND';

export interface AuditEvent {
  action: AuditAction;
  recordType: string;
  recordId: string;
  /** The agency that owns the record: owners read the trail of their own records. */
  ownerAgencyId?: string | null;
  /** The fields (or groups of fields) read or changed. */
  fields?: string[];
  details?: Record<string, unknown>;
}

interface PendingRow {
  action: AuditAction;
  recordType: string;
  recordIds: Set<string>;
  owners: Set<string>;
  fields: Set<string>;
  details: Record<string, unknown> | null;
}

export class RequestAudit {
  private readonly pending = new Map<string, PendingRow>();
  operationName: string | null = null;
  /** Told how many rows each flush inserted (the hub_audit_rows_written_total metric). */
  onFlushed: ((rows: number) => void) | null = null;

  constructor(
    readonly subgraph: string,
    readonly requestId: string,
    readonly caller: Caller | null,
  ) {}

  /** Events of the same action on the same kind of record share one row (with all their ids). */
  record(event: AuditEvent): void {
    const key = `${event.action}\u0000${event.recordType}\u0000${event.details ? JSON.stringify(event.details) : ''}`;
    let row = this.pending.get(key);
    if (!row) {
      row = {
        action: event.action,
        recordType: event.recordType,
        recordIds: new Set(),
        owners: new Set(),
        fields: new Set(),
        details: event.details ?? null,
      };
      this.pending.set(key, row);
    }
    row.recordIds.add(event.recordId);
    if (event.ownerAgencyId) row.owners.add(event.ownerAgencyId);
    for (const field of event.fields ?? []) row.fields.add(field);
  }

  get isEmpty(): boolean {
    return this.pending.size === 0;
  }

  /** Writes every pending row in one statement, through `db` (a transaction's manager for changes). */
  async flush(db: Pick<EntityManager, 'query'>): Promise<number> {
    if (this.pending.size === 0) return 0;
    const rows = [...this.pending.values()];
    this.pending.clear();
    await db.query(
      `INSERT INTO audit.entries
         (request_id, client_id, agency_id, subgraph, operation, action, record_type, record_ids, owner_agency_ids, fields, details)
       SELECT $1, $2, $3::uuid, $4, $5, r.action, r.record_type, r.record_ids, r.owner_agency_ids, r.fields, r.details
         FROM jsonb_to_recordset($6::jsonb) AS r(action text, record_type text, record_ids text[], owner_agency_ids uuid[],
                                                fields text[], details jsonb)`,
      [
        this.requestId,
        this.caller?.clientId ?? null,
        this.caller?.agencyId ?? null,
        this.subgraph,
        this.operationName,
        JSON.stringify(
          rows.map((row) => ({
            action: row.action,
            record_type: row.recordType,
            record_ids: [...row.recordIds],
            owner_agency_ids: [...row.owners],
            fields: [...row.fields].sort(),
            details: row.details,
          })),
        ),
      ],
    );
    this.onFlushed?.(rows.length);
    return rows.length;
  }
}
