import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { statementCount } from '../../db/data-source';
import { DEV_AUDIT_CHAIN, verifyAuditChain } from '../../shared/audit';
import { DEV_GATEWAY_CREDENTIAL } from '../../shared/subgraph/config';
import { startTestHub, type TestHub } from '../hub';
import { mintToken } from '../tokens';

/**
 * Every refused attempt is an audit row (docs/security.md, "What is audited"): fields the gateway removes
 * (UNAUTHORIZED_FIELD_OR_TYPE, written by partner-agencies for the gateway, which has no database), queries by id
 * that answer null (NOT_FOUND: the caller's row without the id, the owner's copy with it), and mutations the
 * record gate refuses (FORBIDDEN here; NOT_FOUND in test/security/record-gate.e2e.ts). Each request is sent with a
 * request id of its own, so its rows are exactly those of its request id; the General Secretariat reads them, the
 * caller does not.
 */
let hub: TestHub;
let db: pg.Client;
let agencies: Record<'BP-FRA' | 'NCB-FRA' | 'NCB-USA', string>;
const hidden = { sltd: '', notice: '', alert: '' };
let visibleFrench = '';

beforeAll(async () => {
  hub = await startTestHub();
  db = new pg.Client({ connectionString: hub.databaseUrl });
  await db.connect();
  const { rows } = await db.query<{ code: 'BP-FRA' | 'NCB-FRA' | 'NCB-USA'; id: string }>(
    `SELECT code, id::text FROM partners.agencies WHERE code IN ('BP-FRA', 'NCB-FRA', 'NCB-USA')`,
  );
  agencies = Object.fromEntries(rows.map((row) => [row.code, row.id])) as typeof agencies;
  const insert = async (sql: string, params: unknown[]) => (await db.query(sql, params)).rows[0].id as string;
  // Records of the French border police kept from NCBs: hidden from ncb-fra.
  hidden.sltd = await insert(
    `INSERT INTO sltd.records (issuing_country, document_number, document_type, status, owner_agency_id, owner_country,
                               review_date, excluded_agency_kinds)
     VALUES ('FRA', 'REFUSAL01', 'PASSPORT', 'STOLEN', $1, 'FRA', '2035-01-01', '{NCB}') RETURNING id::text`,
    [agencies['BP-FRA']],
  );
  hidden.notice = await insert(
    `INSERT INTO notices.notices (control_number, type, status, title, owner_agency_id, owner_country, subject_surname,
                                  review_date, published_at, excluded_agency_kinds)
     VALUES ('Y-999902/11-2026', 'YELLOW', 'PUBLISHED', 'Refusal case', $1, 'FRA', 'REFUSAL', '2035-01-01', now(),
             '{NCB}') RETURNING id::text`,
    [agencies['BP-FRA']],
  );
  hidden.alert = await insert(
    `INSERT INTO alerts.alerts (alert_number, issuing_country, document_type, fraud_type, description, indicators,
                                owner_agency_id, owner_country, review_date, excluded_agency_kinds)
     VALUES ('DD-REFUSAL-00001', 'FRA', 'PASSPORT', 'FORGED', 'Refusal model', '{x}', $1, 'FRA', '2035-01-01', '{NCB}')
     RETURNING id::text`,
    [agencies['BP-FRA']],
  );
  // A record of the French NCB that the USA bureau sees but may not change.
  visibleFrench = await insert(
    `INSERT INTO sltd.records (issuing_country, document_number, document_type, status, owner_agency_id, owner_country,
                               review_date)
     VALUES ('FRA', 'REFUSAL02', 'PASSPORT', 'STOLEN', $1, 'FRA', '2035-01-01') RETURNING id::text`,
    [agencies['NCB-FRA']],
  );
});
afterAll(async () => {
  await db.end();
  await hub.stop();
});

interface Sent {
  requestId: string;
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: unknown[] };
}

