import { createHash } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { queryPrepared } from '../prepared-statement';

/**
 * What one request did with personal data and records. Reads and checks are collected while it runs
 * (`record`) and written in one INSERT before its response leaves (`flush`); a change writes its own events
 * inside its transaction (`write`), so the change and its audit rows commit or fail together.
 *
 * Confidentiality: owners read the rows about their own records, so a row is only ever about the records of
 * one owner (or of none: only the General Secretariat reads those), and events about records the caller could
 * not see go to rows of their own. An owner reading its trail therefore never learns another owner's record
 * ids, hit ids or fields, nor that the caller was told nothing.
 */
type AuditAction =
  | 'READ'
  | 'CHECK'
  | 'HIT'
  | 'SCREEN'
  | 'CREATE'
  | 'UPDATE'
  | 'WITHDRAW'
  | 'DECIDE'
  | 'DELETE'
  | 'EXTEND'
  | 'REFUSE'
  /** A request to the token endpoint, granted or refused (subgraphs/partner-agencies/oauth/token.routes.ts). */
  | 'TOKEN';

/** Who made the request: a verified caller, or the client id a token request tried. */
export interface AuditActor {
  clientId: string | null;
  agencyId: string | null;
}

export interface AuditEvent {
  action: AuditAction;
  recordType: string;
  /** The record concerned; absent where naming it would tell the reader something it may not know. */
  recordId?: string;
  /** The agency that owns the record: owners read the trail of their own records. */
  ownerAgencyId?: string | null;
  /**
   * The caller of the request could not see this record (a check answered NO_HIT, a refusal of a hidden
   * record): the event goes to a row of its own, which only the owner and the General Secretariat read.
   */
  hiddenFromCaller?: boolean;
  /** The fields (or groups of fields) read, changed or refused. */
  fields?: string[];
  details?: Record<string, unknown>;
}

/** One row to insert: the events of one action on one kind of record of one owner, seen alike by the caller. */
interface PendingRow {
  action: AuditAction;
  recordType: string;
  recordIds: Set<string>;
  ownerAgencyId: string | null;
  fields: Set<string>;
  details: Record<string, unknown> | null;
}

type Queryable = Pick<EntityManager, 'query'>;
/** Work that must commit with the request's audit rows (`alongside`), run in their transaction. */
type AlongsideWork = (tx: Queryable) => Promise<void>;
/**
 * Work that must commit with the request's audit rows, given as one statement: `steps`, a WITH list
 * (`name AS (...), ...`), and `last`, its final statement, with placeholders `$1`..`$n` for `values`. The flush
 * adds the audit INSERT as one more step of that WITH, so the rows and the work go in one statement, atomic and
 * committed on its own: one round trip instead of BEGIN, INSERT, the work and COMMIT.
 */
export interface AlongsideStatement {
  steps: string;
  last: string;
  values: unknown[];
}

export class RequestAudit {
  private readonly pending = new Map<string, PendingRow>();
  private readonly alongsideWork: (AlongsideWork | AlongsideStatement)[] = [];
  operationName: string | null = null;
  /**
   * This request changed data: every change writes its events here inside its own transaction (`write`). Its later
   * reads, and the same agency's next requests, read the primary (db/read-router.ts).
   */
  changed = false;
  /** Told how many rows each write inserted (the hub_audit_rows_written_total metric). */
  onFlushed: ((rows: number) => void) | null = null;

  constructor(
    readonly subgraph: string,
    readonly requestId: string,
    readonly caller: AuditActor | null,
  ) {}

  /** Collects an event for the write before the response (`flush`). */
  record(event: AuditEvent): void {
    addEvent(this.pending, event);
  }

  /**
   * Has `work` commit exactly with the collected rows, before the response leaves: a function runs in the flush's
   * transaction; a statement is sent as one with the rows (no transaction needed). The border check writes its
   * hidden hits this way, so that a check of a hidden record does the
   * same work on the request path as a check of an absent number (docs/security.md, "No existence oracle").
   */
  alongside(work: AlongsideWork | AlongsideStatement): void {
    this.alongsideWork.push(work);
  }

  get isEmpty(): boolean {
    return this.pending.size === 0 && this.alongsideWork.length === 0;
  }

  /**
   * Writes every collected event in one statement (the end of the request, or a writer outside a request), in one
   * transaction with the work registered `alongside` when there is any.
   */
  async flush(db: Queryable & Partial<Pick<EntityManager, 'transaction'>>): Promise<number> {
    const rows = [...this.pending.values()];
    const work = this.alongsideWork.splice(0);
    this.pending.clear();
    const [only] = work;
    // One statement (the border check's hidden hits): the audit rows are a step of its WITH, no transaction needed.
    if (work.length === 1 && typeof only !== 'function') return this.insertWith(db, rows, only);
    const write = async (tx: Queryable) => {
      const written = rows.length === 0 ? 0 : await this.insert(tx, rows);
      for (const step of work) {
        if (typeof step === 'function') await step(tx);
        else await tx.query(`WITH ${step.steps} ${step.last}`, step.values);
      }
      return written;
    };
    if (work.length === 0 || !db.transaction) return write(db);
    return db.transaction((tx) => write(tx));
  }

