import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { analyzeTables } from '../analyze';
import { RequestAudit } from '../../shared/audit/audit-trail';
import { BadUserInputError, type FieldProblem } from '../../shared/errors';
import { inputCoercer } from './coerce';
import type { ChangedRecords, ImportKind, ImportKindName, MergeOptions, MergeResult } from './kind';
import { ownerAsCaller, resolveOwner, type ImportOwner } from './owner';
import { silentProgress, type Progress } from './progress';
import { openSource } from './source';

/**
 * The bulk import (`npm run import`): a CSV or NDJSON file of one kind of record, for one owner (an API client),
 * validated line by line with the mutation's own rules, the valid lines streamed with COPY into a temporary
 * staging table and merged into the subgraph's table, all in ONE transaction with the import's audit rows: the
 * import lands whole or not at all. Rejected lines go to `<file>.rejected.csv` (line, field, reason).
 */
export interface ImportOptions {
  databaseUrl: string;
  kind: ImportKind<unknown>;
  /** The API client the import acts for: its agency owns the records. */
  ownerClientId: string;
  file: string;
  /** The clock the validation reads ("not in the future", default review dates). */
  now?: Date;
  progress?: Progress;
  /** Up to this many record ids per action go into the audit trail; beyond, one summary row with counts. */
  auditIdLimit?: number;
  /** Rows copied and merged at a time (default 100,000); tests make it small to cross chunk boundaries. */
  chunkRows?: number;
  /** Runs in the import's transaction after the merge, before the audit rows and COMMIT (tests). */
  beforeCommit?: (client: pg.ClientBase) => Promise<void>;
}

export interface ImportSummary {
  importId: string;
  kind: ImportKindName;
  file: string;
  owner: string;
  read: number;
  valid: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  seconds: number;
  rowsPerSecond: number;
  /** The report of rejected lines, or null when every line was taken. */
  report: string | null;
  /** `ids`: the audit rows list every record id; `summary`: too many, the rows carry counts; `none`: no change. */
  audit: 'ids' | 'summary' | 'none';
  /** Seconds spent reading, validating and copying; merging; writing the audit rows and committing. */
  phases: { read: number; merge: number; commit: number };
}

/** A problem with the import as a whole (owner, file header): nothing was written. */
export class ImportError extends Error {}

const DEFAULT_AUDIT_ID_LIMIT = 10_000;
/** COPY text is collected in parts of about this many characters. */
const COPY_PART = 1 << 18;
/**
 * Valid lines are copied and merged in chunks of this many rows: PostgreSQL merges one chunk (on one core)
 * while the next is parsed and validated here (on the other), all in the import's one transaction.
 */
const CHUNK_ROWS = 100_000;

export function reportPathOf(file: string): string {
  return `${file}.rejected.csv`;
}

