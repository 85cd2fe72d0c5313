import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { finished } from 'node:stream/promises';
import { analyzeTables } from '../analyze';
import { copyRow, type CopyValue } from '../import/copy-text';
import { randomAlerts, type AlertBase } from './alerts';
import type { TableSpec } from './bulk-insert';
import type { SeedContext } from './context';
import { advanceCounters, clientQuery } from '../../shared/numbering';
import { alertNumberSeries, formatAlertNumber } from '../../subgraphs/document-alerts/alert-number';
import { controlNumberSeries, formatControlNumber } from '../../subgraphs/notices/control-number';
import { SeriesCounter } from './numbering';
import { DEMO_NOW } from './dates';
import { DocumentRegistry, type DocumentTypeName } from './documents';
import { randomNotice } from './notices';
import { Random } from './random';
import { randomSltdRecord } from './sltd';
import {
  ALERTS,
  ALIASES,
  NOTICE_DOCUMENTS,
  NOTICES,
  SLTD_RECORDS,
  WARRANTS,
  type AgencyRow,
  type AlertRow,
  type NoticeRow,
} from './tables';

/**
 * The scale seed (`npm run seed -- --sltd 10000000 [--notices N] [--alerts N]`): millions of rows on top of the
 * demo data, built by the demo seed's own generators (db/seed/sltd.ts, notices.ts, alerts.ts) and written with
 * COPY in chunks, so that ten million records never sit in memory: a chunk is copied while the next one is
 * generated. Deterministic: one random stream per table, from `seed`; a second run with the same seed finds its
 * first row and writes nothing.
 *
 * Not one transaction (each chunk commits): an interrupted run leaves a partial data set — drop the database and
 * seed again. The owners are the agencies the demo seed wrote.
 */
export interface ScaleOptions {
  sltd?: number;
  notices?: number;
  alerts?: number;
  seed?: number;
  now?: Date;
  /** Called after each chunk with the table and the rows written so far. */
  onProgress?: (table: string, rows: number) => void;
}

interface ScaleTableSummary {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  skipped: boolean;
}

export type ScaleSummary = Record<'sltd' | 'notices' | 'alerts', ScaleTableSummary | null>;

const DEFAULT_SCALE_SEED = 20_261_126;
const CHUNK = 20_000;

/**
 * Document numbers distinct by construction rather than remembered (ten million would not fit in a Set): `Z`, the
 * seed's letter, then a counter in base 36. Ten characters: no demo format has as many, so no clash with the
 * demo data either.
 */
class ScaleDocuments extends DocumentRegistry {
  private next = 0;

  constructor(private readonly prefix: string) {
    super();
  }

  override issue(_random: Random, _country: string, _type: DocumentTypeName, _year: number): string {
    return `${this.prefix}${(this.next++).toString(36).toUpperCase().padStart(8, '0')}`;
  }
}

export async function seedScale(url: string, options: ScaleOptions): Promise<ScaleSummary> {
  const seed = options.seed ?? DEFAULT_SCALE_SEED;
  const now = options.now ?? DEMO_NOW;
  const client = new pg.Client({ connectionString: url, application_name: 'scale-seed' });
  await client.connect();
  try {
    const agencies = await loadAgencies(client);
    const context = (offset: number, documentsPrefix: string): SeedContext => ({
      random: new Random(seed + offset),
      now,
      documents: new ScaleDocuments(documentsPrefix),
      ncbs: new Map(agencies.filter((a) => a.kind === 'NCB').map((a) => [a.country ?? '', a])),
      generalSecretariat: requireAgency(agencies, 'GS'),
    });
    const letter = (offset: number) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[(seed + offset) % 26];
    const progress = options.onProgress ?? (() => undefined);
    return {
      sltd: options.sltd ? await seedSltd(client, context(1, `Z${letter(1)}`), options.sltd, progress) : null,
      notices: options.notices
        ? await seedNotices(client, context(2, `Y${letter(2)}`), options.notices, progress)
        : null,
      alerts: options.alerts
        ? await seedAlerts(client, context(3, `X${letter(3)}`), options.alerts, progress)
        : null,
    };
  } finally {
    await client.end();
  }
}

async function loadAgencies(client: pg.Client): Promise<AgencyRow[]> {
  const { rows } = await client.query<AgencyRow>(
    `SELECT id, code, name, kind, country, authorised_by AS "authorisedBy", created_at::text AS "createdAt"
       FROM partners.agencies`,
  );
  if (rows.length === 0) throw new Error('No agencies: run the demo seed first (npm run seed)');
  return rows;
}

function requireAgency(agencies: readonly AgencyRow[], code: string): AgencyRow {
  const agency = agencies.find((a) => a.code === code);
  if (!agency) throw new Error(`No agency ${code}: run the demo seed first`);
  return agency;
}

/** The COPY statements of one connection, one after the other (a connection runs one statement at a time). */
interface Lane {
  pending: Promise<void>;
}

/** One table's rows in COPY text, chunk by chunk; the COPY of a chunk overlaps the generation of the next. */
class TableWriter<Row> {
  private text = '';
  private rows = 0;
  written = 0;

  constructor(
    private readonly client: pg.Client,
    private readonly spec: TableSpec<Row>,
    private readonly onChunk: (rows: number) => void,
    private readonly lane: Lane = { pending: Promise.resolve() },
  ) {}

  add(row: Row): void {
    const values: CopyValue[] = this.spec.columns.map((col) => col.value(row));
    this.text += copyRow(values);
    this.rows++;
  }

  get buffered(): number {
    return this.rows;
  }

