import { alertDescription, indicatorsFor } from './alert-texts';
import { alertNumberSeries, formatAlertNumber } from '../../subgraphs/document-alerts/alert-number';
import { SeriesCounter } from './numbering';
import { ncbOf, type SeedContext } from './context';
import { addYears, isoDate } from './dates';
import { ALL_MODEL_SERIES, documentTypeFor, type DocumentRef } from './documents';
import { NCB_COUNTRIES, ncbCountry, OWNER_WEIGHTS } from './ncb-countries';
import { someRestrictions } from './restrictions';
import { UNRESTRICTED, type AlertRow, type FraudTypeName } from './tables';

const FRAUD_WEIGHTS: Readonly<Record<FraudTypeName, number>> = {
  COUNTERFEIT: 30,
  FORGED: 25,
  FRAUDULENTLY_OBTAINED: 12,
  IMPOSTOR: 10,
  STOLEN_BLANK: 13,
  PSEUDO_DOCUMENT: 10,
};

const PUBLICATION_YEARS = 3;
const REVIEW_YEARS = 10;
const RESTRICTED_SHARE = 0.03;

/** A document an alert's range or pattern is built around, so that some seeded documents are covered. */
export interface AlertBase extends DocumentRef {
  series: string | null;
}

export interface AlertSources {
  /** Documents of the most recent notices. */
  showcase: readonly AlertBase[];
  /** Any other seeded document (SLTD records, notice documents). */
  others: readonly AlertBase[];
}

/** An alert before its number: numbers follow the publication order within each year. */
export type AlertDraft = Omit<AlertRow, 'alertNumber'>;

type Coverage = 'range' | 'pattern' | 'model';

/** About half the alerts name a number range, a quarter a number pattern, the rest a whole document model. */
export function randomAlerts(context: SeedContext, count: number, sources: AlertSources): AlertDraft[] {
  const { random } = context;
  const ranges = Math.round(count * 0.5);
  const patterns = Math.round(count * 0.25);
  // About a third of the showcase notices' documents get a range alert, so their first page shows alerts.
  const showcaseBases = random.sample(
    sources.showcase,
    Math.min(Math.ceil(sources.showcase.length / 3), Math.ceil(ranges / 2)),
  );
  const drafts: AlertDraft[] = [];
  for (let i = 0; i < count; i++) {
    const coverage: Coverage = i < ranges ? 'range' : i < ranges + patterns ? 'pattern' : 'model';
    const fromShowcase = i < showcaseBases.length;
    const base = coverage === 'model' ? null : fromShowcase ? showcaseBases[i] : pickBase(context, sources);
    drafts.push(randomAlert(context, coverage, base, fromShowcase));
  }
  return drafts;
}

function pickBase(context: SeedContext, sources: AlertSources): AlertBase | null {
  const { random } = context;
  const pool =
    sources.others.length > 0 && (sources.showcase.length === 0 || random.chance(0.8))
      ? sources.others
      : sources.showcase;
  return pool.length > 0 ? random.pick(pool) : null;
}

function randomAlert(
  context: SeedContext,
  coverage: Coverage,
  base: AlertBase | null,
  showcase: boolean,
): AlertDraft {
  const { random, now } = context;
  const issuingCountry = base?.issuingCountry ?? random.weighted(OWNER_WEIGHTS);
  const documentType = base?.documentType ?? documentTypeFor(random, issuingCountry);
  const fraudType = random.weighted(FRAUD_WEIGHTS);
  const series = base ? base.series : random.chance(0.8) ? random.pick(ALL_MODEL_SERIES) : null;
  const owner = random.chance(0.45)
    ? context.generalSecretariat
    : ncbOf(context, random.chance(0.6) ? issuingCountry : random.pick(NCB_COUNTRIES).code);
  const publishedAt = random.instant(addYears(now, -PUBLICATION_YEARS), now);
  const range = coverage === 'range' && base ? rangeAround(context, base.documentNumber) : null;
  // A number ending in letters has no range around it: such alerts name a pattern instead.
  const pattern = coverage !== 'model' && base && !range ? patternAround(context, base.documentNumber) : null;
  const detectedIn = random.pick(random.pick(NCB_COUNTRIES).cities);
  return {
    id: random.uuid(),
    issuingCountry,
    documentType,
    series,
    fraudType,
    description: alertDescription(random, {
      fraudType,
      documentType,
      series,
      city: detectedIn,
      countryName: ncbCountry(issuingCountry).name,
    }),
    indicators: indicatorsFor(random, fraudType),
    numberFrom: range?.from ?? null,
    numberTo: range?.to ?? null,
    numberPattern: pattern,
    ownerAgencyId: owner.id,
    ownerCountry: owner.country,
    publishedAt: publishedAt.toISOString(),
    reviewDate: isoDate(addYears(publishedAt, REVIEW_YEARS)),
    // Alerts on the showcase documents stay visible to every caller, or the showcase would show nothing.
    restrictions: showcase ? UNRESTRICTED : someRestrictions(random, owner.country, RESTRICTED_SHARE),
  };
}

/**
 * A block of numbers around `number`: its trailing digits (two to four of them) run from all 0 to all 9, so
 * both ends have the number's length and compare as text in the same order as numbers (the hub tests
 * `BETWEEN`).
 */
function rangeAround(context: SeedContext, number: string): { from: string; to: string } | null {
  const digits = /\d+$/.exec(number)?.[0].length ?? 0;
  if (digits < 2) return null;
  const width = Math.min(digits, context.random.int(2, 4));
  const head = number.slice(0, number.length - width);
  return { from: head + '0'.repeat(width), to: head + '9'.repeat(width) };
}

/** A POSIX regular expression on the number's start that `number` matches, such as `^19FR0[0-4]`. */
function patternAround(context: SeedContext, number: string): string {
  const { random } = context;
  const prefixLength = Math.min(number.length - 1, random.int(3, 5));
  const prefix = number.slice(0, prefixLength);
  const next = number[prefixLength];
  if (!/\d/.test(next)) return `^${prefix}${next}`;
  const low = Math.max(0, Number(next) - random.int(0, 2));
  const high = Math.min(9, Number(next) + random.int(1, 3));
  return `^${prefix}[${low}-${high}]`;
}

/**
 * `DD-${country}-${year}-${sequence}`: numbered per owner's series in publication order within each year, after
 * the numbers already taken (subgraphs/document-alerts/alert-number.ts, the one copy of the format).
 */
export function numberAlerts(drafts: readonly AlertDraft[], taken: readonly string[]): AlertRow[] {
  const used = new Set(taken);
  const counter = new SeriesCounter();
  const ordered = [...drafts].sort(
    (a, b) => a.publishedAt.localeCompare(b.publishedAt) || a.id.localeCompare(b.id),
  );
  return ordered.map((draft) => {
    const year = new Date(draft.publishedAt).getUTCFullYear();
    let alertNumber: string;
    do {
      alertNumber = formatAlertNumber(
        draft.ownerCountry,
        year,
        counter.next(alertNumberSeries(draft.ownerCountry), year),
      );
    } while (used.has(alertNumber));
    return Object.assign({ alertNumber }, draft);
  });
}

/** The series, year and sequence of alert numbers in the hub's format, for `advanceCounters`. */
export function alertNumbersUsed(rows: readonly Pick<AlertRow, 'alertNumber'>[]) {
  return rows.flatMap((r) => {
    const match = /^(DD-[A-Z]+)-(\d{4})-(\d+)$/.exec(r.alertNumber);
    return match ? [{ series: match[1], year: Number(match[2]), sequence: Number(match[3]) }] : [];
  });
}
