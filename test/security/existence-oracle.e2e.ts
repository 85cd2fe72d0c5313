import pg from 'pg';
import { statementCount } from '../../db/data-source';
import { readContract } from '../contract';
import { startTestHub, type TestHub } from '../hub';

/**
 * No existence oracle (docs/security.md): a record restricted away from a caller does not show through a report of
 * the same document. Each owner keeps its own record of a document, so the answer to a report is the same whether
 * or not another agency has one; a check shows the caller its own record first, else the oldest it may see, and
 * every owner's record gets its hit and its owner's webhook event.
 */
const REPORT = readContract('report-document.graphql');
const CHECK = `query Check($documents: [DocumentCheckInput!]!) {
  checkDocuments(input: $documents) { verdict document { sltdRecord { id owner { id } } } hit { id } }
}`;
const DOCUMENT = { issuingCountry: 'FRA', documentType: 'PASSPORT', status: 'STOLEN' };

let hub: TestHub;
let db: pg.Client;
let agencies: Record<string, string>;
let agreement: string;

beforeAll(async () => {
  hub = await startTestHub();
  db = new pg.Client({ connectionString: hub.databaseUrl });
  await db.connect();
  // The French border police may report documents of its country (an agreement its NCB made), for this file only:
  // the test database is shared with other files.
  agreement = (
    await db.query<{ id: string }>(`
      INSERT INTO partners.agreements (agency_id, scopes, valid_from)
      SELECT id, '{sltd:write}', now() - interval '1 day' FROM partners.agencies WHERE code = 'BP-FRA'
      RETURNING id`)
  ).rows[0].id;
  const { rows } = await db.query<{ code: string; id: string }>(
    `SELECT code, id FROM partners.agencies WHERE code IN ('NCB-FRA', 'BP-FRA', 'FRONTEX')`,
  );
  agencies = Object.fromEntries(rows.map((row) => [row.code, row.id]));
});
afterAll(async () => {
  await db.query('DELETE FROM partners.agreements WHERE id = $1', [agreement]);
  await db.end();
  await hub.stop();
});

async function report(clientId: string, documentNumber: string, restrictions?: Record<string, string[]>) {
  return hub.graphql(clientId, REPORT, { input: { ...DOCUMENT, documentNumber, restrictions } });
}

async function recordsOf(documentNumber: string) {
  const { rows } = await db.query<{ id: string; owner_agency_id: string }>(
    `SELECT id, owner_agency_id FROM sltd.records WHERE issuing_country = 'FRA' AND document_number = $1
      ORDER BY reported_at, id`,
    [documentNumber],
  );
  return rows;
}

test('a report of a document whose record is hidden from the reporter answers as a fresh report would', async () => {
  // NCB Paris keeps its record to bureaus: the border police may not see it.
  const hidden = await report('ncb-fra', '21EX00001', { allowedAgencyKinds: ['NCB'] });
  expect(hidden.body.errors).toBeUndefined();
  const fresh = await report('bp-fra', '21EX00002');
  const again = await report('bp-fra', '21EX00001');
  const shape = (response: typeof fresh) => {
    const record = response.body.data?.reportTravelDocument as Record<string, unknown>;
    return { ...response.body, data: { reportTravelDocument: { ...record, id: 'id', documentNumber: 'n' } } };
  };
  expect(shape(again)).toEqual(shape(fresh));
  expect(again.body).toEqual({
    data: {
      reportTravelDocument: {
        id: expect.any(String),
        status: 'STOLEN',
        documentType: 'PASSPORT',
        issuingCountry: 'FRA',
        documentNumber: '21EX00001',
        owner: { id: agencies['BP-FRA'], country: 'FRA' },
      },
    },
  });
  expect((await recordsOf('21EX00001')).map((r) => r.owner_agency_id)).toEqual([
    agencies['NCB-FRA'],
    agencies['BP-FRA'],
  ]);
});

test("a second report of one's own record is still a CONFLICT, naming only one's own record", async () => {
  await report('bp-fra', '21EX00003');
  const response = await report('bp-fra', '21EX00003');
  expect(response.body).toEqual({
    data: { reportTravelDocument: null },
    errors: [
      {
        message: "FRA 21EX00003 is already on file as your agency's record",
        path: ['reportTravelDocument'],
        extensions: { code: 'CONFLICT', field: 'input.documentNumber', serviceName: 'travel-documents' },
      },
    ],
  });
});

test('ten concurrent reports of one document by one owner make one record; the nine others are CONFLICT', async () => {
  const responses = await Promise.all(Array.from({ length: 10 }, () => report('ncb-fra', '21EX00010')));
  const codes = responses.map((r) => r.body.errors?.[0]?.extensions?.code ?? 'CREATED').sort();
  expect(codes).toEqual(['CONFLICT', ...Array<string>(8).fill('CONFLICT'), 'CREATED'].sort());
  expect(await recordsOf('21EX00010')).toHaveLength(1);
});

