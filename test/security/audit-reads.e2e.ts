import pg from 'pg';
import { startTestHub, type TestHub } from '../hub';

/**
 * Every personal-data field of a notice — subject, aliases, charges, arrest warrants, documents — is audited when
 * read, each on its own, not only when the subject is (shared/audit/audited-read.ts).
 */
let hub: TestHub;
let db: pg.Client;
let noticeId: string;
let owner: string;

beforeAll(async () => {
  hub = await startTestHub();
  db = new pg.Client({ connectionString: hub.databaseUrl });
  await db.connect();
  const { rows } = await db.query(
    `SELECT n.id::text, n.owner_agency_id::text AS owner FROM notices.notices n
      WHERE n.type = 'RED' AND n.status = 'PUBLISHED' AND n.allowed_countries IS NULL
        AND n.excluded_countries = '{}' AND n.allowed_agency_kinds IS NULL AND n.excluded_agency_kinds = '{}'
        AND EXISTS (SELECT 1 FROM notices.aliases a WHERE a.notice_id = n.id)
        AND EXISTS (SELECT 1 FROM notices.documents d WHERE d.notice_id = n.id)
      ORDER BY n.id LIMIT 1`,
  );
  noticeId = rows[0].id;
  owner = rows[0].owner;
});
afterAll(async () => {
  await db.end();
  await hub.stop();
});

/** The READ rows the request wrote, as (fields, record ids, owners). */
async function readsOf(before: string) {
  const { rows } = await db.query(
    `SELECT fields, record_ids, owner_agency_ids::text[] AS owners FROM audit.entries
      WHERE action = 'READ' AND client_id = 'ncb-usa' AND seq > $1::bigint AND record_type = 'Notice' ORDER BY seq`,
    [before],
  );
  return rows;
}

const lastSeq = async () =>
  (await db.query(`SELECT coalesce(max(seq), 0)::text AS seq FROM audit.entries`)).rows[0].seq as string;

test.each([
  ['charges', 'charges', ['charges']],
  ['arrestWarrants', 'arrestWarrants { warrantNumber }', ['arrestWarrants']],
  ['documents', 'documents { documentNumber }', ['documents']],
  ['subject', 'subject { surname }', ['subject']],
  ['subject.aliases', 'subject { aliases { surname } }', ['subject', 'subject.aliases']],
])('reading %s alone is audited, naming the notice and the field', async (_name, selection, fields) => {
  const before = await lastSeq();
  const response = await hub.graphql('ncb-usa', `query($id: ID!) { notice(id: $id) { id ${selection} } }`, {
    id: noticeId,
  });
  expect(response.body.errors).toBeUndefined();
  expect(response.body.data?.notice).toMatchObject({ id: noticeId });
  expect(await readsOf(before)).toEqual([{ fields, record_ids: [noticeId], owners: [owner] }]);
});

test('fields that are not personal data leave no READ row', async () => {
  const before = await lastSeq();
  const response = await hub.graphql('ncb-usa', `query($id: ID!) { notice(id: $id) { id type status } }`, {
    id: noticeId,
  });
  expect(response.body).toEqual({ data: { notice: { id: noticeId, type: 'RED', status: 'PUBLISHED' } } });
  expect(await readsOf(before)).toEqual([]);
});
