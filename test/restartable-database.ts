import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import {
  freePort,
  startEmbeddedPostgres,
  temporaryDataDir,
  type EmbeddedDatabase,
} from '../db/embedded-postgres';
import { migrateAll } from '../db/migrate-all';
import { seedDemoData } from '../db/seed/demo-data';

/**
 * An embedded PostgreSQL of its own (migrated and seeded with the demo data) that can be stopped and started
 * again on the same port while a hub uses it: the database-restart fault test and the chaos benchmark. A program
 * of its own, like test/database-server.ts, because embedded-postgres is an ES module Jest cannot load.
 *
 * It prints `{"url":...}` once ready, then obeys one command per line on stdin: `stop` (prints `{"stopped":true}`)
 * and `start` (prints `{"started":true}`). It removes its data when stdin closes or on SIGTERM.
 */
async function main(): Promise<void> {
  const dataDir = path.join(temporaryDataDir('hub-restartable-'), 'pg');
  const port = await freePort();
  const start = () => startEmbeddedPostgres({ dataDir, port, persistent: true, database: 'hub' });
  let server: EmbeddedDatabase | null = await start();
  const url = server.url;
  await migrateAll(url);
  await seedDemoData(url);
  const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
  say({ url, pid: postmasterPid(dataDir) });

  let finished = false;
  const finish = async () => {
    if (finished) return;
    finished = true;
    await server?.stop().catch(() => undefined);
    fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void finish());
  process.on('SIGINT', () => void finish());
  const commands = readline.createInterface({ input: process.stdin });
  commands.on('close', () => void finish());
  // One command at a time, in order.
  let queue = Promise.resolve();
  commands.on('line', (command) => {
    queue = queue.then(async () => {
      if (command === 'stop' && server) {
        await server.stop();
        server = null;
        say({ stopped: true });
      } else if (command === 'start' && !server) {
        server = await start();
        say({ started: true, pid: postmasterPid(dataDir) });
      } else {
        say({ error: `cannot ${command} now` });
      }
    });
  });
}

function postmasterPid(dataDir: string): number {
  return Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
