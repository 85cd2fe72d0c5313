import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { runHttpLoad, type GraphQLBody, type LoadResult, type RequestItem } from '../load';
import { MemorySampler } from '../memory';
import type { Layer, ScenarioResult } from '../report';
import { FLOOR_CHECK_QUERY, FLOOR_FULL_QUERY } from '../stack-floor/schema';
import type { Scenario } from './context';

/**
 * floor. The stack's floor (bench/README.md, "The stack's floor"): the same load as scenarios 1 and 1-full against
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

function startFloorProcess(args: string[]): Promise<FloorProcess> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', SERVER, ...args], {
    cwd: ROOT,
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

/** Constant answers: a HIT for every document, with the selection's fields. */
function floorItems(query: string, full: boolean): RequestItem[] {
  return Array.from({ length: 100 }, (_, i) => {
    const document = { issuingCountry: 'FRA', documentNumber: `FL${String(i).padStart(7, '0')}` };
    return {
      body: JSON.stringify({ query, variables: { d: [document] } }),
      verify: (response: GraphQLBody) => {
        const checks = response.data?.checkDocuments as
          { verdict: string; document: Record<string, unknown> }[] | undefined;
        const answer = checks?.[0];
        if (answer?.verdict !== 'HIT' || answer.document.documentNumber !== document.documentNumber)
          return `not the floor's answer: ${JSON.stringify(response)}`;
        if (full && !(Array.isArray(answer.document.alerts) && Array.isArray(answer.document.notices)))
          return `alerts or notices missing: ${JSON.stringify(response)}`;
        return null;
      },
    };
  });
}

export const stackFloor: Scenario = {
  id: 'floor',
  run: async ({ options, record, log }) => {
    const subgraphs = await startFloorProcess(['subgraphs']);
    let gateway: FloorProcess | null = null;
    try {
      gateway = await startFloorProcess(['gateway', JSON.stringify(subgraphs.urls)]);
      const pids = { gateway: gateway.child.pid ?? 0, subgraphs: subgraphs.child.pid ?? 0 };
      const rows: { id: string; layer: Layer; url: string; query: string; full: boolean; note: string }[] = [
        {
          id: 'floor-1',
          layer: 'gateway',
          url: gateway.urls.gateway,
          query: FLOOR_CHECK_QUERY,
          full: false,
          note: "scenario 1's shape, one subgraph fetch; constant resolvers",
        },
        {
          id: 'floor-1a',
          layer: 'subgraph',
          url: subgraphs.urls.documents,
          query: FLOOR_CHECK_QUERY,
          full: false,
          note: 'straight to the floor subgraph',
        },
        {
          id: 'floor-full',
          layer: 'gateway',
          url: gateway.urls.gateway,
          query: FLOOR_FULL_QUERY,
          full: true,
          note: "1-full's shape, four subgraph fetches; constant resolvers",
        },
      ];
      for (const row of rows) {
        log(`${row.id} stack floor — ${row.layer}, ${options.connections} connections`);
        const items = floorItems(row.query, row.full);
        const load = (durationSec: number): Promise<LoadResult> =>
          runHttpLoad({ url: row.url, headers: {}, items, connections: options.connections, durationSec });
        await load(options.warmupSec);
        const sampler = new MemorySampler([
          { label: 'gateway', pid: pids.gateway },
          { label: 'subgraphs', pid: pids.subgraphs },
        ]);
        sampler.start();
        const result = await load(options.durationSec);
        const memory = sampler.stop();
        // The report's hub columns: the floor's two processes together, as the hub's in the pair layout.
        memory.cpuMs.hub = (memory.cpuMs.gateway ?? 0) + (memory.cpuMs.subgraphs ?? 0);
        memory.peakRssMb.hub = (memory.peakRssMb.gateway ?? 0) + (memory.peakRssMb.subgraphs ?? 0);
        const measured: ScenarioResult = {
          id: row.id,
          scenario: 'Stack floor (Apollo, constant resolvers)',
          layer: row.layer,
          client: '—',
          connections: options.connections,
          documentsPerRequest: 1,
          load: result,
          documentsPerSec: result.requestsPerSec,
          memory,
          note: row.note,
          layout: 'pair',
        };
        record(measured);
        log(
          `   ${result.requestsPerSec} req/s, p99 ${result.latencyMs.p99} ms, CPU ms/req gateway ` +
            `${((memory.cpuMs.gateway ?? 0) / Math.max(1, result.requests)).toFixed(2)}, subgraphs ` +
            `${((memory.cpuMs.subgraphs ?? 0) / Math.max(1, result.requests)).toFixed(2)}, wrong ${result.unexpected}/${result.sampled}`,
        );
        for (const example of result.examples) log(`   ! ${example}`);
      }
    } finally {
      if (gateway) await stopFloorProcess(gateway);
      await stopFloorProcess(subgraphs);
    }
  },
};
