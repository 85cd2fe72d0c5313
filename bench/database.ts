import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, temporaryDataDir, type EmbeddedDatabase } from '../db/embedded-postgres';
import { migrateAll } from '../db/migrate-all';
import { seedDemoData } from '../db/seed/demo-data';
import { fillSltdRecords, type BulkSltdResult } from './sltd-bulk';

/**
 * The benchmark's database: a throw-away embedded PostgreSQL (or BENCH_DATABASE_URL, an empty database), every
 * migration, the demo seed, SLTD records up to the requested size, and pg_stat_statements for counting
 * statements.
 */
export interface BenchDatabase {
  url: string;
  /** The postmaster's pid, when the server runs on this machine (memory sampling); null otherwise. */
  postmasterPid: number | null;
  /**
   * Stops PostgreSQL and starts it again on the same port and data (the chaos run); null for BENCH_DATABASE_URL,
   * a server the bench does not own.
   */
  server: { stop(): Promise<void>; start(): Promise<void> } | null;
  sltd: BulkSltdResult;
  timings: Record<string, number>;
  stop(): Promise<void>;
}

export async function startBenchDatabase(
  sltdTotal: number,
  log: (line: string) => void,
): Promise<BenchDatabase> {
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await work();
    timings[name] = Math.round(performance.now() - started);
    log(`${name}: ${(timings[name] / 1000).toFixed(1)} s`);
    return result;
  };
  let url = process.env.BENCH_DATABASE_URL;
  let postmasterPid: number | null = null;
  let stop = async () => undefined as void;
  let control: BenchDatabase['server'] = null;
  if (!url) {
    const dataDir = path.join(temporaryDataDir('hub-bench-'), 'pg');
    // Persistent, so that a stop keeps the data for the next start; the folder goes when the run ends.
    const start = (port?: number) =>
      startEmbeddedPostgres({ dataDir, port, persistent: true, database: 'bench' });
    let server: EmbeddedDatabase | null = await timed('start PostgreSQL', () => start());
    url = server.url;
    const port = Number(new URL(url).port);
    postmasterPid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    control = {
      stop: async () => {
        await server?.stop();
        server = null;
      },
      start: async () => {
        server ??= await start(port);
      },
    };
    stop = async () => {
      await server?.stop();
      fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
    };
  }
  const databaseUrl = url;
  try {
    await timed('migrate', () => migrateAll(databaseUrl));
    await timed('demo seed', () => seedDemoData(databaseUrl));
    const sltd = await timed(`SLTD records up to ${sltdTotal.toLocaleString('en')}`, () =>
      fillSltdRecords(databaseUrl, sltdTotal, log),
    );
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      await client.query('VACUUM ANALYZE');
    } finally {
      await client.end();
    }
    return { url: databaseUrl, postmasterPid, server: control, sltd, timings, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** One relation's size on disk: `sltd.records` (heap, TOAST and indexes together as total) or one of its indexes. */
export interface RelationSize {
  relation: string;
  kind: 'table' | 'index';
  /** pg_relation_size: the main fork alone (the heap, or the index). */
  bytes: number;
  /** pg_total_relation_size for the table (heap + TOAST + every index); the index's own size for an index. */
  totalBytes: number;
}

/**
 * Sizes of `sltd.records` and each of its indexes, so docs/operations.md can extrapolate disk and memory to the
 * SLTD's real size from measured bytes per row rather than from guesses.
 */
export async function sltdRelationSizes(client: pg.ClientBase): Promise<RelationSize[]> {
  const { rows } = await client.query<{
    relation: string;
    kind: 'table' | 'index';
    bytes: string;
    total: string;
  }>(
    `SELECT 'sltd.records' AS relation, 'table' AS kind,
            pg_relation_size('sltd.records') AS bytes, pg_total_relation_size('sltd.records') AS total
     UNION ALL
     SELECT i.indexrelid::regclass::text, 'index', pg_relation_size(i.indexrelid), pg_relation_size(i.indexrelid)
       FROM pg_index i
      WHERE i.indrelid = 'sltd.records'::regclass`,
  );
  return rows.map((r) => ({
    relation: r.relation,
    kind: r.kind,
    bytes: Number(r.bytes),
    totalBytes: Number(r.total),
  }));
}
