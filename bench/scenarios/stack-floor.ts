import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { runHttpLoad, type GraphQLBody, type LoadResult, type RequestItem } from '../load';
import { MemorySampler } from '../memory';
import { summarizeProfile } from '../profile';
import { profileFile } from '../profile-signal';
import { stamp, type Layer, type RunReport, type ScenarioResult } from '../report';
import { FLOOR_CHECK_QUERY, FLOOR_FULL_QUERY, FLOOR_LINKED_RECORDS_QUERY } from '../stack-floor/schema';
import type { Scenario } from './context';

/**
 * floor. The stack's floor (bench/README.md, "The stack's floor"): the shapes of scenarios 1, 1-full, 2 and 3 against
 * Apollo Server, @apollo/subgraph and @apollo/gateway with constant resolvers (bench/stack-floor/), in the `pair`
 * layout (the gateway in one process, the four subgraphs in another). Its hub CPU per request is what this stack
 * costs before the hub does anything of its own; the hub's rows in the same run are read against it.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const SERVER = path.join(ROOT, 'bench', 'stack-floor', 'server.ts');
const START_TIMEOUT_MS = 60_000;

interface FloorProcess {
  child: ChildProcess;
  urls: Record<string, string>;
}

/** With --profile: each floor process profiles every measured window (bench/profile-signal.ts). */
function windowProfiler(
  out: string,
  startedAt: Date,
  processes: Record<string, { process: FloorProcess; dir: string }>,
) {
  let windows = 0;
  const toggle = () => {
    for (const { process } of Object.values(processes)) process.child.kill('SIGUSR2');
  };
  return {
    async start(): Promise<void> {
      toggle();
      // Profiler.start is asynchronous in the process; a moment is enough on an idle one.
      await new Promise((resolve) => setTimeout(resolve, 200));
    },
    async stop(rowId: string): Promise<RunReport['profiles']> {
      toggle();
      windows++;
      const profiles: RunReport['profiles'] = [];
      for (const [name, { process: floor, dir }] of Object.entries(processes)) {
        const written = profileFile(dir, floor.child.pid ?? 0, windows);
        const deadline = Date.now() + 30_000;
        while (!fs.existsSync(written)) {
          if (Date.now() > deadline) throw new Error(`no profile ${written}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const file = path.join(out, `${stamp(startedAt)}-${rowId}-${name}.cpuprofile`);
        fs.mkdirSync(out, { recursive: true });
        fs.copyFileSync(written, file);
        profiles.push({
          id: `${rowId} (${name})`,
          file: path.relative(process.cwd(), file),
          summary: summarizeProfile(file, 25),
        });
      }
      return profiles;
    },
  };
}

function startFloorProcess(args: string[], profileDir: string | null): Promise<FloorProcess> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', SERVER, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...(profileDir ? { BENCH_PROFILE_DIR: profileDir } : {}) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the stack floor (${args[0]}) did not start within ${START_TIMEOUT_MS} ms`));
    }, START_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the stack floor (${args[0]}) exited with code ${code} before it was ready`));
    });
    readline.createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (!line.startsWith('{"ready"')) return;
      clearTimeout(timer);
      resolve({ child, urls: (JSON.parse(line) as { ready: Record<string, string> }).ready });
    });
  });
}

async function stopFloorProcess({ child }: FloorProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Checks of `perRequest` documents; the floor answers HIT for each, with the selection's fields. */
function checkItems(query: string, perRequest: number, full: boolean): RequestItem[] {
  return Array.from({ length: 100 }, (_, i) => {
    const documents = Array.from({ length: perRequest }, (_, j) => ({
      issuingCountry: 'FRA',
      documentNumber: `FL${String(i * perRequest + j).padStart(7, '0')}`,
    }));
    return {
      body: JSON.stringify({ query, variables: { d: documents } }),
      verify: (response: GraphQLBody) => {
        const checks = response.data?.checkDocuments as
          { verdict: string; document: Record<string, unknown> }[] | undefined;
        const right =
          checks?.length === perRequest &&
          checks.every(
            (check, j) =>
              check.verdict === 'HIT' &&
              check.document.documentNumber === documents[j].documentNumber &&
              (!full || (Array.isArray(check.document.alerts) && Array.isArray(check.document.notices))),
          );
        return right ? null : `not the floor's answer: ${JSON.stringify(response).slice(0, 300)}`;
      },
    };
  });
}

/** Pages of `first` notices, each with its document's record, owner and alerts from the other subgraphs. */
function linkedRecordsItems(first: number): RequestItem[] {
  return [
    {
      body: JSON.stringify({ query: FLOOR_LINKED_RECORDS_QUERY, variables: { first } }),
      verify: (response: GraphQLBody) => {
        const page = response.data?.notices as
          | {
              edges: {
                node: { documents: { sltdRecord: { ownerAgency: { name: string } }; alerts: unknown[] }[] };
              }[];
            }
          | undefined;
        const right =
          page?.edges.length === first &&
          page.edges.every(
            ({ node }) =>
              node.documents[0]?.sltdRecord.ownerAgency.name === 'NCB Paris' &&
              node.documents[0].alerts.length === 1,
          );
        return right ? null : `not the floor's page: ${JSON.stringify(response).slice(0, 300)}`;
      },
    },
  ];
}

