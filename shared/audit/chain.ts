import type { AuditChainKeys } from './config';
import { checkLink, SEALED_COLUMNS, type PreviousLink, type SealedRow } from './link';

/**
 * Verifies the keyed audit chain (shared/audit/sealer.ts) with the keys, in Node, row by row in `seq` order, and
 * returns the first row that does not hold. Rows after the last link are not broken, only not sealed yet: they
 * are counted apart. A row without a link below the last link is a break (it was slipped in, or its link
 * removed): the sealer never leaves a row behind.
 *
 * The last link is read first, and only rows up to it are judged: the trail is read page by page while the
 * sealer keeps linking, and a row read as unsealed on one page may be linked before the next page is read. Links
 * are only ever added, so what was linked at the first read still is at every later one.
 */
type ChainBreak =
  /** The row's content (or its key id) differs from what was sealed. */
  | 'content altered'
  /** The link names another predecessor: a sealed row before it was removed, or links were re-pointed. */
  | 'chain broken'
  /** Sealed with a key this process does not know (a rotated-out key must stay listed). */
  | 'unknown key'
  /** A row inside the sealed part of the chain without a link of its own. */
  | 'not sealed';

export interface ChainVerification {
  /** Rows in the trail. */
  rows: number;
  /** Rows linked into the chain. */
  sealed: number;
  /** Rows after the last link: written, not sealed yet (the sealer links them within a moment). */
  unsealed: number;
  firstBrokenSeq: number | null;
  reason: ChainBreak | null;
  /** The last link: compare with a copy kept outside the database to catch a truncated tail. */
  head: { seq: number; keyId: string; link: string } | null;
}

/** Runs one SQL statement with parameters and returns its rows (a TypeORM data source's `query`, or pg's rows). */
export type SqlRows = (sql: string, params: unknown[]) => Promise<unknown[]>;

type VerifiedRow = SealedRow & { key_id: string | null; link: Buffer | null; prev_seq: string | null };

const PAGE = 5000;

export async function verifyAuditChain(query: SqlRows, keys: AuditChainKeys): Promise<ChainVerification> {
  const result: ChainVerification = {
    rows: 0,
    sealed: 0,
    unsealed: 0,
    firstBrokenSeq: null,
    reason: null,
    head: null,
  };
  let previous: PreviousLink | null = null;
  const broken = (seq: string, reason: ChainBreak) => {
    if (result.firstBrokenSeq !== null) return;
    result.firstBrokenSeq = Number(seq);
    result.reason = reason;
  };
  const [{ head }] = (await query('SELECT coalesce(max(seq), 0)::text AS head FROM audit.seals', [])) as {
    head: string;
  }[];
  const sealedUpTo = BigInt(head);
  for (let after = '0'; ;) {
    const page = (await query(
      `SELECT ${SEALED_COLUMNS}, s.key_id, s.link, s.prev_seq::text AS prev_seq
         FROM audit.entries e LEFT JOIN audit.seals s ON s.seq = e.seq
        WHERE e.seq > $1 ORDER BY e.seq LIMIT ${PAGE}`,
      [after],
    )) as VerifiedRow[];
    for (const row of page) {
      result.rows += 1;
      if (BigInt(row.seq) > sealedUpTo) {
        result.unsealed += 1;
        continue;
      }
      if (row.link === null || row.key_id === null) {
        broken(row.seq, 'not sealed');
        continue;
      }
      result.sealed += 1;
      if (row.prev_seq !== (previous?.seq ?? null)) broken(row.seq, 'chain broken');
      else {
        const check = checkLink(keys, row, previous, row.key_id, row.link);
        if (check !== 'ok') broken(row.seq, check);
      }
      previous = { seq: row.seq, link: row.link };
      result.head = { seq: Number(row.seq), keyId: row.key_id, link: row.link.toString('hex') };
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1].seq;
  }
  return result;
}
