import 'reflect-metadata';
import pg from 'pg';
import { startEmbeddedPostgres, temporaryDataDir } from '../db/embedded-postgres';
import { migrateAll } from '../db/migrate-all';
import { seedDemoData } from '../db/seed/demo-data';
import { generateSigningJwk } from '../subgraphs/partner-agencies/oauth/signing-key';

/**
 * Once per `npm test`: a real PostgreSQL (embedded, or a fresh database on TEST_DATABASE_URL's server),
 * migrated and seeded with the demo data, shared by every test file through environment variables.
 */
declare global {
  var __hubTestDatabase: { stop(): Promise<void> } | undefined;
}

export default async function globalSetup(): Promise<void> {
  let url: string;
  if (process.env.TEST_DATABASE_URL) {
    url = await createFreshDatabase(process.env.TEST_DATABASE_URL);
  } else {
    const database = await startEmbeddedPostgres({ dataDir: temporaryDataDir('hub-test-'), port: 0, persistent: false });
    globalThis.__hubTestDatabase = database;
    url = database.url;
  }
  await migrateAll(url);
  await seedDemoData(url);
  process.env.HUB_TEST_DATABASE_URL = url;
  process.env.HUB_TEST_SIGNING_KEY = JSON.stringify(await generateSigningJwk('test-key'));
}

async function createFreshDatabase(serverUrl: string): Promise<string> {
  const name = `hub_test_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  globalThis.__hubTestDatabase = {
    stop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
  return url.toString();
}
