import pg from 'pg';
import { readContract } from '../contract';
import { startTestHub, type TestHub } from '../hub';
import { direct, SPECIMEN_MRZ } from './attacks';

/**
 * Bad bytes (shared/input/): every text argument, literal or variable, at the gateway and at a subgraph reached
 * directly, passes one rule; custom scalars are parsed for real at the gateway; a refusal is HTTP 400
 * BAD_USER_INPUT naming the field and the reason, and writes nothing.
 */
const REPORT = readContract('report-document.graphql');
const BORDER_CHECK = readContract('border-check.graphql');

let hub: TestHub;
let db: pg.Client;

beforeAll(async () => {
  hub = await startTestHub();
  db = new pg.Client({ connectionString: hub.databaseUrl });
  await db.connect();
  // Tokens first: every token request writes its own audit row, which the "nothing written" checks would count.
  for (const clientId of ['ncb-fra', 'bp-fra']) await hub.token(clientId);
});
afterAll(async () => {
  await db.end();
  await hub.stop();
});

async function rowCounts() {
  const { rows } = await db.query(
    `SELECT (SELECT count(*) FROM sltd.records)::int AS records, (SELECT count(*) FROM sltd.hits)::int AS hits,
            (SELECT count(*) FROM audit.entries)::int AS audit`,
  );
  return rows[0] as Record<string, number>;
}

const report = (number: string, holder: Record<string, string>) => ({
  input: {
    issuingCountry: 'FRA',
    documentNumber: number,
    documentType: 'PASSPORT',
    status: 'LOST',
    holder,
  },
});

const refused = (problems: { field: string; reason: string }[]) => ({
  status: 400,
  body: {
    errors: [
      {
        message: `Invalid input: ${problems.map((p) => `${p.field}: ${p.reason}`).join('; ')}`,
        extensions: { code: 'BAD_USER_INPUT', problems },
      },
    ],
  },
});

describe('text arguments', () => {
  const cases: [string, string, string][] = [
    ['NUL', 'Dupont\u0000', 'must not contain NUL (U+0000)'],
    ['a C0 control', 'Du\u0007pont', 'must not contain control characters (U+0007)'],
    ['a C1 control', 'Du\u0085pont', 'must not contain control characters (U+0085)'],
    ['a line break in one-line text', 'Du\npont', 'must be one line (found U+000A)'],
    [
      'a right-to-left override',
      'Du\u202Etnop',
      'must not contain bidirectional control characters (U+202E)',
    ],
    ['an isolate', 'Du\u2066pont', 'must not contain bidirectional control characters (U+2066)'],
    ['a lone surrogate', 'Du\uD800pont', 'must not contain a lone surrogate (U+D800)'],
  ];
  test.each(cases)(
    '%s in a variable is refused at the gateway, naming the field; nothing written',
    async (_, surname, reason) => {
      const before = await rowCounts();
      const response = await hub.graphql('ncb-fra', REPORT, report('19HY00001', { surname }));
      expect(response).toEqual(refused([{ field: 'input.holder.surname', reason }]));
      expect(await rowCounts()).toEqual(before);
    },
  );

  test('in a literal, in a filter, and at a subgraph reached directly', async () => {
    const literal = await hub.graphql(
      'ncb-fra',
      'mutation { resolveHit: confirmHit(id: "00000000-0000-0000-0000-000000000000", outcome: CONFIRMED, note: "ok\\u202E") { id } }',
    );
    expect(literal).toEqual(
      refused([{ field: 'note', reason: 'must not contain bidirectional control characters (U+202E)' }]),
    );
    const filter = await hub.graphql(
      'ncb-fra',
      'query($c: String) { sltdRecords(filter: { issuingCountry: $c }) { totalCount } }',
      {
        c: 'FR\u0000',
      },
    );
    expect(filter).toEqual(
      refused([{ field: 'filter.issuingCountry', reason: 'must not contain NUL (U+0000)' }]),
    );
    const before = await rowCounts();
    const atSubgraph = await direct(hub, 'travel-documents', 'ncb-fra', {
      query: 'mutation($input: ReportTravelDocumentInput!) { reportTravelDocument(input: $input) { id } }',
      variables: report('19HY00002', { surname: 'Dupont', forenames: 'Jean\u0000' }),
    });
    expect(atSubgraph).toEqual(
      refused([{ field: 'input.holder.forenames', reason: 'must not contain NUL (U+0000)' }]),
    );
    expect(await rowCounts()).toEqual(before);
  });

  test('multi-line free text keeps its line breaks; an MRZ is lines', async () => {
    const check = await hub.graphql('bp-fra', BORDER_CHECK, { documents: [{ mrz: SPECIMEN_MRZ }] });
    expect(check.status).toBe(200);
    expect((check.body.data?.checkDocuments as { verdict: string }[])[0].verdict).toBe('HIT');
  });

  test('text is stored in NFC: a combining accent becomes the one character', async () => {
    const response = await hub.graphql('ncb-fra', REPORT, report('19HY00003', { surname: 'Mu\u0308ller' }));
    const id = (response.body.data?.reportTravelDocument as { id: string }).id;
    const { rows } = await db.query(`SELECT holder_surname FROM sltd.records WHERE id = $1`, [id]);
    expect(rows).toEqual([{ holder_surname: 'M\u00FCller' }]);
  });
});

