import { migrateAll } from '../db/migrate-all';
import { createDatabase } from './database-server';

/**
 * A fresh, migrated, empty database on the test run's PostgreSQL server, for tests that need one of their own
 * (seeding, screening, retention...). `*.db.spec.ts` files and `test/*.e2e.ts` files run with that server.
 */
export async function createTestDatabase(prefix: string): Promise<string> {
  const adminUrl = process.env.HUB_TEST_ADMIN_URL;
  if (!adminUrl)
    throw new Error(
      'HUB_TEST_ADMIN_URL is not set: name the file *.db.spec.ts so it runs with the test database',
    );
  const url = await createDatabase(adminUrl, `${prefix}_${process.pid}_${Math.floor(Math.random() * 1e9)}`);
  await migrateAll(url);
  return url;
}
