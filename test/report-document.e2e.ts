import pg from 'pg';
import { readContract } from './contract';
import { withTestHubAndDatabase, type TestHub } from './hub';

/** ReportDocument (report-document.graphql): one transaction, every problem named, nothing half-written. */
const REPORT = readContract('report-document.graphql');
const GOOD = {
  issuingCountry: 'FRA',
  documentNumber: '19FR12345',
  documentType: 'PASSPORT',
  status: 'STOLEN',
  theftCountry: 'FRA',
  theftDate: '2026-10-01',
};

let hub: TestHub;
let db: pg.Client;
withTestHubAndDatabase((started) => ({ hub, db } = started));

async function tableCounts() {
  const { rows } = await db.query(
    `SELECT (SELECT count(*) FROM sltd.records)::int AS records, (SELECT count(*) FROM audit.entries)::int AS audit`,
  );
  return rows[0] as { records: number; audit: number };
}

test('ncb-fra reports a stolen French passport; the record and its audit row are written together', async () => {
  const fraNcb = (await db.query(`SELECT id FROM partners.agencies WHERE code = 'NCB-FRA'`)).rows[0].id;
  const response = await hub.graphql('ncb-fra', REPORT, {
    input: { ...GOOD, documentNumber: '19 fr-12345' },
  });
  const id = (response.body.data?.reportTravelDocument as { id: string }).id;
  expect(response.body).toEqual({
    data: {
      reportTravelDocument: {
        id,
        status: 'STOLEN',
        documentType: 'PASSPORT',
        issuingCountry: 'FRA',
        documentNumber: '19FR12345',
        owner: { id: fraNcb, country: 'FRA' },
      },
    },
  });
  const row = await db.query(
    `SELECT theft_country, theft_date::text, review_date::text, owner_country FROM sltd.records WHERE id = $1`,
    [id],
  );
  const tenYears = new Date();
  tenYears.setUTCFullYear(tenYears.getUTCFullYear() + 10);
  expect(row.rows).toEqual([
    {
      theft_country: 'FRA',
      theft_date: '2026-10-01',
      review_date: tenYears.toISOString().slice(0, 10),
      owner_country: 'FRA',
    },
  ]);
  const audit = await db.query(`SELECT action, client_id FROM audit.entries WHERE $1 = ANY (record_ids)`, [
    id,
  ]);
  expect(audit.rows).toEqual([{ action: 'CREATE', client_id: 'ncb-fra' }]);
});

test('reporting the same document again is a conflict, not a duplicate', async () => {
  const before = await tableCounts();
  const response = await hub.graphql('ncb-fra', REPORT, { input: GOOD });
  expect(response.body.errors?.[0]).toMatchObject({
    message: "FRA 19FR12345 is already on file as your agency's record",
    extensions: { code: 'CONFLICT', field: 'input.documentNumber' },
  });
  expect(await tableCounts()).toEqual(before);
});

test('bad input: every problem named at once, and nothing written (not even an audit row)', async () => {
  const before = await tableCounts();
  const response = await hub.graphql('ncb-fra', REPORT, {
    input: {
      ...GOOD,
      issuingCountry: 'XYZ',
      documentNumber: '19FR-12345-MUCH-TOO-LONG-FOR-ICAO',
      theftCountry: 'France',
      theftDate: '2026-02-30',
    },
  });
  expect(response.body).toEqual({
    data: { reportTravelDocument: null },
    errors: [
      {
        message: expect.stringMatching(/^Invalid input: /),
        path: ['reportTravelDocument'],
        extensions: {
          code: 'BAD_USER_INPUT',
          serviceName: 'travel-documents',
          problems: [
            {
              field: 'input.issuingCountry',
              reason: 'XYZ is not an ISO 3166-1 alpha-3 or ICAO 9303 country code',
            },
            {
              field: 'input.issuingCountry',
              reason: 'you may report documents of your own country (FRA) only',
            },
            { field: 'input.documentNumber', reason: 'must be at most 23 characters' },
            { field: 'input.theftDate', reason: '2026-02-30 is not a date (yyyy-mm-dd)' },
            { field: 'input.theftCountry', reason: 'FRANCE is not an ISO 3166-1 alpha-3 country code' },
          ],
        },
      },
    ],
  });
  expect(await tableCounts()).toEqual(before);
});

test('another country’s document is refused, naming the field', async () => {
  const response = await hub.graphql('ncb-fra', REPORT, {
    input: { ...GOOD, issuingCountry: 'DEU', documentNumber: 'C01X00T47' },
  });
  expect(response.body.errors?.[0].extensions?.problems).toEqual([
    { field: 'input.issuingCountry', reason: 'you may report documents of your own country (FRA) only' },
  ]);
});

test('bp-fra, without sltd:write, cannot report at all', async () => {
  const response = await hub.graphql('bp-fra', REPORT, { input: { ...GOOD, documentNumber: '19FR99999' } });
  expect(response.body).toEqual({
    data: null,
    errors: [
      {
        message: 'Unauthorized field or type',
        path: ['reportTravelDocument'],
        extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
      },
    ],
  });
});
