import pg from 'pg';
import { analyzeTables } from '../analyze';
import { hashSecret } from '../../subgraphs/partner-agencies/oauth/token.service';
import { buildPartners, DEMO_CLIENTS, demoSecret, type PartnerData } from './agencies';
import { alertNumbersUsed, numberAlerts, randomAlerts, type AlertBase } from './alerts';
import { bulkInsert } from './bulk-insert';
import type { SeedContext } from './context';
import { controlNumberSeries, formatControlNumber } from '../../subgraphs/notices/control-number';
import { advanceCounters, clientQuery } from '../../shared/numbering';
import { SeriesCounter } from './numbering';
import { DEMO_NOW } from './dates';
import { DocumentRegistry, SPECIMEN_DOCUMENT, type DocumentRef } from './documents';
import {
  lionfishResults,
  NOTICE_HITS,
  OPERATION_SCREENINGS,
  type NoticeHitRow,
  type OperationScreeningRow,
} from './notice-matches';
import { randomNotice, SHOWCASE_NOTICES, type NoticeBundle } from './notices';
import {
  demoOperationChecks,
  OPERATION_CHECK_DAYS_TABLE,
  OPERATION_CHECKS_TABLE,
  OPERATION_HITS_TABLE,
  operationCheckDayRows,
  type OperationCheckData,
} from './operation-checks';
import {
  BORDER_POINTS,
  BORDER_POINTS_TABLE,
  demoOperations,
  OPERATION_BORDER_POINTS_TABLE,
  OPERATION_PARTICIPANTS_TABLE,
  operationBorderPointRows,
  operationParticipantRows,
  OPERATIONS_TABLE,
  type BorderPointRow,
  type OperationRow,
} from './operations';
import { Random } from './random';
import { linkedSltdRecord, randomSltdRecord } from './sltd';
import { erikssonNotice, SPECIMEN_ALERT_NUMBER, specimenAlert, specimenRecord } from './specimen';
import {
  AGENCIES,
  AGREEMENTS,
  ALERTS,
  ALIASES,
  API_CLIENTS,
  NOTICE_DOCUMENTS,
  NOTICES,
  SLTD_RECORDS,
  WARRANTS,
  type AgencyRow,
  type AlertRow,
  type NoticeRow,
  type SltdRecordRow,
} from './tables';

export interface SeedOptions {
  /** Notices, the specimen holder's included. Default 3,000. */
  notices?: number;
  /** SLTD records, the specimen passport included. Default 30,000. */
  sltd?: number;
  /** Document alerts, the specimen's included. Default 300. */
  alerts?: number;
  /** Same seed, same rows (ids included). */
  seed?: number;
  /** The reference date every date is computed from; never the wall clock. */
  now?: Date;
  /**
   * Agencies only in partners: no agreements and no demo API clients (docs/architecture.md: demo clients outside
   * production).
   */
  production?: boolean;
  /**
   * When the seed runs: the demo's ACTIVE operation is open around it (db/seed/operations.ts). Default: the wall
   * clock in `seedDemoData`, `now` in `generateDemoData`.
   */
  seededAt?: Date;
}

export type SeedSummary =
  | { skipped: true }
  | {
      skipped: false;
      agencies: number;
      agreements: number;
      clients: number;
      borderPoints: number;
      operations: number;
      notices: number;
      sltdRecords: number;
      alerts: number;
      durationMs: number;
    };

const DEFAULT_SEED_OPTIONS: Required<Omit<SeedOptions, 'seededAt'>> = {
  notices: 3000,
  sltd: 30_000,
  alerts: 300,
  seed: 20_261_101,
  now: DEMO_NOW,
  production: false,
};

/** The whole demo data set, computed in memory (no database): every row but secrets and control numbers. */
export interface DemoDataSet {
  partners: PartnerData;
  /** Reference data, in production too. */
  borderPoints: readonly BorderPointRow[];
  /** Demo operations: none in production. */
  operations: OperationRow[];
  sltdRecords: SltdRecordRow[];
  /** travel-documents' checks and hits in the demo operations: none in production. */
  operationChecks: OperationCheckData;
  notices: NoticeBundle[];
  alerts: AlertRow[];
  /** Notice matches reported in the demo operations (notices.notice_hits). */
  noticeHits: NoticeHitRow[];
  /** Screenings made in the demo operations, counted by their reports (notices.operation_screenings). */
  operationScreenings: OperationScreeningRow[];
}

