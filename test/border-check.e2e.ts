import pg from 'pg';
import { statementCount } from '../db/data-source';
import {
  loadSpecimen,
  readContract,
  specimenDocument,
  SPECIMEN_DECODED,
  SPECIMEN_MRZ,
  type Specimen,
} from './contract';
import { startTestHub, type TestHub } from './hub';

/**
 * The border officer's operations (contract border-check.graphql, parse-mrz.graphql, hits.graphql): a batch of
 * documents checked in one call, hits for the owners, and their confirmation.
 */
const BORDER_CHECK = readContract('border-check.graphql');
const PARSE_MRZ = readContract('parse-mrz.graphql');
const HITS = readContract('hits.graphql');

// The same zone with the document number's check digit altered (6 → 5), so it and the composite fail.
const TAMPERED_MRZ =
  'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C35UTO7408122F1204159ZE184226B<<<<<10';
// An unreported document whose check digit fails: INVALID_INPUT.
const INVALID_MRZ =
  'P<FRADUPONT<<JEAN<<<<<<<<<<<<<<<<<<<<<<<<<<<\n12AB345670FRA8001014M3001019<<<<<<<<<<<<<<04';

const unauthorized = (path: (string | number)[]) => ({
  message: 'Unauthorized field or type',
  path,
  extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
});

let hub: TestHub;
let db: pg.Client;
let specimen: Specimen;

beforeAll(async () => {
  hub = await startTestHub();
  db = new pg.Client({ connectionString: hub.databaseUrl });
  await db.connect();
  specimen = await loadSpecimen(db);
});
afterAll(async () => {
  await db.end();
  await hub.stop();
});

const documents = [
  { mrz: SPECIMEN_MRZ },
  { issuingCountry: 'FRA', documentNumber: '00AA00000', documentType: 'PASSPORT' },
  { mrz: INVALID_MRZ },
];

