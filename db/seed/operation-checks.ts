import type { HitOutcomeAction } from '../../shared/schema/hit-outcome';
import { column as col, type TableSpec } from './bulk-insert';
import { addDays } from './dates';
import { Random } from './random';
import type { AgencyRow, SltdRecordRow } from './tables';

/**
 * travel-documents' part of the demo operations (db/seed/operations.ts fixes their codes and windows): checks made
 * in their context (`sltd.operation_checks`) and the hits those checks produced, with their owners' decisions and
 * outcomes, so that the closed operation's report has results and the active one has a start.
 *
 * - LIONFISH-2026-MRS (CLOSED, 1–15 September 2026, port of Marseille): frontex's team checks ferry and cargo
 *   crews and passengers every day; a dozen documents on file surface, most confirmed with an outcome.
 * - STOP-2026-CDG (ACTIVE around the moment of seeding): a few checks by frontex and bp-fra at the two CDG
 *   terminals in the days before it.
 *
 * Drawn from a stream of their own, so the rest of the demo data stays what it was.
 */
export interface OperationCheckRow {
  operationCode: string;
  borderPointCode: string;
  checkedAt: string;
  documents: number;
  checkedByAgencyId: string;
  checkedByClient: string;
}

export interface OperationHitRow {
  id: string;
  recordId: string;
  ownerAgencyId: string;
  checkedByClient: string;
  checkedByAgencyId: string;
  checkedByCountry: string | null;
  checkedAt: string;
  location: string;
  visibleToChecker: boolean;
  status: 'PENDING' | 'CONFIRMED' | 'FALSE_POSITIVE';
  outcomeNote: string | null;
  decidedAt: string | null;
  decidedByClient: string | null;
  operationCode: string;
  borderPointCode: string;
  outcome: HitOutcomeAction | null;
  outcomeAt: string | null;
  outcomeByClient: string | null;
  outcomeActionNote: string | null;
}

export interface OperationCheckData {
  checks: OperationCheckRow[];
  hits: OperationHitRow[];
}

const LIONFISH = {
  code: 'LIONFISH-2026-MRS',
  borderPoint: 'FRMRS',
  from: new Date('2026-09-01T06:00:00Z'),
  days: 15,
} as const;
const STOP = { code: 'STOP-2026-CDG', borderPoints: ['FRCDG-T1', 'FRCDG-T2'] } as const;

/** The demo clients of the bureaus that own the records hit: they decide on the hits. */
const OWNER_CLIENTS: Readonly<Record<string, string>> = {
  'NCB-FRA': 'ncb-fra',
  'NCB-USA': 'ncb-usa',
  'NCB-UTO': 'ncb-uto',
};

const OUTCOMES: Readonly<Record<HitOutcomeAction, number>> = {
  ARRESTED: 3,
  DETAINED: 2,
  REFUSED_ENTRY: 3,
  DOCUMENT_SEIZED: 3,
  NO_ACTION: 1,
};

const OUTCOME_NOTES: Readonly<Record<HitOutcomeAction, string>> = {
  ARRESTED: 'Holder arrested at the ferry terminal and handed to the judicial police.',
  DETAINED: 'Holder held at the port pending the issuing country’s answer.',
  REFUSED_ENTRY: 'Holder refused entry and returned on the next sailing.',
  DOCUMENT_SEIZED: 'Document seized and sent to the issuing authority.',
  NO_ACTION: 'Document already recovered by its holder; no further action.',
};

const LOCATIONS = [
  'Ferry terminal, gate A',
  'Ferry terminal, gate B',
  'Cargo quay, crew checks',
  'Cruise terminal',
];

/** Whether frontex (an international partner, no country) may see a record: shared/restrictions.ts' rule. */
function visibleToFrontex(record: SltdRecordRow): boolean {
  const r = record.restrictions;
  return (
    r.allowedCountries === null &&
    (r.allowedAgencyKinds === null || r.allowedAgencyKinds.includes('INTERNATIONAL_PARTNER')) &&
    !r.excludedAgencyKinds.includes('INTERNATIONAL_PARTNER')
  );
}

