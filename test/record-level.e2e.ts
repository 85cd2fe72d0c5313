import pg from 'pg';
import { startTestHub, type TestHub } from './hub';

/**
 * Record-level restrictions (access layer 3): a record its owner keeps away from a country or an agency kind is
 * invisible to those it excludes — in lists, counts, lookups, `_entities` and checks — while the owner still
 * sees the hits it causes. And only the owning country may change its records.
 */
let hub: TestHub;
let db: pg.Client;
let fraNcb: string;
let restrictedRecordId: string;
let restrictedNoticeId: string;
/** The database's clock just before this file's notice: notices other test files requested earlier fall before it. */
let noticesFrom: string;

const RESTRICTED_NUMBER = '26FR00001';

beforeAll(async () => {
  hub = await startTestHub();
  db = new pg.Client({ connectionString: hub.databaseUrl });
  await db.connect();
  fraNcb = (await db.query(`SELECT id FROM partners.agencies WHERE code = 'NCB-FRA'`)).rows[0].id;
  // A passport FRA keeps from private partners, and a notice FRA shares with European countries only.
  restrictedRecordId = (
    await db.query(
      `INSERT INTO sltd.records (issuing_country, document_number, document_type, status, owner_agency_id, owner_country,
                                 review_date, excluded_agency_kinds)
       VALUES ('FRA', $1, 'PASSPORT', 'STOLEN', $2, 'FRA', '2036-01-01', '{PRIVATE_PARTNER}') RETURNING id`,
      [RESTRICTED_NUMBER, fraNcb],
    )
  ).rows[0].id;
  noticesFrom = ((await db.query('SELECT clock_timestamp() AS now')).rows[0].now as Date).toISOString();
  restrictedNoticeId = (
    await db.query(
      `INSERT INTO notices.notices (control_number, type, status, title, owner_agency_id, owner_country, subject_surname,
                                    subject_forenames, review_date, published_at, allowed_countries)
       VALUES ('A-999999/11-2026', 'RED', 'PUBLISHED', 'Restricted test case', $1, 'FRA', 'RESTRICTO', 'TESTA',
               '2031-01-01', now(), '{FRA,DEU,ESP}') RETURNING id`,
      [fraNcb],
    )
  ).rows[0].id;
  await db.query(`INSERT INTO notices.documents VALUES ($1, 'FRA', $2, 'PASSPORT')`, [
    restrictedNoticeId,
    RESTRICTED_NUMBER,
  ]);
});
afterAll(async () => {
  await db.end();
  await hub.stop();
});

const CHECK = 'query($d: [DocumentCheckInput!]!) { checkDocuments(input: $d) { verdict hit { id } } }';

describe('a restricted SLTD record', () => {
  test('answers NO_HIT to an excluded airline, while its owner gets the hit', async () => {
    const response = await hub.graphql('airline-demo', CHECK, {
      d: [{ issuingCountry: 'FRA', documentNumber: RESTRICTED_NUMBER }],
    });
    expect(response.body.data).toEqual({ checkDocuments: [{ verdict: 'NO_HIT', hit: null }] });
    const hits = await db.query(
      'SELECT checked_by_client, visible_to_checker FROM sltd.hits WHERE record_id = $1',
      [restrictedRecordId],
    );
    expect(hits.rows).toEqual([{ checked_by_client: 'airline-demo', visible_to_checker: false }]);
    const owner = await hub.graphql(
      'ncb-fra',
      '{ hits(filter: { side: OWNER, status: PENDING }, first: 100) { edges { node { record { id } } } } }',
    );
    const records = (owner.body.data?.hits as { edges: { node: { record: { id: string } } }[] }).edges.map(
      (e) => e.node.record.id,
    );
    expect(records).toContain(restrictedRecordId);
    // Nor can a checker that may list hits find one it was told NO_HIT about (a national entity excluded here).
    await db.query(
      `UPDATE sltd.records SET excluded_agency_kinds = '{PRIVATE_PARTNER,NATIONAL_ENTITY}' WHERE id = $1`,
      [restrictedRecordId],
    );
    const check = await hub.graphql('bp-fra', CHECK, {
      d: [{ issuingCountry: 'FRA', documentNumber: RESTRICTED_NUMBER }],
    });
    expect(check.body.data).toEqual({ checkDocuments: [{ verdict: 'NO_HIT', hit: null }] });
    const listed = await hub.graphql(
      'bp-fra',
      '{ hits(filter: { side: CHECKER }, first: 100) { edges { node { record { id } } } } }',
    );
    const seen = (listed.body.data?.hits as { edges: { node: { record: { id: string } | null } }[] }).edges;
    expect(seen.map((e) => e.node.record?.id)).not.toContain(restrictedRecordId);
    await db.query(`UPDATE sltd.records SET excluded_agency_kinds = '{PRIVATE_PARTNER}' WHERE id = $1`, [
      restrictedRecordId,
    ]);
  });

  test('answers HIT to a border police it is not kept from', async () => {
    const response = await hub.graphql('bp-fra', CHECK, {
      d: [{ issuingCountry: 'FRA', documentNumber: RESTRICTED_NUMBER }],
    });
    expect((response.body.data?.checkDocuments as { verdict: string }[])[0].verdict).toBe('HIT');
  });
});

