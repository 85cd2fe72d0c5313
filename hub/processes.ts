import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { JWK } from 'jose';
import type { Logger } from 'pino';
import { isReadyMessage } from '../shared/observability/supervised';
import { SUBGRAPHS } from '../subgraphs';
import type { HubLayout } from './config';

/**
 * `npm start` as separate processes, each running the production entry point (gateway/main.ts,
 * subgraphs/main.ts) as docker-compose does, forked by the one parent that owns the embedded PostgreSQL, the
 * migrations and the demo seed:
 *
 * - `split`: the gateway, and each subgraph in a process of its own (5 processes);
 * - `pair`: the gateway, and the four subgraphs together in one process (2 processes).
 *
 * (`single`, everything in the parent, is hub/start-hub.ts.) Each child tells the parent where it listens over the
 * IPC channel (shared/observability/supervised.ts) and stops by itself if the parent goes away. The children have
 * their own process group, so a Ctrl-C reaches the parent only, which stops the gateway before the subgraphs (its
 * requests in flight still need them), each with a timeout. A child that dies while it should serve is reported
 * to `onUnexpectedExit`; `npm start` then stops the rest and exits 1 rather than serve half a hub.
 */
export interface HubProcessesOptions {
  layout: Exclude<HubLayout, 'single'>;
  /** What every child inherits (the parent's environment), before the layout's own settings. */
  env: NodeJS.ProcessEnv;
  databaseUrl: string;
  /** partner-agencies' signing key; only the process serving partner-agencies is given it. */
  signingJwk: JWK;
  gatewayCredential: string;
  /** 0: every process on a free port (tests, bench); otherwise the gateway's, the subgraphs on 4001-4004. */
  gatewayPort: number;
  host: string;
  /** 0: no metrics server; otherwise the gateway's, and the subgraph processes' on the ports after it. */
  metricsPort: number;
  /** How long a child may take to stop after SIGTERM before it is killed. */
  stopTimeoutMs: number;
  log: Logger;
  /** A child exited (or was killed) while it should have been serving. Called at most once. */
  onUnexpectedExit: (process: string, code: number | null, signal: NodeJS.Signals | null) => void;
}

interface HubProcess {
  name: string;
  pid: number;
  /** Each service the process serves, with its GraphQL URL. */
  urls: Record<string, string>;
}

export interface RunningHubProcesses {
  gatewayUrl: string;
  /** Each subgraph's GraphQL URL. */
  subgraphs: Record<string, string>;
  processes: HubProcess[];
  /** Stops the gateway, then the subgraph processes; resolves once every child has exited. */
  stop(): Promise<void>;
}

/**
 * V8 flags of the processes that serve (the Dockerfile sets the same in NODE_OPTIONS). A young generation of 32 MB
 * semi-spaces instead of 16: a manifest's or a LinkedRecords page's objects die young, and with the default they were
 * scavenged several times per request (garbage collection 25-33% of the samples). Paired runs: 8-20% less hub CPU per
 * manifest and per page, single checks unchanged, about 50 MB more resident (bench/README.md, "Where the time goes").
 */
export const SERVING_NODE_FLAGS = ['--max-semi-space-size=32'];

/** A child that has not said where it listens within this is taken as failed (it migrates nothing: the parent did). */
const START_TIMEOUT_MS = 120_000;
/** After SIGKILL, how long to wait for the exit to be reported. */
const KILL_WAIT_MS = 5_000;

const ROOT = path.resolve(__dirname, '..');
// The same file type as this one: .ts under @swc-node/register (npm start), .js in dist/.
const entryPoint = (...parts: string[]) => path.join(ROOT, ...parts) + path.extname(__filename);

interface Child {
  name: string;
  process: ChildProcess;
  urls: Record<string, string>;
  exited: Promise<void>;
}