describe('a check of a document two owners keep', () => {
  let ncbRecord: string;
  let bpRecord: string;
  beforeAll(async () => {
    await report('ncb-fra', '21EX00020', { allowedAgencyKinds: ['NCB'] });
    await report('bp-fra', '21EX00020');
    [ncbRecord, bpRecord] = (await recordsOf('21EX00020')).map((r) => r.id);
  });

  async function check(clientId: string) {
    // Hits on this file's two records only: other test files check documents of their own at the same time.
    const hitsOnRecords = async () =>
      Number(
        (
          await db.query(`SELECT count(*) FROM sltd.hits WHERE record_id = ANY ($1::uuid[])`, [
            [ncbRecord, bpRecord],
          ])
        ).rows[0].count,
      );
    const before = await hitsOnRecords();
    const response = await hub.graphql(clientId, CHECK, {
      documents: [{ issuingCountry: 'FRA', documentNumber: '21EX00020' }],
    });
    const { rows: hits } = await db.query<{ id: string; record_id: string; visible_to_checker: boolean }>(
      `SELECT h.id, h.record_id, h.visible_to_checker FROM sltd.hits h
        WHERE h.record_id = ANY ($1::uuid[]) ORDER BY h.checked_at DESC, h.record_id = $2 DESC LIMIT 2`,
      [[ncbRecord, bpRecord], ncbRecord],
    );
    const after = await hitsOnRecords();
    expect(after - before).toBe(2);
    return { body: response.body, hits };
  }

  test('the NCB sees both and is shown its own; each owner gets its hit and its webhook event', async () => {
    const { body, hits } = await check('ncb-fra');
    const shown = hits.find((h) => h.record_id === ncbRecord);
    expect(body).toEqual({
      data: {
        checkDocuments: [
          {
            verdict: 'HIT',
            document: { sltdRecord: { id: ncbRecord, owner: { id: agencies['NCB-FRA'] } } },
            hit: { id: shown?.id },
          },
        ],
      },
    });
    expect(hits.map((h) => [h.record_id, h.visible_to_checker]).sort()).toEqual(
      [
        [ncbRecord, true],
        [bpRecord, true],
      ].sort(),
    );
    const { rows: events } = await db.query(
      `SELECT agency_id, payload ->> 'recordId' AS record_id FROM outbox.events
        WHERE topic = 'hit.created' AND payload ->> 'hitId' = ANY ($1) ORDER BY agency_id`,
      [hits.map((h) => h.id)],
    );
    expect(events).toEqual(
      [
        { agency_id: agencies['NCB-FRA'], record_id: ncbRecord },
        { agency_id: agencies['BP-FRA'], record_id: bpRecord },
      ].sort((a, b) => a.agency_id.localeCompare(b.agency_id)),
    );
  });

  test('the border police is shown its own record; the hidden one gets a hit it is not told of', async () => {
    const { body, hits } = await check('bp-fra');
    expect(body).toEqual({
      data: {
        checkDocuments: [
          {
            verdict: 'HIT',
            document: { sltdRecord: { id: bpRecord, owner: { id: agencies['BP-FRA'] } } },
            hit: { id: hits.find((h) => h.record_id === bpRecord)?.id },
          },
        ],
      },
    });
    expect(hits.map((h) => [h.record_id, h.visible_to_checker]).sort()).toEqual(
      [
        [ncbRecord, false],
        [bpRecord, true],
      ].sort(),
    );
  });
});

test('a check of a hidden record sends travel-documents the same statements as a check of an absent number', async () => {
  // Timing follows the work: the hidden record's hit, HIT audit row and webhook event are written in the
  // transaction that writes every check's audit rows, by a statement every check runs (with no row or with some).
  await report('ncb-fra', '21EX00030', { allowedAgencyKinds: ['NCB'] });
  const [hidden] = await recordsOf('21EX00030');
  const travelDocuments = hub.hub.subgraphs['travel-documents'].db;
  const statementsFor = async (documentNumber: string) => {
    const before = statementCount(travelDocuments);
    const response = await hub.graphql('bp-fra', CHECK, {
      documents: [{ issuingCountry: 'FRA', documentNumber }],
    });
    expect(response.body).toEqual({
      data: { checkDocuments: [{ verdict: 'NO_HIT', document: { sltdRecord: null }, hit: null }] },
    });
    return statementCount(travelDocuments) - before;
  };
  expect(await statementsFor('21EX00030')).toBe(await statementsFor('21EX00031'));
  // Written before the response left: the owner's hit, its HIT row (hidden from the checker) and its event.
  const { rows: hits } = await db.query<{ id: string; visible_to_checker: boolean }>(
    `SELECT id, visible_to_checker FROM sltd.hits WHERE record_id = $1`,
    [hidden.id],
  );
  expect(hits).toEqual([{ id: expect.any(String), visible_to_checker: false }]);
  const { rows: audit } = await db.query(
    `SELECT client_id, owner_agency_ids, details FROM audit.entries WHERE action = 'HIT' AND $1 = ANY (record_ids)`,
    [hidden.id],
  );
  expect(audit).toEqual([
    { client_id: 'bp-fra', owner_agency_ids: [agencies['NCB-FRA']], details: { hiddenFromCaller: true } },
  ]);
  const { rows: events } = await db.query(
    `SELECT agency_id, payload ->> 'checkerWasTold' AS told FROM outbox.events WHERE payload ->> 'hitId' = $1`,
    [hits[0].id],
  );
  expect(events).toEqual([{ agency_id: agencies['NCB-FRA'], told: 'NO_HIT' }]);
});
