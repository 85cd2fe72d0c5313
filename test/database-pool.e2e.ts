import { randomInt } from 'node:crypto';
import pg from 'pg';
import { readContract } from './contract';
import { startTestHub, type TestHub } from './hub';

/**
 * No connection taken twice, and no wait without an end (docs/architecture.md, "Database connections"): a burst
 * of changes far larger than the pool completes and cannot stop border checks, and a request that cannot get a
 * connection in time is told SERVICE_UNAVAILABLE (HTTP 503, Retry-After) instead of hanging.
 */
const REPORT = readContract('report-document.graphql');
const UPDATE = `mutation Update($id: ID!, $input: UpdateSltdRecordInput!) {
  updateSltdRecord(id: $id, input: $input) { id }
}`;
const CHECK = `query Check($documents: [DocumentCheckInput!]!) { checkDocuments(input: $documents) { verdict } }`;
const SPECIMEN_MRZ =
  'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10';
const SPECIMEN_CHECK = { documents: [{ mrz: SPECIMEN_MRZ }] };

let db: pg.Client;

beforeAll(async () => {
  db = new pg.Client({ connectionString: process.env.HUB_TEST_DATABASE_URL });
  await db.connect();
});
afterAll(async () => {
  await db.end();
});

/** Reports `count` French passports as ncb-fra; returns their record ids. */
async function reportDocuments(hub: TestHub, count: number): Promise<string[]> {
  const prefix = `${randomInt(10, 99)}PL${randomInt(100, 999)}`;
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const response = await hub.graphql('ncb-fra', REPORT, {
      input: {
        issuingCountry: 'FRA',
        documentNumber: `${prefix}${String(i).padStart(2, '0')}`,
        documentType: 'PASSPORT',
        status: 'STOLEN',
      },
    });
    const id = (response.body.data?.reportTravelDocument as { id: string } | undefined)?.id;
    if (!id) throw new Error(`report failed: ${JSON.stringify(response.body)}`);
    ids.push(id);
  }
  return ids;
}

describe('a pool of 2 under 200 concurrent changes', () => {
  let hub: TestHub;
  beforeAll(async () => {
    // The acquisition timeout is generous on purpose: this test proves that nothing waits on itself (before the
    // fix every change held one connection and waited for a second: a pool of 2 froze at the second request).
    hub = await startTestHub({ pool: { size: 2, acquireTimeoutMs: 120_000 } });
  });
  afterAll(async () => {
    await hub.stop();
  });

  test('every change finishes and applies; border checks sent meanwhile all answer', async () => {
    const ids = await reportDocuments(hub, 30);
    await hub.token('bp-fra');
    const changes = Array.from({ length: 200 }, (_, i) => ({
      id: ids[i % ids.length],
      nationalReference: `burst-${i}`,
    }));
    const [updates, checks] = await Promise.all([
      Promise.all(
        changes.map((c) =>
          hub.graphql('ncb-fra', UPDATE, { id: c.id, input: { nationalReference: c.nationalReference } }),
        ),
      ),
      Promise.all(Array.from({ length: 20 }, () => hub.graphql('bp-fra', CHECK, SPECIMEN_CHECK))),
    ]);
    expect(updates.map((r) => r.status)).toEqual(changes.map(() => 200));
    expect(updates.map((r) => r.body)).toEqual(
      changes.map((c) => ({ data: { updateSltdRecord: { id: c.id } } })),
    );
    expect(checks.map((r) => r.body)).toEqual(
      checks.map(() => ({ data: { checkDocuments: [{ verdict: 'HIT' }] } })),
    );

    // Every change applied: one UPDATE audit row each (written in the change's transaction), and each record
    // holds one of the values sent to it: the last one to commit.
    const audited = await db.query<{ id: string; updates: number }>(
      `SELECT record_ids[1] AS id, count(*)::int AS updates FROM audit.entries
        WHERE action = 'UPDATE' AND record_type = 'SltdRecord' AND record_ids[1] = ANY ($1::text[])
        GROUP BY 1 ORDER BY 1`,
      [ids],
    );
    const expectedCounts = new Map<string, number>();
    for (const c of changes) expectedCounts.set(c.id, (expectedCounts.get(c.id) ?? 0) + 1);
    expect(audited.rows).toEqual(
      [...expectedCounts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, updates]) => ({ id, updates })),
    );
    const rows = await db.query<{ id: string; national_reference: string }>(
      'SELECT id::text, national_reference FROM sltd.records WHERE id = ANY ($1::uuid[])',
      [ids],
    );
    expect(rows.rows).toHaveLength(30);
    for (const row of rows.rows) {
      const sent = changes.filter((c) => c.id === row.id).map((c) => c.nationalReference);
      expect(sent).toContain(row.national_reference);
    }
  });
});

describe('a request that cannot get a connection in time', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ pool: { size: 1, acquireTimeoutMs: 500 } });
  });
  afterAll(async () => {
    await hub.stop();
  });

  test('gets SERVICE_UNAVAILABLE with HTTP 503 and Retry-After; the held request completes afterwards', async () => {
    const [id] = await reportDocuments(hub, 1);
    await hub.token('bp-fra');
    // Lock the record from outside: the change below then holds travel-documents' only connection, waiting.
    const locker = new pg.Client({ connectionString: hub.databaseUrl });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT 1 FROM sltd.records WHERE id = $1 FOR UPDATE', [id]);
      const held = hub.graphql('ncb-fra', UPDATE, { id, input: { nationalReference: 'after-the-lock' } });
      await waitForLockWait(locker);

      const base = hub.hub.gatewayUrl;
      const response = await fetch(base, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await hub.token('bp-fra')}`,
        },
        body: JSON.stringify({ query: CHECK, variables: SPECIMEN_CHECK }),
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('2');
      expect(await response.json()).toEqual({
        data: { checkDocuments: null },
        errors: [
          {
            message: 'The hub could not reach its database in time (busy or restarting); try again shortly',
            path: ['checkDocuments'],
            extensions: {
              code: 'SERVICE_UNAVAILABLE',
              retryAfterSeconds: 2,
              serviceName: 'travel-documents',
            },
          },
        ],
      });

      await locker.query('ROLLBACK');
      expect((await held).body).toEqual({ data: { updateSltdRecord: { id } } });
    } finally {
      await locker.end();
    }
    const row = await db.query('SELECT national_reference FROM sltd.records WHERE id = $1', [id]);
    expect(row.rows).toEqual([{ national_reference: 'after-the-lock' }]);
  });
});

/** Until travel-documents' connection waits on the row lock `locker` holds (polled: no fixed sleep). */
async function waitForLockWait(locker: pg.Client): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    const { rows } = await locker.query(
      `SELECT 1 FROM pg_stat_activity
        WHERE application_name = 'travel-documents' AND wait_event_type = 'Lock' AND datname = current_database()`,
    );
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the change never waited on the lock');
}