export function generateDemoData(options: SeedOptions = {}): DemoDataSet {
  const settings = { ...DEFAULT_SEED_OPTIONS, ...options };
  const random = new Random(settings.seed);
  const partners = buildPartners(random, settings.production);
  const context: SeedContext = {
    random,
    now: settings.now,
    documents: new DocumentRegistry(),
    ncbs: new Map(partners.agencies.filter((a) => a.kind === 'NCB').map((a) => [a.country ?? '', a])),
    generalSecretariat: findAgency(partners.agencies, 'GS'),
  };
  const notices = generateNotices(context, settings.notices);
  const sltdRecords = generateSltd(context, settings.sltd, notices);
  const alerts = generateAlerts(context, settings.alerts, notices, sltdRecords);
  const operations = settings.production
    ? []
    : demoOperations(partners.agencies, options.seededAt ?? settings.now);
  const operationChecks = settings.production
    ? { checks: [], hits: [] }
    : demoOperationChecks(settings.seed, partners.agencies, sltdRecords, options.seededAt ?? settings.now);
  // Last, so that every row above is the same with or without them; demo operations exist outside production only.
  const lionfish = settings.production
    ? { noticeHits: [], screenings: [] }
    : lionfishResults(random, partners.agencies, notices);
  return {
    partners,
    borderPoints: BORDER_POINTS,
    operations,
    sltdRecords,
    operationChecks,
    notices,
    alerts,
    noticeHits: lionfish.noticeHits,
    operationScreenings: lionfish.screenings,
  };
}

function findAgency(agencies: readonly AgencyRow[], code: string): AgencyRow {
  const agency = agencies.find((a) => a.code === code);
  if (!agency) throw new Error(`No agency ${code}`);
  return agency;
}

/** The specimen holder's notice, then the showcase (the newest notices), then the others. */
function generateNotices(context: SeedContext, count: number): NoticeBundle[] {
  if (count < 1) return [];
  const bundles = [erikssonNotice(context)];
  const showcase = Math.min(SHOWCASE_NOTICES, count - 1);
  for (let i = 1; i < count; i++) bundles.push(randomNotice(context, i <= showcase));
  return bundles;
}

/** The specimen, the notice subjects' documents on file, then ordinary reports up to `count`. */
function generateSltd(
  context: SeedContext,
  count: number,
  notices: readonly NoticeBundle[],
): SltdRecordRow[] {
  if (count < 1) return [];
  const records = [specimenRecord(context)];
  for (const linked of notices.flatMap((bundle) => bundle.linked)) {
    if (records.length >= count) break;
    records.push(linkedSltdRecord(context, linked));
  }
  while (records.length < count) records.push(randomSltdRecord(context));
  return records;
}

function generateAlerts(
  context: SeedContext,
  count: number,
  notices: readonly NoticeBundle[],
  sltdRecords: readonly SltdRecordRow[],
): AlertRow[] {
  if (count < 1) return [];
  const seriesOnFile = new Map(sltdRecords.map((r) => [`${r.issuingCountry}:${r.documentNumber}`, r.series]));
  const asBase = (doc: DocumentRef): AlertBase => ({
    issuingCountry: doc.issuingCountry,
    documentNumber: doc.documentNumber,
    documentType: doc.documentType,
    series: seriesOnFile.get(`${doc.issuingCountry}:${doc.documentNumber}`) ?? null,
  });
  // The specimen has an alert of its own.
  const notSpecimen = (doc: DocumentRef): boolean =>
    doc.issuingCountry !== SPECIMEN_DOCUMENT.issuingCountry ||
    doc.documentNumber !== SPECIMEN_DOCUMENT.documentNumber;
  const documentsOf = (bundles: readonly NoticeBundle[]): DocumentRef[] =>
    bundles.flatMap((b) => b.documents).filter(notSpecimen);
  const sources = {
    showcase: documentsOf(notices.filter((b) => b.showcase)).map(asBase),
    others: [
      ...documentsOf(notices.filter((b) => !b.showcase)).map(asBase),
      ...sltdRecords.filter(notSpecimen),
    ],
  };
  const drafts = randomAlerts(context, count - 1, sources);
  return [specimenAlert(context), ...numberAlerts(drafts, [SPECIMEN_ALERT_NUMBER])];
}

/**
 * Writes the demo data set into a migrated database, in one transaction, unless it already holds agencies
 * (then nothing is written and `{ skipped: true }` comes back). Deterministic: the same options give the same
 * rows.
 */
