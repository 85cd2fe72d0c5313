import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbeddedPostgres, temporaryDataDir } from '../db/embedded-postgres';
import { importFile, type ImportSummary } from '../db/import/import';
import { sltdImport } from '../db/import/sltd';
import { writeSltdSample } from '../db/seed/sltd-sample';
import { terminalProgress } from '../db/import/progress';
import { migrateAll } from '../db/migrate-all';
import { seedDemoData } from '../db/seed/demo-data';

/**
 * `npm run bench:import [-- --lines N]`: writes one million SLTD lines of NCB Paris (deterministic) to a
 * temporary CSV, imports them into a fresh embedded PostgreSQL (migrated, demo agencies seeded), then imports the
 * same file again (every line unchanged), and prints both rates. Target: a million lines in under a minute on
 * a 2-core machine.
 *
 * Besides wall time it prints this process's peak resident memory (flat whatever the file's length: nothing is kept
 * per line) and the CPU seconds of this process and of PostgreSQL (all its processes, from /proc):
 * on a shared machine the wall time depends on the neighbours, the CPU time much less. The import overlaps the
 * two (PostgreSQL merges a chunk while the next is read), so on an idle 2-core machine the wall time is about the
 * larger of them.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { lines: { type: 'string' } } });
  const lines = Number(values.lines ?? 1_000_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-import-'));
  const file = path.join(dir, 'sltd.csv');
  let started = performance.now();
  await writeSltdSample(file, lines);
  const megabytes = (fs.statSync(file).size / 1e6).toFixed(0);
  console.log(`generated ${lines} lines (${megabytes} MB) in ${seconds(started)} s`);

  const dataDir = temporaryDataDir('bench-import-pg-');
  const database = await startEmbeddedPostgres({ dataDir, port: 0, persistent: false });
  const stop = () => void database.stop().finally(() => process.exit(130));
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    started = performance.now();
    await migrateAll(database.url);
    await seedDemoData(database.url, { notices: 50, sltd: 200, alerts: 10 });
    console.log(`database migrated and seeded in ${seconds(started)} s`);
    const run = async (label: string) => {
      const node = process.cpuUsage();
      const postgres = postgresCpuSeconds(dataDir);
      const summary = await importFile({
        databaseUrl: database.url,
        kind: sltdImport,
        ownerClientId: 'ncb-fra',
        file,
        progress: terminalProgress(process.stderr, 10_000),
      });
      const used = process.cpuUsage(node);
      // The import's server process ends after its connection closes; its time counts once it is reaped.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      report(label, summary, (used.user + used.system) / 1e6, postgresCpuSeconds(dataDir) - postgres);
    };
    await run('first import (all new)');
    await run('second import (same file)');
  } finally {
    await database.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function report(label: string, s: ImportSummary, nodeCpu: number, postgresCpu: number): void {
  console.log(
    `${label}: ${s.read} lines in ${s.seconds} s = ${s.rowsPerSecond} rows/s ` +
      `(inserted ${s.inserted}, updated ${s.updated}, unchanged ${s.unchanged}, rejected ${s.rejected}); ` +
      `phases ${JSON.stringify(s.phases)}; CPU: import ${nodeCpu.toFixed(1)} s, PostgreSQL ${postgresCpu.toFixed(1)} s; ` +
      // The import's memory must not grow with the file: the process's peak so far (resident set, high-water mark).
      `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; ` +
      `load average ${os.loadavg()[0].toFixed(1)}`,
  );
}

/**
 * CPU seconds used by the server so far: the postmaster's own and its reaped children's (cutime, cstime), plus
 * its live children's. Linux only; 0 elsewhere.
 */
function postgresCpuSeconds(dataDir: string): number {
  try {
    const ticks = 100; // USER_HZ on Linux
    const postmaster = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const stat = (pid: string | number) => {
      const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return text.slice(text.lastIndexOf(')') + 2).split(' ');
    };
    // Fields after the command: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14).
    const own = stat(postmaster);
    let total = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
    for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      try {
        const fields = stat(pid);
        if (Number(fields[1]) === postmaster) total += Number(fields[11]) + Number(fields[12]);
      } catch {
        // The process ended meanwhile.
      }
    }
    return total / ticks;
  } catch {
    return 0;
  }
}

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
