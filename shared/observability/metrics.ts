import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { StatementCounter } from '../../db/statement-counter';
import type { ReadRouter } from '../../db/read-router';

type ReadRouterReading = Pick<ReadRouter, 'routed' | 'status'>;

/**
 * The hub's Prometheus metrics: one registry per process (so `npm start`, which runs every service in one
 * process, has one registry for all, each series labelled by `service`). Everything recorded on the request path
 * is a counter increment or a histogram observation on a bounded label set; the database pool and the SQL
 * statement counts are read only when Prometheus scrapes.
 *
 * Label cardinality is capped: operation names are the caller's words, so only the first
 * {@link MAX_OPERATION_NAMES} distinct names get a series of their own, later ones are counted as `other`.
 */
export const MAX_OPERATION_NAMES = 200;
const MAX_ERROR_CODES = 50;
const MAX_FIELDS = 1000;
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Keeps the first `limit` distinct values of a label; any further value (or a malformed one) becomes `other`. */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(
    private readonly limit: number,
    private readonly pattern?: RegExp,
    private readonly overflow = 'other',
  ) {}

  value(raw: string): string {
    if (this.seen.has(raw)) return raw;
    if (this.seen.size >= this.limit || (this.pattern && !this.pattern.test(raw))) return this.overflow;
    this.seen.add(raw);
    return raw;
  }
}

/** What one finished request contributes to the metrics. */
export interface RequestSample {
  service: string;
  /** The GraphQL operation name, `anonymous`, `none` (no operation was resolved) or a route such as `/oauth/token`. */
  operation: string;
  status: number;
  durationSeconds: number;
  /** The distinct `extensions.code` values of the response's errors. */
  errorCodes: Iterable<string>;
}

interface TrackedPool {
  service: string;
  db: DataSource;
}

export type SubgraphFetchOutcome = 'ok' | 'error' | 'timeout' | 'unreachable' | 'circuit_open';
/**
 * Why a refusal report of the gateway left no audit row (gateway/refusal-audit.ts): partner-agencies did not answer
 * within REFUSAL_AUDIT_TIMEOUT_MS, answered with an error status, or could not be reached.
 */
const REFUSAL_AUDIT_FAILURES = ['timeout', 'rejected', 'unreachable'] as const;
export type RefusalAuditFailure = (typeof REFUSAL_AUDIT_FAILURES)[number];
export type CircuitReading = 'closed' | 'open' | 'half-open';

export class HubMetrics {
  readonly registry = new Registry();
  private readonly operations = new BoundedLabel(MAX_OPERATION_NAMES, OPERATION_NAME);
  private readonly errorCodes = new BoundedLabel(MAX_ERROR_CODES, ERROR_CODE);
  private readonly fields = new BoundedLabel(MAX_FIELDS);
  private readonly pools = new Set<TrackedPool>();
  private readonly readRouters = new Set<{ service: string; router: ReadRouterReading }>();
  /** Statements of data sources that were closed, so the per-service totals never go down. */
  private readonly retiredStatements = new Map<string, number>();
  private defaultMetrics = false;

  private readonly requests = new Counter({
    name: 'hub_requests_total',
    help: 'Requests answered, by service, GraphQL operation name (or route) and HTTP status.',
    labelNames: ['service', 'operation', 'status'] as const,
    registers: [this.registry],
  });

  private readonly requestErrors = new Counter({
    name: 'hub_request_errors_total',
    help: 'Requests whose response carried at least one error with this extensions.code, by service and operation.',
    labelNames: ['service', 'operation', 'code'] as const,
    registers: [this.registry],
  });