describe('a notice restricted to FRA, DEU and ESP', () => {
  const NOTICE = 'query($id: ID!) { notice(id: $id) { id controlNumber } }';
  const COUNT = `query($from: DateTimeISO!) {
    notices(first: 1, filter: { requestingCountry: "FRA", requestedAfter: $from }) { totalCount }
  }`;

  test('is invisible to the USA bureau: not by id, not in counts, not through the document', async () => {
    expect((await hub.graphql('ncb-usa', NOTICE, { id: restrictedNoticeId })).body).toEqual({
      data: { notice: null },
    });
    expect((await hub.graphql('ncb-usa', COUNT, { from: noticesFrom })).body.data).toEqual({
      notices: { totalCount: 0 },
    });
    expect((await hub.graphql('ncb-fra', COUNT, { from: noticesFrom })).body.data).toEqual({
      notices: { totalCount: 1 },
    });
    const viaDocument = await hub.graphql(
      'ncb-usa',
      `{ travelDocument(issuingCountry: "FRA", documentNumber: "${RESTRICTED_NUMBER}") { notices { id } } }`,
    );
    expect(viaDocument.body).toEqual({ data: { travelDocument: { notices: [] } } });
  });

  test('is visible to its owner', async () => {
    expect((await hub.graphql('ncb-fra', NOTICE, { id: restrictedNoticeId })).body).toEqual({
      data: { notice: { id: restrictedNoticeId, controlNumber: 'A-999999/11-2026' } },
    });
  });
});

describe('only the owning country changes its records', () => {
  const WITHDRAW = 'mutation($id: ID!) { withdrawSltdRecord(id: $id, reason: "found") { id } }';

  test('the USA bureau may not withdraw a French record, and nothing changes', async () => {
    const response = await hub.graphql('ncb-usa', WITHDRAW, { id: restrictedRecordId });
    expect(response.body.errors?.[0]).toMatchObject({
      message: 'Only the NCB of FRA or the reporting agency may change this record',
      extensions: { code: 'FORBIDDEN' },
    });
    const row = await db.query('SELECT withdrawn_at FROM sltd.records WHERE id = $1', [restrictedRecordId]);
    expect(row.rows[0].withdrawn_at).toBeNull();
  });

  test('the USA bureau may not report a French document', async () => {
    const response = await hub.graphql(
      'ncb-usa',
      'mutation($i: ReportTravelDocumentInput!) { reportTravelDocument(input: $i) { id } }',
      { i: { issuingCountry: 'FRA', documentNumber: '26FR00002', documentType: 'PASSPORT', status: 'LOST' } },
    );
    expect(response.body.errors?.[0]).toMatchObject({
      extensions: {
        code: 'BAD_USER_INPUT',
        problems: [
          {
            field: 'input.issuingCountry',
            reason: 'you may report documents of your own country (USA) only',
          },
        ],
      },
    });
  });
});
