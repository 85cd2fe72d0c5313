import type { PgCpuBreakdown } from './pg-cpu';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import * as prettier from 'prettier';
import type { RelationSize } from './database';
import { layoutMarkdown, type LayoutRow } from './layouts';
import type { LoadResult } from './load';
import type { MemoryPeaks } from './memory';
import type { ProfileSummary } from './profile';
import { isWorkerStatement, type StatementsPerRequest } from './statements';

/** The results of one run, as written to bench/results/<date>.json, and their markdown rendering. */
export type Layer = 'gateway' | 'subgraph' | 'sql';

export interface ScenarioResult {
  id: string;
  scenario: string;
  layer: Layer;
  client: string;
  connections: number;
  documentsPerRequest: number | null;
  load: LoadResult;
  documentsPerSec: number | null;
  memory: MemoryPeaks;
  statements?: StatementsPerRequest;
  /** Where PostgreSQL's CPU went during the window, by process (bench/pg-cpu.ts); absent without a local server. */
  postgres?: PgCpuBreakdown;
  note?: string;
  /** The hub's process layout (HUB_LAYOUT) this row ran in (absent from runs made before layouts were compared). */
  layout?: string;
}

export interface TargetResult {
  target: string;
  measured: string;
  met: boolean | null;
}

export interface RunReport {
  startedAt: string;
  mode: 'quick' | 'full';
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; postgres: string };
  settings: {
    sltdRecords: number;
    durationSec: number;
    warmupSec: number;
    connections: number;
    hubPoolSize: number;
    statementSample: number;
  };
  setupMs: Record<string, number>;
  scenarios: ScenarioResult[];
  skipped: { scenario: string; reason: string }[];
  ratios: { name: string; value: number | null; note: string }[];
  targets: TargetResult[];
  explain: { title: string; plan: string }[];
  /** `sltd.records` and its indexes on disk after loading (absent from runs made before it was added). */
  sizes?: RelationSize[];
  /** CPU profiles of the hub during measured windows (--profile). */
  profiles: { id: string; file: string; summary: ProfileSummary }[];
  hubLog?: { file: string; lines: number };
  /** `--layouts`: the layout rows side by side (bench/layouts.ts). */
  layouts?: LayoutRow[];
}

const fmt = (value: number | null | undefined, digits = 0) =>
  value === null || value === undefined
    ? '—'
    : value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** CPU ms a process used per request during the window: robust to a busy machine, unlike requests/s. */
export function cpuPerRequest(s: ScenarioResult, label: string): number | null {
  const ms = s.memory.cpuMs[label];
  return ms === undefined || s.load.requests === 0 ? null : Math.round((ms / s.load.requests) * 100) / 100;
}

