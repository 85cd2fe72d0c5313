import 'reflect-metadata';
import { describeMigrationReport, migrateAll, migrateEnvironment } from '../db/migrate-all';
import { ConfigError, loadConfig } from '../shared/config';

/**
 * `npm run migrate` (image: `node dist/scripts/migrate.js`): applies every pending migration of every schema to
 * DATABASE_URL and prints what it applied. Safe to run twice, or twice at once. docker-compose's `migrate`
 * service and the Kubernetes Job run it before the subgraphs start; they do not migrate in production.
 */
async function main(): Promise<void> {
  const env = loadConfig(migrateEnvironment);
  const started = performance.now();
  const report = await migrateAll(env.DATABASE_URL, {
    lockTimeoutMs: env.MIGRATE_LOCK_TIMEOUT_MS,
    onWaiting: () => console.log('another migration is running: waiting for it to finish'),
  });
  for (const line of describeMigrationReport(report)) console.log(line);
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
