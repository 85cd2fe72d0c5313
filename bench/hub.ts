import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { HubProcessInfo } from './hub-process';
import type { HubLayout } from '../hub/config';
import { demoToken } from '../hub/demo-token';
import { profileFile } from './profile-signal';

/**
 * Starts bench/hub-process.ts as a child process (its own event loop and its own memory, measurable from
 * /proc/<pid>; in the pair and split layouts, it and its children) and waits for the line that says it listens.
 */
export interface HubChild extends HubProcessInfo {
  child: ChildProcess;
  /** Where the hub's log lines go, and how many it wrote. */
  logFile: string;
  readonly logLines: number;
  /** Asks the hub to stop (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /**
   * Starts the CPU profiler of the hub (single layout) or of one of its processes (pair, split: `gateway` by
   * default); the function returned stops it and resolves to the profile's path.
   */
  profileWindow(processName?: string): Promise<() => Promise<string>>;
}

export interface HubChildOptions {
  databaseUrl: string;
  /** The process layout (HUB_LAYOUT): the hub in one process (default), or the gateway and subgraphs as its children. */
  layout?: HubLayout;
  /** A folder for CPU profiles of the hub's measured windows (see profileWindow). */
  cpuProfileDir?: string;
  env?: Record<string, string>;
}

const ROOT = path.resolve(__dirname, '..');

export async function startHubChild(options: HubChildOptions): Promise<HubChild> {
  const nodeArgs = ['-r', '@swc-node/register'];
  const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, 'bench', 'hub-process.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      HUB_LAYOUT: options.layout ?? 'single',
      NODE_ENV: 'development',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      ...(options.cpuProfileDir ? { BENCH_PROFILE_DIR: options.cpuProfileDir } : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // The hub's own log (pino, LOG_LEVEL=warn): to a file, or it would drown the bench's output.
  const logFile = path.join(os.tmpdir(), `hub-bench-${process.pid}-${options.layout ?? 'single'}.log`);
  const log = fs.createWriteStream(logFile);
  let logLines = 0;
  const profiles = new Map<number, number>();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const info = await new Promise<HubProcessInfo>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const timer = setTimeout(() => reject(new Error('the hub did not start within 120 s')), 120_000);
    lines.on('line', (line) => {
      if (!line.startsWith('{"ready"')) {
        logLines++;
        log.write(`${line}\n`);
        return;
      }
      clearTimeout(timer);
      resolve(JSON.parse(line) as HubProcessInfo);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the hub exited with code ${code} before it was ready`));
    });
  });
  return {
    ...info,
    child,
    logFile,
    get logLines() {
      return logLines;
    },
    profileWindow: async (processName = 'gateway') => {
      const dir = options.cpuProfileDir;
      if (!dir) throw new Error('the hub was started without cpuProfileDir');
      const pid =
        info.layout === 'single' ? info.pid : info.processes.find((p) => p.name === processName)?.pid;
      if (!pid) throw new Error(`no hub process ${processName}`);
      const n = (profiles.get(pid) ?? 0) + 1;
      profiles.set(pid, n);
      const file = profileFile(dir, pid, n);
      process.kill(pid, 'SIGUSR2');
      // Profiler.start is asynchronous in the hub; a moment is enough on an idle hub.
      await new Promise((resolve) => setTimeout(resolve, 200));
      return async () => {
        process.kill(pid, 'SIGUSR2');
        const deadline = Date.now() + 30_000;
        while (!fs.existsSync(file)) {
          if (Date.now() > deadline) throw new Error(`no profile ${file}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        return file;
      };
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      log.end();
    },
  };
}

/** A fresh access token for a demo client (secret `demo-<id>`) from the hub's token endpoint. */
export function token(hub: HubProcessInfo, clientId: string): Promise<string> {
  return demoToken(hub.baseUrl, clientId);
}
