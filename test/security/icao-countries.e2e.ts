import pg from 'pg';
import { startTestHub, type TestHub } from '../hub';
import { graphqlWithToken, mintToken } from '../tokens';

/**
 * ICAO 9303's country codes that are not ISO 3166 (UTO, D, XXA, UNO…) are accepted wherever a country is —
 * record restrictions and list filters — read as the MRZ decoder reads them (case and `<` fillers ignored), and
 * `D` (Germany in an MRZ) stands for the country its bureau is registered under (DEU).
 */
let hub: TestHub;
let db: pg.Client;
let recordId: string;
const NUMBER = `ICAO${Date.now().toString(36).toUpperCase().slice(-6)}`;

const REPORT = `mutation($input: ReportTravelDocumentInput!) { reportTravelDocument(input: $input) { id } }`;
const RESTRICT = `mutation($id: ID!, $input: UpdateSltdRecordInput!) { updateSltdRecord(id: $id, input: $input) { id } }`;
const RECORD = 'query($id: ID!) { sltdRecord(id: $id) { id status } }';

beforeAll(async () => {
  hub = await startTestHub();
  db = new pg.Client({ connectionString: hub.databaseUrl });
  await db.connect();
  const reported = await hub.graphql('ncb-fra', REPORT, {
    input: { issuingCountry: 'FRA', documentNumber: NUMBER, documentType: 'PASSPORT', status: 'STOLEN' },
  });
  recordId = (reported.body.data?.reportTravelDocument as { id: string }).id;
});
afterAll(async () => {
  await db.end();
  await hub.stop();
});

async function restrictionsOf(id: string) {
  const { rows } = await db.query(
    'SELECT allowed_countries, excluded_countries FROM sltd.records WHERE id = $1',
    [id],
  );
  return rows[0];
}

test('an owner keeps a record from the specimen state’s bureau (UTO), written as an MRZ would', async () => {
  const response = await hub.graphql('ncb-fra', RESTRICT, {
    id: recordId,
    input: { restrictions: { excludedCountries: ['uto<', 'XXA', 'UNO'] } },
  });
  expect(response.body).toEqual({ data: { updateSltdRecord: { id: recordId } } });
  expect(await restrictionsOf(recordId)).toEqual({
    allowed_countries: null,
    excluded_countries: ['UTO', 'XXA', 'UNO'],
  });
  expect((await hub.graphql('ncb-uto', RECORD, { id: recordId })).body).toEqual({
    data: { sltdRecord: null },
  });
  expect((await hub.graphql('ncb-usa', RECORD, { id: recordId })).body).toEqual({
    data: { sltdRecord: { id: recordId, status: 'STOLEN' } },
  });
});

test('`D` keeps a record from the German bureau, registered as DEU', async () => {
  const response = await hub.graphql('ncb-fra', RESTRICT, {
    id: recordId,
    input: { restrictions: { excludedCountries: ['D<<', 'DEU'] } },
  });
  expect(response.body).toEqual({ data: { updateSltdRecord: { id: recordId } } });
  expect(await restrictionsOf(recordId)).toEqual({ allowed_countries: null, excluded_countries: ['DEU'] });
  const deu = (await db.query(`SELECT id FROM partners.agencies WHERE kind = 'NCB' AND country = 'DEU'`))
    .rows[0];
  const token = await mintToken({
    clientId: 'ncb-deu-test',
    agencyId: deu?.id ?? '00000000-0000-4000-8000-00000000d0e0',
    agencyKind: 'NCB',
    country: 'DEU',
    scopes: ['sltd:read'],
  });
  expect((await graphqlWithToken(hub, token, RECORD, { id: recordId })).body).toEqual({
    data: { sltdRecord: null },
  });
  // Allowed to ICAO-only codes and nothing else: the owner's own bureau still sees it, others do not.
  await hub.graphql('ncb-fra', RESTRICT, {
    id: recordId,
    input: { restrictions: { allowedCountries: ['XXB', 'xxc'], excludedCountries: [] } },
  });
  expect(await restrictionsOf(recordId)).toEqual({
    allowed_countries: ['XXB', 'XXC'],
    excluded_countries: [],
  });
  expect((await hub.graphql('ncb-usa', RECORD, { id: recordId })).body).toEqual({
    data: { sltdRecord: null },
  });
  expect((await hub.graphql('ncb-fra', RECORD, { id: recordId })).body).toEqual({
    data: { sltdRecord: { id: recordId, status: 'STOLEN' } },
  });
});

test('a code that is neither ISO nor ICAO is still refused, naming the field', async () => {
  const response = await hub.graphql('ncb-fra', RESTRICT, {
    id: recordId,
    input: { restrictions: { excludedCountries: ['UTOPIA'] } },
  });
  expect(response.body.errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    problems: [
      {
        field: 'input.restrictions.excludedCountries.0',
        reason: 'UTOPIA is not an ISO 3166-1 alpha-3 or ICAO 9303 country code',
      },
    ],
  });
});

test('filters read ICAO codes as the MRZ decoder does: the specimen state, Germany as D', async () => {
  const specimen = await hub.graphql(
    'ncb-fra',
    '{ sltdRecords(filter: { issuingCountry: "uto<" }, first: 100) { edges { node { issuingCountry documentNumber } } } }',
  );
  const numbers = (
    specimen.body.data?.sltdRecords as {
      edges: { node: { issuingCountry: string; documentNumber: string } }[];
    }
  ).edges.map((e) => e.node);
  expect(numbers).toContainEqual({ issuingCountry: 'UTO', documentNumber: 'L898902C3' });
  expect(new Set(numbers.map((n) => n.issuingCountry))).toEqual(new Set(['UTO']));

  const notices = await hub.graphql(
    'ncb-fra',
    '{ notices(filter: { requestingCountry: "uto" }, first: 5) { totalCount edges { node { controlNumber } } } }',
  );
  const utoNotices = await db.query(
    `SELECT count(*)::int AS n FROM notices.notices WHERE owner_country = 'UTO' AND status = 'PUBLISHED'
        AND allowed_countries IS NULL AND excluded_countries = '{}' AND allowed_agency_kinds IS NULL
        AND excluded_agency_kinds = '{}'`,
  );
  expect((notices.body.data?.notices as { totalCount: number }).totalCount).toBeGreaterThanOrEqual(
    utoNotices.rows[0].n,
  );
  expect(utoNotices.rows[0].n).toBeGreaterThan(0);

  // An alert on German documents, written as an MRZ writes the country, is found by either code.
  const published = await hub.graphql(
    'ncb-fra',
    `mutation($input: PublishDocumentAlertInput!) { publishDocumentAlert(input: $input) { id issuingCountry } }`,
    {
      input: {
        issuingCountry: 'D<<',
        documentType: 'PASSPORT',
        fraudType: 'COUNTERFEIT',
        description: 'ICAO country code test',
        indicators: ['Wrong hologram'],
        numberPattern: '^ICAOTEST[0-9]+$',
      },
    },
  );
  const alert = published.body.data?.publishDocumentAlert as { id: string; issuingCountry: string };
  expect(alert.issuingCountry).toBe('D');
  for (const code of ['D', 'deu']) {
    const found = await hub.graphql(
      'ncb-fra',
      `{ documentAlerts(filter: { issuingCountry: "${code}" }, first: 100) { edges { node { id } } } }`,
    );
    const ids = (found.body.data?.documentAlerts as { edges: { node: { id: string } }[] }).edges.map(
      (e) => e.node.id,
    );
    expect(ids).toContain(alert.id);
  }
});