describe('BorderCheck (border-check.graphql)', () => {
  test('bp-fra: HIT on the specimen, NO_HIT on an unreported document, INVALID_INPUT on a faulty MRZ', async () => {
    const response = await hub.graphql('bp-fra', BORDER_CHECK, { documents });
    const results = response.body.data?.checkDocuments as { hit: { id: string } | null }[];
    const hitId = results[0].hit?.id;
    expect(hitId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.body).toEqual({
      data: {
        checkDocuments: [
          {
            verdict: 'HIT',
            problems: [],
            mrz: SPECIMEN_DECODED,
            document: specimenDocument(specimen, null),
            hit: { id: hitId, status: 'PENDING' },
          },
          {
            verdict: 'NO_HIT',
            problems: [],
            mrz: null,
            document: {
              issuingCountry: 'FRA',
              documentNumber: '00AA00000',
              sltdRecord: null,
              alerts: [],
              notices: null,
            },
            hit: null,
          },
          {
            verdict: 'INVALID_INPUT',
            problems: [
              'input.2.mrz: documentNumber: check digit 0 does not match computed 3',
              expect.stringMatching(/^input\.2\.mrz: composite: check digit/),
            ],
            mrz: expect.objectContaining({ documentNumber: '12AB34567', valid: false }),
            document: {
              issuingCountry: 'FRA',
              documentNumber: '12AB34567',
              sltdRecord: null,
              alerts: [],
              notices: null,
            },
            hit: null,
          },
        ],
      },
      errors: [unauthorized(['checkDocuments', '@', 'document', 'notices'])],
    });
    const hit = await db.query(
      'SELECT record_id, owner_agency_id, checked_by_client, status, visible_to_checker FROM sltd.hits WHERE id = $1',
      [hitId],
    );
    expect(hit.rows).toEqual([
      {
        record_id: specimen.record_id,
        owner_agency_id: specimen.uto_ncb,
        checked_by_client: 'bp-fra',
        status: 'PENDING',
        visible_to_checker: true,
      },
    ]);
  });

  test('ncb-fra also sees the notices about the holder', async () => {
    const response = await hub.graphql('ncb-fra', BORDER_CHECK, { documents: documents.slice(0, 1) });
    expect(response.body.errors).toBeUndefined();
    const [result] = response.body.data?.checkDocuments as { document: { notices: unknown[] } }[];
    expect(result.document.notices).toEqual([
      { id: specimen.notice_id, controlNumber: specimen.control_number, type: 'YELLOW' },
    ]);
  });

  test('airline-demo sees the verdict and nothing about the record', async () => {
    const response = await hub.graphql('airline-demo', BORDER_CHECK, { documents: documents.slice(0, 1) });
    const [result] = response.body.data?.checkDocuments as Record<string, unknown>[];
    expect(result).toMatchObject({
      verdict: 'HIT',
      document: {
        issuingCountry: 'UTO',
        documentNumber: 'L898902C3',
        sltdRecord: null,
        alerts: null,
        notices: null,
      },
      hit: null,
    });
    expect(response.body.errors).toEqual([
      unauthorized(['checkDocuments', '@', 'document', 'sltdRecord']),
      unauthorized(['checkDocuments', '@', 'document', 'alerts']),
      unauthorized(['checkDocuments', '@', 'document', 'notices']),
      unauthorized(['checkDocuments', '@', 'hit']),
    ]);
  });

  test('a tampered MRZ of a stolen passport still hits, with its faults listed', async () => {
    const response = await hub.graphql('bp-fra', BORDER_CHECK, { documents: [{ mrz: TAMPERED_MRZ }] });
    const [result] = response.body.data?.checkDocuments as { verdict: string; problems: string[] }[];
    expect(result.verdict).toBe('HIT');
    expect(result.problems).toEqual([
      'input.0.mrz: documentNumber: check digit 5 does not match computed 6',
      expect.stringMatching(/^input\.0\.mrz: composite: check digit/),
    ]);
  });

  test('bad inputs get INVALID_INPUT with problems naming the field; over 500 documents is refused', async () => {
    const response = await hub.graphql('bp-fra', BORDER_CHECK, {
      documents: [{ issuingCountry: 'ZZZ', documentNumber: '12-34' }, { documentNumber: 'ÄÖ!' }, {}],
    });
    const results = response.body.data?.checkDocuments as { verdict: string; problems: string[] }[];
    expect(results.map((r) => [r.verdict, r.problems])).toEqual([
      ['INVALID_INPUT', ['input.0.issuingCountry: ZZZ is not an ISO 3166-1 alpha-3 or ICAO country code']],
      [
        'INVALID_INPUT',
        [
          'input.1.issuingCountry: must be an ISO 3166-1 alpha-3 or ICAO country code',
          'input.1.documentNumber: may contain only letters A-Z and digits',
        ],
      ],
      ['INVALID_INPUT', ['input.2.mrz: give either mrz or issuingCountry and documentNumber']],
    ]);
    const tooMany = await hub.graphql('bp-fra', BORDER_CHECK, {
      documents: Array.from({ length: 501 }, (_, i) => ({ issuingCountry: 'FRA', documentNumber: `X${i}` })),
    });
    // The cap is per request (every alias summed), refused before anything is planned: HTTP 400, nothing checked.
    expect(tooMany).toEqual({
      status: 400,
      body: {
        errors: [
          {
            message:
              'The request checks 501 documents (checkDocuments, every alias counted); the limit is 500',
            extensions: {
              code: 'OPERATION_LIMIT_EXCEEDED',
              limit: 'maxCheckedDocuments',
              maximum: 500,
              measured: 501,
            },
          },
        ],
      },
    });
  });
});

describe('cost of a check', () => {
  // One look-up; then, before the response, one statement that writes the audit rows together with the hits of
  // records hidden from the checker, which every check runs alike (docs/security.md): no BEGIN, no COMMIT.
  test('500 documents cost the travel-documents subgraph the same two statements as 5', async () => {
    const travelDocuments = hub.hub.subgraphs['travel-documents'].db;
    const statementsFor = async (count: number) => {
      const batch = Array.from({ length: count }, (_, i) => ({
        issuingCountry: 'FRA',
        documentNumber: `ZZ${String(i).padStart(7, '0')}`,
      }));
      const before = statementCount(travelDocuments);
      const query = 'query($d: [DocumentCheckInput!]!) { checkDocuments(input: $d) { verdict } }';
      const response = await hub.graphql('airline-demo', query, { d: batch });
      expect((response.body.data?.checkDocuments as unknown[]).length).toBe(count);
      return statementCount(travelDocuments) - before;
    };
    expect(await statementsFor(5)).toBe(2);
    expect(await statementsFor(500)).toBe(2);
  });
});

