import pg from 'pg';
import type { Logger } from 'pino';
import type { AuditChainKeys } from './config';
import { computeLink, SEALED_COLUMNS, type PreviousLink, type SealedRow } from './link';

/**
 * The sealer links committed audit rows into the keyed chain, in `seq` order, shortly after they are written
 * (docs/architecture.md, "Audit"). Requests insert their rows without any lock; this is the only writer of
 * `audit.seals`.
 *
 * Every subgraph process (and `npm start`, once) runs one. Each sealing transaction first takes a
 * transaction-level advisory lock, so one sealer at a time extends the chain whichever processes run; if the
 * holder dies mid-batch its transaction rolls back and the next tick of any process carries on from the last
 * committed link. The constraints of audit.seals (one link per row, one successor per link) would refuse a
 * second chain even without the lock.
 *
 * The horizon: `seq` comes from a sequence, so rows commit out of order: seq 11 may be committed while seq 10's
 * transaction is still running. Sealing 11 first would leave 10 outside the chain for good. So the sealer seals
 * a row only once no transaction that could still insert a smaller seq is running:
 *   1. it reads V, the sequence's last value handed out (non-transactional, so every nextval so far);
 *   2. then takes a snapshot and keeps its xmax X (every transaction id assigned so far is below X);
 *   3. once a later snapshot's xmin reaches X, every transaction below X has ended, committed or rolled back.
 * A row with seq <= V got its place before step 1, and the insert trigger assigns the transaction id BEFORE
 * taking the place (audit.place()), so its transaction id is below X: by step 3 that row is committed (visible)
 * or gone for good, and rows up to V can be linked. A rolled-back row leaves a gap in seq; links name their
 * predecessor, so a gap is not a break, while a removed sealed row is. The sequence keeps CACHE 1 (a cached
 * value below V could still be used later). A long write transaction anywhere in the cluster holds xmin back:
 * it delays sealing, never a request.
 */
const AUDIT_SEAL_LOCK_KEY = 7106094;

export interface AuditSealerOptions {
  databaseUrl: string;
  keys: AuditChainKeys;
  intervalMs: number;
  batchSize: number;
  log: Logger;
}

interface Horizon {
  /** Rows with seq up to this may be sealed once… */
  lastSeq: bigint;
  /** …the oldest running transaction is at least this. */
  xmax: bigint;
}

/** Pending horizons kept at most: under steady load they ripen within a tick or two. */
const MAX_PENDING = 64;
const STATEMENT_TIMEOUT_MS = 30_000;
const HEAD_LOG_INTERVAL_MS = 60_000;