/** A GraphQL request with a request id of its own, as a client may send one (x-request-id). */
async function send(
  clientId: string | null,
  query: string,
  variables?: Record<string, unknown>,
): Promise<Sent> {
  const requestId = `refusal-${randomUUID()}`;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-request-id': requestId };
  if (clientId) headers.authorization = `Bearer ${await hub.token(clientId)}`;
  const response = await fetch(hub.hub.gatewayUrl, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  return { requestId, status: response.status, body: (await response.json()) as Sent['body'] };
}

/** Every audit row of one request, in the order written. */
async function rowsOf(requestId: string) {
  const { rows } = await db.query(
    `SELECT subgraph, client_id, agency_id::text, operation, action, record_type, record_ids,
            owner_agency_ids::text[], fields, details
       FROM audit.entries WHERE request_id = $1 ORDER BY seq`,
    [requestId],
  );
  return rows;
}

/** A subgraph's rows carry the operation as the gateway's query plan named its fetch. */
const planned = (operation: string, subgraph: string) => `${operation}__${subgraph.replace(/-/g, '_')}__0`;

const unauthorized = (path: (string | number)[]) => ({
  message: 'Unauthorized field or type',
  path,
  extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
});

describe('fields the gateway refuses (UNAUTHORIZED_FIELD_OR_TYPE)', () => {
  test('one row per request: client, agency, operation and each refused coordinate once', async () => {
    // bp-fra holds neither audit:read nor schema:read; `me` is its to read.
    const sent = await send(
      'bp-fra',
      `query Probe {
        me { clientId }
        a: auditTrail(first: 1) { totalCount }
        b: auditTrail(first: 2) { totalCount }
        __schema { queryType { name } }
      }`,
    );
    expect(sent.body).toEqual({
      data: { me: { clientId: 'bp-fra' }, a: null, b: null, __schema: null },
      errors: [unauthorized(['a']), unauthorized(['b']), unauthorized(['__schema'])],
    });
    expect(await rowsOf(sent.requestId)).toEqual([
      {
        subgraph: 'gateway',
        client_id: 'bp-fra',
        agency_id: agencies['BP-FRA'],
        operation: 'Probe',
        action: 'REFUSE',
        record_type: 'Field',
        record_ids: [],
        owner_agency_ids: [],
        fields: ['Query.__schema', 'Query.auditTrail'],
        details: { refusal: 'UNAUTHORIZED_FIELD_OR_TYPE' },
      },
    ]);
  });

  test('an operation with nothing left to run is audited too, before its answer', async () => {
    const sent = await send('bp-fra', `query { auditTrail(first: 1) { totalCount } }`);
    expect(sent.body).toEqual({ data: null, errors: [unauthorized(['auditTrail'])] });
    expect(await rowsOf(sent.requestId)).toEqual([
      {
        subgraph: 'gateway',
        client_id: 'bp-fra',
        agency_id: agencies['BP-FRA'],
        operation: null,
        action: 'REFUSE',
        record_type: 'Field',
        record_ids: [],
        owner_agency_ids: [],
        fields: ['Query.auditTrail'],
        details: { refusal: 'UNAUTHORIZED_FIELD_OR_TYPE' },
      },
    ]);
  });

  test('nested fields are named by their type: SltdRecord.holder, not the response path', async () => {
    const sent = await send(
      'bp-fra',
      `query Nested($id: ID!) { sltdRecord(id: $id) { documentNumber h: holder { surname } nationalReference } }`,
      { id: visibleFrench },
    );
    expect(sent.body).toEqual({
      data: { sltdRecord: { documentNumber: 'REFUSAL02', h: null, nationalReference: null } },
      errors: [unauthorized(['sltdRecord', 'h']), unauthorized(['sltdRecord', 'nationalReference'])],
    });
    const refusals = (await rowsOf(sent.requestId)).filter((row) => row.action === 'REFUSE');
    expect(refusals).toEqual([
      {
        subgraph: 'gateway',
        client_id: 'bp-fra',
        agency_id: agencies['BP-FRA'],
        operation: 'Nested',
        action: 'REFUSE',
        record_type: 'Field',
        record_ids: [],
        owner_agency_ids: [],
        fields: ['SltdRecord.holder', 'SltdRecord.nationalReference'],
        details: { refusal: 'UNAUTHORIZED_FIELD_OR_TYPE' },
      },
    ]);
  });

  test('an anonymous caller is told to authenticate and leaves no row (no token, no client to name)', async () => {
    const sent = await send(null, `query { auditTrail(first: 1) { totalCount } }`);
    expect(sent.status).toBe(401);
    expect(await rowsOf(sent.requestId)).toEqual([]);
  });

  test('an operation with nothing refused leaves no refusal row', async () => {
    const sent = await send('bp-fra', `query { me { clientId } }`);
    expect(sent.body).toEqual({ data: { me: { clientId: 'bp-fra' } } });
    expect(await rowsOf(sent.requestId)).toEqual([]);
  });
});

describe('the refusal route is the gateway’s alone', () => {
  const partnerAgencies = () => hub.hub.subgraphs['partner-agencies'].url.replace(/\/graphql$/, '');
  const post = async (base: string, headers: Record<string, string>, body: unknown) => {
    const requestId = `refusal-${randomUUID()}`;
    const response = await fetch(`${base}/internal/refusals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...headers },
      body: JSON.stringify(body),
    });
    await response.body?.cancel();
    return { status: response.status, rows: await rowsOf(requestId) };
  };
  const report = { operation: 'Forged', fields: ['Query.auditTrail'] };

  test('without the gateway credential: 401, no row', async () => {
    const bearer = `Bearer ${await hub.token('bp-fra')}`;
    expect(await post(partnerAgencies(), { authorization: bearer }, report)).toEqual({
      status: 401,
      rows: [],
    });
  });

  test('with it but without a caller’s token: 401, no row (the row names the token’s client, not a claim)', async () => {
    expect(await post(partnerAgencies(), { 'x-gateway-credential': DEV_GATEWAY_CREDENTIAL }, report)).toEqual(
      { status: 401, rows: [] },
    );
  });

  test('a report beyond its bounds is refused: 400, no row', async () => {
    const headers = {
      'x-gateway-credential': DEV_GATEWAY_CREDENTIAL,
      authorization: `Bearer ${await hub.token('bp-fra')}`,
    };
    const tooMany = { operation: 'Many', fields: Array.from({ length: 51 }, (_, i) => `Query.f${i}`) };
    expect(await post(partnerAgencies(), headers, tooMany)).toEqual({ status: 400, rows: [] });
    const notACoordinate = { operation: 'X', fields: ['Query.auditTrail; DROP TABLE'] };
    expect(await post(partnerAgencies(), headers, notACoordinate)).toEqual({ status: 400, rows: [] });
  });

  test('the gateway does not expose it', async () => {
    const gateway = hub.hub.gatewayUrl.replace(/\/graphql$/, '');
    const headers = {
      'x-gateway-credential': DEV_GATEWAY_CREDENTIAL,
      authorization: `Bearer ${await hub.token('bp-fra')}`,
    };
    expect(await post(gateway, headers, report)).toEqual({ status: 404, rows: [] });
  });
});

describe('queries by id that answer null (NOT_FOUND)', () => {
  const QUERIES = {
    sltd: { field: 'sltdRecord', recordType: 'SltdRecord', subgraph: 'travel-documents' },
    notice: { field: 'notice', recordType: 'Notice', subgraph: 'notices' },
    alert: { field: 'documentAlert', recordType: 'DocumentAlert', subgraph: 'document-alerts' },
  } as const;

  describe.each(Object.entries(QUERIES))('%s', (kind, query) => {
    const ask = (id: string) =>
      send('ncb-fra', `query Lookup($id: ID!) { ${query.field}(id: $id) { id } }`, { id });
    const callerRow = {
      subgraph: query.subgraph,
      client_id: 'ncb-fra',
      agency_id: '',
      operation: planned('Lookup', query.subgraph),
      action: 'REFUSE',
      record_type: query.recordType,
      record_ids: [],
      owner_agency_ids: [],
      fields: [query.field],
      details: { refusal: 'NOT_FOUND' },
    };

    test('a hidden record: null, a row without its id for the caller, the owner’s copy with it', async () => {
      const id = hidden[kind as keyof typeof hidden];
      const sent = await ask(id);
      expect(sent.body).toEqual({ data: { [query.field]: null } });
      expect(await rowsOf(sent.requestId)).toEqual([
        { ...callerRow, agency_id: agencies['NCB-FRA'] },
        {
          ...callerRow,
          agency_id: agencies['NCB-FRA'],
          record_ids: [id],
          owner_agency_ids: [agencies['BP-FRA']],
          details: { refusal: 'NOT_FOUND', hiddenFromCaller: true },
        },
      ]);
    });

    test('an absent id: the same answer and the same caller’s row, no copy', async () => {
      const sent = await ask(randomUUID());
      expect(sent.body).toEqual({ data: { [query.field]: null } });
      expect(await rowsOf(sent.requestId)).toEqual([{ ...callerRow, agency_id: agencies['NCB-FRA'] }]);
    });

    test('hidden and absent cost the subgraph the same statements', async () => {
      const subgraph = hub.hub.subgraphs[query.subgraph].db;
      const statementsFor = async (id: string) => {
        const before = statementCount(subgraph);
        const sent = await ask(id);
        expect(sent.body).toEqual({ data: { [query.field]: null } });
        return statementCount(subgraph) - before;
      };
      expect(await statementsFor(hidden[kind as keyof typeof hidden])).toBe(
        await statementsFor(randomUUID()),
      );
    });
  });

  test('a record the caller sees leaves no refusal row', async () => {
    const sent = await send('ncb-usa', `query Lookup($id: ID!) { sltdRecord(id: $id) { id } }`, {
      id: visibleFrench,
    });
    expect(sent.body).toEqual({ data: { sltdRecord: { id: visibleFrench } } });
    expect((await rowsOf(sent.requestId)).filter((row) => row.action === 'REFUSE')).toEqual([]);
  });
});

describe('reads that follow a key to a record answer null (NOT_FOUND)', () => {
  const callerRow = (subgraph: string, operation: string, recordType: string, field: string) => ({
    subgraph,
    client_id: 'ncb-fra',
    agency_id: agencies['NCB-FRA'],
    operation: planned(operation, subgraph),
    action: 'REFUSE',
    record_type: recordType,
    record_ids: [],
    owner_agency_ids: [],
    fields: [field],
    details: { refusal: 'NOT_FOUND' },
  });
  const ownerCopy = (row: ReturnType<typeof callerRow>, id: string) => ({
    ...row,
    record_ids: [id],
    owner_agency_ids: [agencies['BP-FRA']],
    details: { refusal: 'NOT_FOUND', hiddenFromCaller: true },
  });

  describe('travelDocument(issuingCountry, documentNumber) { sltdRecord }', () => {
    const ask = (documentNumber: string) =>
      send(
        'ncb-fra',
        `query Lookup($n: String!) {
          travelDocument(issuingCountry: "FRA", documentNumber: $n) { documentNumber sltdRecord { id } }
        }`,
        { n: documentNumber },
      );
    const row = () => callerRow('travel-documents', 'Lookup', 'SltdRecord', 'TravelDocument.sltdRecord');

    test('every record of the document hidden: null, the caller’s row without it, the owner’s copy with it', async () => {
      const sent = await ask('REFUSAL01');
      expect(sent.body).toEqual({
        data: { travelDocument: { documentNumber: 'REFUSAL01', sltdRecord: null } },
      });
      expect(await rowsOf(sent.requestId)).toEqual([row(), ownerCopy(row(), hidden.sltd)]);
    });

    test('a document never reported: the same answer and caller’s row, no copy', async () => {
      const sent = await ask('REFUSALNONE1');
      expect(sent.body).toEqual({
        data: { travelDocument: { documentNumber: 'REFUSALNONE1', sltdRecord: null } },
      });
      expect(await rowsOf(sent.requestId)).toEqual([row()]);
    });

    test('hidden and never reported cost travel-documents the same statements', async () => {
      const subgraph = hub.hub.subgraphs['travel-documents'].db;
      const statementsFor = async (documentNumber: string) => {
        const before = statementCount(subgraph);
        const sent = await ask(documentNumber);
        expect(sent.body.data).toEqual({ travelDocument: { documentNumber, sltdRecord: null } });
        return statementCount(subgraph) - before;
      };
      expect(await statementsFor('REFUSAL01')).toBe(await statementsFor('REFUSALNONE2'));
    });

    test('in a border check: the check’s own look-up answers it, no statement more than for a document not on file', async () => {
      const check = (documentNumber: string) =>
        send(
          'ncb-fra',
          `query Check($d: [DocumentCheckInput!]!) {
            checkDocuments(input: $d) { verdict document { sltdRecord { id } } }
          }`,
          { d: [{ issuingCountry: 'FRA', documentNumber, documentType: 'PASSPORT' }] },
        );
      const subgraph = hub.hub.subgraphs['travel-documents'].db;
      const before = statementCount(subgraph);
      const sent = await check('REFUSAL01');
      const hiddenStatements = statementCount(subgraph) - before;
      expect(sent.body).toEqual({
        data: { checkDocuments: [{ verdict: 'NO_HIT', document: { sltdRecord: null } }] },
      });
      const refusals = (await rowsOf(sent.requestId)).filter((r) => r.action === 'REFUSE');
      const row = callerRow('travel-documents', 'Check', 'SltdRecord', 'TravelDocument.sltdRecord');
      expect(refusals).toEqual([row, ownerCopy(row, hidden.sltd)]);

      const beforeAbsent = statementCount(subgraph);
      const absent = await check('REFUSALNONE3');
      expect(statementCount(subgraph) - beforeAbsent).toBe(hiddenStatements);
      expect(absent.body).toEqual(sent.body);
      expect((await rowsOf(absent.requestId)).filter((r) => r.action === 'REFUSE')).toEqual([row]);
    });

    test('a record the caller sees answers, and leaves no refusal row', async () => {
      const sent = await ask('REFUSAL02');
      expect(sent.body).toEqual({
        data: { travelDocument: { documentNumber: 'REFUSAL02', sltdRecord: { id: visibleFrench } } },
      });
      expect((await rowsOf(sent.requestId)).filter((r) => r.action === 'REFUSE')).toEqual([]);
    });
  });

  describe('a hit or notice hit of the caller’s whose record was restricted away from it since', () => {
    // ncb-fra's own check and own report, made (at a time of this test's own, so the lists below hold them alone)
    // before BP-FRA kept the record and the notice from NCBs: the hits stay ncb-fra's, their record does not.
    const at = `2001-02-03T04:05:06.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}Z`;
    const window = { from: at, to: new Date(new Date(at).getTime() + 1).toISOString() };
    let hitId = '';
    let noticeHitId = '';

    beforeAll(async () => {
      hitId = (
        await db.query(
          `INSERT INTO sltd.hits (record_id, owner_agency_id, checked_by_client, checked_by_agency_id,
                                  checked_by_country, checked_at, visible_to_checker)
           VALUES ($1, $2, 'ncb-fra', $3, 'FRA', $4, true) RETURNING id::text`,
          [hidden.sltd, agencies['BP-FRA'], agencies['NCB-FRA'], at],
        )
      ).rows[0].id as string;
      noticeHitId = randomUUID();
      await db.query(
        `INSERT INTO notices.notice_hits (id, notice_id, owner_agency_id, reported_by_client, reported_by_agency_id,
                                          reported_by_country, reported_at)
         VALUES ($1, $2, $3, 'ncb-fra', $4, 'FRA', $5)`,
        [noticeHitId, hidden.notice, agencies['BP-FRA'], agencies['NCB-FRA'], at],
      );
    });

    test('hits { record }: the hit, its record null, the caller’s row without the record, the owner’s copy with it', async () => {
      const sent = await send(
        'ncb-fra',
        `query Mine($from: DateTimeISO, $to: DateTimeISO) {
          hits(filter: { side: CHECKER, from: $from, to: $to }) { edges { node { id record { id } } } }
        }`,
        window,
      );
      expect(sent.body).toEqual({ data: { hits: { edges: [{ node: { id: hitId, record: null } }] } } });
      const row = callerRow('travel-documents', 'Mine', 'SltdRecord', 'Hit.record');
      expect(await rowsOf(sent.requestId)).toEqual([
        {
          ...row,
          action: 'READ',
          record_type: 'Hit',
          record_ids: [hitId],
          owner_agency_ids: [agencies['BP-FRA']],
          fields: ['hit'],
          details: null,
        },
        row,
        ownerCopy(row, hidden.sltd),
      ]);
    });

    test('noticeHits { notice }: the notice hit, its notice null, the caller’s row, the owner’s copy', async () => {
      const sent = await send(
        'ncb-fra',
        `query Mine($from: DateTimeISO, $to: DateTimeISO) {
          noticeHits(filter: { side: REPORTER, from: $from, to: $to }) { edges { node { id notice { id } } } }
        }`,
        window,
      );
      expect(sent.body).toEqual({
        data: { noticeHits: { edges: [{ node: { id: noticeHitId, notice: null } }] } },
      });
      const row = callerRow('notices', 'Mine', 'Notice', 'NoticeHit.notice');
      expect(await rowsOf(sent.requestId)).toEqual([
        {
          ...row,
          action: 'READ',
          record_type: 'NoticeHit',
          record_ids: [noticeHitId],
          owner_agency_ids: [agencies['BP-FRA']],
          fields: ['noticeHit'],
          details: null,
        },
        row,
        ownerCopy(row, hidden.notice),
      ]);
    });
  });

  describe('_entities, as the gateway sends it: a representation of a hidden record resolves to null', () => {
    // Records of one kind hidden from ncb-fra: bp-fra's check and report on BP-FRA's hidden record and notice.
    const hiddenOf = { hit: '', noticeHit: '' };
    beforeAll(async () => {
      hiddenOf.hit = (
        await db.query(
          `INSERT INTO sltd.hits (record_id, owner_agency_id, checked_by_client, checked_by_agency_id, checked_by_country)
           VALUES ($1, $2, 'bp-fra', $2, 'FRA') RETURNING id::text`,
          [hidden.sltd, agencies['BP-FRA']],
        )
      ).rows[0].id as string;
      hiddenOf.noticeHit = randomUUID();
      await db.query(
        `INSERT INTO notices.notice_hits (id, notice_id, owner_agency_id, reported_by_client, reported_by_agency_id,
                                          reported_by_country)
         VALUES ($1, $2, $3, 'bp-fra', $3, 'FRA')`,
        [hiddenOf.noticeHit, hidden.notice, agencies['BP-FRA']],
      );
    });

    const ENTITIES = {
      SltdRecord: { subgraph: 'travel-documents', id: () => hidden.sltd },
      Hit: { subgraph: 'travel-documents', id: () => hiddenOf.hit },
      Notice: { subgraph: 'notices', id: () => hidden.notice },
      NoticeHit: { subgraph: 'notices', id: () => hiddenOf.noticeHit },
      DocumentAlert: { subgraph: 'document-alerts', id: () => hidden.alert },
    } as const;

    test.each(Object.entries(ENTITIES))(
      '%s: hidden and absent both null; one caller’s row for both, without ids; the owner’s copy of the hidden one',
      async (typename, entity) => {
        const requestId = `refusal-${randomUUID()}`;
        const url = hub.hub.subgraphs[entity.subgraph].url;
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-request-id': requestId,
            'x-gateway-credential': DEV_GATEWAY_CREDENTIAL,
            authorization: `Bearer ${await hub.token('ncb-fra')}`,
          },
          body: JSON.stringify({
            query: `query Entities($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { id } } }`,
            variables: {
              r: [
                { __typename: typename, id: entity.id() },
                { __typename: typename, id: randomUUID() },
              ],
            },
          }),
        });
        expect(await response.json()).toEqual({ data: { _entities: [null, null] } });
        const row = {
          ...callerRow(entity.subgraph, 'Entities', typename, '_entities'),
          operation: 'Entities',
        };
        expect(await rowsOf(requestId)).toEqual([row, ownerCopy(row, entity.id())]);
      },
    );
  });
});

describe('mutations the record gate refuses (FORBIDDEN)', () => {
  test('a record the caller sees but may not change: FORBIDDEN, one row naming it, for its owner', async () => {
    const sent = await send(
      'ncb-usa',
      `mutation Change($id: ID!) { updateSltdRecord(id: $id, input: { theftPlace: "Lyon" }) { id } }`,
      { id: visibleFrench },
    );
    expect(sent.body).toEqual({
      data: { updateSltdRecord: null },
      errors: [
        {
          message: expect.any(String),
          path: ['updateSltdRecord'],
          extensions: { code: 'FORBIDDEN', serviceName: 'travel-documents' },
        },
      ],
    });
    expect(await rowsOf(sent.requestId)).toEqual([
      {
        subgraph: 'travel-documents',
        client_id: 'ncb-usa',
        agency_id: agencies['NCB-USA'],
        operation: planned('Change', 'travel-documents'),
        action: 'REFUSE',
        record_type: 'SltdRecord',
        record_ids: [visibleFrench],
        owner_agency_ids: [agencies['NCB-FRA']],
        fields: ['updateSltdRecord'],
        details: { refusal: 'FORBIDDEN' },
      },
    ]);
  });
});

describe('refusals outside the record gate', () => {
  // An operation of this file's own: coordinated by NCB France, NCB USA takes part, NCB Utopia is a stranger to it.
  const code = `RFSL-${randomUUID().slice(0, 8).toUpperCase()}`;
  let utoNcb = '';
  beforeAll(async () => {
    await db.query(
      `INSERT INTO partners.operations (code, name, kind, purpose, coordinator_id, starts_at, ends_at, status,
                                        granted_scopes)
       VALUES ($1, 'Refusal audit', 'OTHER', 'Refusals', $2, now() + interval '1 day', now() + interval '2 days',
               'PLANNED', '{sltd:check}')`,
      [code, agencies['NCB-FRA']],
    );
    await db.query(
      `INSERT INTO partners.operation_participants (operation_code, agency_id) VALUES ($1, $2)`,
      [code, agencies['NCB-USA']],
    );
    utoNcb = (await db.query(`SELECT id::text FROM partners.agencies WHERE code = 'NCB-UTO'`)).rows[0].id;
  });

  const row = (clientId: string, agencyId: string, operation: string, subgraph: string) => ({
    subgraph,
    client_id: clientId,
    agency_id: agencyId,
    operation: planned(operation, subgraph),
    action: 'REFUSE',
    record_ids: [],
    owner_agency_ids: [],
  });
  const error = (code: string, path: string[], subgraph: string) => ({
    message: expect.any(String),
    path,
    extensions: { code, serviceName: subgraph },
  });

  describe('operation(code): NOT_FOUND for one the caller does not take part in, as for none', () => {
    const ask = (operationCode: string) =>
      send('ncb-uto', `query Lookup($c: String!) { operation(code: $c) { code } }`, { c: operationCode });
    const callerRow = () => ({
      ...row('ncb-uto', utoNcb, 'Lookup', 'partner-agencies'),
      record_type: 'Operation',
      fields: ['operation'],
      details: { refusal: 'NOT_FOUND' },
    });
    const answer = {
      data: { operation: null },
      errors: [error('NOT_FOUND', ['operation'], 'partner-agencies')],
    };

    test('hidden: the caller’s row without the code, the coordinator’s copy with it', async () => {
      const sent = await ask(code);
      expect(sent.body).toEqual(answer);
      expect(await rowsOf(sent.requestId)).toEqual([
        callerRow(),
        {
          ...callerRow(),
          record_ids: [code],
          owner_agency_ids: [agencies['NCB-FRA']],
          details: { refusal: 'NOT_FOUND', hiddenFromCaller: true },
        },
      ]);
    });

    test('absent: the same answer and caller’s row, no copy', async () => {
      const sent = await ask('RFSL-NONE-0000');
      expect(sent.body).toEqual(answer);
      expect(await rowsOf(sent.requestId)).toEqual([callerRow()]);
    });
  });

  test('hidden and absent cost partner-agencies the same statements, read or managed', async () => {
    const subgraph = hub.hub.subgraphs['partner-agencies'].db;
    await hub.token('ncb-uto'); // the token endpoint's statements are partner-agencies' too: not in the counts
    // partner-agencies' outbox worker polls on the same data source now and then: its statements only ever add to
    // a count, so the fewest of three sends is the request's own.
    const statementsFor = async (query: string, operationCode: string) => {
      const counts: number[] = [];
      for (let i = 0; i < 3; i++) {
        const before = statementCount(subgraph);
        const sent = await send('ncb-uto', query, { c: operationCode });
        expect(sent.body.errors).toEqual([
          expect.objectContaining({ extensions: expect.objectContaining({ code: 'NOT_FOUND' }) }),
        ]);
        counts.push(statementCount(subgraph) - before);
      }
      return Math.min(...counts);
    };
    const read = `query Lookup($c: String!) { operation(code: $c) { code } }`;
    const manage = `mutation Change($c: String!) { updateOperation(code: $c, input: { name: "x" }) { code } }`;
    expect(await statementsFor(read, code)).toBe(await statementsFor(read, 'RFSL-NONE-0001'));
    expect(await statementsFor(manage, code)).toBe(await statementsFor(manage, 'RFSL-NONE-0002'));
  });

  describe('managing an operation', () => {
    const change = (clientId: string) =>
      send(
        clientId,
        `mutation Change($c: String!) { updateOperation(code: $c, input: { name: "x" }) { code } }`,
        {
          c: code,
        },
      );

    test('a participant: FORBIDDEN, one row naming the operation, for its coordinator', async () => {
      const sent = await change('ncb-usa');
      expect(sent.body).toEqual({
        data: { updateOperation: null },
        errors: [error('FORBIDDEN', ['updateOperation'], 'partner-agencies')],
      });
      expect(await rowsOf(sent.requestId)).toEqual([
        {
          ...row('ncb-usa', agencies['NCB-USA'], 'Change', 'partner-agencies'),
          record_type: 'Operation',
          record_ids: [code],
          owner_agency_ids: [agencies['NCB-FRA']],
          fields: ['updateOperation'],
          details: { refusal: 'FORBIDDEN' },
        },
      ]);
      const { rows } = await db.query(`SELECT name FROM partners.operations WHERE code = $1`, [code]);
      expect(rows).toEqual([{ name: 'Refusal audit' }]);
    });

    test('a stranger: NOT_FOUND, the caller’s row without the code, the coordinator’s copy with it', async () => {
      const sent = await change('ncb-uto');
      expect(sent.body).toEqual({
        data: { updateOperation: null },
        errors: [error('NOT_FOUND', ['updateOperation'], 'partner-agencies')],
      });
      const callerRow = {
        ...row('ncb-uto', utoNcb, 'Change', 'partner-agencies'),
        record_type: 'Operation',
        fields: ['updateOperation'],
        details: { refusal: 'NOT_FOUND' },
      };
      expect(await rowsOf(sent.requestId)).toEqual([
        callerRow,
        {
          ...callerRow,
          record_ids: [code],
          owner_agency_ids: [agencies['NCB-FRA']],
          details: { refusal: 'NOT_FOUND', hiddenFromCaller: true },
        },
      ]);
    });
  });

  test('auditChainStatus for an NCB (audit:read, not the General Secretariat): FORBIDDEN, one row', async () => {
    const sent = await send('ncb-fra', `query Chain { auditChainStatus { intact } }`);
    expect(sent.body).toEqual({
      data: { auditChainStatus: null },
      errors: [error('FORBIDDEN', ['auditChainStatus'], 'partner-agencies')],
    });
    expect(await rowsOf(sent.requestId)).toEqual([
      {
        ...row('ncb-fra', agencies['NCB-FRA'], 'Chain', 'partner-agencies'),
        record_type: 'AuditChain',
        fields: ['auditChainStatus'],
        details: { refusal: 'FORBIDDEN' },
      },
    ]);
  });

  // Scopes an agency of this kind is never granted (the kind policy), in a token signed with the hub's key: they
  // count for nothing, so the gateway refuses the mutation as a field the caller may not have, and audits it. (Each
  // subgraph asks the agency's kind again and audits its own FORBIDDEN: a second wall, not reached through here.)
  describe.each([
    {
      mutation: 'reportTravelDocument',
      scope: 'sltd:write',
      query: `mutation Try { reportTravelDocument(input: { issuingCountry: "FRA", documentNumber: "RFSLKIND1",
               documentType: PASSPORT, status: STOLEN }) { id } }`,
    },
    {
      mutation: 'requestNotice',
      scope: 'notices:write',
      query: `mutation Try { requestNotice(input: { type: YELLOW, title: "x", subject: { surname: "X" } }) { id } }`,
    },
    {
      mutation: 'registerAgency',
      scope: 'agencies:admin',
      query: `mutation Try { registerAgency(input: { code: "RFSL-KIND", name: "x", kind: PRIVATE_PARTNER }) { id } }`,
    },
    {
      mutation: 'planOperation',
      scope: 'operations:manage',
      query: `mutation Try { planOperation(input: { code: "RFSL-KIND-1", name: "x", kind: OTHER, purpose: "x",
               startsAt: "2030-01-01T00:00:00Z", endsAt: "2030-01-02T00:00:00Z", grantedScopes: ["sltd:check"] }) { code } }`,
    },
  ])('$mutation by a private partner holding $scope', ({ mutation, scope, query }) => {
    test('UNAUTHORIZED_FIELD_OR_TYPE, only the gateway’s row naming the mutation: nothing ran', async () => {
      const airline = (
        await db.query(`SELECT id::text FROM partners.agencies WHERE kind = 'PRIVATE_PARTNER' LIMIT 1`)
      ).rows[0].id as string;
      const token = await mintToken({
        clientId: 'refusal-airline',
        agencyId: airline,
        agencyKind: 'PRIVATE_PARTNER',
        country: null,
        scopes: [scope],
      });
      const requestId = `refusal-${randomUUID()}`;
      const response = await fetch(hub.hub.gatewayUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-request-id': requestId,
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify({ query }),
      });
      const body = (await response.json()) as { data?: unknown; errors?: unknown[] };
      expect(body).toEqual({ data: null, errors: [unauthorized([mutation])] });
      expect(await rowsOf(requestId)).toEqual([
        {
          ...row('refusal-airline', airline, 'Try', 'gateway'),
          operation: 'Try',
          record_type: 'Field',
          fields: [`Mutation.${mutation}`],
          details: { refusal: 'UNAUTHORIZED_FIELD_OR_TYPE' },
        },
      ]);
    });
  });
});

describe('reading the refusals', () => {
  const TRAIL = `query($client: String, $from: DateTimeISO) {
    auditTrail(filter: { action: "REFUSE", clientId: $client, from: $from }, first: 100) {
      edges { node { subgraph operation recordType recordIds fields refusal clientId requestId } }
    }
  }`;
  type Node = { requestId: string } & Record<string, unknown>;
  const trail = async (reader: string, client: string, from: string, requestIds: string[]) => {
    const response = await hub.graphql(reader, TRAIL, { client, from });
    expect(response.body.errors).toBeUndefined();
    const edges = (response.body.data?.auditTrail as { edges: { node: Node }[] }).edges;
    return edges.map((edge) => edge.node).filter((node) => requestIds.includes(node.requestId));
  };

  test('the General Secretariat reads every refusal; the caller reads none of its own', async () => {
    const from = ((await db.query('SELECT clock_timestamp() AS now')).rows[0].now as Date).toISOString();
    // An NCB holds every scope but the General Secretariat's: agreements are agencies:admin's.
    const field = await send('ncb-fra', `query Peek { me { agency { agreements { id } } } }`);
    expect(field.body).toEqual({
      data: { me: { agency: { agreements: null } } },
      errors: [unauthorized(['me', 'agency', 'agreements'])],
    });
    const lookup = await send('ncb-fra', `query Lookup($id: ID!) { notice(id: $id) { id } }`, {
      id: hidden.notice,
    });
    const ids = [field.requestId, lookup.requestId];
    // Newest first.
    expect(await trail('gs-admin', 'ncb-fra', from, ids)).toEqual([
      {
        subgraph: 'notices',
        operation: planned('Lookup', 'notices'),
        recordType: 'Notice',
        recordIds: [hidden.notice],
        fields: ['notice'],
        refusal: 'NOT_FOUND',
        clientId: 'ncb-fra',
        requestId: lookup.requestId,
      },
      {
        subgraph: 'notices',
        operation: planned('Lookup', 'notices'),
        recordType: 'Notice',
        recordIds: [],
        fields: ['notice'],
        refusal: 'NOT_FOUND',
        clientId: 'ncb-fra',
        requestId: lookup.requestId,
      },
      {
        subgraph: 'gateway',
        operation: 'Peek',
        recordType: 'Field',
        recordIds: [],
        fields: ['Agency.agreements'],
        refusal: 'UNAUTHORIZED_FIELD_OR_TYPE',
        clientId: 'ncb-fra',
        requestId: field.requestId,
      },
    ]);
    // ncb-fra holds audit:read, but these rows name no owner (its own) or another owner (the hidden record's).
    expect(await trail('ncb-fra', 'ncb-fra', from, ids)).toEqual([]);
  });

  test('what was refused is audit:read’s to see, like the rest of the trail', async () => {
    const sent = await send('bp-fra', `query { auditTrail(first: 1) { edges { node { refusal } } } }`);
    expect(sent.body).toEqual({ data: null, errors: [unauthorized(['auditTrail'])] });
  });

  test('the trail with the refusal rows still verifies once sealed', async () => {
    const sent = await send('bp-fra', `query Sealed { auditTrail(first: 1) { totalCount } }`);
    const [{ seq }] = (
      await db.query(`SELECT seq::text FROM audit.entries WHERE request_id = $1`, [sent.requestId])
    ).rows as { seq: string }[];
    await hub.sealAudit();
    const { rows: sealed } = await db.query(`SELECT seq FROM audit.seals WHERE seq = $1`, [seq]);
    expect(sealed).toHaveLength(1);
    const verification = await verifyAuditChain(
      (sql, params) => db.query(sql, params).then((result) => result.rows),
      DEV_AUDIT_CHAIN,
    );
    expect(verification.firstBrokenSeq).toBeNull();
  });
});
