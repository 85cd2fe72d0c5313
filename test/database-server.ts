import 'reflect-metadata';
import pg from 'pg';
import { startEmbeddedPostgres, temporaryDataDir } from '../db/embedded-postgres';
import { migrateAll } from '../db/migrate-all';
import { seedDemoData } from '../db/seed/demo-data';
import { generateSigningJwk } from '../subgraphs/partner-agencies/oauth/signing-key';

/**
 * The test run's PostgreSQL, as a program of its own (started by test/global-setup.ts): an embedded server, or a
 * fresh database on TEST_DATABASE_URL's server; migrated and seeded with the demo data. It prints one JSON line
 * with the URLs, then keeps the server until SIGTERM. Running apart from Jest keeps the ES-module-only packages
 * (embedded-postgres) out of Jest's module system.
 */
async function main(): Promise<void> {
  let adminUrl: string;
  let stop: () => Promise<void>;
  if (process.env.TEST_DATABASE_URL) {
    adminUrl = process.env.TEST_DATABASE_URL;
    stop = async () => undefined;
  } else {
    const server = await startEmbeddedPostgres({
      dataDir: temporaryDataDir('hub-test-'),
      port: 0,
      persistent: false,
      database: 'postgres',
    });
    adminUrl = server.url;
    stop = () => server.stop();
  }
  const name = `hub_test_${process.pid}`;
  const url = await createDatabase(adminUrl, name);
  await migrateAll(url);
  const seed = await seedDemoData(url);
  const signingKey = await generateSigningJwk('test-key');
  process.stdout.write(`${JSON.stringify({ url, adminUrl, signingKey, seed })}\n`);

  const shutdown = async () => {
    await dropDatabase(adminUrl, name).catch(() => undefined);
    await stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
  // Stop with the test run even if it dies without a word.
  process.stdin.on('end', () => void shutdown());
  process.stdin.resume();
}

export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