export class AuditSealer {
  private readonly pool: pg.Pool;
  private pending: Horizon[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** One operation at a time per sealer (its loop and any sealNow), on its one connection. */
  private queue: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private headLoggedAt = 0;

  constructor(private readonly options: AuditSealerOptions) {
    this.pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: 1,
      application_name: 'audit-sealer',
      statement_timeout: STATEMENT_TIMEOUT_MS,
      // A sealing transaction never waits on anything but the database; one left open must not hold the lock.
      idle_in_transaction_session_timeout: STATEMENT_TIMEOUT_MS,
      // Every statement of this connection, and the foreign-key checks of its INSERT into audit.seals (each link's
      // row in audit.entries, its predecessor in audit.seals), is a look-up by key. Their plans stay cached on this
      // long-lived connection, and when the first was made while the audit tables were empty or had just been
      // analyzed empty (a fresh database), each check scanned the whole table until the next autoanalyze: in the
      // bench, every seal read every row of both tables, up to 0.9 ms of PostgreSQL CPU per border check and
      // growing with the trail (bench/README.md, "Where the time goes", item 12). Index scans only.
      options: '-c enable_seqscan=off',
      connectionTimeoutMillis: 10_000,
    });
    // A connection that drops (a database restart, a terminated backend) is replaced at the next round; it must
    // not crash the process, whether it was idle in the pool or between two statements of a batch.
    const lost = (error: Error) => options.log.warn({ err: error }, 'audit sealer connection lost');
    this.pool.on('error', lost);
    this.pool.on('connect', (client) => client.on('error', lost));
  }

  /** Seals every few hundred milliseconds until stopped. */
  start(): this {
    const tick = async () => {
      try {
        await this.serial(() => this.sealRipe(false));
      } catch (error) {
        // The rows stay unsealed, not lost: the next tick (here or in another process) seals them.
        this.options.log.warn({ err: error }, 'audit sealing failed; retrying');
      }
      // unref: a sealer never keeps a process alive on its own (its owner stops it on shutdown).
      if (!this.stopped) this.timer = setTimeout(tick, this.options.intervalMs).unref();
    };
    this.timer = setTimeout(tick, 0).unref();
    return this;
  }

  /**
   * One round of the loop: notes a new horizon and seals up to the newest one that has ripened. With `wait`,
   * waits for another process's sealing transaction instead of leaving the round to it.
   */
  async sealRipe(wait: boolean): Promise<number> {
    const now = await this.horizon();
    this.pending.push(now);
    const ripe = this.pending.filter((h) => h.xmax <= now.xmin);
    this.pending = this.pending.filter((h) => h.xmax > now.xmin).slice(-MAX_PENDING);
    if (ripe.length === 0) return 0;
    const upTo = ripe.reduce((max, h) => (h.lastSeq > max ? h.lastSeq : max), 0n);
    return this.sealUpTo(upTo, wait);
  }

  /**
   * Seals every row written before this call, waiting (at most `timeoutMs`) for the transactions in flight to
   * end: for tests and tools that need the chain complete now. Serialised with the loop.
   */
  sealNow(timeoutMs = 10_000): Promise<number> {
    return this.serial(async () => {
      const deadline = Date.now() + timeoutMs;
      const target = await this.horizon();
      for (;;) {
        const now = await this.horizon();
        if (target.xmax <= now.xmin) return this.sealUpTo(target.lastSeq, true, deadline - Date.now());
        if (Date.now() > deadline)
          throw new Error(`audit rows up to seq ${target.lastSeq} still in flight after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.queue.catch(() => undefined);
    await this.pool.end();
  }

  /**
   * The chain's head, logged at most once a minute: a copy outside the database that a truncated tail (the
   * one change links cannot show) can be compared with (docs/security.md, "Audit chain").
   */
  private logHead(head: { seq: string; link: string }): void {
    if (Date.now() - this.headLoggedAt < HEAD_LOG_INTERVAL_MS) return;
    this.headLoggedAt = Date.now();
    this.options.log.info({ auditHead: head }, 'audit chain head');
  }

  private serial<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.queue.then(operation, operation);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** V then X, in two statements (one statement's snapshot would be taken before V is read). */
  private async horizon(): Promise<Horizon & { xmin: bigint }> {
    const last = await this.pool.query<{ seq: string | null }>(
      `SELECT pg_sequence_last_value('audit.entries_seq') AS seq`,
    );
    const snapshot = await this.pool.query<{ xmin: string; xmax: string }>(
      `SELECT pg_snapshot_xmin(s)::text AS xmin, pg_snapshot_xmax(s)::text AS xmax FROM pg_current_snapshot() s`,
    );
    return {
      lastSeq: BigInt(last.rows[0].seq ?? 0),
      xmin: BigInt(snapshot.rows[0].xmin),
      xmax: BigInt(snapshot.rows[0].xmax),
    };
  }

  /** Links the unsealed rows up to `upTo`, batch by batch, each batch one transaction under the lock. */
  private async sealUpTo(upTo: bigint, wait: boolean, lockTimeoutMs = 5_000): Promise<number> {
    let sealed = 0;
    for (;;) {
      const batch = await this.sealBatch(upTo, wait, Math.max(1, lockTimeoutMs));
      sealed += batch;
      if (batch < this.options.batchSize) return sealed;
    }
  }

  private async sealBatch(upTo: bigint, wait: boolean, lockTimeoutMs: number): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      if (wait) {
        await client.query(`SELECT set_config('lock_timeout', $1, true)`, [`${lockTimeoutMs}ms`]);
        await client.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_SEAL_LOCK_KEY]);
      } else {
        const lock = await client.query<{ locked: boolean }>(
          'SELECT pg_try_advisory_xact_lock($1) AS locked',
          [AUDIT_SEAL_LOCK_KEY],
        );
        // Another process is sealing right now; what it leaves is sealed at the next tick.
        if (!lock.rows[0].locked) {
          await client.query('ROLLBACK');
          return 0;
        }
      }
      const head = await client.query<{ seq: string; link: Buffer }>(
        'SELECT s.seq::text AS seq, s.link FROM audit.seals s ORDER BY s.seq DESC LIMIT 1',
      );
      let previous: PreviousLink | null = head.rows[0] ?? null;
      const rows = await client.query<SealedRow>(
        `SELECT ${SEALED_COLUMNS} FROM audit.entries e
          WHERE e.seq > $1 AND e.seq <= $2 ORDER BY e.seq LIMIT $3`,
        [previous?.seq ?? 0, upTo.toString(), this.options.batchSize],
      );
      if (rows.rows.length === 0) {
        await client.query('ROLLBACK');
        return 0;
      }
      const { signing, secrets } = this.options.keys;
      const secret = secrets.get(signing) as Buffer;
      const seals = rows.rows.map((row) => {
        const link = computeLink(secret, row, previous, signing);
        const seal = { seq: row.seq, prev_seq: previous?.seq ?? null, link: link.toString('hex') };
        previous = { seq: row.seq, link };
        return seal;
      });
      await client.query(
        `INSERT INTO audit.seals (seq, prev_seq, key_id, link)
         SELECT s.seq, s.prev_seq, $2, decode(s.link, 'hex')
           FROM jsonb_to_recordset($1::jsonb) AS s(seq bigint, prev_seq bigint, link text)`,
        [JSON.stringify(seals), signing],
      );
      await client.query('COMMIT');
      this.logHead(seals[seals.length - 1]);
      return seals.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

/** Starts the sealer of a process (each subgraph process, `npm start`). */
export function startAuditSealer(options: AuditSealerOptions): AuditSealer {
  return new AuditSealer(options).start();
}
