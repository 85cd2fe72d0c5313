import fs from 'node:fs';
import { cpuPerRequest, type RunReport, type ScenarioResult, type TargetResult } from './report';

/**
 * What a benchmark run is judged by: the ratios between its scenarios (gateway against subgraph against the bare
 * SQL, one client against another), the same scenario against a baseline run of another size (--baseline), and
 * the targets each scenario must meet. bench/run.ts measures; this file compares.
 */

const find = (results: ScenarioResult[], id: string) => results.find((r) => r.id === id);
const ratio = (a: number | undefined, b: number | undefined) =>
  a !== undefined && b !== undefined && b > 0 ? Math.round((a / b) * 100) / 100 : null;

interface Baseline {
  sltd: number;
  rows: Map<string, ScenarioResult>;
}

function readBaseline(file: string | null): Baseline | null {
  if (!file) return null;
  const previous = JSON.parse(fs.readFileSync(file, 'utf8')) as RunReport;
  return { sltd: previous.settings.sltdRecords, rows: new Map(previous.scenarios.map((r) => [r.id, r])) };
}

/** Scenario 1 at this run's size against the baseline's, per layer: throughput, and PostgreSQL CPU per check. */
function scaleRatios(results: ScenarioResult[], baseline: Baseline) {
  return ['1', '1a', '1b'].map((id) => {
    const now = find(results, id);
    const then = baseline.rows.get(id);
    const pgNow = now ? cpuPerRequest(now, 'postgres') : null;
    const pgThen = then ? cpuPerRequest(then, 'postgres') : null;
    return {
      id,
      throughput: ratio(now?.load.requestsPerSec, then?.load.requestsPerSec),
      postgresCpu: ratio(pgNow ?? undefined, pgThen ?? undefined),
    };
  });
}

export function ratios(
  results: ScenarioResult[],
  baseline: string | null,
  sltd: number,
): RunReport['ratios'] {
  const rps = (id: string) => find(results, id)?.load.requestsPerSec;
  const list: RunReport['ratios'] = [
    {
      name: '1 gateway / subgraph',
      value: ratio(rps('1'), rps('1a')),
      note: 'share of the subgraph’s throughput kept through the gateway',
    },
    {
      name: '1 subgraph / SQL floor',
      value: ratio(rps('1a'), rps('1b')),
      note: 'share of the bare look-up’s rate the subgraph reaches',
    },
    {
      name: '1 gateway / SQL floor',
      value: ratio(rps('1'), rps('1b')),
      note: 'the whole stack against the database floor',
    },
    {
      name: '2 airline gateway / subgraph',
      value: ratio(rps('2'), rps('2a')),
      note: '300-document manifests',
    },
    {
      name: '2 bp-fra gateway / subgraph',
      value: ratio(rps('2-bp'), rps('2-bpa')),
      note: '300-document manifests',
    },
    {
      name: '2 bp-fra subgraph / SQL floor',
      value: ratio(rps('2-bpa'), rps('2b')),
      note: '300-document look-ups',
    },
    { name: '2 bp-fra gateway / SQL floor', value: ratio(rps('2-bp'), rps('2b')), note: '' },
  ];
  const previous = readBaseline(baseline);
  if (previous)
    for (const row of scaleRatios(results, previous)) {
      const sizes = `${sltd.toLocaleString('en')} / ${previous.sltd.toLocaleString('en')} records`;
      list.push(
        {
          name: `${row.id} throughput, ${sizes}`,
          value: row.throughput,
          note: 'two runs (--baseline): noisier than the ratios above',
        },
        { name: `${row.id} PostgreSQL CPU per check, ${sizes}`, value: row.postgresCpu, note: 'two runs' },
      );
    }
  return list;
}

