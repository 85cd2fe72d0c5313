import { DEMO_CLIENTS } from './agencies';
import type { NoticeBundle } from './notices';
import type { Random } from './random';
import { column as col, type TableSpec } from './bulk-insert';
import type { AgencyRow } from './tables';

/**
 * notices' part of the demo operations (docs/architecture.md, operations): the closed LIONFISH-2026-MRS at the
 * port of Marseille has results, persons screened and notice matches reported by Frontex, most decided by the
 * notices' requesting bureaus and some with what was done, so its report shows figures from the first start.
 * Its code, border point and window are partner-agencies' (db/seed/operations.ts).
 */
const LIONFISH = {
  code: 'LIONFISH-2026-MRS',
  borderPoint: 'FRMRS',
  startsAt: Date.parse('2026-09-01T06:00:00.000Z'),
  endsAt: Date.parse('2026-09-15T18:00:00.000Z'),
} as const;

export interface NoticeHitRow {
  id: string;
  noticeId: string;
  ownerAgencyId: string;
  reportedByClient: string;
  reportedByAgencyId: string;
  reportedByCountry: string | null;
  reportedAt: string;
  note: string | null;
  operationCode: string | null;
  borderPointCode: string | null;
  status: 'PENDING' | 'CONFIRMED' | 'FALSE_POSITIVE';
  decisionNote: string | null;
  decidedAt: string | null;
  decidedByClient: string | null;
  outcome: string | null;
  outcomeNote: string | null;
  outcomeAt: string | null;
  outcomeByClient: string | null;
}

export interface OperationScreeningRow {
  operationCode: string;
  borderPointCode: string;
  screenedAt: string;
  screenedByClient: string;
  screenedByAgencyId: string;
}

export const NOTICE_HITS: TableSpec<NoticeHitRow> = {
  table: 'notices.notice_hits',
  columns: [
    col('id', 'uuid', (r) => r.id),
    col('notice_id', 'uuid', (r) => r.noticeId),
    col('owner_agency_id', 'uuid', (r) => r.ownerAgencyId),
    col('reported_by_client', 'text', (r) => r.reportedByClient),
    col('reported_by_agency_id', 'uuid', (r) => r.reportedByAgencyId),
    col('reported_by_country', 'text', (r) => r.reportedByCountry),
    col('reported_at', 'timestamptz', (r) => r.reportedAt),
    col('note', 'text', (r) => r.note),
    col('operation_code', 'text', (r) => r.operationCode),
    col('border_point_code', 'text', (r) => r.borderPointCode),
    col('status', 'text', (r) => r.status),
    col('decision_note', 'text', (r) => r.decisionNote),
    col('decided_at', 'timestamptz', (r) => r.decidedAt),
    col('decided_by_client', 'text', (r) => r.decidedByClient),
    col('outcome', 'text', (r) => r.outcome),
    col('outcome_note', 'text', (r) => r.outcomeNote),
    col('outcome_at', 'timestamptz', (r) => r.outcomeAt),
    col('outcome_by_client', 'text', (r) => r.outcomeByClient),
  ],
};

export const OPERATION_SCREENINGS: TableSpec<OperationScreeningRow> = {
  table: 'notices.operation_screenings',
  columns: [
    col('operation_code', 'text', (r) => r.operationCode),
    col('border_point_code', 'text', (r) => r.borderPointCode),
    col('screened_at', 'timestamptz', (r) => r.screenedAt),
    col('screened_by_client', 'text', (r) => r.screenedByClient),
    col('screened_by_agency_id', 'uuid', (r) => r.screenedByAgencyId),
  ],
};

/** What became of each match, in order: most confirmed (some with an outcome), some wrong, two still open. */
const MATCH_FATES: readonly { status: NoticeHitRow['status']; outcome: string | null }[] = [
  { status: 'CONFIRMED', outcome: 'ARRESTED' },
  { status: 'CONFIRMED', outcome: 'ARRESTED' },
  { status: 'CONFIRMED', outcome: 'ARRESTED' },
  { status: 'CONFIRMED', outcome: 'DETAINED' },
  { status: 'CONFIRMED', outcome: 'REFUSED_ENTRY' },
  { status: 'CONFIRMED', outcome: 'REFUSED_ENTRY' },
  { status: 'CONFIRMED', outcome: 'NO_ACTION' },
  { status: 'CONFIRMED', outcome: null },
  { status: 'FALSE_POSITIVE', outcome: null },
  { status: 'FALSE_POSITIVE', outcome: null },
  { status: 'FALSE_POSITIVE', outcome: null },
  { status: 'PENDING', outcome: null },
  { status: 'PENDING', outcome: null },
];
const MATCHED_TYPES = ['RED', 'YELLOW', 'BLUE', 'GREEN'];
/** About this many persons screened a day at the port, every one counted in the report. */
const SCREENINGS_PER_DAY = 90;
const HOUR_MS = 3_600_000;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The LIONFISH rows: screenings spread over its window, and one match per fate on notices published before it
 * began, unrestricted (every view of the operation counts them), of the types officers mostly meet.
 */