export function demoOperationChecks(
  seed: number,
  agencies: readonly AgencyRow[],
  records: readonly SltdRecordRow[],
  seededAt: Date,
): OperationCheckData {
  const random = new Random(seed ^ 0x0c4ec5);
  const agency = (code: string) => agencies.find((a) => a.code === code);
  const frontex = agency('FRONTEX');
  const bpFra = agency('BP-FRA');
  if (!frontex || !bpFra) return { checks: [], hits: [] };
  const ownerCodes = new Map(agencies.map((a) => [a.id, a.code]));
  const checks: OperationCheckRow[] = [];
  const hits: OperationHitRow[] = [];

  // LIONFISH: 40 to 110 check calls a day, 1 to 6 documents each (a family, a crew list).
  const lionfishChecks: OperationCheckRow[] = [];
  for (let day = 0; day < LIONFISH.days; day++) {
    const start = addDays(LIONFISH.from, day);
    const calls = random.int(40, 110);
    for (let i = 0; i < calls; i++)
      lionfishChecks.push({
        operationCode: LIONFISH.code,
        borderPointCode: LIONFISH.borderPoint,
        checkedAt: random.instant(start, new Date(start.getTime() + 12 * 3_600_000)).toISOString(),
        documents: 1 + random.index([40, 25, 15, 10, 6, 4]),
        checkedByAgencyId: frontex.id,
        checkedByClient: 'frontex',
      });
  }
  lionfishChecks.sort((a, b) => a.checkedAt.localeCompare(b.checkedAt));
  checks.push(...lionfishChecks);

  // Its hits: records of the bureaus with demo clients (they decide), and one restricted record of another owner
  // (hidden from frontex, counted only in the views that may see it).
  const decidable = records.filter(
    (r) =>
      OWNER_CLIENTS[ownerCodes.get(r.ownerAgencyId) ?? ''] !== undefined &&
      visibleToFrontex(r) &&
      r.status !== 'STOLEN_BLANK',
  );
  const restricted = records.find(
    (r) => !visibleToFrontex(r) && OWNER_CLIENTS[ownerCodes.get(r.ownerAgencyId) ?? ''] === undefined,
  );
  const hitRecords = [...random.sample(decidable, 12), ...(restricted ? [restricted] : [])];
  for (const record of hitRecords) {
    const check = random.pick(lionfishChecks);
    const checkedAt = new Date(check.checkedAt);
    const decider = OWNER_CLIENTS[ownerCodes.get(record.ownerAgencyId) ?? ''] ?? null;
    const roll = random.next();
    const status = !decider || roll < 0.1 ? 'PENDING' : roll < 0.2 ? 'FALSE_POSITIVE' : 'CONFIRMED';
    const decidedAt =
      status === 'PENDING' ? null : new Date(checkedAt.getTime() + random.int(10, 90) * 60_000);
    const outcome = status === 'CONFIRMED' ? random.weighted(OUTCOMES) : null;
    const outcomeAt =
      decidedAt && outcome ? new Date(decidedAt.getTime() + random.int(30, 600) * 60_000) : null;
    hits.push({
      id: random.uuid(),
      recordId: record.id,
      ownerAgencyId: record.ownerAgencyId,
      checkedByClient: 'frontex',
      checkedByAgencyId: frontex.id,
      checkedByCountry: null,
      checkedAt: checkedAt.toISOString(),
      location: random.pick(LOCATIONS),
      visibleToChecker: visibleToFrontex(record),
      status,
      outcomeNote:
        status === 'CONFIRMED'
          ? 'Confirmed: the document is the one reported.'
          : status === 'FALSE_POSITIVE'
            ? 'A different document with the same number.'
            : null,
      decidedAt: decidedAt?.toISOString() ?? null,
      decidedByClient: status === 'PENDING' ? null : decider,
      operationCode: LIONFISH.code,
      borderPointCode: LIONFISH.borderPoint,
      outcome,
      outcomeAt: outcomeAt?.toISOString() ?? null,
      outcomeByClient: outcome ? decider : null,
      outcomeActionNote: outcome ? OUTCOME_NOTES[outcome] : null,
    });
  }

  // STOP: a few checks at each terminal in the three days before the seed, by both participants.
  const stopFrom = addDays(seededAt, -3);
  const stopTo = new Date(seededAt.getTime() - 3_600_000);
  const stopChecks: OperationCheckRow[] = [];
  for (let i = 0; i < 24; i++) {
    const byFrontex = random.chance(0.5);
    stopChecks.push({
      operationCode: STOP.code,
      borderPointCode: random.pick(STOP.borderPoints),
      checkedAt: random.instant(stopFrom, stopTo).toISOString(),
      documents: 1 + random.index([50, 25, 15, 10]),
      checkedByAgencyId: byFrontex ? frontex.id : bpFra.id,
      checkedByClient: byFrontex ? 'frontex' : 'bp-fra',
    });
  }
  stopChecks.sort((a, b) => a.checkedAt.localeCompare(b.checkedAt));
  checks.push(...stopChecks);
  const stopHit = random.pick(decidable.filter((r) => !hitRecords.includes(r)));
  const stopCheck = stopChecks[stopChecks.length - 1];
  hits.push({
    id: random.uuid(),
    recordId: stopHit.id,
    ownerAgencyId: stopHit.ownerAgencyId,
    checkedByClient: stopCheck.checkedByClient,
    checkedByAgencyId: stopCheck.checkedByAgencyId,
    checkedByCountry: stopCheck.checkedByClient === 'bp-fra' ? 'FRA' : null,
    checkedAt: stopCheck.checkedAt,
    location: stopCheck.borderPointCode === 'FRCDG-T1' ? 'CDG T1 arrivals' : 'CDG T2 gate 34',
    visibleToChecker: true,
    status: 'PENDING',
    outcomeNote: null,
    decidedAt: null,
    decidedByClient: null,
    operationCode: STOP.code,
    borderPointCode: stopCheck.borderPointCode,
    outcome: null,
    outcomeAt: null,
    outcomeByClient: null,
    outcomeActionNote: null,
  });
  return { checks, hits };
}