  private readonly requestDuration = new Histogram({
    name: 'hub_request_duration_seconds',
    help: 'Time from the request arriving to its response being sent, by service and operation.',
    labelNames: ['service', 'operation'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  private readonly subgraphFetch = new Histogram({
    name: 'hub_subgraph_fetch_duration_seconds',
    help: 'Gateway side: time of one fetch to a subgraph, by subgraph and outcome (ok | error | timeout | unreachable | circuit_open).',
    labelNames: ['subgraph', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  private readonly circuits = new Set<{ subgraph: string; read: () => CircuitReading }>();

  private readonly denials = new Counter({
    name: 'hub_access_denials_total',
    help: 'Gateway side: selections removed because the caller may not see them, by schema coordinate (Type.field).',
    labelNames: ['field'] as const,
    registers: [this.registry],
  });

  private readonly limitRefusals = new Counter({
    name: 'hub_operation_limit_refusals_total',
    help: 'Operations refused before planning or resolving because they exceed an operation limit, by service and limit.',
    labelNames: ['service', 'limit'] as const,
    registers: [this.registry],
  });

  private readonly auditRows = new Counter({
    name: 'hub_audit_rows_written_total',
    help: 'Audit trail rows inserted, by service (rows of a change count when inserted in its transaction).',
    labelNames: ['service'] as const,
    registers: [this.registry],
  });

  private readonly refusalAuditFailures = new Counter({
    name: 'hub_refusal_audit_failures_total',
    help: 'Gateway side: refusal reports that left no audit row, by reason (timeout | rejected | unreachable); each is also logged as "refusal not audited".',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  constructor() {
    // Every reason is a series from the start, at 0, so an alert on its rate sees the first failure.
    for (const reason of REFUSAL_AUDIT_FAILURES) this.refusalAuditFailures.inc({ reason }, 0);
    const pools = this.pools;
    const gauge = (name: string, help: string, read: (pool: PoolCounts) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['service'] as const,
        registers: [this.registry],
        collect() {
          this.reset();
          for (const [service, value] of sumByService(pools, read)) this.set({ service }, value);
        },
      });
    gauge(
      'hub_db_pool_connections',
      'Connections open in the PostgreSQL pool, by service.',
      (p) => p.totalCount,
    );
    gauge(
      'hub_db_pool_idle_connections',
      'Idle connections in the PostgreSQL pool, by service.',
      (p) => p.idleCount,
    );
    gauge(
      'hub_db_pool_waiting_requests',
      'Queries waiting for a free connection of the PostgreSQL pool, by service.',
      (p) => p.waitingCount,
    );
    const circuits = this.circuits;
    new Gauge({
      name: 'hub_subgraph_circuit_open',
      help: 'Gateway side: 1 while a subgraph’s circuit breaker holds calls back (open or testing), 0 when closed.',
      labelNames: ['subgraph'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        // Several gateways in one process (tests) report the worst.
        const open = new Map<string, number>();
        for (const { subgraph, read } of circuits)
          open.set(subgraph, Math.max(open.get(subgraph) ?? 0, read() === 'closed' ? 0 : 1));
        for (const [subgraph, value] of open) this.set({ subgraph }, value);
      },
    });
    const routers = this.readRouters;
    new Counter({
      name: 'hub_db_reads_total',
      help: 'Requests by where their reads went (DATABASE_READ_URL): target replica or primary, by service.',
      labelNames: ['service', 'target'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const { service, router } of routers) {
          this.inc({ service, target: 'replica' }, router.routed.replica);
          this.inc({ service, target: 'primary' }, router.routed.primary);
        }
      },
    });
    new Gauge({
      name: 'hub_db_replica_in_use',
      help: '1 while reads may go to the read replica; 0 while it is unreachable, lags past DB_READ_MAX_LAG_MS or is not a standby.',
      labelNames: ['service'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const { service, router } of routers)
          this.set({ service }, router.status.state === 'ready' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'hub_db_replica_lag_seconds',
      help: 'How far the read replica’s replay was behind the primary at its last check, by service.',
      labelNames: ['service'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const { service, router } of routers) this.set({ service }, router.status.lagMs / 1000);
      },
    });
    const retired = this.retiredStatements;
    new Counter({
      name: 'hub_sql_statements_total',
      help: 'SQL statements sent to PostgreSQL, by service.',
      labelNames: ['service'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        const totals = new Map(retired);
        for (const { service, db } of pools)
          totals.set(service, (totals.get(service) ?? 0) + statementCount(db));
        for (const [service, value] of totals) this.inc({ service }, value);
      },
    });
  }

  /** A bounded label for an operation name (null: anonymous operation). */
  operationLabel(name: string | null | undefined): string {
    return name ? this.operations.value(name) : 'anonymous';
  }

  recordRequest(sample: RequestSample): void {
    const { service, operation } = sample;
    this.requests.inc({ service, operation, status: String(sample.status) });
    this.requestDuration.observe({ service, operation }, sample.durationSeconds);
    for (const code of sample.errorCodes) {
      this.requestErrors.inc({ service, operation, code: this.errorCodes.value(code) });
    }
  }

  /** Starts timing a subgraph fetch; call the result with its outcome. */
  startSubgraphFetch(subgraph: string): (outcome: SubgraphFetchOutcome) => void {
    const started = process.hrtime.bigint();
    return (outcome) =>
      this.subgraphFetch.observe({ subgraph, outcome }, Number(process.hrtime.bigint() - started) / 1e9);
  }

  /** Reports a subgraph's circuit breaker (gateway side) until the returned function is called. */
  trackCircuit(subgraph: string, read: () => CircuitReading): () => void {
    const tracked = { subgraph, read };
    this.circuits.add(tracked);
    return () => {
      this.circuits.delete(tracked);
    };
  }

  recordDenials(fields: Iterable<string>): void {
    for (const field of fields) this.denials.inc({ field: this.fields.value(field) });
  }

  /** `limit` is one of the fixed limit names of shared/limits. */
  recordLimitRefusal(service: string, limit: string): void {
    this.limitRefusals.inc({ service, limit });
  }

  recordAuditRows(service: string, rows: number): void {
    if (rows > 0) this.auditRows.inc({ service }, rows);
  }

  recordRefusalAuditFailure(reason: RefusalAuditFailure): void {
    this.refusalAuditFailures.inc({ reason });
  }

  /** Reports this data source's pool and statement count under `service` until the returned function is called. */
  trackDataSource(service: string, db: DataSource): () => void {
    const tracked: TrackedPool = { service, db };
    this.pools.add(tracked);
    return () => {
      if (!this.pools.delete(tracked)) return;
      this.retiredStatements.set(service, (this.retiredStatements.get(service) ?? 0) + statementCount(db));
    };
  }

  /** Reports where a subgraph's reads go (db/replication/read-router.ts) until the returned function is called. */
  trackReadRouter(service: string, router: ReadRouterReading): () => void {
    const tracked = { service, router };
    this.readRouters.add(tracked);
    return () => {
      this.readRouters.delete(tracked);
    };
  }

  /** Process metrics (CPU, memory, event loop lag, GC), once: only processes that serve /metrics pay for them. */
  enableDefaultMetrics(): void {
    if (this.defaultMetrics) return;
    this.defaultMetrics = true;
    collectDefaultMetrics({ register: this.registry });
  }
}

interface PoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

function poolOf(db: DataSource): PoolCounts | null {
  if (!db.isInitialized) return null;
  const master = (db.driver as PostgresDriver).master as Partial<PoolCounts> | undefined;
  return master && typeof master.totalCount === 'number' ? (master as PoolCounts) : null;
}

function sumByService(pools: Iterable<TrackedPool>, read: (pool: PoolCounts) => number): Map<string, number> {
  const totals = new Map<string, number>();
  for (const { service, db } of pools) {
    const pool = poolOf(db);
    if (pool) totals.set(service, (totals.get(service) ?? 0) + read(pool));
  }
  return totals;
}

/** As db/data-source.ts statementCount, without loading TypeORM into the gateway process. */
function statementCount(db: DataSource): number {
  return db.logger instanceof StatementCounter ? db.logger.statements : 0;
}

let processMetrics: HubMetrics | null = null;

/** The process's one registry, shared by the gateway and every subgraph running in it. */
export function metrics(): HubMetrics {
  processMetrics ??= new HubMetrics();
  return processMetrics;
}
