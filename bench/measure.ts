import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import type { HubLayout } from '../hub/config';
import type { HubChild } from './hub';
import type { LoadResult } from './load';
import type { MemorySampler } from './memory';
import { describeBreakdown, type PgCpuSampler } from './pg-cpu';
import type { Options } from './options';
import { summarizeProfile } from './profile';
import { cpuPerRequest, stamp, type Layer, type RunReport, type ScenarioResult } from './report';
import { countStatements, waitForQuiet } from './statements';

/**
 * One measured row of the report: wait until the hub is idle, count statements one request at a time, warm up,
 * then the timed run with memory and CPU sampling (and a CPU profile of the hub with --profile).
 */
export interface MeasuredRow {
  id: string;
  scenario: string;
  layer: Layer;
  client: string;
  connections: number;
  documentsPerRequest: number | null;
  /** The load itself, for a given number of seconds. */
  run: (durationSec: number) => Promise<LoadResult>;
  /** Sends request `i` alone: when given, statements per request are counted before the load. */
  send?: (i: number) => Promise<void>;
  note?: string;
}

export type Measure = (row: MeasuredRow) => Promise<ScenarioResult>;

export interface MeasureSetup {
  options: Options;
  sql: pg.ClientBase;
  hub: HubChild;
  memory: MemorySampler;
  /** PostgreSQL's CPU by process during each window, when the server runs on this machine. */
  pgCpu: PgCpuSampler | null;
  /** Statements per second reaching PostgreSQL while the hub is idle (subtracted from the counts). */
  background: number;
  startedAt: Date;
  /** The hub's process layout, and what it appends to every row's id (`@<layout>` after the first layout). */
  layout: HubLayout;
  idSuffix: string;
  /** Where each row's result and profile go. */
  results: ScenarioResult[];
  profiles: RunReport['profiles'];
  log: (line: string) => void;
}

export function createMeasure(setup: MeasureSetup): Measure {
  const { options, sql, hub, memory, log } = setup;
  return async (measured) => {
    const row = { ...measured, id: `${measured.id}${setup.idSuffix}` };
    log(`${row.id} ${row.scenario} — ${row.layer}, ${row.client}, ${row.connections} connections`);
    // Requests the previous run gave up on are still being answered: let the hub finish them first.
    await waitForQuiet(sql, setup.background);
    // Counted before the load, one request at a time, so that nothing else is in flight.
    const statements = row.send
      ? await countStatements(sql, options.statementSample, row.send, setup.background)
      : undefined;
    await row.run(options.warmupSec);
    // single: the one hub process; pair, split: the gateway's process alone (--profile-process names another).
    const profiling =
      options.profile && row.layer !== 'sql' ? await hub.profileWindow(options.profileProcess) : null;
    await setup.pgCpu?.start();
    memory.start();
    const load = await row.run(options.durationSec);
    const peaks = memory.stop();
    const postgres = await setup.pgCpu?.stop();
    if (profiling) {
      const who = setup.layout === 'single' ? 'hub' : options.profileProcess;
      const file = path.join(options.out, `${stamp(setup.startedAt)}-${row.id}-${who}.cpuprofile`);
      fs.mkdirSync(options.out, { recursive: true });
      fs.copyFileSync(await profiling(), file);
      setup.profiles.push({
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
      postgres,
      note: row.note,
      layout: setup.layout,
    };
    setup.results.push(result);
    log(
      `   ${load.requestsPerSec} req/s${result.documentsPerSec ? `, ${result.documentsPerSec} docs/s` : ''}, ` +
        `p50 ${load.latencyMs.p50} p95 ${load.latencyMs.p95} p99 ${load.latencyMs.p99} ms, ` +
        `non-2xx ${load.non2xx}, transport errors ${load.transportErrors}, GraphQL errors ${load.graphqlErrors}, ` +
        `wrong ${load.unexpected}/${load.sampled}` +
        (result.statements ? `, ${result.statements.perRequest} statements/request` : '') +
        cpuLine(result),
    );
    if (postgres) log(`   ${describeBreakdown(postgres, load.requests)}`);
    for (const example of load.examples) log(`   ! ${example}`);
    return result;
  };
}

/** Hub CPU per request, and the gateway's own share in the pair and split layouts. */
function cpuLine(result: ScenarioResult): string {
  const hub = cpuPerRequest(result, 'hub');
  const gateway = cpuPerRequest(result, 'hub:gateway');
  if (hub === null) return '';
  return `, hub CPU ${hub.toFixed(2)} ms/req` + (gateway === null ? '' : ` (gateway ${gateway.toFixed(2)})`);
}
