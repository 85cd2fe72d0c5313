import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../db/embedded-postgres';
import { hubEnvironment } from '../hub/config';
import { loadConfig } from '../shared/config';
import { startSubgraphProcess, type SubgraphProcess } from '../test/fault-injection';
import { startBenchDatabase } from './database';
import { startHubChild, token, type HubChild } from './hub';
import { phasesOf, type ChaosPhase, type Outcome, type Sample } from './chaos-phases';
import type { GraphQLBody, RequestItem } from './load';
import { stamp, writeFormatted } from './report';
import { ALERTS_CHECK_QUERY, checkItems, documentPools } from './workload';

/**
 * `npm run bench -- --chaos`: a steady BorderCheck load (bp-fra, 5 documents per check, the verdicts and each
 * document's SLTD status and alerts) while document-alerts, run as a process of its own, is frozen (SIGSTOP) and
 * resumed, then killed and started again, and then PostgreSQL is stopped and started again. For each phase: how
 * many answers were full, partial (verdicts there, alerts null with SUBGRAPH_UNAVAILABLE) or failed, the latency,
 * whether any request took longer than the gateway's timeouts allow (a hang), and after each fault the time until
 * every answer is full again. Nothing is restarted but the faulted part. See bench/README.md, "Chaos".
 */
export interface ChaosOptions {
  sltd: number;
  connections: number;
  /** Seconds of steady load before the first fault, and of each fault. */
  baselineSec: number;
  faultSec: number;
  /** Seconds of load after each fault is removed, in which recovery is measured. */
  observeSec: number;
  out: string;
}

export function chaosOptions(value: (name: string) => string | undefined): ChaosOptions {
  const seconds = (name: string, fallback: number) => {
    const text = value(name);
    const parsed = text === undefined ? fallback : Number(text);
    if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`${name}: not a positive number: ${text}`);
    return parsed;
  };
  return {
    sltd: seconds('--sltd', 5000),
    connections: seconds('--connections', 8),
    baselineSec: seconds('--baseline-seconds', 5),
    faultSec: seconds('--fault-seconds', 10),
    observeSec: seconds('--observe-seconds', 15),
    out: value('--out') ?? path.join(__dirname, 'results'),
  };
}

export interface ChaosReport {
  startedAt: string;
  kind: 'chaos';
  machine: { cpus: number; cpuModel: string; node: string; loadAverage: number[] };
  settings: ChaosOptions & {
    subgraphTimeoutMs: number;
    breakerFailures: number;
    breakerHalfOpenMs: number;
    /** Longest a request may take with the gateway's timeouts (fetches in sequence × timeout, plus slack). */
    hangBoundMs: number;
    documentsPerCheck: number;
  };
  timings: Record<string, number>;
  phases: ChaosPhase[];
  totals: { requests: number; hung: number; wrong: number; maxLatencyMs: number };
  recovered: boolean;
}

const log = (line: string) => console.log(`[chaos] ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// The plan of this check is travel-documents, then document-alerts and nothing after: two fetches in sequence.
const FETCHES_IN_SEQUENCE = 2;
const HANG_SLACK_MS = 2000;
const DOCUMENTS_PER_CHECK = 5;

const UNLOCATED = 'SUBGRAPH_UNAVAILABLE without a path';

/** `SUBGRAPH_UNAVAILABLE TIMEOUT`: the code, with the gateway's reason (TIMEOUT, CIRCUIT_OPEN, UNREACHABLE). */
function codeOf(error: NonNullable<GraphQLBody['errors']>[number]): string {
  const { code = 'none', reason } = (error.extensions ?? {}) as { code?: string; reason?: unknown };
  if (code === 'SUBGRAPH_UNAVAILABLE' && !error.path?.length) return UNLOCATED;
  return typeof reason === 'string' ? `${code} ${reason}` : code;
}

/** Keeps `connections` checks in flight and records each one's start, end and outcome. */
class SteadyLoad {
  samples: Sample[] = [];
  private running = true;
  private readonly workers: Promise<void>[] = [];
  private readonly started = performance.now();
  private next = 0;

  constructor(
    private readonly url: string,
    private readonly bearer: string,
    private readonly items: readonly RequestItem[],
    connections: number,
    private readonly clientTimeoutMs: number,
  ) {
    for (let i = 0; i < connections; i++) this.workers.push(this.work());
  }

  now(): number {
    return performance.now() - this.started;
  }

  /** Waits until `count` full answers have come back (the hub and the subgraph are warm), then forgets them. */
  async warmUp(count: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.samples.filter((s) => s.outcome === 'full').length < count) {
      if (Date.now() > deadline)
        throw new Error(`fewer than ${count} full answers in ${timeoutMs} ms of warm-up`);
      await sleep(100);
    }
    this.samples = [];
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  private async work(): Promise<void> {
    while (this.running) {
      const item = this.items[this.next++ % this.items.length];
      const start = this.now();
      const { outcome, codes } = await this.send(item);
      this.samples.push({ start, end: this.now(), outcome, codes });
    }
  }

  private async send(item: RequestItem): Promise<{ outcome: Outcome; codes: string[] }> {
    let response: Response;
    let body: GraphQLBody;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.bearer}` },
        body: item.body,
        signal: AbortSignal.timeout(this.clientTimeoutMs),
      });
      body = (await response.json()) as GraphQLBody;
    } catch (error) {
      const name = (error as { name?: unknown } | null)?.name;
      return name === 'TimeoutError'
        ? { outcome: 'hung', codes: ['hung'] }
        : { outcome: 'failed', codes: ['transport'] };
    }
    const codes = (body.errors ?? []).map(codeOf);
    if (!Array.isArray(body.data?.checkDocuments))
      return { outcome: 'failed', codes: codes.length ? codes : [`HTTP ${response.status}`] };
    if (item.verify?.(body)) return { outcome: 'wrong', codes };
    // A missing field the client cannot locate is as bad as a wrong one (issue: errors at their paths).
    if (codes.includes(UNLOCATED)) return { outcome: 'wrong', codes };
    return { outcome: codes.length === 0 && response.ok ? 'full' : 'partial', codes };
  }
}