interface FloorRow {
  id: string;
  layer: Layer;
  url: string;
  items: RequestItem[];
  connections: number;
  documentsPerRequest: number | null;
  note: string;
}

export const stackFloor: Scenario = {
  id: 'floor',
  run: async ({ options, record, log, startedAt }) => {
    const profileDirs = options.profile
      ? {
          gateway: fs.mkdtempSync(path.join(os.tmpdir(), 'floor-prof-')),
          subgraphs: fs.mkdtempSync(path.join(os.tmpdir(), 'floor-prof-')),
        }
      : null;
    const subgraphs = await startFloorProcess(['subgraphs'], profileDirs?.subgraphs ?? null);
    let gateway: FloorProcess | null = null;
    try {
      gateway = await startFloorProcess(
        ['gateway', JSON.stringify(subgraphs.urls)],
        profileDirs?.gateway ?? null,
      );
      const profiler = profileDirs
        ? windowProfiler(options.out, startedAt, {
            gateway: { process: gateway, dir: profileDirs.gateway },
            subgraphs: { process: subgraphs, dir: profileDirs.subgraphs },
          })
        : null;
      const pids = { gateway: gateway.child.pid ?? 0, subgraphs: subgraphs.child.pid ?? 0 };
      const { connections } = options;
      const rows: FloorRow[] = [
        {
          id: 'floor-1',
          layer: 'gateway',
          url: gateway.urls.gateway,
          items: checkItems(FLOOR_CHECK_QUERY, 1, false),
          connections,
          documentsPerRequest: 1,
          note: "scenario 1's shape: one subgraph fetch",
        },
        {
          id: 'floor-1a',
          layer: 'subgraph',
          url: subgraphs.urls.documents,
          items: checkItems(FLOOR_CHECK_QUERY, 1, false),
          connections,
          documentsPerRequest: 1,
          note: 'straight to the floor subgraph',
        },
        {
          id: 'floor-full',
          layer: 'gateway',
          url: gateway.urls.gateway,
          items: checkItems(FLOOR_FULL_QUERY, 1, true),
          connections,
          documentsPerRequest: 1,
          note: "1-full's shape: four subgraph fetches",
        },
        {
          id: 'floor-2',
          layer: 'gateway',
          url: gateway.urls.gateway,
          items: checkItems(FLOOR_CHECK_QUERY, 300, false),
          connections,
          documentsPerRequest: 300,
          note: "scenario 2-bp's shape: 300 documents, one subgraph fetch",
        },
        {
          id: 'floor-3',
          layer: 'gateway',
          url: gateway.urls.gateway,
          items: linkedRecordsItems(50),
          connections: 50,
          documentsPerRequest: null,
          note: "scenario 3's shape: a page of 50 notices, five fetches over four subgraphs",
        },
      ];
      for (const row of rows) {
        log(`${row.id} stack floor — ${row.layer}, ${row.connections} connections`);
        const load = (durationSec: number): Promise<LoadResult> =>
          runHttpLoad({
            url: row.url,
            headers: {},
            items: row.items,
            connections: row.connections,
            durationSec,
          });
        await load(options.warmupSec);
        const sampler = new MemorySampler([
          { label: 'hub:gateway', pid: pids.gateway },
          { label: 'hub:subgraphs', pid: pids.subgraphs },
        ]);
        await profiler?.start();
        sampler.start();
        const result = await load(options.durationSec);
        const memory = sampler.stop();
        const profiles = (await profiler?.stop(row.id)) ?? [];
        // The report's hub columns: the floor's two processes together, as the hub's in the pair layout.
        memory.cpuMs.hub = (memory.cpuMs['hub:gateway'] ?? 0) + (memory.cpuMs['hub:subgraphs'] ?? 0);
        memory.peakRssMb.hub =
          (memory.peakRssMb['hub:gateway'] ?? 0) + (memory.peakRssMb['hub:subgraphs'] ?? 0);
        const measured: ScenarioResult = {
          id: row.id,
          scenario: 'Stack floor (Apollo, constant resolvers)',
          layer: row.layer,
          client: '—',
          connections: row.connections,
          documentsPerRequest: row.documentsPerRequest,
          load: result,
          documentsPerSec: row.documentsPerRequest
            ? Math.round(result.requestsPerSec * row.documentsPerRequest)
            : null,
          memory,
          note: row.note,
          layout: 'pair',
        };
        record(measured, profiles);
        log(
          `   ${result.requestsPerSec} req/s, p99 ${result.latencyMs.p99} ms, CPU ms/req gateway ` +
            `${((memory.cpuMs['hub:gateway'] ?? 0) / Math.max(1, result.requests)).toFixed(2)}, subgraphs ` +
            `${((memory.cpuMs['hub:subgraphs'] ?? 0) / Math.max(1, result.requests)).toFixed(2)}, wrong ${result.unexpected}/${result.sampled}`,
        );
        for (const example of result.examples) log(`   ! ${example}`);
      }
    } finally {
      if (gateway) await stopFloorProcess(gateway);
      await stopFloorProcess(subgraphs);
      for (const dir of Object.values(profileDirs ?? {})) fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