export async function importFile(options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const { kind, file } = options;
  const now = options.now ?? new Date();
  const progress = options.progress ?? silentProgress;
  const importId = randomUUID();
  const client = new pg.Client({ connectionString: options.databaseUrl, application_name: 'import' });
  // Validation that reads the database (alert patterns) cannot share the connection that is busy with COPY.
  const side = new pg.Client({
    connectionString: options.databaseUrl,
    application_name: 'import-validation',
  });
  await client.connect();
  await side.connect();
  const report = new RejectedReport(reportPathOf(file));
  try {
    const owner = await resolveOwner(client, options.ownerClientId, now);
    const refused = ownerRefusal(kind, owner);
    if (refused) throw new ImportError(`--owner ${options.ownerClientId}: ${refused}`);
    const inputType = await kind.inputType();
    const coerce = inputCoercer<unknown>(inputType);
    const source = await openSource(file, inputType).catch((error: unknown) => {
      throw new ImportError((error as Error).message);
    });
    const context = { side, owner, now };

    await client.query('BEGIN');
    await client.query(kind.stagingTable);
    await client.query(firstLinesTable(kind));
    // The merge joins and sorts chunks of 100,000 rows: in memory rather than in temporary files.
    await client.query(`SET LOCAL work_mem = '256MB'`);
    const auditIdLimit = options.auditIdLimit ?? DEFAULT_AUDIT_ID_LIMIT;
    const merger = new ChunkedMerge(client, kind, owner, { now, idLimit: auditIdLimit }, (line, first) =>
      report.add(line, [{ field: kind.duplicateField, reason: `is the same record as line ${first}` }]),
    );

    progress.start(source.size);
    let read = 0;
    let valid = 0;
    let chunk: Buffer[] = [];
    let chunkRows = 0;
    let buffer = '';
    for await (const batch of source.batches()) {
      for (const item of batch) {
        read++;
        const outcome = item.problems ? item.problems : await validLine(kind, coerce, item.value, context);
        if (Array.isArray(outcome)) {
          report.add(item.line, outcome);
          continue;
        }
        // A second line of the same record is found in the database, not in a map of every key read so far.
        valid++;
        chunkRows++;
        buffer += kind.copyRow(outcome, item.line);
      }
      // Parts leave the JavaScript heap at once, as bytes: strings held until their chunk is copied would be
      // promoted and traced by every garbage collection until then.
      if (buffer.length >= COPY_PART) {
        chunk.push(Buffer.from(buffer));
        buffer = '';
      }
      if (chunkRows >= (options.chunkRows ?? CHUNK_ROWS)) {
        chunk.push(Buffer.from(buffer));
        await merger.push(chunk);
        chunk = [];
        chunkRows = 0;
        buffer = '';
      }
      merger.throwIfFailed();
      progress.update(source.bytesRead(), read);
    }
    chunk.push(Buffer.from(buffer));
    await merger.push(chunk);
    progress.update(source.size, read);
    const readDone = performance.now();
    progress.step(`import: ${read} lines read, ${valid} valid; merging the last rows...`);
    const merged = await merger.finish();
    for (const { line, problem } of merged.rejected) report.add(line, [problem]);
    valid -= merger.duplicates;
    await options.beforeCommit?.(client);
    const mergeDone = performance.now();
    const rejected = report.lines;
    const counts = {
      read,
      valid,
      inserted: merged.inserted.count,
      updated: merged.updated.count,
      unchanged: valid - merged.rejected.length - merged.inserted.count - merged.updated.count,
      rejected,
    };
    // Last before COMMIT: the audit chain's lock is held from this insert to the end of the transaction.
    const audit = await writeAudit(
      client,
      kind,
      owner,
      importId,
      path.basename(file),
      source.fields,
      merged,
      counts,
    );
    await client.query('COMMIT');
    if (merged.inserted.count + merged.updated.count > 0) await analyzeTables(client, kind.tables);
    progress.stop();
    const reportPath = await report.finish();
    const seconds = (performance.now() - started) / 1000;
    const round = (ms: number) => Math.round(ms / 10) / 100;
    return {
      importId,
      kind: kind.name,
      file,
      owner: options.ownerClientId,
      ...counts,
      seconds: Math.round(seconds * 100) / 100,
      rowsPerSecond: Math.round(read / seconds),
      report: reportPath,
      audit,
      phases: {
        read: round(readDone - started),
        merge: round(mergeDone - readDone),
        commit: round(performance.now() - mergeDone),
      },
    };
  } catch (error) {
    progress.stop();
    await client.query('ROLLBACK').catch(() => undefined);
    await report.discard();
    throw error;
  } finally {
    await client.end().catch(() => undefined);
    await side.end().catch(() => undefined);
  }
}

function ownerRefusal(kind: ImportKind<unknown>, owner: ImportOwner): string | null {
  if (!owner.scopes.has(kind.writeScope)) {
    return `${owner.agencyName} has no active agreement granting ${kind.writeScope} (${kind.mutation} needs it)`;
  }
  return kind.ownerProblem(owner);
}

/** The coerced, validated row of one line, or its problems (field paths relative to the input, as in the file). */
async function validLine(
  kind: ImportKind<unknown>,
  coerce: ReturnType<typeof inputCoercer<unknown>>,
  value: Record<string, unknown>,
  context: { side: pg.Client; owner: ImportOwner; now: Date },
): Promise<unknown> {
  const coerced = coerce(value);
  if (coerced.problems) return coerced.problems;
  try {
    const row = kind.validate(coerced.input, context.owner, context.now, context.side);
    return row instanceof Promise ? await row : row;
  } catch (error) {
    if (!(error instanceof BadUserInputError)) throw error;
    const problems = (error.extensions.problems ?? []) as FieldProblem[];
    return problems.map((p) => ({ field: p.field.replace(/^input\./, ''), reason: p.reason }));
  }
}

async function writeAudit(
  client: pg.ClientBase,
  kind: ImportKind<unknown>,
  owner: ImportOwner,
  importId: string,
  file: string,
  fields: string[],
  merged: MergeResult,
  counts: Record<string, number>,
): Promise<ImportSummary['audit']> {
  if (merged.inserted.count === 0 && merged.updated.count === 0) return 'none';
  const audit = new RequestAudit(kind.subgraph, importId, ownerAsCaller(owner));
  audit.operationName = `import ${kind.name}`;
  const details = { import: { id: importId, file, ...counts } };
  let summary = false;
  for (const [action, changed] of [
    ['CREATE', merged.inserted],
    ['UPDATE', merged.updated],
  ] as const) {
    if (changed.count === 0) continue;
    // Too many ids for one row: a summary row, whose only record id is the import's own id.
    const ids = changed.ids ?? [importId];
    summary ||= changed.ids === null;
    for (const recordId of ids) {
      audit.record({
        action,
        recordType: kind.recordType,
        recordId,
        ownerAgencyId: owner.agencyId,
        fields,
        details: { ...details, summary: changed.ids === null },
      });
    }
  }
  await audit.flush({
    query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T,
  });
  return summary ? 'summary' : 'ids';
}

/**
 * Copies chunks of staged rows and merges each into the table, one at a time, on the import's connection: a
 * chunk is handed over and the reader goes on while PostgreSQL works; the next hand-over waits for it.
 */
