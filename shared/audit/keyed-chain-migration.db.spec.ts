import pg from 'pg';
import pino from 'pino';
import { createSubgraphDataSource, migrateSubgraph } from '../../db/data-source';
import { createDatabase } from '../../test/database-server';
import { AUDIT_MIGRATIONS, AUDIT_SCHEMA, AuditSealer, DEV_AUDIT_CHAIN, verifyAuditChain } from '.';

/**
 * A trail written under the old sha256 trigger, migrated to the keyed chain: its rows keep their seq, new rows
 * continue after them, and the first sealer links the old rows too. A trail that already fails the old chain is
 * not sealed over: the migration stops.
 */
async function migrateAudit(url: string, migrations: typeof AUDIT_MIGRATIONS): Promise<void> {
  const db = createSubgraphDataSource({
    url,
    schema: AUDIT_SCHEMA,
    entities: [],
    migrations,
    pool: { size: 1 },
  });
  try {
    await migrateSubgraph(db, AUDIT_SCHEMA);
  } finally {
    if (db.isInitialized) await db.destroy();
  }
}

async function legacyTrail(rows: number): Promise<{ url: string; client: pg.Client }> {
  const adminUrl = process.env.HUB_TEST_ADMIN_URL as string;
  const url = await createDatabase(
    adminUrl,
    `legacy_audit_${process.pid}_${Math.floor(Math.random() * 1e9)}`,
  );
  await migrateAudit(url, AUDIT_MIGRATIONS.slice(0, 2));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (let i = 0; i < rows; i += 1) await insert(client, `legacy-${i}`);
  return { url, client };
}

const insert = (client: pg.Client, requestId: string) =>
  client.query(
    `INSERT INTO audit.entries (request_id, subgraph, action, record_type, record_ids, details)
     VALUES ($1, 'notices', 'READ', 'Notice', '{n1}', '{"b": 1, "a": [true, null]}') RETURNING seq::int`,
    [requestId],
  );

test('old rows keep their places, new ones follow, and the first sealer links them all', async () => {
  const { url, client } = await legacyTrail(3);
  try {
    await migrateAudit(url, AUDIT_MIGRATIONS);
    expect((await insert(client, 'keyed')).rows).toEqual([{ seq: 4 }]);
    const sealer = new AuditSealer({
      databaseUrl: url,
      keys: DEV_AUDIT_CHAIN,
      intervalMs: 10,
      batchSize: 100,
      log: pino({ level: 'silent' }),
    });
    try {
      expect(await sealer.sealNow()).toBe(4);
    } finally {
      await sealer.stop();
    }
    const query = (sql: string, params: unknown[]) => client.query(sql, params).then((r) => r.rows);
    expect(await verifyAuditChain(query, DEV_AUDIT_CHAIN)).toEqual({
      rows: 4,
      sealed: 4,
      unsealed: 0,
      firstBrokenSeq: null,
      reason: null,
      head: { seq: 4, keyId: 'dev', link: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
  } finally {
    await client.end();
  }
});

test('a trail that already fails the sha256 chain stops the migration', async () => {
  const { url, client } = await legacyTrail(3);
  try {
    await client.query('ALTER TABLE audit.entries DISABLE TRIGGER entries_append_only');
    await client.query(`UPDATE audit.entries SET client_id = 'someone-else' WHERE seq = 2`);
    await expect(migrateAudit(url, AUDIT_MIGRATIONS)).rejects.toThrow(
      'audit trail broken at seq 2 (sha256 chain): investigate before sealing it with a key',
    );
  } finally {
    await client.end();
  }
});