export const OPERATION_CHECKS_TABLE: TableSpec<OperationCheckRow> = {
  table: 'sltd.operation_checks',
  columns: [
    col('operation_code', 'text', (r) => r.operationCode),
    col('border_point_code', 'text', (r) => r.borderPointCode),
    col('checked_at', 'timestamptz', (r) => r.checkedAt),
    col('documents', 'integer', (r) => String(r.documents)),
    col('checked_by_agency_id', 'uuid', (r) => r.checkedByAgencyId),
    col('checked_by_client', 'text', (r) => r.checkedByClient),
  ],
};

export const OPERATION_HITS_TABLE: TableSpec<OperationHitRow> = {
  table: 'sltd.hits',
  columns: [
    col('id', 'uuid', (r) => r.id),
    col('record_id', 'uuid', (r) => r.recordId),
    col('owner_agency_id', 'uuid', (r) => r.ownerAgencyId),
    col('checked_by_client', 'text', (r) => r.checkedByClient),
    col('checked_by_agency_id', 'uuid', (r) => r.checkedByAgencyId),
    col('checked_by_country', 'text', (r) => r.checkedByCountry),
    col('checked_at', 'timestamptz', (r) => r.checkedAt),
    col('location', 'text', (r) => r.location),
    col('visible_to_checker', 'boolean', (r) => String(r.visibleToChecker)),
    col('status', 'text', (r) => r.status),
    col('outcome_note', 'text', (r) => r.outcomeNote),
    col('decided_at', 'timestamptz', (r) => r.decidedAt),
    col('decided_by_client', 'text', (r) => r.decidedByClient),
    col('operation_code', 'text', (r) => r.operationCode),
    col('border_point_code', 'text', (r) => r.borderPointCode),
    col('outcome', 'text', (r) => r.outcome),
    col('outcome_at', 'timestamptz', (r) => r.outcomeAt),
    col('outcome_by_client', 'text', (r) => r.outcomeByClient),
    col('outcome_action_note', 'text', (r) => r.outcomeActionNote),
  ],
};

export interface OperationCheckDayRow {
  operationCode: string;
  borderPointCode: string;
  day: string;
  checks: number;
  documents: number;
}

/** The per-day counts the report reads (sltd.operation_check_days), as the checks' own statement keeps them. */
export function operationCheckDayRows(checks: readonly OperationCheckRow[]): OperationCheckDayRow[] {
  const days = new Map<string, OperationCheckDayRow>();
  for (const check of checks) {
    const day = check.checkedAt.slice(0, 10);
    const key = `${check.operationCode}|${check.borderPointCode}|${day}`;
    const row = days.get(key) ?? {
      operationCode: check.operationCode,
      borderPointCode: check.borderPointCode,
      day,
      checks: 0,
      documents: 0,
    };
    row.checks += 1;
    row.documents += check.documents;
    days.set(key, row);
  }
  return [...days.values()];
}

export const OPERATION_CHECK_DAYS_TABLE: TableSpec<OperationCheckDayRow> = {
  table: 'sltd.operation_check_days',
  columns: [
    col('operation_code', 'text', (r) => r.operationCode),
    col('border_point_code', 'text', (r) => r.borderPointCode),
    col('day', 'date', (r) => r.day),
    col('shard', 'integer', () => '0'),
    col('checks', 'integer', (r) => String(r.checks)),
    col('documents', 'integer', (r) => String(r.documents)),
  ],
};
