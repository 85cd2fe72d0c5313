import pg from 'pg';

/**
 * Statements per request, read from pg_stat_statements (the hub runs in another process, so the TypeORM
 * statement counters of db/statement-counter.ts cannot be read from here). Only top-level statements count, as
 * the data sources send them: what the audit trigger runs inside PostgreSQL is not a round trip. The bench's own
 * snapshots are left out, and so is the background rate measured while the hub is idle (the webhook delivery
 * worker polls the outbox).
 */
export interface StatementSnapshot {
  at: number;
  calls: Map<string, { query: string; calls: number; totalMs: number }>;
}

const SNAPSHOT_SQL = `
  SELECT queryid::text AS id, query, calls::float8 AS calls, total_exec_time AS total_ms
    FROM pg_stat_statements
   WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
     AND query NOT LIKE '%pg_stat_statements%'`;

export async function snapshot(client: pg.ClientBase): Promise<StatementSnapshot> {
  const { rows } = await client.query<{ id: string; query: string; calls: number; total_ms: number }>(
    SNAPSHOT_SQL,
  );
  return {
    at: performance.now(),
    calls: new Map(rows.map((r) => [r.id, { query: r.query, calls: r.calls, totalMs: r.total_ms }])),
  };
}

export interface StatementLine {
  query: string;
  perRequest: number;
  meanMs: number;
}

export interface StatementDelta {
  total: number;
  seconds: number;
  lines: StatementLine[];
}

export function difference(
  before: StatementSnapshot,
  after: StatementSnapshot,
  requests = 1,
): StatementDelta {
  const lines: StatementLine[] = [];
  let total = 0;
  for (const [id, now] of after.calls) {
    const was = before.calls.get(id);
    const calls = now.calls - (was?.calls ?? 0);
    if (calls <= 0) continue;
    total += calls;
    const ms = now.totalMs - (was?.totalMs ?? 0);
    lines.push({
      query: now.query.replace(/\s+/g, ' ').trim(),
      perRequest: Math.round((calls / requests) * 100) / 100,
      meanMs: Math.round((ms / calls) * 1000) / 1000,
    });
  }
  lines.sort((a, b) => b.perRequest - a.perRequest);
  return { total, seconds: (after.at - before.at) / 1000, lines };
}

/**
 * Statements of the webhook delivery worker (shared/outbox/delivery-worker.ts), which works on its own timer:
 * every hit enqueues an event, and an agency without a webhook has it retried up to 20 times. Counted apart.
 */
const WORKER_STATEMENT = [
  /^UPDATE outbox\.events/,
  /FROM outbox\.events .*FOR UPDATE SKIP LOCKED/,
  /FROM "partners"\."agencies" "Agency" WHERE \(\("Agency"\."id" = \$1\)\) LIMIT/,
];

export const isWorkerStatement = (query: string) => WORKER_STATEMENT.some((pattern) => pattern.test(query));

export interface StatementsPerRequest {
  requests: number;
  /** Statements per request sent while answering it: less the idle background rate and the worker's. */
  perRequest: number;
  /** The webhook worker's statements meanwhile, per request (asynchronous; grows with pending retries). */
  workerPerRequest: number;
  /** Background statements per second while idle, subtracted above. */
  backgroundPerSec: number;
  /** Each statement seen at least once per 10 requests, with its calls per request and mean time. */
  statements: StatementLine[];
}

/** Runs `send` `requests` times (one at a time) and counts what reached PostgreSQL meanwhile. */
export async function countStatements(
  client: pg.ClientBase,
  requests: number,
  send: (index: number) => Promise<void>,
  backgroundPerSec: number,
): Promise<StatementsPerRequest> {
  const before = await snapshot(client);
  for (let i = 0; i < requests; i++) await send(i);
  // Audit rows and hits are written before the response leaves, but the pool may still be committing.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const after = await snapshot(client);
  const delta = difference(before, after, requests);
  const background = backgroundPerSec * delta.seconds;
  const worker = delta.lines
    .filter((l) => isWorkerStatement(l.query))
    .reduce((sum, l) => sum + l.perRequest, 0);
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    requests,
    perRequest: round(Math.max(0, (delta.total - background) / requests - worker)),
    workerPerRequest: round(worker),
    backgroundPerSec,
    statements: delta.lines.filter((line) => line.perRequest >= 0.1),
  };
}

/**
 * Waits until the hub has finished what it was doing (requests a load generator gave up on at the end of a run
 * are still answered): until two snapshots `intervalMs` apart differ by at most `quiet` statements beyond the
 * idle rate (`backgroundPerSec`: the audit sealers poll on their own timers, 28/s with one), or `maxMs`.
 */
export async function waitForQuiet(
  client: pg.ClientBase,
  backgroundPerSec: number,
  quiet = 3,
  intervalMs = 500,
  maxMs = 60_000,
): Promise<number> {
  const started = performance.now();
  let previous = await snapshot(client);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    const current = await snapshot(client);
    const moved = difference(previous, current)
      .lines.filter((l) => !isWorkerStatement(l.query))
      .reduce((sum, l) => sum + l.perRequest, 0);
    if (moved <= quiet + (backgroundPerSec * intervalMs) / 1000 || performance.now() - started > maxMs)
      return Math.round(performance.now() - started);
    previous = current;
  }
}

/** Statements per second reaching PostgreSQL while nothing is sent to the hub. */
export async function backgroundRate(client: pg.ClientBase, seconds: number): Promise<number> {
  const before = await snapshot(client);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const after = await snapshot(client);
  const delta = difference(before, after);
  return Math.round((delta.total / delta.seconds) * 100) / 100;
}
