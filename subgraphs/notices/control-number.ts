import type { EntityManager } from 'typeorm';
import { reserveNumbers, type NumberingQuery } from '../../shared/numbering';
import type { NoticeType } from './notice.entity';

/**
 * The letter a control number starts with, per notice type (A-FRA-123/11-2026 is a RED notice). The demo seed
 * and the notice import use it too (runtime code never imports seed code; the seed imports this).
 */
export const NOTICE_CONTROL_LETTERS: Readonly<Record<`${NoticeType}`, string>> = {
  RED: 'A',
  BLUE: 'B',
  GREEN: 'C',
  YELLOW: 'D',
  BLACK: 'E',
  ORANGE: 'F',
  PURPLE: 'G',
  SILVER: 'H',
  UN_SPECIAL: 'U',
};

/**
 * A control number's series: the type's letter and the owner's country (`A-FRA`). A notice's owner is an NCB,
 * one per country (partners.agencies_one_ncb_per_country), so the series is the owner's: its numbers stay unique
 * across owners and its count shows no other bureau's requests.
 */
export function controlNumberSeries(type: `${NoticeType}`, ownerCountry: string): string {
  return `${NOTICE_CONTROL_LETTERS[type]}-${ownerCountry}`;
}

/** `${series}-${sequence}/${MM}-${YYYY}`, month and year of the request (UTC): `A-FRA-12/11-2026`. */
export function formatControlNumber(
  type: `${NoticeType}`,
  ownerCountry: string,
  sequence: number,
  requestedAt: Date,
): string {
  const month = String(requestedAt.getUTCMonth() + 1).padStart(2, '0');
  return `${controlNumberSeries(type, ownerCountry)}-${sequence}/${month}-${requestedAt.getUTCFullYear()}`;
}

/** Takes `count` control numbers of a series for the year of `at`; returns the first. */
export function reserveControlNumbers(
  query: NumberingQuery,
  type: `${NoticeType}`,
  ownerCountry: string,
  at: Date,
  count: number,
): Promise<number> {
  const series = controlNumberSeries(type, ownerCountry);
  return reserveNumbers(query, 'notices.control_number_counters', series, at.getUTCFullYear(), count);
}

/**
 * Issues the control number of a new notice: the owner's next number of the type and year, counted in the
 * request's own transaction (a refused request takes its number back with it).
 */
export async function issueControlNumber(
  tx: Pick<EntityManager, 'query'>,
  type: NoticeType,
  ownerCountry: string,
  requestedAt: Date,
): Promise<string> {
  const query: NumberingQuery = (sql, params) => tx.query(sql, params);
  const sequence = await reserveControlNumbers(query, type, ownerCountry, requestedAt, 1);
  return formatControlNumber(type, ownerCountry, sequence, requestedAt);
}
