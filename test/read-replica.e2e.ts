import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import pg from 'pg';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { freePort } from '../db/embedded-postgres';
import { createSubgraphDataSource } from '../db/data-source';
import { ReadRouter } from '../db/read-router';
import { SPECIMEN_MRZ } from './contract';
import { startSubgraphProcess, waitUntil, type SubgraphProcess } from './fault-injection';
import { startTestHub, TEST_AUDIENCE, TEST_ISSUER, type TestHub } from './hub';

/**
 * Read replicas for real (docs/operations.md, "Read replicas"): two PostgreSQL servers in streaming replication
 * (test/replicated-database.ts). travel-documents runs as its own process with DATABASE_READ_URL, as a container
 * does; the other subgraphs and the gateway run in this one with the same replica. While the standby's replay is
 * paused, the standby lacks every change made since: a check that answers NO_HIT for a document the primary holds
 * was answered from the replica, and an agency that reads back what it just wrote is answered from the primary.
 */
const ROOT = path.resolve(__dirname, '..');
const CHECK = `query Check($documents: [DocumentCheckInput!]!) {
  checkDocuments(input: $documents) { verdict document { documentNumber sltdRecord { id } } hit { id status } }
}`;
const REPORT = `mutation Report($input: ReportTravelDocumentInput!) { reportTravelDocument(input: $input) { id } }`;
const RECORD = `query Record($id: ID!) { sltdRecord(id: $id) { id documentNumber status } }`;
const CHECKER_HITS = `{ hits(filter: { side: CHECKER }, first: 50) { edges { node { id status record { documentNumber } } } } }`;

/** A document only ncb-uto reports during the test: on the primary at once, on the standby once it replays. */
const REPORTED = { issuingCountry: 'UTO', documentNumber: 'RPL240001', documentType: 'PASSPORT' };
const SPECIMEN = { mrz: SPECIMEN_MRZ };
const reported = { issuingCountry: REPORTED.issuingCountry, documentNumber: REPORTED.documentNumber };

interface ReplicatedDatabase {
  url: string;
  readUrl: string;
  stopStandby(): Promise<void>;
  close(): Promise<void>;
}

