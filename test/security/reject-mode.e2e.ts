import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { readContract } from '../contract';
import { startTestHub, type TestHub } from '../hub';

/**
 * AUTHORIZATION_MODE=reject (gateway/enforcement.ts): an operation that asks for any field the caller may not see
 * is refused whole — nothing of it is planned or run, so a border check writes no CHECK row and no hit — with one
 * UNAUTHORIZED_FIELD_OR_TYPE error at each refused field's path, and one REFUSE row naming what was refused, as in
 * filter mode (docs/security.md, "Audit of refusals"). Each request carries a request id of its own, so its audit
 * rows are exactly those of that id.
 */
let hub: TestHub;
let db: pg.Client;
let bpFra: string;

beforeAll(async () => {
  hub = await startTestHub({ authorizationMode: 'reject' });
  db = new pg.Client({ connectionString: hub.databaseUrl });
  await db.connect();
  bpFra = (await db.query(`SELECT id::text FROM partners.agencies WHERE code = 'BP-FRA'`)).rows[0]
    .id as string;
});
afterAll(async () => {
  await db.end();
  await hub.stop();
});

async function send(clientId: string, query: string, variables?: Record<string, unknown>) {
  const requestId = `reject-${randomUUID()}`;
  const response = await fetch(hub.hub.gatewayUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-request-id': requestId,
      authorization: `Bearer ${await hub.token(clientId)}`,
    },
    body: JSON.stringify({ query, variables }),
  });
  return { requestId, status: response.status, body: (await response.json()) as unknown };
}

async function rowsOf(requestId: string) {
  const { rows } = await db.query(
    `SELECT subgraph, client_id, agency_id::text, operation, action, record_type, record_ids,
            owner_agency_ids::text[], fields, details
       FROM audit.entries WHERE request_id = $1 ORDER BY seq`,
    [requestId],
  );
  return rows;
}

const unauthorized = (path: (string | number)[]) => ({
  message: 'Unauthorized field or type',
  path,
  extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
});

const refusalRow = (operation: string | null, fields: string[]) => ({
  subgraph: 'gateway',
  client_id: 'bp-fra',
  agency_id: bpFra,
  operation,
  action: 'REFUSE',
  record_type: 'Field',
  record_ids: [],
  owner_agency_ids: [],
  fields,
  details: { refusal: 'UNAUTHORIZED_FIELD_OR_TYPE' },
});

test('the border check asking for notices bp-fra may not read: refused whole, nothing checked, one REFUSE row', async () => {
  // An unreported number of this test's own: no other test's check or hit can count here.
  const number = `RJ${randomUUID().slice(0, 7).toUpperCase()}`;
  const hitsBefore = Number((await db.query('SELECT count(*) FROM sltd.hits')).rows[0].count);
  const sent = await send('bp-fra', readContract('border-check.graphql'), {
    documents: [{ issuingCountry: 'FRA', documentNumber: number, documentType: 'PASSPORT' }],
  });
  expect(sent).toEqual({
    requestId: sent.requestId,
    status: 200,
    body: {
      data: null,
      // The list's items are not known when nothing ran: `@` stands for every one of them.
      errors: [unauthorized(['checkDocuments', '@', 'document', 'notices'])],
    },
  });
  // Nothing ran: no CHECK row from travel-documents, only the gateway's refusal.
  expect(await rowsOf(sent.requestId)).toEqual([refusalRow('BorderCheck', ['TravelDocument.notices'])]);
  expect(Number((await db.query('SELECT count(*) FROM sltd.hits')).rows[0].count)).toBe(hitsBefore);
  const checked = await db.query(`SELECT 1 FROM audit.entries WHERE $1 = ANY (record_ids)`, [
    `FRA/${number}`,
  ]);
  expect(checked.rows).toEqual([]);
});

test('several refused fields, top level and nested: every path an error, every coordinate once in the row, nothing run', async () => {
  // sltdRecord itself is bp-fra's (sltd:summary): were it run, the absent id would leave its NOT_FOUND row.
  const sent = await send(
    'bp-fra',
    `query Several($id: ID!) {
      me { clientId }
      auditTrail(first: 1) { totalCount }
      sltdRecord(id: $id) { id holder { surname } theft { place } }
    }`,
    { id: randomUUID() },
  );
  expect(sent).toEqual({
    requestId: sent.requestId,
    status: 200,
    body: {
      data: null,
      errors: [
        unauthorized(['auditTrail']),
        unauthorized(['sltdRecord', 'holder']),
        unauthorized(['sltdRecord', 'theft']),
      ],
    },
  });
  expect(await rowsOf(sent.requestId)).toEqual([
    refusalRow('Several', ['Query.auditTrail', 'SltdRecord.holder', 'SltdRecord.theft']),
  ]);
});

test('a mutation the caller may run, with one refused field in its selection, is not run: no row of it is written', async () => {
  // The Eriksson YELLOW notice is one bp-fra screens: in filter mode this would report a match (a PENDING notice
  // hit) and answer it with reportedBy null. reportedBy is hits:manage's, which bp-fra does not hold.
  const eriksson = (
    await db.query(`SELECT id::text FROM notices.notices
                     WHERE subject_surname = 'ERIKSSON' AND type = 'YELLOW' AND owner_country = 'UTO'`)
  ).rows[0].id as string;
  const note = `reject-mode ${randomUUID()}`;
  const sent = await send(
    'bp-fra',
    `mutation Report($input: NoticeMatchInput!) { reportNoticeMatch(input: $input) { id status reportedBy { name } } }`,
    { input: { noticeId: eriksson, note } },
  );
  expect(sent).toEqual({
    requestId: sent.requestId,
    status: 200,
    body: { data: null, errors: [unauthorized(['reportNoticeMatch', 'reportedBy'])] },
  });
  expect(await rowsOf(sent.requestId)).toEqual([refusalRow('Report', ['NoticeHit.reportedBy'])]);
  const written = await db.query(`SELECT 1 FROM notices.notice_hits WHERE note = $1`, [note]);
  expect(written.rows).toEqual([]);
});

test('a mutation the caller may not run at all: refused at its own path, nothing written', async () => {
  const number = `RJ${randomUUID().slice(0, 7).toUpperCase()}`;
  // Reporting a document is sltd:write's, which a border police does not hold.
  const sent = await send(
    'bp-fra',
    `mutation Report($input: ReportTravelDocumentInput!) { reportTravelDocument(input: $input) { id } }`,
    { input: { issuingCountry: 'FRA', documentNumber: number, documentType: 'PASSPORT', status: 'STOLEN' } },
  );
  expect(sent).toEqual({
    requestId: sent.requestId,
    status: 200,
    body: { data: null, errors: [unauthorized(['reportTravelDocument'])] },
  });
  expect(await rowsOf(sent.requestId)).toEqual([refusalRow('Report', ['Mutation.reportTravelDocument'])]);
  const written = await db.query(`SELECT 1 FROM sltd.records WHERE document_number = $1`, [number]);
  expect(written.rows).toEqual([]);
});

test('an operation within the caller’s rights runs as in filter mode and leaves no refusal row', async () => {
  const sent = await send('bp-fra', `query Mine { me { clientId } }`);
  expect(sent).toEqual({
    requestId: sent.requestId,
    status: 200,
    body: { data: { me: { clientId: 'bp-fra' } } },
  });
  expect(await rowsOf(sent.requestId)).toEqual([]);
});
