/**
 * Numbers that people quote (notice control numbers, alert numbers) are counted per series — one owner's letter
 * or prefix and its country — and per year, never hub-wide: a gap a bureau sees between two numbers of another
 * owner is that owner's own request, never a third bureau's hidden one (docs/security.md, "No existence oracle").
 *
 * Each counter is one row, moved with INSERT … ON CONFLICT DO UPDATE … RETURNING in the caller's transaction: two
 * requests at once queue on the row, and a request that rolls back gives its number back with it.
 */

import type pg from 'pg';

/** A query on the connection the caller already holds (an EntityManager's or a pg client's). */
export type NumberingQuery = (sql: string, params: unknown[]) => Promise<{ last_value: string }[]>;

/** The numbering helpers' query on a seed's or an import's pg client. */
export function clientQuery(client: pg.ClientBase): NumberingQuery {
  return async (sql, params) => (await client.query<{ last_value: string }>(sql, params)).rows;
}

/** The counter tables, one per subgraph schema: (series text, year int, last_value bigint, PRIMARY KEY (series, year)). */
export type CounterTable = 'notices.control_number_counters' | 'alerts.alert_number_counters';

/** Takes `count` numbers of a series and year; returns the first (the block is first … first + count - 1). */
export async function reserveNumbers(
  query: NumberingQuery,
  table: CounterTable,
  series: string,
  year: number,
  count: number,
): Promise<number> {
  const [{ last_value }] = await query(
    `INSERT INTO ${table} AS c (series, year, last_value) VALUES ($1, $2, $3)
     ON CONFLICT (series, year) DO UPDATE SET last_value = c.last_value + EXCLUDED.last_value
     RETURNING last_value::text`,
    [series, year, count],
  );
  return Number(last_value) - count + 1;
}

/**
 * Records numbers written without the counter (the demo seed numbers its fixed data before it is stored): each
 * counter moves to at least the highest number used, so the hub's next number follows them.
 */
export async function advanceCounters(
  query: NumberingQuery,
  table: CounterTable,
  used: Iterable<{ series: string; year: number; sequence: number }>,
): Promise<void> {
  const highest = new Map<string, { series: string; year: number; sequence: number }>();
  for (const u of used) {
    const key = `${u.series}\u0000${u.year}`;
    if ((highest.get(key)?.sequence ?? 0) < u.sequence) highest.set(key, u);
  }
  if (highest.size === 0) return;
  const rows = [...highest.values()];
  await query(
    `INSERT INTO ${table} AS c (series, year, last_value)
     SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[])
     ON CONFLICT (series, year) DO UPDATE SET last_value = greatest(c.last_value, EXCLUDED.last_value)
     RETURNING last_value::text`,
    [rows.map((r) => r.series), rows.map((r) => r.year), rows.map((r) => r.sequence)],
  );
}

/** The SQL of a counter table, for the migrations. */
export function counterTableSql(table: CounterTable): string {
  return `CREATE TABLE ${table} (
        series text NOT NULL,
        year int NOT NULL,
        last_value bigint NOT NULL CHECK (last_value > 0),
        PRIMARY KEY (series, year)
      )`;
}
