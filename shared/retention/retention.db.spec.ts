import pg from 'pg';
import type { DataSource } from 'typeorm';
import { createSubgraphDataSource } from '../../db/data-source';
import { seedDemoData } from '../../db/seed/demo-data';
import { createTestDatabase } from '../../test/databases';
import { documentAlerts } from '../../subgraphs/document-alerts';
import { documentAlertRetention } from '../../subgraphs/document-alerts/retention';
import { notices } from '../../subgraphs/notices';
import { noticeRetention } from '../../subgraphs/notices/retention';
import { travelDocuments } from '../../subgraphs/travel-documents';
import { sltdRetention } from '../../subgraphs/travel-documents/retention';
import type { SubgraphModule } from '../subgraph/module';
import { deleteExpired, listDue, remindOwners, runRetention, type RetentionPolicy } from './retention';

/**
 * Retention moves the clock, not the data: every function takes `now`, and the spec passes days in the future
 * against the demo data's own review dates.
 */
let url: string;
let db: pg.Client;
const sources: DataSource[] = [];

async function source(module: SubgraphModule<unknown>): Promise<DataSource> {
  const ds = createSubgraphDataSource({
    url,
    schema: module.schema,
    entities: module.entities,
    migrations: [],
  });
  await ds.initialize();
  sources.push(ds);
  return ds;
}

beforeAll(async () => {
  url = await createTestDatabase('retention');
  await seedDemoData(url, { notices: 50, sltd: 200, alerts: 10 });
  db = new pg.Client({ connectionString: url });
  await db.connect();
});

afterAll(async () => {
  for (const ds of sources) await ds.destroy();
  await db.end();
});

const GRACE = 30;
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

async function reviewDates(table: string): Promise<{ id: string; review_date: string; owner: string }[]> {
  const { rows } = await db.query(
    `SELECT id::text, review_date::text, owner_agency_id::text AS owner FROM ${table} ORDER BY review_date, id`,
  );
  return rows;
}

async function deleteAudit(recordType: string) {
  const { rows } = await db.query<{
    record_ids: string[];
    owner_agency_ids: string[];
    client_id: string | null;
  }>(
    `SELECT record_ids, owner_agency_ids, client_id FROM audit.entries
      WHERE action = 'DELETE' AND record_type = $1 ORDER BY seq`,
    [recordType],
  );
  return rows;
}