  /**
   * Writes these events now, through `db` (the transaction of the change they describe), and only these:
   * events collected for the response stay collected, so a change that rolls back takes none of them along.
   */
  async write(db: Queryable, ...events: AuditEvent[]): Promise<number> {
    this.changed = true;
    const rows = new Map<string, PendingRow>();
    for (const event of events) addEvent(rows, event);
    return rows.size === 0 ? 0 : this.insert(db, [...rows.values()]);
  }

  private async insert(db: Queryable, rows: PendingRow[]): Promise<number> {
    const values = this.insertValues(rows);
    await send(db, auditInsertSql(1), values);
    this.onFlushed?.(rows.length);
    return rows.length;
  }

  /** The rows and `work` in one statement: the audit INSERT as the first step of the work's WITH. */
  private async insertWith(db: Queryable, rows: PendingRow[], work: AlongsideStatement): Promise<number> {
    if (rows.length === 0) {
      await send(db, `WITH ${work.steps} ${work.last}`, work.values);
      return 0;
    }
    const auditStep = `audit_rows AS (${auditInsertSql(work.values.length + 1)}),`;
    await send(db, `WITH ${auditStep} ${work.steps} ${work.last}`, [
      ...work.values,
      ...this.insertValues(rows),
    ]);
    this.onFlushed?.(rows.length);
    return rows.length;
  }

  private insertValues(rows: PendingRow[]): unknown[] {
    return [
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
          owner_agency_ids: row.ownerAgencyId ? [row.ownerAgencyId] : [],
          fields: [...row.fields].sort(),
          details: row.details,
        })),
      ),
    ];
  }
}

/**
 * Sends a statement of the flush outside any transaction as a named prepared statement on the data source's pool:
 * each connection parses and plans it once. Its text is the same for every request (the rows travel as one jsonb
 * value), and parsing and planning the border check's WITH of five data-modifying steps cost PostgreSQL more than
 * running it (bench/README.md, "Where the time goes", item 12). Inside a transaction (an EntityManager) it goes
 * through TypeORM as before.
 */
async function send(db: Queryable, text: string, values: unknown[]): Promise<void> {
  if (db instanceof DataSource) await queryPrepared(db, { name: preparedName(text), text }, values);
  else await db.query(text, values);
}

/** One name per statement text (node-postgres refuses one name for two texts); the texts are the code's own few. */
const preparedNames = new Map<string, string>();

function preparedName(text: string): string {
  let name = preparedNames.get(text);
  if (!name) {
    name = `audit_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    if (preparedNames.size < 256) preparedNames.set(text, name);
  }
  return name;
}

/** The audit INSERT of `insertValues`, its six placeholders numbered from `$first`. */
function auditInsertSql(first: number): string {
  const [request, client, agency, subgraph, operation, rows] = [0, 1, 2, 3, 4, 5].map((i) => `$${first + i}`);
  return `INSERT INTO audit.entries
         (request_id, client_id, agency_id, subgraph, operation, action, record_type, record_ids, owner_agency_ids, fields, details)
       SELECT ${request}, ${client}, ${agency}::uuid, ${subgraph}, ${operation}, r.action, r.record_type, r.record_ids,
              r.owner_agency_ids, r.fields, r.details
         FROM jsonb_to_recordset(${rows}::jsonb) AS r(action text, record_type text, record_ids text[], owner_agency_ids uuid[],
                                                fields text[], details jsonb)`;
}

/** Events of the same action on the same kind of record, owner, visibility and details share one row. */
function addEvent(rows: Map<string, PendingRow>, event: AuditEvent): void {
  const owner = event.ownerAgencyId ?? null;
  const details = event.hiddenFromCaller
    ? { ...event.details, hiddenFromCaller: true }
    : (event.details ?? null);
  const key = [event.action, event.recordType, owner ?? '', details ? JSON.stringify(details) : ''].join(
    '\u0000',
  );
  let row = rows.get(key);
  if (!row) {
    row = {
      action: event.action,
      recordType: event.recordType,
      recordIds: new Set(),
      ownerAgencyId: owner,
      fields: new Set(),
      details,
    };
    rows.set(key, row);
  }
  if (event.recordId !== undefined) row.recordIds.add(event.recordId);
  for (const field of event.fields ?? []) row.fields.add(field);
}