/** Issue 14's targets (bench/README.md, "Targets"); CPU per request is the hub's, all its processes summed. */
export function targets(results: ScenarioResult[], baseline: string | null, sltd: number): TargetResult[] {
  const list: TargetResult[] = [];
  const s1 = find(results, '1');
  const s1Cpu = s1 ? cpuPerRequest(s1, 'hub') : null;
  list.push({
    target: 'scenario 1: ≥ 1,000 checks/s with p99 < 50 ms, hub ≤ 0.9 ms CPU/check',
    measured: s1
      ? `${s1.load.requestsPerSec} checks/s, p99 ${s1.load.latencyMs.p99} ms, hub ${s1Cpu ?? '—'} ms/check`
      : 'not run',
    met: s1
      ? s1.load.requestsPerSec >= 1000 && s1.load.latencyMs.p99 < 50 && s1Cpu !== null && s1Cpu <= 0.9
      : null,
  });
  for (const id of ['1-full', '1-full-bp']) {
    const full = find(results, id);
    const cpu = full ? cpuPerRequest(full, 'hub') : null;
    list.push({
      target: `scenario ${id} (the contract's BorderCheck, ${full?.client ?? id}): ≥ 700 checks/s, hub ≤ 1.5 ms CPU/check`,
      measured: full ? `${full.load.requestsPerSec} checks/s, hub ${cpu ?? '—'} ms/check` : 'not run',
      met: full ? full.load.requestsPerSec >= 700 && cpu !== null && cpu <= 1.5 : null,
    });
  }
  for (const id of ['2', '2-bp']) {
    const s2 = find(results, id);
    list.push({
      target: `scenario 2 (${s2?.client ?? id}): ≥ 30,000 documents/s`,
      measured: s2 ? `${s2.documentsPerSec} documents/s` : 'not run',
      met: s2 ? (s2.documentsPerSec ?? 0) >= 30_000 : null,
    });
  }
  const kept = ratio(s1?.load.requestsPerSec, find(results, '1a')?.load.requestsPerSec);
  list.push({
    target: 'scenario 1 through the gateway keeps ≥ 80% of the subgraph’s throughput',
    measured: kept === null ? 'not run' : `${Math.round(kept * 100)}%`,
    met: kept === null ? null : kept >= 0.8,
  });
  const s3 = find(results, '3') as
    (ScenarioResult & { statementsPage5?: { perRequest: number } }) | undefined;
  const constant =
    s3?.statements && s3.statementsPage5
      ? Math.abs(s3.statements.perRequest - s3.statementsPage5.perRequest) < 0.5
      : null;
  const s3Cpu = s3 ? cpuPerRequest(s3, 'hub') : null;
  list.push({
    target:
      'scenario 3: constant statements (page of 5 = page of 50), p95 < 250 ms at 50 clients, hub ≤ 8 ms CPU/page',
    measured: s3
      ? `${s3.statements?.perRequest ?? '—'} statements (50) vs ${s3.statementsPage5?.perRequest ?? '—'} (5), p95 ${s3.load.latencyMs.p95} ms, hub ${s3Cpu ?? '—'} ms/page`
      : 'not run',
    met: s3
      ? constant === true &&
        s3.load.requests > 0 &&
        s3.load.latencyMs.p95 < 250 &&
        s3Cpu !== null &&
        s3Cpu <= 8
      : null,
  });
  const s4 = find(results, '4');
  list.push({
    // Precision and recall are `npm run eval:screening`'s to judge, not the load's.
    target: 'scenario 4: ScreenPerson ≥ 300 screenings/s',
    measured: s4 ? `${s4.load.requestsPerSec} screenings/s` : 'not run',
    met: s4 ? s4.load.requestsPerSec >= 300 : null,
  });
  const report = find(results, 'operation-report') ?? find(results, 'operation-report-a');
  list.push({
    target:
      'operation-report: the OperationReport over 1 M checks answers in well under a second (p99 < 500 ms)',
    measured: report
      ? `${report.scenario}, ${report.layer}: p50 ${report.load.latencyMs.p50} ms, p99 ${report.load.latencyMs.p99} ms`
      : 'not run',
    met: report ? report.load.latencyMs.p99 < 500 : null,
  });
  const previous = readBaseline(baseline);
  const scale = previous ? scaleRatios(results, previous) : null;
  const percent = (v: number | null) => (v === null ? '—' : `${Math.round((v - 1) * 100)}%`);
  list.push({
    target: '10 M records instead of 1 M cost scenario 1 < 20% of its throughput',
    measured:
      scale === null || !previous
        ? 'needs --sltd 10000000 --baseline <1M run>.json'
        : `${sltd.toLocaleString('en')} vs ${previous.sltd.toLocaleString('en')} records, throughput ` +
          scale.map((r) => `${r.id} ${percent(r.throughput)}`).join(', ') +
          '; PostgreSQL CPU per check ' +
          scale.map((r) => `${r.id} ${percent(r.postgresCpu)}`).join(', '),
    met: scale?.[0].throughput == null ? null : scale[0].throughput > 0.8,
  });
  return list;
}