describe('retention of notices', () => {
  test('lists what is due, in grace and expired, and deletes only the expired ones with an audit row each', async () => {
    const ds = await source(notices);
    const all = await reviewDates('notices.notices');
    // A clock 40 days past the 10th earliest review: the first ones are past the grace period.
    const now = new Date(day(all[9].review_date).getTime() + 40 * 86_400_000);
    const today = now.toISOString().slice(0, 10);
    const lastDeleted = new Date(now.getTime() - (GRACE + 1) * 86_400_000).toISOString().slice(0, 10);
    const dueLimit = new Date(now.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
    const expired = all.filter((r) => r.review_date <= lastDeleted);
    const kept = all.filter((r) => r.review_date > lastDeleted);
    expect(expired.length).toBeGreaterThanOrEqual(10);
    expect(kept.length).toBeGreaterThan(0);

    const listed = await listDue(ds, noticeRetention as RetentionPolicy, now, GRACE);
    const stateOf = new Map(listed.map((r) => [r.id, r.state]));
    for (const r of all) {
      const expected =
        r.review_date <= lastDeleted
          ? 'EXPIRED'
          : r.review_date < today
            ? 'GRACE'
            : r.review_date <= dueLimit
              ? 'DUE'
              : undefined;
      expect([r.id, stateOf.get(r.id)]).toEqual([r.id, expected]);
    }

    const children = async () =>
      (
        await db.query(
          `SELECT (SELECT count(*) FROM notices.aliases WHERE notice_id = ANY ($1::uuid[]))
                + (SELECT count(*) FROM notices.arrest_warrants WHERE notice_id = ANY ($1::uuid[]))
                + (SELECT count(*) FROM notices.documents WHERE notice_id = ANY ($1::uuid[])) AS n`,
          [expired.map((r) => r.id)],
        )
      ).rows[0].n as string;
    expect(Number(await children())).toBeGreaterThan(0);

    const deleted = await deleteExpired(ds, noticeRetention as RetentionPolicy, now, GRACE, 4);
    expect(deleted.map((r) => r.id).sort()).toEqual(expired.map((r) => r.id).sort());
    expect((await reviewDates('notices.notices')).map((r) => r.id)).toEqual(kept.map((r) => r.id));
    expect(Number(await children())).toBe(0);

    const audit = await deleteAudit('Notice');
    expect(audit).toHaveLength(expired.length);
    expect(audit.map((row) => [row.record_ids, row.owner_agency_ids, row.client_id])).toEqual(
      expect.arrayContaining(expired.map((r) => [[r.id], [r.owner], null])),
    );
    // A second pass on the same day finds nothing more.
    expect(await deleteExpired(ds, noticeRetention as RetentionPolicy, now, GRACE)).toEqual([]);
  });

  test('an extended review date keeps the record past the old one', async () => {
    const ds = await source(notices);
    const [first] = await reviewDates('notices.notices');
    await db.query(`UPDATE notices.notices SET review_date = review_date + 365 WHERE id = $1`, [first.id]);
    const now = new Date(day(first.review_date).getTime() + 100 * 86_400_000);
    const deleted = await deleteExpired(ds, noticeRetention as RetentionPolicy, now, GRACE);
    expect(deleted.map((r) => r.id)).not.toContain(first.id);
  });
});

describe('retention of SLTD records and their hits', () => {
  test('decided hits go with their record, audited; a record with a pending hit is held', async () => {
    const ds = await source(travelDocuments);
    const all = await reviewDates('sltd.records');
    const [withPending, withDecided] = all;
    const insertHit = (recordId: string, owner: string, status: string) =>
      db.query(
        `INSERT INTO sltd.hits (record_id, owner_agency_id, checked_by_client, checked_by_agency_id, status)
         VALUES ($1, $2, 'bp-fra', $2, $3) RETURNING id::text`,
        [recordId, owner, status],
      );
    await insertHit(withPending.id, withPending.owner, 'PENDING');
    const decided = (await insertHit(withDecided.id, withDecided.owner, 'CONFIRMED')).rows[0].id as string;

    const now = new Date(day(withDecided.review_date).getTime() + 31 * 86_400_000);
    const listed = await listDue(ds, sltdRetention as RetentionPolicy, now, GRACE);
    expect(listed.find((r) => r.id === withPending.id)?.state).toBe('HELD');

    const pass = await runRetention(ds, sltdRetention as RetentionPolicy, now, GRACE);
    const goneIds = pass.deleted.map((r) => r.id);
    expect(goneIds).toContain(withDecided.id);
    expect(goneIds).not.toContain(withPending.id);
    expect(pass.held).toBe(1);
    const left = await db.query(`SELECT id::text FROM sltd.records WHERE id = ANY ($1::uuid[])`, [
      [withPending.id, withDecided.id],
    ]);
    expect(left.rows).toEqual([{ id: withPending.id }]);
    expect((await db.query(`SELECT 1 FROM sltd.hits WHERE id = $1`, [decided])).rowCount).toBe(0);
    expect((await deleteAudit('Hit')).map((row) => row.record_ids)).toEqual([[decided]]);
    expect((await deleteAudit('SltdRecord')).map((row) => row.record_ids[0]).sort()).toEqual(goneIds.sort());
  });
});

describe('reminders and alerts', () => {
  test('owners of records due for review get one review.due event a day', async () => {
    const ds = await source(documentAlerts);
    const all = await reviewDates('alerts.alerts');
    const now = new Date(day(all[0].review_date).getTime() - 10 * 86_400_000);
    const owners = new Set(
      all
        .filter((r) => r.review_date <= new Date(now.getTime() + 30 * 86_400_000).toISOString().slice(0, 10))
        .map((r) => r.owner),
    );
    expect(await remindOwners(ds, documentAlertRetention as RetentionPolicy, now, GRACE)).toBe(owners.size);
    expect(await remindOwners(ds, documentAlertRetention as RetentionPolicy, now, GRACE)).toBe(0);
    const { rows } = await db.query(
      `SELECT agency_id::text, payload FROM outbox.events WHERE topic = 'review.due' AND payload->>'recordType' = 'DocumentAlert'`,
    );
    expect(new Set(rows.map((r) => r.agency_id))).toEqual(owners);
    expect(rows[0].payload).toMatchObject({
      recordType: 'DocumentAlert',
      day: now.toISOString().slice(0, 10),
    });
    // Nothing is deleted before its review date.
    expect(await deleteExpired(ds, documentAlertRetention as RetentionPolicy, now, GRACE)).toEqual([]);
  });
});
