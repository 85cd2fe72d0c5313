import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import pg from 'pg';
import pino from 'pino';
import { seedDemoData } from '../db/seed/demo-data';
import { AuditSealer, parseAuditChainKeys, verifyAuditChain, type AuditChainKeys } from '../shared/audit';
import { canonicalText, SEALED_COLUMNS, type PreviousLink, type SealedRow } from '../shared/audit/link';
import { createTestDatabase } from './databases';
import { startTestHub, type TestHub } from './hub';

/**
 * The keyed audit chain (docs/security.md, "Audit chain"): requests write their rows without a lock and without
 * links; sealers link them afterwards, in seq order, only below the horizon of transactions still running; the
 * links are HMACs under keys the database does not hold. Its own database: sealers here use keys of their own,
 * which the other files' hubs do not know. The hub runs no sealer: each test drives its own.
 */
let databaseUrl: string;
let hub: TestHub;
let db: pg.Client;
const sealers: AuditSealer[] = [];

const K1 = `k1=${'1'.repeat(40)}`;
const K2 = `k2=${'2'.repeat(40)}`;
const FIRST_KEY = parseAuditChainKeys(K1);
const ROTATED = parseAuditChainKeys(`${K1},${K2}`);

beforeAll(async () => {
  databaseUrl = await createTestDatabase('audit_chain');
  await seedDemoData(databaseUrl);
  hub = await startTestHub({ databaseUrl, auditChain: null });
  db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
});
afterAll(async () => {
  for (const sealer of sealers) await sealer.stop();
  await db?.end();
  await hub?.stop();
});

function sealer(keys: AuditChainKeys, batchSize = 7): AuditSealer {
  // A small batch: sealing the trail takes many transactions, each continuing from the last committed link.
  const created = new AuditSealer({
    databaseUrl,
    keys,
    intervalMs: 10,
    batchSize,
    log: pino({ level: 'silent' }),
  });
  sealers.push(created);
  return created;
}

const verify = (keys: AuditChainKeys) =>
  verifyAuditChain((sql, params) => db.query(sql, params).then((r) => r.rows), keys);

const SPECIMEN_MRZ =
  'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10';
const CHECK = `query Check($d: [DocumentCheckInput!]!) { checkDocuments(input: $d) { verdict } }`;

async function check(): Promise<void> {
  const response = await hub.graphql('bp-fra', CHECK, { d: [{ mrz: SPECIMEN_MRZ }] });
  expect(response.body).toEqual({ data: { checkDocuments: [{ verdict: 'HIT' }] } });
}

const count = async (sql: string, params: unknown[] = []) => Number((await db.query(sql, params)).rows[0].n);
const rowCount = () => count('SELECT count(*) AS n FROM audit.entries');
const lastSeq = () => count('SELECT coalesce(max(seq), 0) AS n FROM audit.entries');

async function insertRow(client: pg.Client, requestId: string): Promise<number> {
  const result = await client.query(
    `INSERT INTO audit.entries (request_id, subgraph, action, record_type, record_ids)
     VALUES ($1, 'travel-documents', 'CHECK', 'TravelDocument', '{UTO/L898902C3}') RETURNING seq`,
    [requestId],
  );
  return Number(result.rows[0].seq);
}

