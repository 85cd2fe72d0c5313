import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { z } from 'zod';

/**
 * Where a subgraph's read-only statements go when it has a streaming replica (DATABASE_READ_URL), in one place:
 * every write and every transaction that writes goes to the primary (`ctx.db`); the check look-up, lists,
 * screening and `_entities` look-ups go through `ctx.reads`, which this router points at the replica unless
 *
 * - the replica is unreachable, not a standby, or lags more than DB_READ_MAX_LAG_MS behind the primary (checked
 *   every DB_READ_CHECK_INTERVAL_MS): then every read goes to the primary;
 * - the caller's agency changed something the replica has not replayed yet (read-your-writes): after each request
 *   that changed data, the primary's WAL position is kept as the agency's marker in `replication.agency_writes` (on
 *   the primary, so every process of every subgraph sees it); a read by that agency goes to the replica only once
 *   `pg_last_wal_replay_lsn()` there has reached it;
 * - the request itself has changed something: its later reads go to the primary.
 *
 * docs/operations.md, "Read replicas", gives the reasoning and the costs.
 */
export interface ReadReplicaSettings {
  url: string;
  /** Past this much replay lag the replica is left alone and every read goes to the primary. */
  maxLagMs: number;
  /** How often the replica's replay position and the primary's WAL position are sampled. */
  checkIntervalMs: number;
}

/** The variables of a subgraph process (and `npm start`) for a read replica; see .env.example. */
export const readReplicaFields = {
  DATABASE_READ_URL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .regex(/^postgres(ql)?:\/\/[^\s]+$/, 'must be a postgres:// URL')
      .optional(),
  ),
  DB_READ_MAX_LAG_MS: z.coerce.number().int().min(1).max(3_600_000).default(2_000),
  DB_READ_CHECK_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
};

type ReadReplicaEnvironment = z.infer<z.ZodObject<typeof readReplicaFields>>;

/** The lag is measured in samples: an interval as long as the bound could never see it kept. */
export function checkReadReplica(env: ReadReplicaEnvironment, ctx: z.RefinementCtx): void {
  if (env.DB_READ_CHECK_INTERVAL_MS >= env.DB_READ_MAX_LAG_MS)
    ctx.addIssue({
      code: 'custom',
      path: ['DB_READ_CHECK_INTERVAL_MS'],
      message: 'must be shorter than DB_READ_MAX_LAG_MS',
    });
}

export function readReplicaOf(env: ReadReplicaEnvironment): ReadReplicaSettings | null {
  return env.DATABASE_READ_URL
    ? {
        url: env.DATABASE_READ_URL,
        maxLagMs: env.DB_READ_MAX_LAG_MS,
        checkIntervalMs: env.DB_READ_CHECK_INTERVAL_MS,
      }
    : null;
}

/** `ready`: reads may go there; anything else sends every read to the primary. */
export type ReplicaState = 'none' | 'starting' | 'ready' | 'lagging' | 'unreachable' | 'not-a-standby';

/** A PostgreSQL LSN (`16/B374D848`) as a number that compares. */
export function parseLsn(text: string | null | undefined): bigint | null {
  if (!text) return null;
  const [high, low] = text.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}

interface Sample {
  at: number;
  lsn: bigint;
}

/** Samples kept while the replica lags: enough for the oldest unreplayed one, bounded whatever the lag. */
const MAX_SAMPLES = 1_000;

export class ReadRouter {
  private replicaState: ReplicaState;
  private replayed: bigint | null = null;
  private samples: Sample[] = [];
  private lag = 0;
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;
  private stopped = false;
  /** Reads routed since start, by where they went (the metrics and the replica test read them). */
  readonly routed = { replica: 0, primary: 0 };

  constructor(
    readonly primary: DataSource,
    readonly replica: DataSource | null,
    private readonly settings: Pick<ReadReplicaSettings, 'maxLagMs' | 'checkIntervalMs'>,
    private readonly log: Logger,
  ) {
    this.replicaState = replica ? 'starting' : 'none';
  }

  /** The replica's state and lag as last checked. */
  get status(): { state: ReplicaState; lagMs: number; replayedLsn: bigint | null } {
    return { state: this.replicaState, lagMs: this.lag, replayedLsn: this.replayed };
  }

