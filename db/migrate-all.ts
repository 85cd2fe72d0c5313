import pg from 'pg';
import { z } from 'zod';
import { AUDIT_MIGRATIONS, AUDIT_SCHEMA } from '../shared/audit';
import { OUTBOX_MIGRATIONS, OUTBOX_SCHEMA } from '../shared/outbox/outbox';
import { SUBGRAPHS } from '../subgraphs';
import { createSubgraphDataSource, migrateSubgraph } from './data-source';
import { REPLICATION_MIGRATIONS, REPLICATION_SCHEMA } from './replication';
import { ensureExtensions } from './extensions';

/**
 * The one migrate step: brings a database up to date — the shared extensions, the audit trail and the outbox
 * (written by every subgraph), the read replicas' read-your-writes markers, then each subgraph's own migrations in its own schema. `npm run migrate` (the
 * docker-compose `migrate` service, the Kubernetes Job) runs it before any subgraph starts; `npm start`, the
 * tests and the seed run it too, and a subgraph process does when MIGRATE_ON_START says so.
 *
 * Any number of runs may start at once (a Job retried while the first still runs, several subgraphs migrating
 * at start): a session-level advisory lock lets one run at a time, and the next finds nothing left to apply.
 */
export const MIGRATION_LOCK_KEY = 4242000;

/** Environment of `npm run migrate` (see .env.example). */
export const migrateEnvironment = z.object({
  DATABASE_URL: z.string().url('must be a postgres:// URL'),
  // Long: the run holding the lock may be building an index on a large table.
  MIGRATE_LOCK_TIMEOUT_MS: z.coerce.number().int().min(1).max(86_400_000).default(600_000),
});
export const MIGRATE_VARIABLES = Object.keys(migrateEnvironment.shape);

export interface MigrationReport {
  /** Extensions created by this run. */
  extensions: string[];
  /** Per schema, in the order they were migrated: the migrations this run applied (empty: up to date). */
  schemas: { schema: string; applied: string[] }[];
}

export interface MigrateOptions {
  /** How long to wait for another run holding the lock before giving up (default 10 minutes). */
  lockTimeoutMs?: number;
  /** Told when another run holds the lock and this one starts waiting. */
  onWaiting?: () => void;
}

const LOCK_NOT_AVAILABLE = '55P03';

export async function migrateAll(url: string, options: MigrateOptions = {}): Promise<MigrationReport> {
  const lockTimeoutMs = options.lockTimeoutMs ?? 600_000;
  // The lock lives as long as this session: if the process dies, PostgreSQL releases it.
  const lock = new pg.Client({ connectionString: url, application_name: 'migrate' });
  await lock.connect();
  try {
    await acquireLock(lock, lockTimeoutMs, options.onWaiting);
    const extensions = await ensureExtensions(url);
    const audit = { schema: AUDIT_SCHEMA, entities: [], migrations: AUDIT_MIGRATIONS };
    const outbox = { schema: OUTBOX_SCHEMA, entities: [], migrations: OUTBOX_MIGRATIONS };
    const replication = { schema: REPLICATION_SCHEMA, entities: [], migrations: REPLICATION_MIGRATIONS };
    const schemas: MigrationReport['schemas'] = [];
    for (const module of [audit, outbox, replication, ...SUBGRAPHS.map((s) => s.module)]) {
      const db = createSubgraphDataSource({
        url,
        schema: module.schema,
        entities: module.entities,
        migrations: module.migrations,
        // No statement or idle limit: building an index on a large table takes as long as it takes.
        pool: { size: 1, statementTimeoutMs: 0, idleInTransactionTimeoutMs: 0 },
        applicationName: 'migrate',
      });
      try {
        schemas.push({ schema: module.schema, applied: await migrateSubgraph(db, module.schema) });
      } finally {
        if (db.isInitialized) await db.destroy();
      }
    }
    return { extensions, schemas };
  } finally {
    await lock.end();
  }
}

async function acquireLock(lock: pg.Client, timeoutMs: number, onWaiting?: () => void): Promise<void> {
  const free = await lock.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
    MIGRATION_LOCK_KEY,
  ]);
  if (free.rows[0].locked) return;
  onWaiting?.();
  await lock.query(`SELECT set_config('lock_timeout', $1, false)`, [`${timeoutMs}ms`]);
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  } catch (error) {
    if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE)
      throw new Error(
        `another migration has held the migration lock for over ${timeoutMs} ms; try again later`,
        { cause: error },
      );
    throw error;
  }
  await lock.query(`SELECT set_config('lock_timeout', '0', false)`);
}

/** The report as lines for a person: what was applied, or that there was nothing to do. */
export function describeMigrationReport(report: MigrationReport): string[] {
  const lines: string[] = [];
  if (report.extensions.length > 0) lines.push(`extensions created: ${report.extensions.join(', ')}`);
  for (const { schema, applied } of report.schemas) {
    lines.push(applied.length === 0 ? `${schema}: up to date` : `${schema}: applied ${applied.join(', ')}`);
  }
  const total = report.schemas.reduce((sum, s) => sum + s.applied.length, 0);
  lines.push(total === 0 ? 'nothing to apply: the database is up to date' : `${total} migrations applied`);
  return lines;
}
