import 'reflect-metadata';
import path from 'node:path';
import { poolSettingsOf } from '../db/pool';
import { readSupergraph } from '../gateway/supergraph';
import type { Logger } from 'pino';
import { hubEnvironment, type HubEnvironment, type HubLayout } from '../hub/config';
import { startHubProcesses, type RunningHubProcesses } from '../hub/processes';
import { startHub } from '../hub/start-hub';
import { loadConfig } from '../shared/config';
import { createLogger } from '../shared/logger';
import { generateSigningJwk } from '../subgraphs/partner-agencies/oauth/signing-key';
import { operationLimitsOf } from '../shared/limits';
import { profileOnSignal } from './profile-signal';

/**
 * The hub under test, in its own process so that the load generator and the hub do not share an event loop:
 * `startHub` on free ports over DATABASE_URL (already migrated and seeded by bench/run.ts), the same
 * configuration as `npm start` (hub/config.ts: DB_POOL_SIZE, AUTHORIZATION_MODE...), in the process layout
 * HUB_LAYOUT says (single: in this process; pair, split: as child processes, hub/processes.ts). Prints one JSON line with
 * its URLs once it listens, and stops on SIGTERM / SIGINT (which also writes a --cpu-prof profile).
 */
export interface HubProcessInfo {
  ready: true;
  /** This process: the hub itself (single), or the parent of the hub's processes (pair, split). */
  pid: number;
  layout: HubLayout;
  /** The processes that serve requests, whose CPU the bench counts as the hub's. */
  processes: { name: string; pid: number }[];
  gatewayUrl: string;
  baseUrl: string;
  subgraphs: Record<string, string>;
  gatewayCredential: string;
  poolSize: number;
}

async function main(): Promise<void> {
  const env = loadConfig(hubEnvironment);
  if (!env.DATABASE_URL) throw new Error('bench/hub-process.ts needs DATABASE_URL');
  const log = createLogger('bench-hub', env.LOG_LEVEL);
  const hub = env.HUB_LAYOUT === 'single' ? await startSingle(env, env.DATABASE_URL, log) : null;
  // pair, split: each child gets the same SIGUSR2 profiler as a preload, so one process can be profiled alone.
  if (process.env.BENCH_PROFILE_DIR && !hub) {
    process.execArgv.push('-r', path.join(__dirname, 'profile-signal') + path.extname(__filename));
    process.env.BENCH_PROFILE_PRELOAD = '1';
  }
  const processes =
    env.HUB_LAYOUT === 'single' ? null : await startProcesses(env, env.HUB_LAYOUT, env.DATABASE_URL, log);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // process.exit (not a signal death) lets --cpu-prof write its profile.
    const force = setTimeout(() => process.exit(0), 5000 + (processes ? 2 * STOP_TIMEOUT_MS : 0));
    force.unref();
    (hub ?? processes)!.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (process.env.BENCH_PROFILE_DIR && hub) profileOnSignal(process.env.BENCH_PROFILE_DIR);
  const gatewayUrl = hub?.gatewayUrl ?? processes!.gatewayUrl;
  const info: HubProcessInfo = {
    ready: true,
    pid: process.pid,
    layout: env.HUB_LAYOUT,
    processes: processes?.processes.map((p) => ({ name: p.name, pid: p.pid })) ?? [
      { name: 'hub', pid: process.pid },
    ],
    gatewayUrl,
    baseUrl: gatewayUrl.replace(/\/graphql$/, ''),
    subgraphs: hub
      ? Object.fromEntries(Object.values(hub.subgraphs).map((s) => [s.name, s.url]))
      : processes!.subgraphs,
    gatewayCredential: env.GATEWAY_CREDENTIAL,
    poolSize: env.DB_POOL_SIZE,
  };
  process.stdout.write(`${JSON.stringify(info)}\n`);
}

/** HUB_LAYOUT=single: the whole hub in this process (`startHub`). */
async function startSingle(env: HubEnvironment, databaseUrl: string, log: Logger) {
  return startHub({
    databaseUrl,
    gatewayPort: 0,
    host: '127.0.0.1',
    signingJwk: await generateSigningJwk('bench'),
    issuer: env.AUTH_ISSUER,
    audience: env.AUTH_AUDIENCE,
    tokenTtlSeconds: env.TOKEN_TTL_SECONDS,
    gatewayCredential: env.GATEWAY_CREDENTIAL,
    authorizationMode: env.AUTHORIZATION_MODE,
    limits: operationLimitsOf(env),
    nodeEnv: env.NODE_ENV,
    supergraphSdl: readSupergraph(env.SUPERGRAPH_PATH),
    seed: 'none',
    pool: poolSettingsOf(env),
    subgraphResilience: env,
    externalSubgraphs: externalSubgraphs(),
    log,
  });
}

/**
 * HUB_LAYOUT=pair or split: the gateway and the subgraphs as children of this process, as `npm start` runs them
 * (hub/processes.ts); the bench reads their CPU and memory as this process's children.
 */
async function startProcesses(
  env: HubEnvironment,
  layout: 'pair' | 'split',
  databaseUrl: string,
  log: Logger,
): Promise<RunningHubProcesses> {
  return startHubProcesses({
    layout,
    env: process.env,
    databaseUrl,
    signingJwk: await generateSigningJwk('bench'),
    gatewayCredential: env.GATEWAY_CREDENTIAL,
    gatewayPort: 0,
    host: '127.0.0.1',
    metricsPort: 0,
    stopTimeoutMs: STOP_TIMEOUT_MS,
    log,
    onUnexpectedExit: (name, code, signal) => {
      console.error(`hub process ${name} exited (${code ?? signal}) during the bench`);
      process.exit(1);
    },
  });
}

const STOP_TIMEOUT_MS = 15_000;

/**
 * BENCH_EXTERNAL_SUBGRAPHS (JSON, `{"document-alerts":"http://127.0.0.1:4103/graphql"}`): subgraphs the chaos run
 * starts as processes of their own so that it can freeze and kill them; the gateway calls them there.
 */
function externalSubgraphs(): Record<string, string> | undefined {
  const json = process.env.BENCH_EXTERNAL_SUBGRAPHS;
  return json ? (JSON.parse(json) as Record<string, string>) : undefined;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
