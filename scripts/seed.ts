import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { migrateAll } from '../db/migrate-all';
import { seedDemoData } from '../db/seed/demo-data';
import { seedScale, type ScaleSummary } from '../db/seed/scale';

/**
 * `npm run seed`: migrates DATABASE_URL and loads the deterministic demo data set when the database is empty
 * (docker-compose's `seed` service runs it). `npm start` does the same by itself.
 *
 * `npm run seed -- --sltd 10000000 [--notices N] [--alerts N]` then adds a large deterministic data set on top,
 * with COPY (db/seed/scale.ts), and prints rows/s.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { sltd: { type: 'string' }, notices: { type: 'string' }, alerts: { type: 'string' } },
  });
  const counts = {
    sltd: count(values.sltd, 'sltd'),
    notices: count(values.notices, 'notices'),
    alerts: count(values.alerts, 'alerts'),
  };
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL: is required (postgres://user:pass@host:5432/db)');
    process.exit(2);
  }
  await migrateAll(url);
  const summary = await seedDemoData(url, { production: process.env.NODE_ENV === 'production' });
  console.log(
    summary.skipped ? 'database already holds data: nothing seeded' : `seeded: ${JSON.stringify(summary)}`,
  );
  if (!counts.sltd && !counts.notices && !counts.alerts) return;
  let last = 0;
  const scale = await seedScale(url, {
    ...counts,
    onProgress: (table, rows) => {
      if (performance.now() - last < 5000) return;
      last = performance.now();
      console.log(`  ${table}: ${rows} rows`);
    },
  });
  printScale(scale);
}

function count(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} ${value}: a whole number of rows is expected`);
    process.exit(2);
  }
  return n;
}

function printScale(scale: ScaleSummary): void {
  for (const [table, s] of Object.entries(scale)) {
    if (!s) continue;
    console.log(
      s.skipped
        ? `${table}: already seeded with this seed, nothing written`
        : `${table}: ${s.rows} rows in ${s.seconds} s = ${s.rowsPerSecond} rows/s`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