export async function seedDemoData(url: string, options: SeedOptions = {}): Promise<SeedSummary> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: url, application_name: 'demo-seed' });
  await client.connect();
  try {
    await client.query('BEGIN');
    // Two processes starting on one empty database must not both seed it.
    await client.query('SELECT pg_advisory_xact_lock(4242002)');
    const existing = await client.query('SELECT 1 FROM partners.agencies LIMIT 1');
    if (existing.rowCount) {
      await client.query('ROLLBACK');
      return { skipped: true };
    }
    // Argon2 runs on libuv's thread pool: the hashes are computed while the rows are generated.
    const secrets = hashDemoSecrets(options.production ? [] : DEMO_CLIENTS.map((c) => c.clientId));
    const data = generateDemoData({ ...options, seededAt: options.seededAt ?? new Date() });
    const hashes = await secrets;
    await insertAll(client, data, hashes);
    await client.query('COMMIT');
    await analyzeTables(client, SEEDED_TABLES);
    return {
      skipped: false,
      agencies: data.partners.agencies.length,
      agreements: data.partners.agreements.length,
      clients: data.partners.clients.length,
      borderPoints: data.borderPoints.length,
      operations: data.operations.length,
      notices: data.notices.length,
      sltdRecords: data.sltdRecords.length,
      alerts: data.alerts.length,
      durationMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/** Every table the demo seed fills, analysed once it has committed. */
const SEEDED_TABLES = [
  AGENCIES,
  AGREEMENTS,
  API_CLIENTS,
  BORDER_POINTS_TABLE,
  OPERATIONS_TABLE,
  OPERATION_BORDER_POINTS_TABLE,
  OPERATION_PARTICIPANTS_TABLE,
  SLTD_RECORDS,
  OPERATION_CHECKS_TABLE,
  OPERATION_CHECK_DAYS_TABLE,
  OPERATION_HITS_TABLE,
  NOTICES,
  ALIASES,
  WARRANTS,
  NOTICE_DOCUMENTS,
  ALERTS,
  NOTICE_HITS,
  OPERATION_SCREENINGS,
].map((spec) => spec.table);

async function hashDemoSecrets(clientIds: readonly string[]): Promise<Map<string, string>> {
  const hashes = await Promise.all(clientIds.map((id) => hashSecret(demoSecret(id))));
  return new Map(clientIds.map((id, i) => [id, hashes[i]]));
}

async function insertAll(
  client: pg.Client,
  data: DemoDataSet,
  hashes: ReadonlyMap<string, string>,
): Promise<void> {
  const { partners, notices } = data;
  const clients = partners.clients.map((c) => ({ ...c, secretHash: secretHash(hashes, c.clientId) }));
  await bulkInsert(client, AGENCIES, partners.agencies);
  await bulkInsert(client, AGREEMENTS, partners.agreements);
  await bulkInsert(client, API_CLIENTS, clients);
  await bulkInsert(client, BORDER_POINTS_TABLE, data.borderPoints);
  await bulkInsert(client, OPERATIONS_TABLE, data.operations);
  await bulkInsert(client, OPERATION_BORDER_POINTS_TABLE, operationBorderPointRows(data.operations));
  await bulkInsert(client, OPERATION_PARTICIPANTS_TABLE, operationParticipantRows(data.operations));
  await bulkInsert(client, SLTD_RECORDS, data.sltdRecords);
  await bulkInsert(client, OPERATION_CHECKS_TABLE, data.operationChecks.checks);
  await bulkInsert(client, OPERATION_CHECK_DAYS_TABLE, operationCheckDayRows(data.operationChecks.checks));
  await bulkInsert(client, OPERATION_HITS_TABLE, data.operationChecks.hits);
  await bulkInsert(client, NOTICES, await withControlNumbers(client, notices));
  const aliases = notices.flatMap((b) => b.aliases);
  const warrants = notices.flatMap((b) => b.warrants);
  const documents = notices.flatMap((b) => b.documents);
  await bulkInsert(client, ALIASES, aliases);
  await bulkInsert(client, WARRANTS, warrants);
  await bulkInsert(client, NOTICE_DOCUMENTS, documents);
  await bulkInsert(client, ALERTS, data.alerts);
  await bulkInsert(client, NOTICE_HITS, data.noticeHits);
  await bulkInsert(client, OPERATION_SCREENINGS, data.operationScreenings);
  await advanceCounters(clientQuery(client), 'alerts.alert_number_counters', alertNumbersUsed(data.alerts));
}

function secretHash(hashes: ReadonlyMap<string, string>, clientId: string): string {
  const hash = hashes.get(clientId);
  if (!hash) throw new Error(`No secret hash for ${clientId}`);
  return hash;
}

/**
 * Control numbers continue each owner's counters (one per type letter, country and year), in request order, so
 * that notices the hub issues later follow on; the counters are then moved past the numbers used.
 */
async function withControlNumbers(client: pg.Client, bundles: readonly NoticeBundle[]): Promise<NoticeRow[]> {
  const counter = await SeriesCounter.load(client, 'notices.control_number_counters');
  const ordered = bundles
    .map((b) => b.notice)
    .sort((a, b) => a.requestedAt.localeCompare(b.requestedAt) || a.id.localeCompare(b.id));
  // Object.assign, not a spread: V8 spreads wide objects slowly.
  const rows = ordered.map((notice) => {
    const requestedAt = new Date(notice.requestedAt);
    const series = controlNumberSeries(notice.type, notice.ownerCountry);
    const sequence = counter.next(series, requestedAt.getUTCFullYear());
    return Object.assign(
      { controlNumber: formatControlNumber(notice.type, notice.ownerCountry, sequence, requestedAt) },
      notice,
    );
  });
  await advanceCounters(clientQuery(client), 'notices.control_number_counters', counter.used());
  return rows;
}