  /** Checks the replica now, then every interval until `stop`. */
  async start(): Promise<void> {
    if (!this.replica) return;
    await this.check();
    const next = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => void this.check().finally(next), this.settings.checkIntervalMs);
      this.timer.unref();
    };
    next();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.checking;
    if (this.replica?.isInitialized) await this.replica.destroy();
  }

  /** One look at both servers: the primary's WAL position, the replica's replay position, the lag between them. */
  check(): Promise<void> {
    this.checking ??= this.checkOnce().finally(() => (this.checking = null));
    return this.checking;
  }

  private async checkOnce(): Promise<void> {
    const replica = this.replica;
    if (!replica || this.stopped) return;
    const at = Date.now();
    let primaryLsn: bigint | null = null;
    try {
      const [row] = (await this.primary.query('SELECT pg_current_wal_lsn()::text AS lsn')) as {
        lsn: string;
      }[];
      primaryLsn = parseLsn(row.lsn);
    } catch {
      // The primary's own failures show on the requests; the replica's lag is measured from what was sampled.
    }
    try {
      if (!replica.isInitialized) await replica.initialize();
      const [row] = (await replica.query(
        'SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS replayed',
      )) as { standby: boolean; replayed: string | null }[];
      if (!row.standby) {
        this.samples = [];
        return this.become('not-a-standby');
      }
      this.replayed = parseLsn(row.replayed) ?? 0n;
      const last = this.samples.at(-1);
      if (primaryLsn !== null && (!last || last.lsn < primaryLsn)) {
        if (this.samples.length >= MAX_SAMPLES) this.samples.pop();
        this.samples.push({ at, lsn: primaryLsn });
      }
      while (this.samples.length > 0 && this.samples[0].lsn <= this.replayed) this.samples.shift();
      // How long ago the primary was at the oldest position the replica has not replayed: zero when caught up.
      this.lag = this.samples.length > 0 ? Date.now() - this.samples[0].at : 0;
      this.become(this.lag > this.settings.maxLagMs ? 'lagging' : 'ready');
    } catch (error) {
      this.samples = [];
      this.become('unreachable', error);
    }
  }

  private become(state: ReplicaState, error?: unknown): void {
    if (state === this.replicaState) return;
    const previous = this.replicaState;
    this.replicaState = state;
    const fields = {
      replica: state,
      previous,
      lagMs: this.lag,
      err: error instanceof Error ? error.message : undefined,
    };
    if (state === 'ready') this.log.info(fields, 'read replica in use');
    else this.log.warn(fields, 'read replica not in use: reads go to the primary');
  }

  /**
   * The data source for a request's reads by `agencyId` (null: no caller): the replica when it is ready and has
   * replayed the agency's last change, else the primary. Costs one primary-key look-up on the primary per request.
   */
  async readerFor(agencyId: string | null): Promise<DataSource> {
    const replica = this.replica;
    if (!replica || this.replicaState !== 'ready') return this.toPrimary();
    if (agencyId !== null) {
      try {
        const marker = await this.markerOf(agencyId);
        if (marker !== null && (this.replayed === null || this.replayed < marker)) {
          // The last sample is behind the agency's change: ask the replica where it is now.
          const [row] = (await replica.query('SELECT pg_last_wal_replay_lsn()::text AS replayed')) as {
            replayed: string | null;
          }[];
          const replayed = parseLsn(row.replayed) ?? 0n;
          if (this.replayed === null || replayed > this.replayed) this.replayed = replayed;
          if (replayed < marker) return this.toPrimary();
        }
      } catch {
        // Either server failed to answer: the primary answers (or reports itself unavailable).
        return this.toPrimary();
      }
    }
    this.routed.replica += 1;
    return replica;
  }

  private toPrimary(): DataSource {
    this.routed.primary += 1;
    return this.primary;
  }

  private async markerOf(agencyId: string): Promise<bigint | null> {
    const rows = (await this.primary.query(
      'SELECT lsn::text AS lsn FROM replication.agency_writes WHERE agency_id = $1',
      [agencyId],
    )) as { lsn: string }[];
    return rows.length > 0 ? parseLsn(rows[0].lsn) : null;
  }

  /**
   * After a request of `agencyId` changed data (its transactions committed): keeps the primary's WAL position,
   * which is past every one of those commits, as the agency's marker. Nothing to do without a replica.
   */
  async noteWrite(agencyId: string): Promise<void> {
    if (!this.replica) return;
    await this.primary.query(
      `INSERT INTO replication.agency_writes AS w (agency_id, lsn) VALUES ($1, pg_current_wal_lsn())
       ON CONFLICT (agency_id) DO UPDATE SET lsn = GREATEST(w.lsn, EXCLUDED.lsn), written_at = now()`,
      [agencyId],
    );
  }
}

/**
 * A data source for one request's reads: `decided` (the router's choice when the request started) until the request
 * changes something, the primary from then on, so a request reads back what it just wrote.
 */
export function requestReads(primary: DataSource, decided: DataSource, changed: () => boolean): DataSource {
  if (decided === primary) return primary;
  return new Proxy(primary, {
    get(_target, property) {
      const db = changed() ? primary : decided;
      const value = Reflect.get(db, property, db) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(db) : value;
    },
  });
}
