import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import type { QueryRunner } from 'typeorm';
import { startEmbeddedPostgres, temporaryDataDir } from '../db/embedded-postgres';
import { AUDIT_MIGRATIONS, AUDIT_SCHEMA, AuditSealer, DEV_AUDIT_CHAIN, RequestAudit } from '../shared/audit';

/**
 * `npm run bench:audit`: the audit write alone, as a border check makes it (one flush of a CHECK and a HIT row),
 * from 20 concurrent writers for 5 s, under the old chain (a trigger hashing each row under one global lock) and
 * the keyed chain (no lock; a sealer linking rows in the same process meanwhile), twice each, alternating. Prints
 * audited requests per second and how far the sealer was behind when the load stopped.
 */
const WRITERS = 20;
const SECONDS = 5;

async function run(admin: pg.Client, base: URL, mode: 'old' | 'keyed'): Promise<string> {
  const name = `audit_${mode}_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  // The audit migrations alone, on a plain connection (they only send SQL).
  const migrations = mode === 'old' ? AUDIT_MIGRATIONS.slice(0, 2) : AUDIT_MIGRATIONS;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  await client.query(`CREATE SCHEMA ${AUDIT_SCHEMA}`);
  const runner = { query: (sql: string) => client.query(sql).then((result) => result.rows) };
  for (const Migration of migrations) await new Migration().up(runner as unknown as QueryRunner);
  await client.end();
  const pool = new pg.Pool({ connectionString: url.toString(), max: WRITERS });
  const sealer =
    mode === 'keyed'
      ? new AuditSealer({
          databaseUrl: url.toString(),
          keys: DEV_AUDIT_CHAIN,
          intervalMs: 250,
          batchSize: 2000,
          log: pino({ level: 'silent' }),
        }).start()
      : null;
  let requests = 0;
  const end = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, writer) => {
      while (Date.now() < end) {
        const audit = new RequestAudit('travel-documents', `bench-${writer}-${requests}`, {
          clientId: 'bp-fra',
          agencyId: null,
        });
        audit.record({
          action: 'CHECK',
          recordType: 'TravelDocument',
          recordId: 'UTO/L898902C3',
          fields: ['verdict'],
        });
        audit.record({ action: 'HIT', recordType: 'SltdRecord', recordId: 'r', fields: ['hit:h'] });
        await audit.flush(pool);
        requests += 1;
      }
    }),
  );
  let sealing = '';
  if (sealer) {
    const behind = await pool.query<{ n: string }>(
      'SELECT (SELECT count(*) FROM audit.entries) - (SELECT count(*) FROM audit.seals) AS n',
    );
    const started = Date.now();
    await sealer.sealNow(60_000);
    sealing = `; ${behind.rows[0].n} rows not sealed yet when the load stopped, all sealed ${Date.now() - started} ms later`;
    await sealer.stop();
  }
  await pool.end();
  return `${mode.padEnd(5)} ${Math.round(requests / SECONDS)} audited requests/s${sealing}`;
}

async function main(): Promise<void> {
  const server = await startEmbeddedPostgres({
    dataDir: path.join(temporaryDataDir('hub-bench-audit-'), 'pg'),
    database: 'bench',
    persistent: false,
  });
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    console.log(`audit write, ${WRITERS} writers, ${SECONDS} s each (a check's flush: 2 rows)`);
    for (const mode of ['old', 'keyed', 'old', 'keyed'] as const)
      console.log(await run(admin, new URL(server.url), mode));
  } finally {
    await admin.end();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
