/** The calendar date `years` after `date` (UTC) as yyyy-mm-dd: how review dates are counted. */
export function addYears(date: Date, years: number): string {
  const copy = new Date(date);
  copy.setUTCFullYear(copy.getUTCFullYear() + years);
  return copy.toISOString().slice(0, 10);
}