describe('custom scalars', () => {
  const query =
    'query($after: DateTimeISO) { sltdRecords(filter: { reportedAfter: $after }) { totalCount } }';

  test('an invalid DateTimeISO is a 400 at the gateway, as a variable or a literal, never a 500', async () => {
    expect(await hub.graphql('ncb-fra', query, { after: '2026-13-45T99:00:00Z' })).toEqual(
      refused([{ field: 'filter.reportedAfter', reason: 'is not a valid DateTimeISO' }]),
    );
    expect(
      await hub.graphql('ncb-fra', '{ sltdRecords(filter: { reportedAfter: "yesterday" }) { totalCount } }'),
    ).toEqual(refused([{ field: 'filter.reportedAfter', reason: 'is not a valid DateTimeISO' }]));
    const good = await hub.graphql('ncb-fra', query, { after: '2020-01-01T00:00:00Z' });
    expect(good.status).toBe(200);
    expect(good.body.errors).toBeUndefined();
  });

  test('and at the subgraph', async () => {
    const response = await direct(hub, 'travel-documents', 'ncb-fra', {
      query,
      variables: { after: 'yesterday' },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('_entities', () => {
  test('an unknown __typename is BAD_USER_INPUT, not an internal error', async () => {
    const response = await direct(hub, 'travel-documents', 'ncb-fra', {
      query: 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }',
      variables: { r: [{ __typename: 'Nope', id: '1' }] },
    });
    expect(response).toEqual(
      refused([{ field: 'representations.0.__typename', reason: 'is not an entity type of this subgraph' }]),
    );
  });

  test('a key with bad bytes is refused too', async () => {
    const response = await direct(hub, 'travel-documents', 'ncb-fra', {
      query: 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }',
      variables: { r: [{ __typename: 'TravelDocument', issuingCountry: 'UTO', documentNumber: 'L8\u0000' }] },
    });
    expect(response).toEqual(
      refused([{ field: 'representations.0.documentNumber', reason: 'must not contain NUL (U+0000)' }]),
    );
  });
});

test('a 100,000-character location on a check that hits: reported, the hit recorded without it', async () => {
  const response = await hub.graphql('bp-fra', BORDER_CHECK, {
    documents: [{ mrz: SPECIMEN_MRZ, location: 'x'.repeat(100_000) }],
  });
  const [result] = response.body.data?.checkDocuments as {
    verdict: string;
    problems: string[];
    hit: { id: string };
  }[];
  expect(result.verdict).toBe('HIT');
  expect(result.problems).toEqual(['input.0.location: must be at most 200 characters']);
  const { rows } = await db.query(`SELECT location FROM sltd.hits WHERE id = $1`, [result.hit.id]);
  expect(rows).toEqual([{ location: null }]);
});
