import type pg from 'pg';
import type { CounterTable } from '../../shared/numbering';

type Used = { series: string; year: number; sequence: number };

/**
 * Numbers rows in memory per series and year, after the counters on file (or from 1), for the seeds that write
 * many rows at once; `used()` then goes to `advanceCounters` so the hub's next number follows them.
 */
export class SeriesCounter {
  private readonly last = new Map<string, Used>();

  static async load(client: pg.ClientBase, table: CounterTable): Promise<SeriesCounter> {
    const counter = new SeriesCounter();
    const { rows } = await client.query<{ series: string; year: number; last_value: string }>(
      `SELECT series, year, last_value FROM ${table}`,
    );
    for (const r of rows) counter.last.set(`${r.series}/${r.year}`, { ...r, sequence: Number(r.last_value) });
    return counter;
  }

  next(series: string, year: number): number {
    const key = `${series}/${year}`;
    const sequence = (this.last.get(key)?.sequence ?? 0) + 1;
    this.last.set(key, { series, year, sequence });
    return sequence;
  }

  used(): Used[] {
    return [...this.last.values()];
  }
}
