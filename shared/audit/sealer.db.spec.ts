import pg from 'pg';
import pino from 'pino';
import { createSubgraphDataSource, migrateSubgraph } from '../../db/data-source';
import { createDatabase } from '../../test/database-server';
import { AUDIT_MIGRATIONS, AUDIT_SCHEMA, AuditSealer, DEV_AUDIT_CHAIN, verifyAuditChain } from '.';

/**
 * The sealer's cost per row must not grow with the trail. Its connection lives as long as the process, so the
 * plans of its statements and of the foreign-key checks of its INSERT into audit.seals are made once; on a fresh
 * database (audit tables analyzed while empty, as after migrations and a VACUUM ANALYZE) those plans were
 * sequential scans, and every link read both tables whole until the next autoanalyze (bench/README.md, "Where the
 * time goes", item 12).
 */
async function freshAuditDatabase(): Promise<string> {
  const url = await createDatabase(
    process.env.HUB_TEST_ADMIN_URL as string,
    `sealer_scans_${process.pid}_${Math.floor(Math.random() * 1e9)}`,
  );
  const db = createSubgraphDataSource({
    url,
    schema: AUDIT_SCHEMA,
    entities: [],
    migrations: AUDIT_MIGRATIONS,
    pool: { size: 1 },
  });
  try {
    await migrateSubgraph(db, AUDIT_SCHEMA);
  } finally {
    if (db.isInitialized) await db.destroy();
  }
  return url;
}

const insertRows = (client: pg.Client, rows: number) =>
  client.query(
    `INSERT INTO audit.entries (request_id, subgraph, action, record_type, record_ids)
     SELECT 'request-' || g, 'travel-documents', 'CHECK', 'TravelDocument', '{}' FROM generate_series(1, $1) g`,
    [rows],
  );

/** Rows read by sequential scans of the audit tables so far, as the backends have reported them. */
async function auditSeqScanRows(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ rows: string }>(
    `SELECT coalesce(sum(seq_tup_read), 0)::text AS rows FROM pg_stat_user_tables WHERE schemaname = 'audit'`,
  );
  return Number(rows[0].rows);
}

test('sealing a trail that grew from empty reads its rows by key, not by scanning the audit tables', async () => {
  const url = await freshAuditDatabase();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const sealer = new AuditSealer({
    databaseUrl: url,
    keys: DEV_AUDIT_CHAIN,
    intervalMs: 60_000,
    batchSize: 50,
    log: pino({ level: 'silent' }),
  });
  try {
    await client.query('VACUUM ANALYZE audit.entries, audit.seals');
    // The first links are sealed while the tables are all but empty: the sealer's plans are made now, and kept.
    for (let i = 0; i < 8; i += 1) {
      await insertRows(client, 1);
      expect(await sealer.sealNow()).toBe(1);
    }
    await insertRows(client, 2_000);
    expect(await sealer.sealNow()).toBe(2_000);
    // A backend reports its statistics when its connection ends: stop the sealer, then read what it scanned.
    await sealer.stop();
    // 40 batches of 50 links: with scans, each link's two foreign-key checks read about 1,000 rows each.
    let scanned = 0;
    for (let waited = 0; waited < 3_000 && scanned < 1_000; waited += 200) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      scanned = await auditSeqScanRows(client);
    }
    expect(scanned).toBeLessThan(1_000);
    const query = (sql: string, params: unknown[]) => client.query(sql, params).then((r) => r.rows);
    expect(await verifyAuditChain(query, DEV_AUDIT_CHAIN)).toMatchObject({
      rows: 2_008,
      sealed: 2_008,
      unsealed: 0,
      firstBrokenSeq: null,
    });
  } finally {
    await sealer.stop();
    await client.end();
  }
});
