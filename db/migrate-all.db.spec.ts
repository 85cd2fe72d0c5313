import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { AUDIT_MIGRATIONS } from '../shared/audit';
import { OUTBOX_MIGRATIONS } from '../shared/outbox/outbox';
import { REPLICATION_MIGRATIONS } from './replication';
import { SUBGRAPHS } from '../subgraphs';
import { createDatabase } from '../test/database-server';
import { REQUIRED_EXTENSIONS } from './extensions';
import { describeMigrationReport, migrateAll, MIGRATION_LOCK_KEY, type MigrationReport } from './migrate-all';

/** The one migrate step on fresh, empty databases of the test run's server. */
const run = promisify(execFile);

const EXPECTED: Record<string, string[]> = {
  audit: AUDIT_MIGRATIONS.map((m) => m.name),
  outbox: OUTBOX_MIGRATIONS.map((m) => m.name),
  replication: REPLICATION_MIGRATIONS.map((m) => m.name),
  ...Object.fromEntries(SUBGRAPHS.map((s) => [s.module.schema, s.module.migrations.map((m) => m.name)])),
};

async function freshDatabase(): Promise<string> {
  const adminUrl = process.env.HUB_TEST_ADMIN_URL;
  if (!adminUrl) throw new Error('HUB_TEST_ADMIN_URL is not set: run through jest');
  return createDatabase(adminUrl, `migrate_${process.pid}_${Math.floor(Math.random() * 1e9)}`);
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Every row of every schema's migrations table, as `schema: name`. */
async function appliedRows(url: string): Promise<string[]> {
  return withClient(url, async (client) => {
    const rows: string[] = [];
    for (const schema of Object.keys(EXPECTED)) {
      const result = await client.query<{ name: string }>(
        `SELECT name FROM "${schema}".migrations ORDER BY id`,
      );
      rows.push(...result.rows.map((row) => `${schema}: ${row.name}`));
    }
    return rows;
  });
}

const everything = Object.entries(EXPECTED).flatMap(([schema, names]) => names.map((n) => `${schema}: ${n}`));
const appliedBy = (report: MigrationReport) =>
  report.schemas.flatMap(({ schema, applied }) => applied.map((n) => `${schema}: ${n}`));

describe('migrateAll (npm run migrate)', () => {
  test('two runs at once: one applies every migration of every schema, the other waits and finds none left', async () => {
    const url = await freshDatabase();
    const waited: number[] = [];
    const reports = await Promise.all(
      [0, 1].map((i) => migrateAll(url, { onWaiting: () => waited.push(i) })),
    );
    const [first, second] = reports[0].extensions.length > 0 ? reports : [reports[1], reports[0]];
    expect(first.extensions.sort()).toEqual([...REQUIRED_EXTENSIONS].sort());
    expect(appliedBy(first)).toEqual(everything);
    expect(second).toEqual({
      extensions: [],
      schemas: Object.keys(EXPECTED).map((schema) => ({ schema, applied: [] })),
    });
    expect(waited).toHaveLength(1);
    // Each migration is recorded once, and the schemas every subgraph writes to exist.
    expect(await appliedRows(url)).toEqual(everything);
    const tables = await withClient(url, (client) =>
      client.query(`SELECT to_regclass('audit.entries') AS audit, to_regclass('outbox.events') AS outbox`),
    );
    expect(tables.rows[0]).toEqual({ audit: 'audit.entries', outbox: 'outbox.events' });
    expect(describeMigrationReport(second).at(-1)).toBe('nothing to apply: the database is up to date');
    expect(describeMigrationReport(first)).toEqual([
      `extensions created: ${first.extensions.join(', ')}`,
      ...Object.entries(EXPECTED).map(([schema, names]) => `${schema}: applied ${names.join(', ')}`),
      `${everything.length} migrations applied`,
    ]);
  });

  test('gives up after its lock timeout while another run holds the lock, having changed nothing', async () => {
    const url = await freshDatabase();
    await withClient(url, async (holder) => {
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      await expect(migrateAll(url, { lockTimeoutMs: 200 })).rejects.toThrow(
        'another migration has held the migration lock for over 200 ms; try again later',
      );
      const schemas = await holder.query(
        `SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = ANY($1)`,
        [Object.keys(EXPECTED)],
      );
      expect(schemas.rows[0].n).toBe(0);
    });
  });

  test('the command prints what it applied, then that nothing is left; without DATABASE_URL it names it', async () => {
    const url = await freshDatabase();
    const migrate = (env: Record<string, string>) =>
      run(process.execPath, ['-r', '@swc-node/register', 'scripts/migrate.ts'], {
        env: { PATH: process.env.PATH, ...env },
        timeout: 60_000,
      });
    const first = await migrate({ DATABASE_URL: url });
    expect(first.stdout).toContain(`audit: applied ${EXPECTED.audit.join(', ')}`);
    expect(first.stdout).toContain(`sltd: applied ${EXPECTED.sltd.join(', ')}`);
    expect(first.stdout).toContain(`${everything.length} migrations applied`);
    const again = await migrate({ DATABASE_URL: url });
    expect(again.stdout).toContain('sltd: up to date');
    expect(again.stdout).toContain('nothing to apply: the database is up to date');
    await expect(migrate({})).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('DATABASE_URL:'),
    });
  });
});