  async flush(): Promise<void> {
    const text = this.text;
    const rows = this.rows;
    this.text = '';
    this.rows = 0;
    await this.lane.pending;
    if (rows === 0) return;
    this.lane.pending = this.copy(text).then(() => {
      this.written += rows;
      this.onChunk(this.written);
    });
    // Failures surface at the next flush or at finish.
    this.lane.pending.catch(() => undefined);
  }

  async finish(): Promise<void> {
    await this.flush();
    await this.lane.pending;
  }

  private async copy(text: string): Promise<void> {
    const names = this.spec.columns.map((col) => col.name).join(', ');
    const stream = this.client.query(copyFrom(`COPY ${this.spec.table} (${names}) FROM STDIN`));
    stream.end(text);
    await finished(stream);
  }
}

async function alreadySeeded(client: pg.Client, table: string, id: string): Promise<boolean> {
  return ((await client.query(`SELECT 1 FROM ${table} WHERE id = $1`, [id])).rowCount ?? 0) > 0;
}

function summary(rows: number, started: number, skipped = false): ScaleTableSummary {
  const seconds = (performance.now() - started) / 1000;
  return {
    rows,
    seconds: Math.round(seconds * 10) / 10,
    rowsPerSecond: seconds > 0 ? Math.round(rows / seconds) : 0,
    skipped,
  };
}

async function seedSltd(
  client: pg.Client,
  context: SeedContext,
  count: number,
  progress: (table: string, rows: number) => void,
): Promise<ScaleTableSummary> {
  const started = performance.now();
  const writer = new TableWriter(client, SLTD_RECORDS, (rows) => progress('sltd.records', rows));
  for (let i = 0; i < count; i++) {
    const row = randomSltdRecord(context);
    if (i === 0 && (await alreadySeeded(client, 'sltd.records', row.id))) return summary(0, started, true);
    writer.add(row);
    if (writer.buffered >= CHUNK) await writer.flush();
  }
  await writer.finish();
  await analyzeTables(client, [SLTD_RECORDS.table]);
  return summary(writer.written, started);
}

/**
 * Notices with their aliases, warrants and documents, chunk by chunk in that order (the children reference their
 * notice). Control numbers come from the hub's sequence as one block, so that notices requested later follow on.
 */
async function seedNotices(
  client: pg.Client,
  context: SeedContext,
  count: number,
  progress: (table: string, rows: number) => void,
): Promise<ScaleTableSummary> {
  const started = performance.now();
  // One lane: a chunk's children are copied after its notices, which they reference.
  const lane: Lane = { pending: Promise.resolve() };
  const notices = new TableWriter<NoticeRow>(
    client,
    NOTICES,
    (rows) => progress('notices.notices', rows),
    lane,
  );
  const aliases = new TableWriter(client, ALIASES, () => undefined, lane);
  const warrants = new TableWriter(client, WARRANTS, () => undefined, lane);
  const documents = new TableWriter(client, NOTICE_DOCUMENTS, () => undefined, lane);
  let counter = new SeriesCounter();
  for (let i = 0; i < count; i++) {
    const bundle = randomNotice(context, false);
    if (i === 0) {
      if (await alreadySeeded(client, 'notices.notices', bundle.notice.id)) return summary(0, started, true);
      counter = await SeriesCounter.load(client, 'notices.control_number_counters');
    }
    const { type, ownerCountry } = bundle.notice;
    const requestedAt = new Date(bundle.notice.requestedAt);
    const sequence = counter.next(controlNumberSeries(type, ownerCountry), requestedAt.getUTCFullYear());
    const controlNumber = formatControlNumber(type, ownerCountry, sequence, requestedAt);
    notices.add(Object.assign({ controlNumber }, bundle.notice));
    for (const alias of bundle.aliases) aliases.add(alias);
    for (const warrant of bundle.warrants) warrants.add(warrant);
    for (const document of bundle.documents) documents.add(document);
    if (notices.buffered >= CHUNK) {
      for (const writer of [notices, aliases, warrants, documents]) await writer.flush();
    }
  }
  for (const writer of [notices, aliases, warrants, documents]) await writer.finish();
  await advanceCounters(clientQuery(client), 'notices.control_number_counters', counter.used());
  await analyzeTables(
    client,
    [NOTICES, ALIASES, WARRANTS, NOTICE_DOCUMENTS].map((spec) => spec.table),
  );
  return summary(notices.written, started);
}

/**
 * Alerts built by the demo generator, around documents of the model it draws (no base document: the scale set's
 * own documents are not remembered), numbered per owner's series and year after its counter.
 */
async function seedAlerts(
  client: pg.Client,
  context: SeedContext,
  count: number,
  progress: (table: string, rows: number) => void,
): Promise<ScaleTableSummary> {
  const started = performance.now();
  const counter = await SeriesCounter.load(client, 'alerts.alert_number_counters');
  const writer = new TableWriter<AlertRow>(client, ALERTS, (rows) => progress('alerts.alerts', rows));
  const sources: { showcase: AlertBase[]; others: AlertBase[] } = { showcase: [], others: [] };
  for (let done = 0; done < count;) {
    const drafts = randomAlerts(context, Math.min(CHUNK, count - done), sources);
    if (done === 0 && drafts.length && (await alreadySeeded(client, 'alerts.alerts', drafts[0].id)))
      return summary(0, started, true);
    for (const draft of drafts) {
      const year = new Date(draft.publishedAt).getUTCFullYear();
      const sequence = counter.next(alertNumberSeries(draft.ownerCountry), year);
      writer.add(
        Object.assign({ alertNumber: formatAlertNumber(draft.ownerCountry, year, sequence) }, draft),
      );
    }
    done += drafts.length;
    await writer.flush();
  }
  await writer.finish();
  await advanceCounters(clientQuery(client), 'alerts.alert_number_counters', counter.used());
  await analyzeTables(client, [ALERTS.table]);
  return summary(writer.written, started);
}