export function lionfishResults(
  random: Random,
  agencies: readonly AgencyRow[],
  notices: readonly NoticeBundle[],
): { noticeHits: NoticeHitRow[]; screenings: OperationScreeningRow[] } {
  const frontex = agencies.find((a) => a.code === 'FRONTEX');
  if (!frontex) return { noticeHits: [], screenings: [] };
  const candidates = notices
    .map((b) => b.notice)
    .filter(
      (n) =>
        n.status === 'PUBLISHED' &&
        n.publishedAt !== null &&
        Date.parse(n.publishedAt) < LIONFISH.startsAt &&
        MATCHED_TYPES.includes(n.type) &&
        n.restrictions.allowedCountries === null &&
        n.restrictions.excludedCountries.length === 0 &&
        n.restrictions.allowedAgencyKinds === null &&
        n.restrictions.excludedAgencyKinds.length === 0,
    );
  const matched = random.sample(candidates, Math.min(MATCH_FATES.length, candidates.length));
  const window = LIONFISH.endsAt - LIONFISH.startsAt;
  const noticeHits = matched.map((notice, i): NoticeHitRow => {
    const fate = MATCH_FATES[i];
    const reportedAt = LIONFISH.startsAt + Math.floor(random.next() * (window - 2 * HOUR_MS));
    const decidedAt = fate.status === 'PENDING' ? null : reportedAt + random.int(1, 24) * HOUR_MS;
    const outcomeAt = fate.outcome && decidedAt ? decidedAt + random.int(1, 12) * HOUR_MS : null;
    // The owner's demo client where it has one (docs/architecture.md's table), else no client is named.
    const ownerClient =
      DEMO_CLIENTS.find((c) => c.agencyCode === `NCB-${notice.ownerCountry}`)?.clientId ?? null;
    return {
      id: random.uuid(),
      noticeId: notice.id,
      ownerAgencyId: notice.ownerAgencyId,
      reportedByClient: 'frontex',
      reportedByAgencyId: frontex.id,
      reportedByCountry: frontex.country,
      reportedAt: iso(reportedAt),
      note: 'Crew member of an arriving ferry; face and date of birth match the notice.',
      operationCode: LIONFISH.code,
      borderPointCode: LIONFISH.borderPoint,
      status: fate.status,
      decisionNote:
        fate.status === 'CONFIRMED'
          ? 'Identity confirmed with fingerprints.'
          : fate.status === 'FALSE_POSITIVE'
            ? 'Not the subject: fingerprints differ.'
            : null,
      decidedAt: decidedAt === null ? null : iso(decidedAt),
      decidedByClient: decidedAt === null ? null : ownerClient,
      outcome: fate.outcome,
      outcomeNote: fate.outcome
        ? 'Recorded by the requesting bureau after the port authorities’ report.'
        : null,
      outcomeAt: outcomeAt === null ? null : iso(outcomeAt),
      outcomeByClient: outcomeAt === null ? null : ownerClient,
    };
  });
  const screenings: OperationScreeningRow[] = [];
  for (let day = LIONFISH.startsAt; day < LIONFISH.endsAt; day += 24 * HOUR_MS) {
    const count = random.int(SCREENINGS_PER_DAY / 2, SCREENINGS_PER_DAY * 1.5);
    const span = Math.min(24 * HOUR_MS, LIONFISH.endsAt - day);
    for (let i = 0; i < count; i++) {
      screenings.push({
        operationCode: LIONFISH.code,
        borderPointCode: LIONFISH.borderPoint,
        screenedAt: iso(day + Math.floor(random.next() * span)),
        screenedByClient: 'frontex',
        screenedByAgencyId: frontex.id,
      });
    }
  }
  return { noticeHits, screenings };
}
