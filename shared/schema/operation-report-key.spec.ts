import { parseReportKey, reportKey } from './operation-report-key';

describe('operation report key', () => {
  it('round-trips an operation and its sorted border points', () => {
    const id = reportKey({ operation: 'STOP-2026-CDG', borderPoints: ['FRCDG-T2', 'FRCDG-T1'] });
    expect(id).toBe('STOP-2026-CDG|FRCDG-T1,FRCDG-T2');
    expect(parseReportKey(id)).toEqual({
      operation: 'STOP-2026-CDG',
      borderPoints: ['FRCDG-T1', 'FRCDG-T2'],
    });
  });

  it('keeps a view of no border points empty', () => {
    expect(parseReportKey(reportKey({ operation: 'X', borderPoints: [] }))).toEqual({
      operation: 'X',
      borderPoints: [],
    });
  });

  it('refuses a key without an operation', () => {
    expect(() => parseReportKey('|FRCDG-T1')).toThrow('id: is not an operation report key');
  });
});
