import fs from 'node:fs';
import type pg from 'pg';
import { childPids, readCpuMs } from './memory';

/**
 * Where PostgreSQL's CPU goes during a measured window: CPU time (/proc) of each PostgreSQL process grouped by
 * what it is (pg_stat_activity: a client backend by its application_name — each data source, the audit sealer,
 * the bench itself — autovacuum, the WAL writer, the checkpointer...), plus what processes that ended during the
 * window used (the postmaster's cutime/cstime: a backend that connected and left, an autovacuum worker), and what
 * pg_stat_statements, the WAL and the audit tables counted meanwhile. Read per request next to the row's
 * "PG CPU ms/req".
 */
export interface PgCpuBreakdown {
  /** CPU ms during the window per group (`client backend: travel-documents`, `autovacuum worker`, ...). */
  cpuMs: Record<string, number>;
  /** Processes that ended during the window (exited backends, autovacuum workers): their CPU is under `ended`. */
  endedProcesses: number;
  /** Backends that started during the window (connection churn). */
  newBackends: number;
  /** Execution and planning time pg_stat_statements counted during the window, ms, top-level statements. */
  statementExecMs: number;
  statementPlanMs: number;
  statementCalls: number;
  /** pg_stat_wal during the window. */
  walRecords: number;
  walBytes: number;
  /** pg_stat_database: transactions committed. */
  commits: number;
  /** Rows inserted into audit.entries and audit.seals, and autovacuum / autoanalyze runs on any table. */
  auditRows: number;
  sealRows: number;
  autovacuums: number;
  autoanalyzes: number;
  /** Rows read by sequential scans during the window, per table (the largest few). */
  seqScanRows: Record<string, number>;
}

interface Counters {
  execMs: number;
  planMs: number;
  calls: number;
  walRecords: number;
  walBytes: number;
  commits: number;
  auditRows: number;
  sealRows: number;
  autovacuums: number;
  autoanalyzes: number;
  seqScanRows: Map<string, number>;
}

const COUNTERS_SQL = `
  SELECT (SELECT coalesce(sum(total_exec_time), 0) FROM pg_stat_statements WHERE toplevel) AS exec_ms,
         (SELECT coalesce(sum(total_plan_time), 0) FROM pg_stat_statements WHERE toplevel) AS plan_ms,
         (SELECT coalesce(sum(calls), 0)::float8 FROM pg_stat_statements WHERE toplevel) AS calls,
         (SELECT wal_records::float8 FROM pg_stat_wal) AS wal_records,
         (SELECT wal_bytes::float8 FROM pg_stat_wal) AS wal_bytes,
         (SELECT xact_commit::float8 FROM pg_stat_database WHERE datname = current_database()) AS commits,
         (SELECT coalesce(sum(n_tup_ins), 0)::float8 FROM pg_stat_user_tables
           WHERE schemaname = 'audit' AND relname = 'entries') AS audit_rows,
         (SELECT coalesce(sum(n_tup_ins), 0)::float8 FROM pg_stat_user_tables
           WHERE schemaname = 'audit' AND relname = 'seals') AS seal_rows,
         (SELECT coalesce(sum(autovacuum_count), 0)::float8 FROM pg_stat_user_tables) AS autovacuums,
         (SELECT coalesce(sum(autoanalyze_count), 0)::float8 FROM pg_stat_user_tables) AS autoanalyzes`;

async function counters(sql: pg.ClientBase): Promise<Counters> {
  // Statistics are cached per transaction; outside one every read is fresh. Flush this backend's own first.
  const { rows } = await sql.query<Record<string, number>>(COUNTERS_SQL);
  const r = rows[0];
  const seq = await sql.query<{ name: string; rows: number }>(
    `SELECT schemaname || '.' || relname AS name, seq_tup_read::float8 AS rows FROM pg_stat_user_tables`,
  );
  return {
    seqScanRows: new Map(seq.rows.map((t) => [t.name, Number(t.rows)])),
    execMs: Number(r.exec_ms),
    planMs: Number(r.plan_ms),
    calls: Number(r.calls),
    walRecords: Number(r.wal_records),
    walBytes: Number(r.wal_bytes),
    commits: Number(r.commits),
    auditRows: Number(r.audit_rows),
    sealRows: Number(r.seal_rows),
    autovacuums: Number(r.autovacuums),
    autoanalyzes: Number(r.autoanalyzes),
  };
}

/** CPU ms of the postmaster's children that it has reaped (cutime + cstime). */
function reapedChildrenCpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return 0;
  }
}

async function labels(sql: pg.ClientBase): Promise<Map<number, string>> {
  const { rows } = await sql.query<{ pid: number; backend_type: string; application_name: string }>(
    'SELECT pid, backend_type, application_name FROM pg_stat_activity',
  );
  return new Map(
    rows.map((r) => [
      r.pid,
      r.backend_type === 'client backend'
        ? `client backend: ${r.application_name || '(none)'}`
        : r.backend_type,
    ]),
  );
}