describe('ParseMrz (parse-mrz.graphql)', () => {
  test('decodes the specimen with every check digit', async () => {
    const response = await hub.graphql('airline-demo', PARSE_MRZ, { mrz: SPECIMEN_MRZ });
    expect(response.body).toEqual({
      data: {
        parseMrz: {
          format: 'TD3',
          ...SPECIMEN_DECODED,
          personalNumber: 'ZE184226B',
          checks: [
            { field: 'documentNumber', valid: true },
            { field: 'dateOfBirth', valid: true },
            { field: 'expiryDate', valid: true },
            { field: 'personalNumber', valid: true },
            { field: 'composite', valid: true },
          ],
        },
      },
    });
  });

  test('needs sltd:check', async () => {
    const response = await hub.graphql('explorer', PARSE_MRZ, { mrz: SPECIMEN_MRZ });
    expect(response.body).toEqual({ data: null, errors: [unauthorized(['parseMrz'])] });
  });
});

describe('hits (hits.graphql)', () => {
  test('the owner lists the pending hit and confirms it; the checker sees the outcome', async () => {
    const check = await hub.graphql('frontex', BORDER_CHECK, {
      documents: [{ mrz: SPECIMEN_MRZ, location: 'Lesbos' }],
    });
    const hitId = (check.body.data?.checkDocuments as { hit: { id: string } }[])[0].hit.id;

    const pendingQuery = HITS.split('\n').find((line) => line.startsWith('query PendingHits')) as string;
    const pending = await hub.graphql('ncb-uto', pendingQuery);
    const edges = (pending.body.data?.hits as { edges: { node: Record<string, unknown> }[] }).edges;
    expect(edges.find((e) => e.node.id === hitId)?.node).toEqual({
      id: hitId,
      status: 'PENDING',
      checkedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      checkedBy: { name: 'Frontex, European Border and Coast Guard Agency', country: null },
      record: { documentNumber: 'L898902C3' },
    });

    const confirmQuery = HITS.split('\n').find((line) => line.startsWith('mutation ConfirmHit')) as string;
    const confirmed = await hub.graphql('ncb-uto', confirmQuery, { id: hitId });
    expect(confirmed.body).toEqual({ data: { confirmHit: { id: hitId, status: 'CONFIRMED' } } });

    const again = await hub.graphql('ncb-uto', confirmQuery, { id: hitId });
    expect(again.body.errors?.[0]).toMatchObject({
      message: 'The hit was already decided: CONFIRMED',
      extensions: { code: 'CONFLICT' },
    });

    const asChecker = await hub.graphql(
      'frontex',
      '{ hits(filter: { side: CHECKER }, first: 100) { edges { node { id status outcomeNote } } } }',
    );
    const mine = (asChecker.body.data?.hits as { edges: { node: { id: string } }[] }).edges.find(
      (e) => e.node.id === hitId,
    );
    expect(mine?.node).toEqual({ id: hitId, status: 'CONFIRMED', outcomeNote: 'holder detained' });
  });

  test('another NCB cannot decide a hit on a record it does not own', async () => {
    const check = await hub.graphql('bp-fra', BORDER_CHECK, { documents: [{ mrz: SPECIMEN_MRZ }] });
    const hitId = (check.body.data?.checkDocuments as { hit: { id: string } }[])[0].hit.id;
    const response = await hub.graphql(
      'ncb-fra',
      'mutation($id: ID!) { confirmHit(id: $id, outcome: FALSE_POSITIVE) { id status } }',
      { id: hitId },
    );
    expect(response.body.errors?.[0]).toMatchObject({
      message: 'Hit not found',
      extensions: { code: 'NOT_FOUND' },
    });
    const row = await db.query('SELECT status FROM sltd.hits WHERE id = $1', [hitId]);
    expect(row.rows[0].status).toBe('PENDING');
  });
});