export async function runChaos(options: ChaosOptions): Promise<number> {
  const startedAt = new Date();
  const env = loadConfig(hubEnvironment);
  const hangBoundMs =
    FETCHES_IN_SEQUENCE * Math.max(env.SUBGRAPH_TIMEOUT_MS, ...Object.values(env.SUBGRAPH_TIMEOUTS)) +
    HANG_SLACK_MS;
  log(
    `${options.sltd.toLocaleString('en')} SLTD records, ${options.connections} connections, subgraph timeout ` +
      `${env.SUBGRAPH_TIMEOUT_MS} ms, breaker after ${env.SUBGRAPH_BREAKER_FAILURES} failures, ` +
      `half-open after ${env.SUBGRAPH_BREAKER_HALF_OPEN_MS} ms; a request longer than ${hangBoundMs} ms is a hang`,
  );
  const timings: Record<string, number> = {};
  const database = await startBenchDatabase(options.sltd, log);
  let hub: HubChild | null = null;
  let alerts: SubgraphProcess | null = null;
  try {
    if (!database.server) throw new Error('--chaos restarts PostgreSQL: run it on the embedded database');
    const sql = new pg.Client({ connectionString: database.url, application_name: 'bench' });
    await sql.connect();
    const pools = await documentPools(sql, database.sltd.total, database.sltd.nextIndex);
    // The timeline restarts PostgreSQL: the bench holds no connection through it.
    await sql.end();
    const { items } = checkItems(pools, 2000, DOCUMENTS_PER_CHECK, ALERTS_CHECK_QUERY, 11);

    const alertsPort = await freePort();
    const alertsUrl = `http://127.0.0.1:${alertsPort}/graphql`;
    hub = await startHubChild({
      databaseUrl: database.url,
      env: { BENCH_EXTERNAL_SUBGRAPHS: JSON.stringify({ 'document-alerts': alertsUrl }) },
    });
    const started = performance.now();
    alerts = await startSubgraphProcess({
      name: 'document-alerts',
      port: alertsPort,
      databaseUrl: database.url,
      jwksUrl: `${hub.baseUrl}/.well-known/jwks.json`,
      issuer: env.AUTH_ISSUER,
      audience: env.AUTH_AUDIENCE,
    });
    timings['document-alerts start'] = Math.round(performance.now() - started);
    log(`hub pid ${hub.pid}, document-alerts pid ${alerts.pid} on ${alertsUrl}`);

    const load = new SteadyLoad(
      hub.gatewayUrl,
      await token(hub, 'bp-fra'),
      items,
      options.connections,
      Math.max(60_000, 3 * hangBoundMs),
    );
    const marks: { name: string; at: number }[] = [];
    const mark = (name: string) => {
      marks.push({ name, at: load.now() });
      log(`${(load.now() / 1000).toFixed(1)} s: ${name}`);
    };
    const faulted = alerts;
    const db = database.server;
    const timed = async (name: string, work: () => Promise<void>) => {
      const t0 = performance.now();
      await work();
      timings[name] = Math.round(performance.now() - t0);
    };

    await load.warmUp(2 * options.connections, 120_000);
    mark('baseline');
    await sleep(options.baselineSec * 1000);
    mark('document-alerts frozen (SIGSTOP)');
    faulted.freeze();
    await sleep(options.faultSec * 1000);
    faulted.resume();
    mark('document-alerts resumed (SIGCONT)');
    await sleep(options.observeSec * 1000);
    mark('document-alerts killed (SIGKILL)');
    await faulted.kill();
    await sleep((options.faultSec * 1000) / 2);
    await timed('document-alerts restart', () => faulted.start());
    mark('document-alerts restarted');
    await sleep(options.observeSec * 1000);
    mark('PostgreSQL stopped');
    await timed('PostgreSQL stop', () => db.stop());
    await sleep((options.faultSec * 1000) / 2);
    await timed('PostgreSQL start', () => db.start());
    mark('PostgreSQL started');
    await sleep(options.observeSec * 1000);
    mark('end');
    await load.stop();

    const phases = phasesOf(load.samples, marks, hangBoundMs);
    const report: ChaosReport = {
      startedAt: startedAt.toISOString(),
      kind: 'chaos',
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        node: process.version,
        loadAverage: os.loadavg().map((v) => Math.round(v * 10) / 10),
      },
      settings: {
        ...options,
        subgraphTimeoutMs: env.SUBGRAPH_TIMEOUT_MS,
        breakerFailures: env.SUBGRAPH_BREAKER_FAILURES,
        breakerHalfOpenMs: env.SUBGRAPH_BREAKER_HALF_OPEN_MS,
        hangBoundMs,
        documentsPerCheck: DOCUMENTS_PER_CHECK,
      },
      timings: { ...database.timings, ...timings },
      phases,
      totals: {
        requests: load.samples.length,
        hung: load.samples.filter((s) => s.outcome === 'hung' || s.end - s.start > hangBoundMs).length,
        wrong: load.samples.filter((s) => s.outcome === 'wrong').length,
        maxLatencyMs: Math.round(Math.max(0, ...load.samples.map((s) => s.end - s.start))),
      },
      recovered: phases.every((p) => p.recoveryMs !== null),
    };
    const base = path.join(options.out, `${stamp(startedAt)}-chaos`);
    const written = await writeFormatted([
      [`${base}.json`, JSON.stringify(report, null, 2)],
      [`${base}.md`, chaosMarkdown(report)],
    ]);
    console.log(`\n${chaosMarkdown(report)}`);
    log(`results: ${written.join(', ')}`);
    const ok = report.totals.hung === 0 && report.totals.wrong === 0 && report.recovered;
    if (!ok) log('a request hung, an answer was wrong, or a fault was not recovered from');
    return ok ? 0 : 1;
  } finally {
    await alerts?.stop().catch(() => undefined);
    await hub?.stop().catch(() => undefined);
    await database.stop();
  }
}

