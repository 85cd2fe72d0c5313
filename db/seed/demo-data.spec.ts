import { formatControlNumber } from '../../subgraphs/notices/control-number';
import { generateDemoData } from './demo-data';
import { Random } from './random';

// The in-memory half of the seed; demo-data.db.spec.ts checks what reaches PostgreSQL.
const SMALL = { notices: 120, sltd: 600, alerts: 40, seed: 11 };
const data = generateDemoData(SMALL);
const documentKey = (d: { issuingCountry: string; documentNumber: string }): string =>
  `${d.issuingCountry}:${d.documentNumber}`;

it('generates the same data set for the same seed, and another for another seed', () => {
  expect(generateDemoData(SMALL)).toEqual(data);
  expect(generateDemoData({ ...SMALL, seed: 12 }).sltdRecords[1].id).not.toBe(data.sltdRecords[1].id);
});

it('never reports one document twice, and keeps the contract examples free', () => {
  const keys = data.sltdRecords.map(documentKey);
  expect(new Set(keys).size).toBe(keys.length);
  expect(keys).toContain('UTO:L898902C3');
  expect(keys).not.toContain('FRA:00AA00000');
  expect(keys).not.toContain('FRA:19FR12345');
  const held = data.notices.flatMap((b) => b.documents).map(documentKey);
  expect(new Set(held).size).toBe(held.length);
});

it('builds every alert range and pattern around a document of the data set', () => {
  const numbers = [...data.sltdRecords, ...data.notices.flatMap((b) => b.documents)];
  const covering = data.alerts.filter((a) => a.numberFrom !== null || a.numberPattern !== null);
  expect(covering.length).toBeGreaterThanOrEqual(data.alerts.length / 2);
  for (const alert of covering) {
    const covered = numbers.filter((d) => {
      if (d.issuingCountry !== alert.issuingCountry) return false;
      if (alert.numberPattern) return new RegExp(alert.numberPattern).test(d.documentNumber);
      const { numberFrom: from, numberTo: to } = alert;
      return (
        d.documentNumber.length === from?.length && d.documentNumber >= from && d.documentNumber <= (to ?? '')
      );
    });
    expect({ alert: alert.alertNumber, covers: covered.length > 0 }).toEqual({
      alert: alert.alertNumber,
      covers: true,
    });
  }
});

it('dates every record from the reference date, never the clock', () => {
  const now = new Date('2030-06-01T00:00:00Z');
  const later = generateDemoData({ ...SMALL, now });
  const reported = later.sltdRecords.slice(1).map((r) => r.reportedAt);
  expect(reported.every((at) => at < now.toISOString() && at > '2022-06-01')).toBe(true);
});

it('formats control numbers as letter-country-sequence/month-year of the request', () => {
  expect(formatControlNumber('RED', 'FRA', 12, new Date('2026-03-05T10:00:00Z'))).toBe('A-FRA-12/03-2026');
  expect(formatControlNumber('UN_SPECIAL', 'UTO', 7, new Date('2025-11-30T23:59:59Z'))).toBe(
    'U-UTO-7/11-2025',
  );
});

it('draws reproducible numbers, ids and weighted choices', () => {
  const a = new Random(42);
  const b = new Random(42);
  const draws = (r: Random) => [r.int(1, 6), r.uuid(), r.weighted({ x: 1, y: 0 }), r.letters(3), r.next()];
  expect(draws(a)).toEqual(draws(b));
  expect(new Random(1).uuid()).toMatch(
    /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  );
  const random = new Random(3);
  const rolls = Array.from({ length: 2000 }, () => random.int(1, 3));
  expect(new Set(rolls)).toEqual(new Set([1, 2, 3]));
  expect(Array.from({ length: 200 }, () => random.weighted({ never: 0, always: 5 }))).not.toContain('never');
});
