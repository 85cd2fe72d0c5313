import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { freePort } from '../db/embedded-postgres';
import { DEV_GATEWAY_CREDENTIAL } from '../shared/subgraph/config';

/**
 * Real faults for the fault tests (test/faults.e2e.ts) and the chaos benchmark (bench/chaos.ts): a subgraph as a
 * process of its own (subgraphs/main.ts, as docker-compose runs it) that can be frozen (SIGSTOP), resumed, killed
 * and started again on the same port; and a PostgreSQL that can be stopped and started again on the same port.
 */
const ROOT = path.resolve(__dirname, '..');
const NODE_ARGS = ['-r', '@swc-node/register', '-r', path.join(ROOT, 'test', 'exit-with-parent.ts')];

export interface SubgraphProcessOptions {
  /** notices | travel-documents | document-alerts (partner-agencies needs a signing key of its own). */
  name: string;
  databaseUrl: string;
  /** The key set that signs callers' tokens (the hub's partner-agencies: `/.well-known/jwks.json`). */
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** Fixed so that a restarted process is found where the gateway expects it; free port by default. */
  port?: number;
  env?: Record<string, string>;
}

export interface SubgraphProcess {
  name: string;
  /** `http://127.0.0.1:<port>/graphql`, the same across restarts. */
  url: string;
  readonly pid: number | undefined;
  /** SIGSTOP: the process keeps its sockets but answers nothing, as a hung or swapped-out process. */
  freeze(): void;
  /** SIGCONT. */
  resume(): void;
  /** SIGKILL, and waits until it is gone: connections are refused from then on. */
  kill(): Promise<void>;
  /** Starts it again on the same port and waits until it answers /health. */
  start(): Promise<void>;
  /** SIGTERM (after SIGCONT) and waits. */
  stop(): Promise<void>;
}

export async function startSubgraphProcess(options: SubgraphProcessOptions): Promise<SubgraphProcess> {
  const port = options.port ?? (await freePort());
  const base = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  const output: string[] = [];

  const start = async () => {
    const started = spawn(process.execPath, [...NODE_ARGS, 'subgraphs/main.ts', options.name], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
        DATABASE_URL: options.databaseUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        MIGRATE_ON_START: 'false',
        GATEWAY_CREDENTIAL: DEV_GATEWAY_CREDENTIAL,
        AUTH_ISSUER: options.issuer,
        AUTH_AUDIENCE: options.audience,
        AUTH_JWKS_URL: options.jwksUrl,
        METRICS_PORT: '0',
        ...options.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child = started;
    exited = new Promise((resolve) => started.once('exit', () => resolve()));
    for (const stream of [started.stdout, started.stderr]) {
      readline.createInterface({ input: stream! }).on('line', (line) => {
        output.push(line);
        if (output.length > 50) output.shift();
      });
    }
    await waitUntil(
      async () => (await fetch(`${base}/health`, { signal: AbortSignal.timeout(1000) })).ok,
      60_000,
      () => {
        if (started.exitCode !== null || started.signalCode !== null)
          throw new Error(`${options.name} exited while starting:\n${output.join('\n')}`);
      },
    );
  };
  await start();

  const running = () => child !== null && child.exitCode === null && child.signalCode === null;
  return {
    name: options.name,
    url: `${base}/graphql`,
    get pid() {
      return child?.pid;
    },
    freeze: () => {
      if (running()) child!.kill('SIGSTOP');
    },
    resume: () => {
      if (running()) child!.kill('SIGCONT');
    },
    kill: async () => {
      if (running()) child!.kill('SIGKILL');
      await exited;
    },
    start,
    stop: async () => {
      if (running()) {
        child!.kill('SIGCONT');
        child!.kill('SIGTERM');
      }
      await exited;
    },
  };
}

export interface RestartableDatabase {
  url: string;
  /** Stops PostgreSQL (fast shutdown: open connections are cut) and waits until it is down. */
  stop(): Promise<void>;
  /** Starts it again on the same port and waits until it accepts connections. */
  start(): Promise<void>;
  /** Stops it for good and removes its data. */
  close(): Promise<void>;
}

/** test/restartable-database.ts as a child process: a seeded embedded PostgreSQL of its own. */
export async function startRestartableDatabase(): Promise<RestartableDatabase> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'test/restartable-database.ts'], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = readline.createInterface({ input: child.stdout });
  const replies: ((line: Record<string, unknown>) => void)[] = [];
  lines.on('line', (line) => replies.shift()?.(JSON.parse(line) as Record<string, unknown>));
  const next = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      replies.push(resolve);
      void exited.then(() => reject(new Error('the restartable database exited')));
    });
  const ready = await next();
  const command = async (word: 'stop' | 'start') => {
    const reply = next();
    child.stdin.write(`${word}\n`);
    const answer = await reply;
    if (answer.error) throw new Error(String(answer.error));
  };
  return {
    url: String(ready.url),
    stop: () => command('stop'),
    start: () => command('start'),
    close: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

/** Polls `condition` until it holds (errors count as "not yet"); `check` may throw to give up early. */
export async function waitUntil(
  condition: () => Promise<boolean>,
  timeoutMs: number,
  check: () => void = () => undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    check();
    if (await condition().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