export function chaosMarkdown(report: ChaosReport): string {
  const s = report.settings;
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  const lines = [
    `# Chaos run ${report.startedAt}`,
    '',
    `${s.sltd.toLocaleString('en')} SLTD records; BorderCheck by bp-fra (${s.documentsPerCheck} documents, verdicts, ` +
      `SLTD status and alerts) on ${s.connections} connections; document-alerts as its own process. Gateway: ` +
      `subgraph timeout ${s.subgraphTimeoutMs} ms, circuit opens after ${s.breakerFailures} failures, half-open ` +
      `after ${s.breakerHalfOpenMs} ms. A request longer than ${s.hangBoundMs} ms counts as hung. ` +
      `${report.machine.cpus} CPUs (${report.machine.cpuModel}), Node ${report.machine.node}, load average ` +
      `${report.machine.loadAverage.join(' / ')} at the end.`,
    '',
    '| phase | fault | s | requests | full | partial | failed | error rate | p50 ms | p99 ms | max ms | hung | recovery ms | codes |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...report.phases
      .map((p) =>
        [
          p.name,
          p.fault ?? '—',
          ((p.toMs - p.fromMs) / 1000).toFixed(1),
          p.requests,
          p.full,
          p.partial,
          p.failed + p.wrong,
          pct(p.errorRate),
          Math.round(p.latencyMs.p50),
          Math.round(p.latencyMs.p99),
          Math.round(p.latencyMs.max),
          p.hung,
          p.recoveryMs === undefined ? '—' : p.recoveryMs === null ? 'not recovered' : p.recoveryMs,
          Object.entries(p.codes)
            .map(([code, n]) => `${code} ×${n}`)
            .join(', ') || '—',
        ].join(' | '),
      )
      .map((row) => `| ${row} |`),
    '',
    `Totals: ${report.totals.requests} requests, ${report.totals.hung} hung, ${report.totals.wrong} wrong, longest ` +
      `${report.totals.maxLatencyMs} ms (subgraph timeout ${s.subgraphTimeoutMs} ms, hang bound ${s.hangBoundMs} ms). ` +
      'Timings (ms): ' +
      Object.entries(report.timings)
        .map(([name, ms]) => `${name} ${ms}`)
        .join(', ') +
      '.',
    '',
    'full: every field answered; partial: the verdicts and SLTD data answered, alerts null with an error at their ' +
      'path; failed: no verdicts (HTTP error, `checkDocuments` null, or a transport error). A request belongs to ' +
      'the fault whose window it overlaps, else to the phase it started in. Error rate: share not full. Recovery: ' +
      'from the fault’s removal until the first of an unbroken run of full answers completed.',
  ];
  return `${lines.join('\n')}\n`;
}
