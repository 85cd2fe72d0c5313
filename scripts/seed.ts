import 'reflect-metadata';
import { migrateAll } from '../db/migrate-all';
import { seedDemoData } from '../db/seed/demo-data';

/**
 * `npm run seed`: migrates DATABASE_URL and loads the deterministic demo data set when the database is empty
 * (docker-compose's `seed` service runs it). `npm start` does the same by itself.
 */
async function main(): Promise<void> {
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
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