describe('sealing', () => {
  test('requests write their rows unsealed; a sealer started afterwards seals what was left', async () => {
    await check();
    await check();
    const rows = await rowCount();
    expect(rows).toBeGreaterThanOrEqual(4);
    // No sealer has run: every row is pending, none is broken.
    expect(await verify(FIRST_KEY)).toEqual({
      rows,
      sealed: 0,
      unsealed: rows,
      firstBrokenSeq: null,
      reason: null,
      head: null,
    });

    // The first sealer links part of the trail and is stopped (its process gone)...
    const first = sealer(FIRST_KEY);
    await first.sealNow();
    await first.stop();
    await check();
    const later = await verify(FIRST_KEY);
    expect(later).toMatchObject({ sealed: rows, unsealed: (await rowCount()) - rows, firstBrokenSeq: null });

    // ...and the next one, running as a loop, carries on from the last committed link.
    const next = sealer(FIRST_KEY).start();
    await next.sealNow();
    const last = await lastSeq();
    expect(await verify(FIRST_KEY)).toEqual({
      rows: await rowCount(),
      sealed: await rowCount(),
      unsealed: 0,
      firstBrokenSeq: null,
      reason: null,
      head: { seq: last, keyId: 'k1', link: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    await next.stop();
  });

  test('a row whose transaction is still open holds back the rows committed after it; a rolled-back row leaves a gap', async () => {
    const slow = new pg.Client({ connectionString: databaseUrl });
    const rolledBack = new pg.Client({ connectionString: databaseUrl });
    await slow.connect();
    await rolledBack.connect();
    try {
      const head = await count('SELECT max(seq) AS n FROM audit.seals');
      // The slow writer takes its place first and commits last.
      await slow.query('BEGIN');
      const slowSeq = await insertRow(slow, 'slow-writer');
      await rolledBack.query('BEGIN');
      const gapSeq = await insertRow(rolledBack, 'rolled-back');
      await rolledBack.query('ROLLBACK');
      await check();
      const committedAfter = await count('SELECT count(*) AS n FROM audit.entries WHERE seq > $1', [gapSeq]);
      expect(committedAfter).toBeGreaterThan(0);

      const round = sealer(FIRST_KEY);
      expect(await round.sealRipe(true)).toBe(0);
      expect(await verify(FIRST_KEY)).toMatchObject({ unsealed: committedAfter, firstBrokenSeq: null });

      await slow.query('COMMIT');
      await round.sealNow();
      const seals = await db.query(
        'SELECT seq::int, prev_seq::int FROM audit.seals WHERE seq > $1 ORDER BY seq',
        [head],
      );
      // The slow row is linked before the rows committed ahead of it; the rolled-back place is skipped.
      expect(seals.rows.slice(0, 2)).toEqual([
        { seq: slowSeq, prev_seq: head },
        { seq: gapSeq + 1, prev_seq: slowSeq },
      ]);
      expect(await verify(FIRST_KEY)).toMatchObject({ unsealed: 0, firstBrokenSeq: null, reason: null });
    } finally {
      await slow.end();
      await rolledBack.end();
    }
  });

  test('a key rotation: new links are signed with the last key listed, old ones still verify', async () => {
    const before = await lastSeq();
    await check();
    await sealer(ROTATED).sealNow();
    const keyIds = await db.query(
      'SELECT key_id, count(*)::int AS n, min(seq)::int AS first FROM audit.seals GROUP BY key_id ORDER BY key_id',
    );
    const newRows = await db.query(
      'SELECT count(*)::int AS n, min(seq)::int AS first FROM audit.entries WHERE seq > $1',
      [before],
    );
    expect(keyIds.rows).toEqual([
      { key_id: 'k1', n: expect.any(Number), first: 1 },
      { key_id: 'k2', ...newRows.rows[0] },
    ]);
    expect(await verify(ROTATED)).toMatchObject({ unsealed: 0, firstBrokenSeq: null });
    // A key dropped from the list: its links can no longer be verified, and that is reported, not ignored.
    expect(await verify(FIRST_KEY)).toMatchObject({
      firstBrokenSeq: newRows.rows[0].first,
      reason: 'unknown key',
    });
  });

  test('many concurrent audited requests, with two sealers racing: every row sealed, one valid chain', async () => {
    const a = sealer(ROTATED).start();
    const b = sealer(ROTATED).start();
    await Promise.all(Array.from({ length: 40 }, () => check()));
    await a.sealNow();
    await b.sealNow();
    const rows = await rowCount();
    expect(await verify(ROTATED)).toMatchObject({
      rows,
      sealed: rows,
      unsealed: 0,
      firstBrokenSeq: null,
      reason: null,
    });
    // One chain: every link but the first names a predecessor, and no two name the same one.
    expect(
      await count(
        'SELECT count(DISTINCT prev_seq) + count(*) FILTER (WHERE prev_seq IS NULL) AS n FROM audit.seals',
      ),
    ).toBe(rows);
    await a.stop();
    await b.stop();
  });
});

describe('a database administrator rewriting history', () => {
  /**
   * What an attacker with the database but not the key can do: recompute the links from `seq` on with plain
   * sha256 over the same canonical text. Returns the links it replaced.
   */
  async function rehashFrom(seq: number): Promise<{ seq: string; link: Buffer }[]> {
    const rows = (await db.query(
      `SELECT ${SEALED_COLUMNS}, s.key_id, s.link FROM audit.entries e JOIN audit.seals s ON s.seq = e.seq
        WHERE e.seq >= (SELECT max(seq) FROM audit.seals WHERE seq < $1) ORDER BY e.seq`,
      [seq],
    )) as pg.QueryResult<SealedRow & { key_id: string; link: Buffer }>;
    let previous: PreviousLink = { seq: rows.rows[0].seq, link: rows.rows[0].link };
    for (const row of rows.rows.slice(1)) {
      const link = createHash('sha256')
        .update(canonicalText(row, previous, row.key_id))
        .digest();
      await db.query('UPDATE audit.seals SET link = $2 WHERE seq = $1', [row.seq, link]);
      previous = { seq: row.seq, link };
    }
    return rows.rows.slice(1).map((row) => ({ seq: row.seq, link: row.link }));
  }

  const auditVerify = (keys: string) =>
    new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        process.execPath,
        ['-r', '@swc-node/register', 'scripts/audit-verify.ts'],
        {
          env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, AUDIT_CHAIN_KEYS: keys },
          timeout: 60_000,
        },
        (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }),
      );
    });

  beforeAll(async () => {
    // Triggers and constraints off, as a superuser can.
    await db.query('ALTER TABLE audit.entries DISABLE TRIGGER ALL');
    await db.query('ALTER TABLE audit.seals DISABLE TRIGGER ALL');
  });

  test('a row rewritten and the chain rehashed with sha256 from there on: npm run audit:verify reports it', async () => {
    const intact = await auditVerify(`${K1},${K2}`);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(
      /audit trail intact: (\d+) rows, \1 sealed, 0 not sealed yet; head seq \d+ k2:[0-9a-f]{64}/,
    );

    const victim = (
      await db.query(
        `SELECT seq::int, client_id FROM audit.entries WHERE action = 'HIT' ORDER BY seq LIMIT 1 OFFSET 3`,
      )
    ).rows[0] as { seq: number; client_id: string };
    await db.query(`UPDATE audit.entries SET client_id = 'someone-else' WHERE seq = $1`, [victim.seq]);
    const replaced = await rehashFrom(victim.seq);

    expect(await verify(ROTATED)).toMatchObject({ firstBrokenSeq: victim.seq, reason: 'content altered' });
    const broken = await auditVerify(`${K1},${K2}`);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`audit trail BROKEN at seq ${victim.seq}: content altered`);

    // Put back, the history verifies again: the links depend on the content and nothing else.
    await db.query(`UPDATE audit.entries SET client_id = $2 WHERE seq = $1`, [victim.seq, victim.client_id]);
    for (const { seq, link } of replaced)
      await db.query('UPDATE audit.seals SET link = $2 WHERE seq = $1', [seq, link]);
    expect(await verify(ROTATED)).toMatchObject({ firstBrokenSeq: null, reason: null });
  });

  test('a link removed and its successor re-pointed past it: the row is reported as not sealed', async () => {
    const [before, row, after] = (
      await db.query<{ seq: string; prev_seq: string }>(
        'SELECT seq::text, prev_seq::text FROM audit.seals ORDER BY seq DESC LIMIT 3 OFFSET 10',
      )
    ).rows.reverse();
    const removed = await db.query('DELETE FROM audit.seals WHERE seq = $1 RETURNING *', [row.seq]);
    await db.query('UPDATE audit.seals SET prev_seq = $2 WHERE seq = $1', [after.seq, before.seq]);
    expect(await verify(ROTATED)).toMatchObject({ firstBrokenSeq: Number(row.seq), reason: 'not sealed' });

    const link = removed.rows[0] as { seq: string; prev_seq: string; key_id: string; link: Buffer };
    await db.query('UPDATE audit.seals SET prev_seq = -1 WHERE seq = $1', [after.seq]);
    await db.query('INSERT INTO audit.seals (seq, prev_seq, key_id, link) VALUES ($1, $2, $3, $4)', [
      link.seq,
      link.prev_seq,
      link.key_id,
      link.link,
    ]);
    await db.query('UPDATE audit.seals SET prev_seq = $2 WHERE seq = $1', [after.seq, row.seq]);
    expect(await verify(ROTATED)).toMatchObject({ firstBrokenSeq: null, reason: null });
  });

  test('a sealed row removed with its link: the next link names a predecessor that is gone', async () => {
    const [removed, next] = (
      await db.query<{ seq: number }>('SELECT seq::int FROM audit.seals ORDER BY seq DESC LIMIT 2 OFFSET 5')
    ).rows
      .map((row) => row.seq)
      .reverse();
    expect(next).toBeGreaterThan(removed);
    await db.query('DELETE FROM audit.seals WHERE seq = $1', [removed]);
    await db.query('DELETE FROM audit.entries WHERE seq = $1', [removed]);
    expect(await verify(ROTATED)).toMatchObject({ firstBrokenSeq: next, reason: 'chain broken' });
  });
});