export function markdownReport(report: RunReport): string {
  const { settings, machine } = report;
  const lines: string[] = [
    `# Benchmark ${report.startedAt} (${report.mode})`,
    '',
    `${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGb} GB, Node ${machine.node}, ${machine.postgres}. ` +
      `Load generator, hub and PostgreSQL share the machine. ${fmt(settings.sltdRecords)} SLTD records; ` +
      `${settings.durationSec} s per scenario after ${settings.warmupSec} s of warm-up; ${settings.connections} ` +
      `connections unless said; hub DB_POOL_SIZE ${settings.hubPoolSize} per subgraph.`,
    '',
    '| # | scenario | layer | client | conn | req/s | docs/s | p50 ms | p95 ms | p99 ms | non-2xx | GraphQL errors | wrong (sampled) | statements/req | hub CPU ms/req | PG CPU ms/req | hub RSS peak MB | PG peak MB | load avg |',
    '|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const s of report.scenarios) {
    const l = s.load;
    lines.push(
      `| ${s.id} | ${s.scenario} | ${s.layer} | ${s.client} | ${s.connections} | ${fmt(l.requestsPerSec)} | ${fmt(s.documentsPerSec)} | ` +
        `${fmt(l.latencyMs.p50, 1)} | ${fmt(l.latencyMs.p95, 1)} | ${fmt(l.latencyMs.p99, 1)} | ${l.non2xx + l.transportErrors} | ` +
        `${l.graphqlErrors} | ${l.unexpected}/${l.sampled} | ${fmt(s.statements?.perRequest, 2)} | ` +
        `${fmt(cpuPerRequest(s, 'hub'), 2)} | ${fmt(cpuPerRequest(s, 'postgres'), 2)} | ` +
        `${fmt(s.memory.peakRssMb.hub)} | ${fmt(s.memory.peakRssMb.postgres)} | ${s.memory.loadAverage.join(' → ')} |`,
    );
  }
  lines.push(...layoutMarkdown(report.layouts ?? []));
  lines.push('', '**Ratios (same run)**', '');
  for (const r of report.ratios)
    lines.push(`- ${r.name}: **${r.value === null ? '—' : r.value.toFixed(2)}** — ${r.note}`);
  lines.push('', '**Targets**', '', '| target | measured | met |', '|---|---|---|');
  for (const t of report.targets)
    lines.push(
      `| ${t.target} | ${t.measured} | ${t.met === null ? 'not measured' : t.met ? 'yes' : '**no**'} |`,
    );
  if (report.skipped.length) {
    lines.push('', '**Skipped**', '');
    for (const s of report.skipped) lines.push(`- ${s.scenario}: ${s.reason}`);
  }
  const problems = report.scenarios.filter((s) => s.load.examples.length);
  if (problems.length) {
    lines.push('', '**Unexpected responses (examples)**', '');
    for (const s of problems)
      for (const e of s.load.examples) lines.push(`- ${s.id}: \`${e.replace(/`/g, "'")}\``);
  }
  lines.push(
    '',
    '**Peak memory** (VmHWM since start, MB; PostgreSQL: private memory of all its processes + shared once)',
    '',
  );
  lines.push(
    '| # | hub VmHWM | hub RSS peak | PG footprint peak | PG largest process VmHWM | bench RSS peak |',
  );
  lines.push('|---|---:|---:|---:|---:|---:|');
  for (const s of report.scenarios) {
    const m = s.memory;
    lines.push(
      `| ${s.id} | ${fmt(m.hwmMb.hub)} | ${fmt(m.peakRssMb.hub)} | ${fmt(m.peakRssMb.postgres)} | ` +
        `${fmt(m.hwmMb['postgres (largest process)'])} | ${fmt(m.peakRssMb.bench)} |`,
    );
  }
  const perProcess = report.scenarios.filter((s) =>
    Object.keys(s.memory.cpuMs).some((k) => k.startsWith('hub:')),
  );
  if (perProcess.length) {
    lines.push(
      '',
      '**Hub CPU per request, per process** (pair and split layouts: ms of CPU per request)',
      '',
    );
    for (const s of perProcess) {
      const parts = Object.keys(s.memory.cpuMs)
        .filter((k) => k.startsWith('hub:'))
        .map((k) => `${k.slice(4)} ${fmt(cpuPerRequest(s, k), 2)}`);
      lines.push(`- ${s.id}: ${parts.join(', ')}`);
    }
  }
  const counted = report.scenarios.filter((s) => s.statements);
  if (counted.length) {
    lines.push(
      '',
      '**Statements per request** (pg_stat_statements, top-level statements, background subtracted)',
      '',
    );
    for (const s of counted) {
      const st = s.statements as StatementsPerRequest;
      lines.push(
        `- ${s.id} ${s.scenario} (${s.client}): **${st.perRequest}** per request over ${st.requests} requests ` +
          `(idle background ${st.backgroundPerSec}/s subtracted; webhook worker meanwhile: ${st.workerPerRequest} per request)`,
      );
      for (const line of st.statements.slice(0, 12))
        lines.push(
          `  - ${line.perRequest} × ${line.meanMs} ms${isWorkerStatement(line.query) ? ' (webhook worker)' : ''}: ` +
            `\`${line.query.slice(0, 160)}\``,
        );
    }
  }
  if (report.sizes?.length) {
    const rows = report.settings.sltdRecords;
    const mb = (bytes: number) => fmt(bytes / 2 ** 20, 1);
    lines.push(
      '',
      `**sltd.records on disk** (${fmt(rows)} records after VACUUM ANALYZE; the demo seed adds a few)`,
      '',
    );
    lines.push('| relation | kind | size MB | total MB | bytes per record |', '|---|---|---:|---:|---:|');
    for (const r of report.sizes)
      lines.push(
        `| ${r.relation} | ${r.kind} | ${mb(r.bytes)} | ${mb(r.totalBytes)} | ${fmt(r.totalBytes / rows, 1)} |`,
      );
  }
  if (report.explain.length) {
    lines.push('', '**The look-up in PostgreSQL** (EXPLAIN ANALYZE, BUFFERS)', '');
    for (const e of report.explain) lines.push(`${e.title}:`, '', '```', e.plan, '```', '');
  }
  for (const { id, file, summary: p } of report.profiles) {
    lines.push('', `**Hub CPU profile, ${id}** (${file}: ${p.totalMs} ms sampled, ${p.busyShare}% busy)`, '');
    lines.push('| package | self ms | share |', '|---|---:|---:|');
    for (const l of p.byPackage) lines.push(`| ${l.name} | ${l.ms} | ${l.share}% |`);
    lines.push('', '| function | self ms | share |', '|---|---:|---:|');
    for (const l of p.byFunction) lines.push(`| ${l.name.replace(/\|/g, '\\|')} | ${l.ms} | ${l.share}% |`);
    lines.push('', '| stack (innermost first) | self ms | share |', '|---|---:|---:|');
    for (const l of p.byStack) lines.push(`| ${l.name.replace(/\|/g, '\\|')} | ${l.ms} | ${l.share}% |`);
  }
  if (report.hubLog)
    lines.push('', `Hub log: ${report.hubLog.lines} lines at LOG_LEVEL=warn (${report.hubLog.file}).`);
  lines.push(
    '',
    `Setup: ${Object.entries(report.setupMs)
      .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`)
      .join(', ')}.`,
    '',
  );
  return lines.join('\n');
}

/** A run's file name stem: its start time, e.g. `2026-11-26T00-58-31`. */
export function stamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace(/:/g, '-');
}

/** Writes result files formatted as the repository's prettier configuration wants them (format:check passes). */
export async function writeFormatted(files: [string, string][]): Promise<string[]> {
  for (const [file, text] of files) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const config = (await prettier.resolveConfig(file)) ?? {};
    fs.writeFileSync(file, await prettier.format(text, { ...config, filepath: file }));
  }
  return files.map(([f]) => path.relative(process.cwd(), f));
}

/** The machine a run was made on, as the report's header gives it. */
export async function describeMachine(sql: pg.ClientBase): Promise<RunReport['machine']> {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    postgres: (await sql.query<{ v: string }>('SELECT version() AS v')).rows[0].v.split(' on ')[0],
  };
}

/** Writes `<out>/<stamp>[-quick].json` and `.md`, formatted as prettier wants them (format:check passes). */
export async function writeReport(report: RunReport, out: string, startedAt: Date, quick: boolean) {
  const base = path.join(out, `${stamp(startedAt)}${quick ? '-quick' : ''}`);
  return writeFormatted([
    [`${base}.json`, JSON.stringify(report, null, 2)],
    [`${base}.md`, markdownReport(report)],
  ]);
}
