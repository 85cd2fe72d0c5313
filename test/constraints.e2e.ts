import { randomInt } from 'node:crypto';
import pg from 'pg';
import { readContract } from './contract';
import { withTestHubAndDatabase, type TestHub } from './hub';

/**
 * Constraints decide races (docs/architecture.md, "Database connections"): concurrent writers of one natural key
 * get one row, and every loser a CONFLICT naming the field, never an internal error.
 */
const REPORT = readContract('report-document.graphql');
const REGISTER = `mutation RegisterAgency($input: RegisterAgencyInput!) {
  registerAgency(input: $input) { id country } }`;

let hub: TestHub;
let db: pg.Client;
withTestHubAndDatabase((started) => ({ hub, db } = started));

test('ten reports of one document at once: one record, nine CONFLICT on input.documentNumber', async () => {
  const documentNumber = `${randomInt(10, 99)}RC${randomInt(10000, 99999)}`;
  await hub.token('ncb-fra');
  const input = { issuingCountry: 'FRA', documentNumber, documentType: 'PASSPORT', status: 'STOLEN' };
  const responses = await Promise.all(
    Array.from({ length: 10 }, () => hub.graphql('ncb-fra', REPORT, { input })),
  );
  const won = responses.filter((r) => r.body.data?.reportTravelDocument);
  const lost = responses.filter((r) => !r.body.data?.reportTravelDocument);
  expect(won).toHaveLength(1);
  expect(lost.map((r) => r.body)).toEqual(
    lost.map(() => ({
      data: { reportTravelDocument: null },
      errors: [
        {
          message: `FRA ${documentNumber} is already on file as your agency's record`,
          path: ['reportTravelDocument'],
          extensions: { code: 'CONFLICT', field: 'input.documentNumber', serviceName: 'travel-documents' },
        },
      ],
    })),
  );
  const rows = await db.query(
    `SELECT id::text FROM sltd.records WHERE issuing_country = 'FRA' AND document_number = $1`,
    [documentNumber],
  );
  const id = (won[0].body.data?.reportTravelDocument as { id: string }).id;
  expect(rows.rows).toEqual([{ id }]);
  // Only the winner's change is in the trail: the losers rolled back with their audit rows.
  const audit = await db.query(`SELECT action FROM audit.entries WHERE $1 = ANY (record_ids)`, [id]);
  expect(audit.rows).toEqual([{ action: 'CREATE' }]);
});

test('two NCBs for one country at once: one agency, one CONFLICT on input.country', async () => {
  // A country with no NCB yet in this database.
  const { rows } = await db.query<{ country: string }>(
    `SELECT c AS country FROM unnest(ARRAY['ISL', 'MLT', 'LUX', 'CYP', 'EST', 'LVA', 'LTU', 'SVN']) c
      WHERE NOT EXISTS (SELECT 1 FROM partners.agencies WHERE kind = 'NCB' AND country = c) LIMIT 1`,
  );
  const country = rows[0].country;
  await hub.token('gs-admin');
  const responses = await Promise.all(
    ['A', 'B'].map((suffix) =>
      hub.graphql('gs-admin', REGISTER, {
        input: { code: `NCB-${country}-${suffix}`, name: `NCB ${country} ${suffix}`, kind: 'NCB', country },
      }),
    ),
  );
  const won = responses.filter((r) => r.body.data?.registerAgency);
  const lost = responses.filter((r) => !r.body.data?.registerAgency);
  expect(won).toHaveLength(1);
  expect(lost.map((r) => r.body)).toEqual([
    {
      data: { registerAgency: null },
      errors: [
        {
          message: `${country} already has an NCB`,
          path: ['registerAgency'],
          extensions: { code: 'CONFLICT', field: 'input.country', serviceName: 'partner-agencies' },
        },
      ],
    },
  ]);
  const agencies = await db.query(
    `SELECT id::text FROM partners.agencies WHERE kind = 'NCB' AND country = $1`,
    [country],
  );
  expect(agencies.rows).toEqual([{ id: (won[0].body.data?.registerAgency as { id: string }).id }]);
});