async function startReplicatedDatabase(): Promise<ReplicatedDatabase> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'test/replicated-database.ts'], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = readline.createInterface({ input: child.stdout });
  const replies: ((line: Record<string, unknown>) => void)[] = [];
  lines.on('line', (line) => replies.shift()?.(JSON.parse(line) as Record<string, unknown>));
  const next = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      replies.push(resolve);
      void exited.then(() => reject(new Error('the replicated database exited')));
    });
  const ready = await next();
  return {
    url: String(ready.url),
    readUrl: String(ready.readUrl),
    stopStandby: async () => {
      const reply = next();
      child.stdin.write('stop-standby\n');
      await reply;
    },
    close: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

let database: ReplicatedDatabase;
let hub: TestHub;
let travelDocuments: SubgraphProcess;
let primary: pg.Client;
let replica: pg.Client;
let metricsPort: number;
const agencyOf: Record<string, string> = {};

/** Waits until the standby has replayed everything the primary has written so far. */
async function replicaCaughtUp(): Promise<void> {
  const { rows } = await primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  await waitUntil(
    async () =>
      (
        await replica.query<{ done: boolean }>('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done', [
          rows[0].lsn,
        ])
      ).rows[0].done,
    30_000,
  );
}

async function pauseReplay(): Promise<void> {
  await replica.query('SELECT pg_wal_replay_pause()');
  await waitUntil(
    async () =>
      (await replica.query<{ state: string }>('SELECT pg_get_wal_replay_pause_state() AS state')).rows[0]
        .state === 'paused',
    30_000,
  );
}

const verdicts = (body: { data?: Record<string, unknown> | null }) =>
  (body.data?.checkDocuments as { verdict: string }[]).map((r) => r.verdict);

beforeAll(async () => {
  database = await startReplicatedDatabase();
  primary = new pg.Client({ connectionString: database.url });
  replica = new pg.Client({ connectionString: database.readUrl });
  await Promise.all([primary.connect(), replica.connect()]);
  const agencies = await primary.query<{ client_id: string; agency_id: string }>(
    `SELECT client_id, agency_id FROM partners.api_clients WHERE client_id IN ('ncb-usa', 'ncb-uto', 'ncb-fra')`,
  );
  for (const row of agencies.rows) agencyOf[row.client_id] = row.agency_id;
  const replicaSettings = { url: database.readUrl, maxLagMs: 600_000, checkIntervalMs: 100 };
  const port = await freePort();
  metricsPort = await freePort();
  hub = await startTestHub({
    databaseUrl: database.url,
    readReplica: replicaSettings,
    externalSubgraphs: { 'travel-documents': `http://127.0.0.1:${port}/graphql` },
  });
  const base = hub.hub.gatewayUrl.replace(/\/graphql$/, '');
  travelDocuments = await startSubgraphProcess({
    name: 'travel-documents',
    port,
    databaseUrl: database.url,
    jwksUrl: `${base}/.well-known/jwks.json`,
    issuer: TEST_ISSUER,
    audience: TEST_AUDIENCE,
    env: {
      DATABASE_READ_URL: database.readUrl,
      // Paused replay is the point of the test: the lag bound is far beyond it (its own test below).
      DB_READ_MAX_LAG_MS: String(replicaSettings.maxLagMs),
      DB_READ_CHECK_INTERVAL_MS: String(replicaSettings.checkIntervalMs),
      METRICS_HOST: '127.0.0.1',
      METRICS_PORT: String(metricsPort),
    },
  });
  // Tokens first: the token endpoint writes (its throttle and audit) like any other request.
  await Promise.all(['ncb-usa', 'ncb-uto', 'ncb-fra'].map((id) => hub.token(id)));
  await replicaCaughtUp();
  await pauseReplay();
}, 120_000);

afterAll(async () => {
  await travelDocuments?.stop();
  await hub?.stop();
  await primary?.end();
  await replica?.end().catch(() => undefined);
  await database?.close();
});

describe('with the replica paused', () => {
  let recordId: string;
  let hitId: string;

  test('a record reported by ncb-uto is on the primary only', async () => {
    const response = await hub.graphql('ncb-uto', REPORT, {
      input: { ...REPORTED, status: 'STOLEN', theftCountry: 'FRA', theftDate: '2026-10-01' },
    });
    if (!response.body.data?.reportTravelDocument) throw new Error(JSON.stringify(response.body));
    recordId = (response.body.data.reportTravelDocument as { id: string }).id;
    expect(response.body).toEqual({ data: { reportTravelDocument: { id: recordId } } });
    const query = 'SELECT count(*)::int AS n FROM sltd.records WHERE id = $1';
    expect((await primary.query(query, [recordId])).rows).toEqual([{ n: 1 }]);
    expect((await replica.query(query, [recordId])).rows).toEqual([{ n: 0 }]);
  });

  test('a check by ncb-usa is answered from the replica: the specimen is a HIT, the record only the primary holds is not', async () => {
    const response = await hub.graphql('ncb-usa', CHECK, { documents: [SPECIMEN, reported] });
    const results = response.body.data?.checkDocuments as { hit: { id: string } | null }[];
    hitId = results[0].hit!.id;
    expect(response.body).toEqual({
      data: {
        checkDocuments: [
          {
            verdict: 'HIT',
            document: { documentNumber: 'L898902C3', sltdRecord: { id: expect.any(String) } },
            hit: { id: hitId, status: 'PENDING' },
          },
          {
            verdict: 'NO_HIT',
            document: { documentNumber: REPORTED.documentNumber, sltdRecord: null },
            hit: null,
          },
        ],
      },
    });
  });

  test('its hit and its audit rows are written on the primary (the paused replica has neither)', async () => {
    const hit = 'SELECT checked_by_agency_id AS agency FROM sltd.hits WHERE id = $1';
    expect((await primary.query(hit, [hitId])).rows).toEqual([{ agency: agencyOf['ncb-usa'] }]);
    expect((await replica.query(hit, [hitId])).rows).toEqual([]);
    const audit = `SELECT action FROM audit.entries WHERE agency_id = $1 AND action IN ('CHECK', 'HIT') ORDER BY action`;
    expect((await primary.query(audit, [agencyOf['ncb-usa']])).rows).toEqual([
      { action: 'CHECK' },
      { action: 'HIT' },
    ]);
    expect((await replica.query(audit, [agencyOf['ncb-usa']])).rows).toEqual([]);
    // The agency's read-your-writes marker: the primary's WAL position after the hit committed.
    const marker = await primary.query(
      'SELECT lsn > $2::pg_lsn AS after_replay FROM replication.agency_writes WHERE agency_id = $1',
      [
        agencyOf['ncb-usa'],
        (await replica.query('SELECT pg_last_wal_replay_lsn()::text AS lsn')).rows[0].lsn,
      ],
    );
    expect(marker.rows).toEqual([{ after_replay: true }]);
  });

  test('ncb-usa reads its own hit back at once: served from the primary', async () => {
    const response = await hub.graphql('ncb-usa', CHECKER_HITS);
    expect(response.body.errors).toBeUndefined();
    const edges = (response.body.data?.hits as { edges: { node: { id: string } }[] }).edges;
    expect(edges.map((e) => e.node)).toContainEqual({
      id: hitId,
      status: 'PENDING',
      record: { documentNumber: 'L898902C3' },
    });
  });

  test('ncb-uto reads the record it just reported: served from the primary', async () => {
    const response = await hub.graphql('ncb-uto', RECORD, { id: recordId });
    expect(response.body).toEqual({
      data: { sltdRecord: { id: recordId, documentNumber: REPORTED.documentNumber, status: 'STOLEN' } },
    });
  });

  test("after its own write, ncb-usa's next check reads the primary too; ncb-fra, which wrote nothing, still reads the replica", async () => {
    const usa = await hub.graphql('ncb-usa', CHECK, { documents: [reported] });
    expect(verdicts(usa.body)).toEqual(['HIT']);
    const fra = await hub.graphql('ncb-fra', RECORD, { id: recordId });
    expect(fra.body).toEqual({ data: { sltdRecord: null } });
  });
});

describe('travel-documents’ metrics', () => {
  test('count the reads sent to each server, and show the replica in use', async () => {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const value = (series: string) =>
      Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
    // The checks before ncb-usa's hit and ncb-fra's look-up went to the replica; the agencies' reads after their
    // own changes, to the primary.
    expect(value('hub_db_reads_total{service="travel-documents",target="replica"}')).toBeGreaterThanOrEqual(
      2,
    );
    expect(value('hub_db_reads_total{service="travel-documents",target="primary"}')).toBeGreaterThanOrEqual(
      3,
    );
    expect(value('hub_db_replica_in_use{service="travel-documents"}')).toBe(1);
    expect(value('hub_sql_statements_total{service="travel-documents-replica"}')).toBeGreaterThan(0);
  });
});

describe('once the replica replays again', () => {
  test('ncb-fra sees the record too', async () => {
    await replica.query('SELECT pg_wal_replay_resume()');
    await replicaCaughtUp();
    const fra = await hub.graphql('ncb-fra', RECORD, { id: (await recordIdOf(REPORTED.documentNumber))! });
    expect(fra.body.data?.sltdRecord).toMatchObject({ documentNumber: REPORTED.documentNumber });
  });
});

async function recordIdOf(documentNumber: string): Promise<string | undefined> {
  const { rows } = await primary.query<{ id: string }>(
    'SELECT id FROM sltd.records WHERE document_number = $1',
    [documentNumber],
  );
  return rows[0]?.id;
}

describe('a replica that lags past the bound, or is gone, is left alone', () => {
  let router: ReadRouter;
  let primaryDb: DataSource;
  let replicaDb: DataSource;

  beforeAll(async () => {
    const source = (url: string) =>
      createSubgraphDataSource({ url, schema: 'sltd', entities: [], migrations: [], pool: { size: 2 } });
    primaryDb = source(database.url);
    replicaDb = source(database.readUrl);
    await primaryDb.initialize();
    router = new ReadRouter(
      primaryDb,
      replicaDb,
      { maxLagMs: 300, checkIntervalMs: 50 },
      pino({ level: 'silent' }),
    );
    await router.start();
  });
  afterAll(async () => {
    await router?.stop();
    await primaryDb?.destroy();
  });

  test('lagging: every read goes to the primary until the replica has caught up', async () => {
    await waitUntil(async () => router.status.state === 'ready', 30_000);
    expect(await router.readerFor(null)).toBe(replicaDb);
    await pauseReplay();
    // WAL the paused standby does not replay.
    await primary.query(`SELECT pg_logical_emit_message(false, 'read-replica-test', 'lag')`);
    await waitUntil(async () => router.status.state === 'lagging', 30_000);
    expect(await router.readerFor(null)).toBe(primaryDb);
    expect(await router.readerFor(agencyOf['ncb-fra'])).toBe(primaryDb);
    await replica.query('SELECT pg_wal_replay_resume()');
    await waitUntil(async () => router.status.state === 'ready', 30_000);
    expect(await router.readerFor(agencyOf['ncb-fra'])).toBe(replicaDb);
  });

  test('gone: reads go to the primary, and the hub keeps answering checks', async () => {
    await replica.end();
    await database.stopStandby();
    await waitUntil(async () => router.status.state === 'unreachable', 30_000);
    expect(await router.readerFor(null)).toBe(primaryDb);
    // Every process notices within its check interval; until then a read sent to the replica fails with
    // SERVICE_UNAVAILABLE. Then the check is answered, from the primary, which holds the reported record.
    await waitUntil(async () => {
      const response = await hub.graphql('ncb-fra', CHECK, { documents: [reported] });
      return response.body.errors === undefined;
    }, 30_000);
    const response = await hub.graphql('ncb-fra', CHECK, { documents: [reported] });
    expect(response.body).toEqual({
      data: {
        checkDocuments: [
          {
            verdict: 'HIT',
            document: { documentNumber: REPORTED.documentNumber, sltdRecord: { id: expect.any(String) } },
            hit: { id: expect.any(String), status: 'PENDING' },
          },
        ],
      },
    });
  });
});
