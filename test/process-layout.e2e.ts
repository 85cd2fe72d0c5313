import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import pg from 'pg';
import { demoToken } from '../hub/demo-token';
import { SERVING_NODE_FLAGS } from '../hub/processes';
import {
  loadSpecimen,
  readContract,
  specimenDocument,
  SPECIMEN_DECODED,
  SPECIMEN_MRZ,
  type Specimen,
} from './contract';
import { testDatabaseUrl, testSigningKey } from './hub';

/**
 * `npm start` with the hub as several processes (HUB_LAYOUT, hub/processes.ts): the parent forks the production
 * entry points (gateway/main.ts, subgraphs/main.ts) on loopback over the test database, a border check crosses
 * all of them, and stopping the parent, or losing a child, leaves no process behind.
 */
const BORDER_CHECK = readContract('border-check.graphql');

interface Parent {
  child: ChildProcess;
  base: string;
  exited: Promise<number | null>;
  output: string[];
}

function startParent(layout: 'pair' | 'split'): Promise<Parent> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'scripts/start.ts'], {
    cwd: path.resolve(__dirname, '..'),
    env: {
      ...process.env,
      HUB_LAYOUT: layout,
      NODE_ENV: 'development',
      DATABASE_URL: testDatabaseUrl(),
      AUTH_SIGNING_KEY: JSON.stringify(testSigningKey()),
      PORT: '0',
      HOST: '127.0.0.1',
      METRICS_PORT: '0',
      SHUTDOWN_GRACE_MS: '5000',
      LOG_LEVEL: 'info',
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const lines = readline.createInterface({ input: child.stdout! });
  return new Promise<Parent>((resolve, reject) => {
    lines.on('line', (line) => {
      output.push(line);
      const match = /^\s+GraphQL\s+(http:\/\/\S+)\/graphql$/.exec(line);
      if (match) resolve({ child, base: match[1], exited, output });
    });
    void exited.then((code) => reject(new Error(`npm start exited with ${code}:\n${output.join('\n')}`)));
  });
}

/** The processes whose parent is `pid`, with their command lines (/proc). */
function childrenOf(pid: number): { pid: number; command: string }[] {
  const children: { pid: number; command: string }[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== pid) continue;
      const command = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      children.push({ pid: Number(entry), command });
    } catch {
      // ended while we looked
    }
  }
  return children;
}

const alive = (pid: number) => fs.existsSync(`/proc/${pid}`);

/** The hub's own JSON log lines (pino) with this message, in the order they were written. */
const logged = (output: string[], message: string) =>
  output
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { name: string; msg: string; signal?: string })
    .filter((entry) => entry.msg === message);

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

let db: pg.Client;
let specimen: Specimen;

beforeAll(async () => {
  db = new pg.Client({ connectionString: testDatabaseUrl() });
  await db.connect();
  specimen = await loadSpecimen(db);
});
afterAll(async () => {
  await db.end();
});

describe('HUB_LAYOUT=split: the gateway and each subgraph in a process of its own', () => {
  let parent: Parent;
  let children: { pid: number; command: string }[];

  beforeAll(async () => {
    parent = await startParent('split');
    children = childrenOf(parent.child.pid!);
  }, 180_000);
  afterAll(() => {
    for (const { pid } of children ?? []) if (alive(pid)) process.kill(pid, 'SIGKILL');
    if (parent?.child.exitCode === null) parent.child.kill('SIGKILL');
  });

  test('five children run the production entry points', () => {
    expect(
      children.map((c) => c.command.replace(/^.*?(\S+\/)?(gateway|subgraphs)\/main\.ts/, '$2')).sort(),
    ).toEqual([
      'gateway',
      'subgraphs document-alerts',
      'subgraphs notices',
      'subgraphs partner-agencies',
      'subgraphs travel-documents',
    ]);
  });

  test('every child runs with the serving V8 flags (the Dockerfile gives the image the same)', () => {
    for (const { command } of children)
      for (const flag of SERVING_NODE_FLAGS) expect(command.split(' ')).toContain(flag);
  });

  test("ncb-fra's contract BorderCheck of the specimen crosses all four subgraph processes", async () => {
    const token = await demoToken(parent.base, 'ncb-fra');
    const response = await fetch(`${parent.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: BORDER_CHECK, variables: { documents: [{ mrz: SPECIMEN_MRZ }] } }),
    });
    const body = (await response.json()) as { data: { checkDocuments: { hit: { id: string } }[] } };
    expect(response.status).toBe(200);
    expect(body).toEqual({
      data: {
        checkDocuments: [
          {
            verdict: 'HIT',
            problems: [],
            mrz: SPECIMEN_DECODED,
            document: specimenDocument(specimen, [
              { id: specimen.notice_id, controlNumber: specimen.control_number, type: 'YELLOW' },
            ]),
            hit: { id: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'PENDING' },
          },
        ],
      },
    });
    const hit = await db.query('SELECT record_id, checked_by_client FROM sltd.hits WHERE id = $1', [
      body.data.checkDocuments[0].hit.id,
    ]);
    expect(hit.rows).toEqual([{ record_id: specimen.record_id, checked_by_client: 'ncb-fra' }]);
  });

  test('SIGTERM to the parent stops the gateway, then the subgraphs, and leaves no child behind', async () => {
    parent.child.kill('SIGTERM');
    expect(await withTimeout(parent.exited, 60_000, 'npm start exit')).toBe(0);
    expect(children.filter(({ pid }) => alive(pid))).toEqual([]);
    const stopped = logged(parent.output, 'stopped').map((entry) => entry.name);
    expect(stopped[0]).toBe('gateway');
    expect(stopped.slice(1, 5).sort()).toEqual([
      'document-alerts',
      'notices',
      'partner-agencies',
      'travel-documents',
    ]);
    expect(stopped[5]).toBe('hub');
  }, 90_000);
});

describe('HUB_LAYOUT=pair: the gateway, and the four subgraphs together', () => {
  let parent: Parent;
  let children: { pid: number; command: string }[];

  beforeAll(async () => {
    parent = await startParent('pair');
    children = childrenOf(parent.child.pid!);
  }, 180_000);
  afterAll(() => {
    for (const { pid } of children ?? []) if (alive(pid)) process.kill(pid, 'SIGKILL');
    if (parent?.child.exitCode === null) parent.child.kill('SIGKILL');
  });

  test('a child that dies is reported; the parent stops the other and exits 1', async () => {
    expect(children).toHaveLength(2);
    const subgraphs = children.find((c) => c.command.includes('subgraphs/main.ts all'));
    const gateway = children.find((c) => c.command.includes('gateway/main.ts'));
    process.kill(subgraphs!.pid, 'SIGKILL');
    expect(await withTimeout(parent.exited, 60_000, 'npm start exit')).toBe(1);
    expect(alive(gateway!.pid)).toBe(false);
    expect(logged(parent.output, 'a hub process exited')).toEqual([
      expect.objectContaining({ name: 'hub', process: 'subgraphs', signal: 'SIGKILL' }),
    ]);
  }, 90_000);
});