class ChunkedMerge {
  private pending: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  private chunks = 0;
  /** Lines refused as a second line of a record: they were counted valid when read. */
  duplicates = 0;
  private readonly total: MergeResult = {
    inserted: { count: 0, ids: [] },
    updated: { count: 0, ids: [] },
    rejected: [],
  };

  constructor(
    private readonly client: pg.ClientBase,
    private readonly kind: ImportKind<unknown>,
    private readonly owner: ImportOwner,
    private readonly options: MergeOptions,
    private readonly onDuplicate: (line: number, firstLine: number) => void,
  ) {}

  async push(parts: Buffer[]): Promise<void> {
    await this.pending;
    this.pending = this.run(parts);
    this.pending.catch((error: unknown) => (this.failure ??= error));
  }

  /** A failed chunk stops the reading at once rather than at the next hand-over. */
  throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  async finish(): Promise<MergeResult> {
    await this.pending;
    return this.total;
  }

  /**
   * Records the first line of each new natural key of the chunk, then takes every other line of a known key out
   * of the chunk (an earlier line of this chunk or of an earlier one came first) and reports it against that line.
   * The lookup is one unique-index probe per staged row, whatever the number of keys already seen.
   */
  private async dropDuplicates(): Promise<void> {
    const columns = this.kind.keyColumns;
    const key = columns.join(', ');
    await this.client.query(
      `INSERT INTO import_first_lines (${key}, line)
       SELECT DISTINCT ON (${key}) ${key}, line FROM import_rows ORDER BY ${key}, line
       ON CONFLICT (${key}) DO NOTHING`,
    );
    const same = columns.map((column) => `f.${column} = r.${column}`).join(' AND ');
    const { rows } = await this.client.query<{ line: number; first: number }>(
      `WITH later AS (
         SELECT line, first FROM (
           SELECT r.line, (SELECT f.line FROM import_first_lines f WHERE ${same}) AS first FROM import_rows r
         ) AS staged WHERE line <> first
       )
       DELETE FROM import_rows r USING later WHERE r.line = later.line RETURNING later.line, later.first`,
    );
    rows.sort((a, b) => a.line - b.line);
    for (const { line, first } of rows) this.onDuplicate(line, first);
    this.duplicates += rows.length;
  }

  private async run(parts: Buffer[]): Promise<void> {
    if (this.chunks++ > 0) await this.client.query('TRUNCATE import_rows');
    const copy = this.client.query(
      copyFrom(`COPY import_rows (${this.kind.stagingColumns.join(', ')}) FROM STDIN`),
    );
    for (const part of parts) if (part.length && !copy.write(part)) await once(copy, 'drain');
    copy.end();
    await finished(copy);
    await this.dropDuplicates();
    // Temporary tables are never analysed automatically: without statistics the merge's joins are guessed. The
    // key columns are what the joins need; the others would double the time ANALYZE takes.
    await this.client.query(`ANALYZE import_rows (${this.kind.keyColumns.join(', ')})`);
    const merged = await this.kind.merge(this.client, this.owner, this.options);
    add(this.total.inserted, merged.inserted, this.options.idLimit);
    add(this.total.updated, merged.updated, this.options.idLimit);
    this.total.rejected.push(...merged.rejected);
  }
}

/**
 * The first line of every natural key staged so far, kept by PostgreSQL (a temporary table with a unique index,
 * dropped at commit) rather than in a map of every key of the file: the import's memory stays flat however long
 * the file is. ChunkedMerge.dropDuplicates fills it chunk by chunk.
 */
function firstLinesTable(kind: ImportKind<unknown>): string {
  const key = kind.keyColumns.join(', ');
  return `CREATE TEMP TABLE import_first_lines ON COMMIT DROP AS SELECT ${key}, line FROM import_rows WITH NO DATA;
          CREATE UNIQUE INDEX ON import_first_lines (${key})`;
}

function add(total: ChangedRecords, more: ChangedRecords, idLimit: number): void {
  total.count += more.count;
  total.ids = total.ids && more.ids && total.count <= idLimit ? [...total.ids, ...more.ids] : null;
}

/** `<file>.rejected.csv`: written as lines are refused, renamed into place only when the import commits. */
class RejectedReport {
  lines = 0;
  private stream: fs.WriteStream | null = null;
  private readonly partial: string;

  constructor(readonly target: string) {
    this.partial = `${target}.partial`;
  }

  add(line: number, problems: readonly FieldProblem[]): void {
    this.lines++;
    this.stream ??= fs.createWriteStream(this.partial).setDefaultEncoding('utf8');
    if (this.lines === 1) this.stream.write('line,field,reason\n');
    let text = '';
    for (const problem of problems) text += `${line},${csvCell(problem.field)},${csvCell(problem.reason)}\n`;
    this.stream.write(text);
  }

  async finish(): Promise<string | null> {
    await fs.promises.rm(this.target, { force: true });
    if (!this.stream) return null;
    this.stream.end();
    await finished(this.stream);
    await fs.promises.rename(this.partial, this.target);
    return this.target;
  }

  async discard(): Promise<void> {
    if (!this.stream) return;
    this.stream.end();
    await finished(this.stream).catch(() => undefined);
    await fs.promises.rm(this.partial, { force: true });
  }
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
