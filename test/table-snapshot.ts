import type pg from 'pg';

/**
 * The row count and a digest of the content of every table of some schemas, and the length of the audit trail: a
 * refused change must leave all of them as they were (no row added, none altered, no audit row but the REFUSE
 * rows that record the refusal itself).
 */
export type TableSnapshot = Record<string, { rows: number; digest?: string }>;

export async function tableSnapshot(db: pg.Client, schemas: readonly string[]): Promise<TableSnapshot> {
  const { rows: tables } = await db.query<{ name: string }>(
    `SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables
      WHERE table_schema = ANY ($1) AND table_type = 'BASE TABLE' ORDER BY 1`,
    [schemas],
  );
  const snapshot: TableSnapshot = {};
  for (const { name } of tables) {
    const { rows } = await db.query<{ rows: number; digest: string }>(
      `SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS digest
         FROM ${name} t`,
    );
    snapshot[name] = rows[0];
  }
  const audit = await db.query<{ rows: number }>(
    `SELECT count(*)::int AS rows FROM audit.entries WHERE action <> 'REFUSE'`,
  );
  snapshot['audit.entries'] = { rows: audit.rows[0].rows };
  return snapshot;
}