export class PgCpuSampler {
  private startCpu = new Map<number, number>();
  private startLabels = new Map<number, string>();
  private startReaped = 0;
  private startCounters: Counters | null = null;

  constructor(
    private readonly sql: pg.ClientBase,
    private readonly postmasterPid: number,
  ) {}

  async start(): Promise<void> {
    this.startLabels = await labels(this.sql);
    this.startCounters = await counters(this.sql);
    this.startReaped = reapedChildrenCpuMs(this.postmasterPid);
    this.startCpu = new Map();
    for (const pid of [this.postmasterPid, ...childPids(this.postmasterPid)]) {
      const ms = readCpuMs(pid);
      if (ms !== null) this.startCpu.set(pid, ms);
    }
  }

  async stop(): Promise<PgCpuBreakdown> {
    const cpu: Record<string, number> = {};
    const add = (label: string, ms: number) => {
      cpu[label] = Math.round((cpu[label] ?? 0) + ms);
    };
    const pids = [this.postmasterPid, ...childPids(this.postmasterPid)];
    const now = new Map<number, number>();
    for (const pid of pids) {
      const ms = readCpuMs(pid);
      if (ms !== null) now.set(pid, ms);
    }
    const reaped = reapedChildrenCpuMs(this.postmasterPid);
    const end = await counters(this.sql);
    const endLabels = await labels(this.sql);
    let ended = 0;
    let started = 0;
    let endedStartCpu = 0;
    for (const [pid, ms] of now) {
      const before = this.startCpu.get(pid);
      if (before === undefined) started++;
      const label =
        pid === this.postmasterPid
          ? 'postmaster'
          : (endLabels.get(pid) ?? this.startLabels.get(pid) ?? processTitle(pid));
      add(label, ms - (before ?? 0));
    }
    for (const [pid, ms] of this.startCpu) {
      if (now.has(pid)) continue;
      ended++;
      endedStartCpu += ms;
    }
    // Reaped during the window: their whole lifetime's CPU, less what the ones alive at start had already used.
    add('ended during the window', reaped - this.startReaped - endedStartCpu);
    const s = this.startCounters as Counters;
    return {
      cpuMs: cpu,
      endedProcesses: ended,
      newBackends: started,
      statementExecMs: Math.round(end.execMs - s.execMs),
      statementPlanMs: Math.round(end.planMs - s.planMs),
      statementCalls: end.calls - s.calls,
      walRecords: end.walRecords - s.walRecords,
      walBytes: end.walBytes - s.walBytes,
      commits: end.commits - s.commits,
      auditRows: end.auditRows - s.auditRows,
      sealRows: end.sealRows - s.sealRows,
      autovacuums: end.autovacuums - s.autovacuums,
      autoanalyzes: end.autoanalyzes - s.autoanalyzes,
      seqScanRows: Object.fromEntries(
        [...end.seqScanRows]
          .map(([name, rows]) => [name, rows - (s.seqScanRows.get(name) ?? 0)] as const)
          .filter(([, rows]) => rows > 0)
          .sort((x, y) => y[1] - x[1])
          .slice(0, 5),
      ),
    };
  }
}

function processTitle(pid: number): string {
  try {
    const title = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    return title.replace(/^postgres: /, '').split(' ')[0] || 'other';
  } catch {
    return 'other';
  }
}

/** One line per request: each group's CPU and the counters, divided by the window's requests. */
export function describeBreakdown(b: PgCpuBreakdown, requests: number): string {
  const per = (v: number, digits = 3) => (requests ? (v / requests).toFixed(digits) : '—');
  const groups = Object.entries(b.cpuMs)
    .filter(([, ms]) => ms !== 0)
    .sort((x, y) => y[1] - x[1])
    .map(([label, ms]) => `${label} ${per(ms, 2)}`)
    .join(', ');
  return (
    `PG CPU ms/req by process: ${groups}; ` +
    `statements ${per(b.statementCalls, 2)}/req (exec ${per(b.statementExecMs)} ms, plan ${per(b.statementPlanMs)} ms), ` +
    `commits ${per(b.commits, 2)}, WAL ${per(b.walRecords, 1)} records ${per(b.walBytes, 0)} B, ` +
    `audit rows ${per(b.auditRows, 2)}, seals ${per(b.sealRows, 2)}, autovacuum ${b.autovacuums}, ` +
    `autoanalyze ${b.autoanalyzes}, backends new ${b.newBackends} ended ${b.endedProcesses}; rows read by ` +
    `sequential scans per request: ${
      Object.entries(b.seqScanRows)
        .map(([table, rows]) => `${table} ${per(rows, 0)}`)
        .join(', ') || 'none'
    }`
  );
}
