/**
 * Recomputes the hash chain of the audit trail in PostgreSQL and returns the first row that does not hold:
 * its content was changed (hash mismatch), or a row before it was removed or altered (prev_hash mismatch).
 */
export interface ChainVerification {
  rows: number;
  firstBrokenSeq: number | null;
  reason: 'content altered' | 'chain broken' | null;
}

/** Runs one SQL statement and returns its rows (a TypeORM data source's `query`, or pg's rows). */
export type SqlRows = (sql: string) => Promise<unknown[]>;

export async function verifyAuditChain(query: SqlRows): Promise<ChainVerification> {
  const [broken] = (await query(`
    SELECT c.seq::int AS seq, CASE WHEN c.hash <> c.recomputed THEN 'content altered' ELSE 'chain broken' END AS reason
      FROM (SELECT e.seq, e.hash, e.prev_hash,
                   sha256(e.prev_hash || audit.canonical(e)) AS recomputed,
                   lag(e.hash, 1, '\\x'::bytea) OVER (ORDER BY e.seq) AS expected_prev,
                   lag(e.seq, 1, 0::bigint) OVER (ORDER BY e.seq) AS previous_seq
              FROM audit.entries e) c
     WHERE c.hash <> c.recomputed OR c.prev_hash <> c.expected_prev OR c.seq <> c.previous_seq + 1
     ORDER BY c.seq
     LIMIT 1`)) as { seq: number; reason: ChainVerification['reason'] }[];
  const [{ rows }] = (await query('SELECT count(*)::int AS rows FROM audit.entries')) as {
    rows: number;
  }[];
  return { rows, firstBrokenSeq: broken?.seq ?? null, reason: broken?.reason ?? null };
}
