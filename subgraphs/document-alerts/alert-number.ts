import type { EntityManager } from 'typeorm';
import { reserveNumbers, type NumberingQuery } from '../../shared/numbering';

/**
 * An alert number's series: `DD-` and the owner's country, or `DD-GS` for the General Secretariat (no country).
 * Only NCBs (one per country) and the General Secretariat may hold `alerts:write` (shared/auth/agency-policy.ts),
 * so the series is the owner's; were two owners ever to share one, they would share its counter, never a number.
 */
export function alertNumberSeries(ownerCountry: string | null): string {
  return `DD-${ownerCountry ?? 'GS'}`;
}

/** `${series}-${YYYY}-${sequence}`, the year of publication (UTC): `DD-FRA-2026-00001`. */
export function formatAlertNumber(ownerCountry: string | null, year: number, sequence: number): string {
  return `${alertNumberSeries(ownerCountry)}-${year}-${String(sequence).padStart(5, '0')}`;
}

/** Takes `count` alert numbers of the owner's series for `year`; returns the first. */
export function reserveAlertNumbers(
  query: NumberingQuery,
  ownerCountry: string | null,
  year: number,
  count: number,
): Promise<number> {
  return reserveNumbers(query, 'alerts.alert_number_counters', alertNumberSeries(ownerCountry), year, count);
}

/** The owner's next alert number for the year of publication, counted in the publication's own transaction. */
export async function issueAlertNumber(
  tx: Pick<EntityManager, 'query'>,
  ownerCountry: string | null,
  publishedAt: Date,
): Promise<string> {
  const query: NumberingQuery = (sql, params) => tx.query(sql, params);
  const year = publishedAt.getUTCFullYear();
  return formatAlertNumber(ownerCountry, year, await reserveAlertNumbers(query, ownerCountry, year, 1));
}