export async function startHubProcesses(options: HubProcessesOptions): Promise<RunningHubProcesses> {
  const { log } = options;
  const children: Child[] = [];
  let stopping = false;
  let reported = false;
  const freePorts = options.gatewayPort === 0;
  const metricsPortOf = (offset: number) =>
    options.metricsPort === 0 ? '0' : String(options.metricsPort + offset);
  const common: NodeJS.ProcessEnv = {
    ...options.env,
    DATABASE_URL: options.databaseUrl,
    GATEWAY_CREDENTIAL: options.gatewayCredential,
    HOST: options.host,
    // The parent migrated (and seeded) once, before any child started.
    MIGRATE_ON_START: 'false',
  };
  delete common.AUTH_SIGNING_KEY;

  const start = async (name: string, file: string, args: string[], env: NodeJS.ProcessEnv) => {
    // The parent's working directory: relative settings (SUPERGRAPH_PATH, DATA_DIR) mean the same to the children.
    const child = fork(file, args, {
      env,
      execArgv: [...process.execArgv, ...SERVING_NODE_FLAGS],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      detached: true,
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const urls = await new Promise<Record<string, string>>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${name} did not start within ${START_TIMEOUT_MS / 1000} s`));
      }, START_TIMEOUT_MS);
      child.on('message', (message) => {
        if (!isReadyMessage(message)) return;
        clearTimeout(timer);
        resolve(message.urls);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited (${code ?? signal}) before it was ready`));
      });
    });
    child.once('exit', (code, signal) => {
      if (stopping || reported) return;
      reported = true;
      log.error({ process: name, pid: child.pid, code, signal }, 'a hub process exited');
      options.onUnexpectedExit(name, code, signal);
    });
    const started: Child = { name, process: child, urls, exited };
    children.push(started);
    log.info({ process: name, pid: child.pid, urls }, 'hub process ready');
    return started;
  };

  const stopChild = async (child: Child) => {
    if (child.process.exitCode !== null || child.process.signalCode !== null) return;
    child.process.kill('SIGTERM');
    const timedOut = await Promise.race([
      child.exited.then(() => false),
      sleep(options.stopTimeoutMs).then(() => true),
    ]);
    if (!timedOut) return;
    log.warn({ process: child.name, pid: child.process.pid }, 'did not stop in time: killed');
    child.process.kill('SIGKILL');
    await Promise.race([child.exited, sleep(KILL_WAIT_MS)]);
  };
  const stop = async () => {
    stopping = true;
    const gateway = children.filter((c) => c.name === 'gateway');
    await Promise.all(gateway.map(stopChild));
    await Promise.all(children.filter((c) => c.name !== 'gateway').map(stopChild));
  };

  try {
    const subgraphFile = entryPoint('subgraphs', 'main');
    const partnerAgencies = SUBGRAPHS.find((s) => s.module.name === 'partner-agencies');
    if (!partnerAgencies) throw new Error('no partner-agencies subgraph');
    const withKey = { AUTH_SIGNING_KEY: JSON.stringify(options.signingJwk) };
    const subgraphUrls: Record<string, string> = {};
    if (options.layout === 'pair') {
      const all = await start('subgraphs', subgraphFile, ['all'], {
        ...common,
        ...withKey,
        PORT: freePorts ? '0' : String(partnerAgencies.defaultPort),
        METRICS_PORT: metricsPortOf(1),
      });
      Object.assign(subgraphUrls, all.urls);
    } else {
      const subgraphEnv = (defaultPort: number) => ({
        ...common,
        PORT: freePorts ? '0' : String(defaultPort),
        METRICS_PORT: metricsPortOf(1 + SUBGRAPHS.findIndex((s) => s.defaultPort === defaultPort)),
      });
      // partner-agencies first: the others check tokens against its key set.
      const partners = await start('partner-agencies', subgraphFile, ['partner-agencies'], {
        ...subgraphEnv(partnerAgencies.defaultPort),
        ...withKey,
      });
      Object.assign(subgraphUrls, partners.urls);
      const jwks = jwksUrl(subgraphUrls);
      const others = await Promise.all(
        SUBGRAPHS.filter((s) => s !== partnerAgencies).map(({ module, defaultPort }) =>
          start(module.name, subgraphFile, [module.name], {
            ...subgraphEnv(defaultPort),
            AUTH_JWKS_URL: jwks,
          }),
        ),
      );
      for (const other of others) Object.assign(subgraphUrls, other.urls);
    }
    const gateway = await start('gateway', entryPoint('gateway', 'main'), [], {
      ...common,
      PORT: String(options.gatewayPort),
      METRICS_PORT: metricsPortOf(0),
      AUTH_JWKS_URL: jwksUrl(subgraphUrls),
      ...Object.fromEntries(SUBGRAPHS.map((s) => [s.urlVariable, subgraphUrls[s.module.name]])),
    });
    return {
      gatewayUrl: gateway.urls.gateway,
      subgraphs: subgraphUrls,
      processes: children.map((c) => ({ name: c.name, pid: c.process.pid ?? 0, urls: c.urls })),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function jwksUrl(subgraphUrls: Record<string, string>): string {
  return new URL('/.well-known/jwks.json', subgraphUrls['partner-agencies']).toString();
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
