import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { GATEWAY_CREDENTIAL_HEADER } from '../shared/auth/gateway-credential';
import type { OperationGrant } from '../shared/auth/operation-grants';
import { reportKey } from '../shared/schema/operation-report-key';
import { DEV_GATEWAY_CREDENTIAL } from '../shared/subgraph/config';
import { withTestHubAndDatabase, type TestHub } from './hub';
import { graphqlWithToken, mintToken, type TokenClaims } from './tokens';

/**
 * Border-security operations in travel-documents: checks made in an operation's context (recorded on the audit
 * rows, on every hit and in sltd.operation_checks), their refusals, the outcome a hit's owner records, and the
 * operation report's document figures, which must match the rows. The operation here is this file's own (its
 * grant is in tokens signed with the test hub's key), so no other file's checks count in it.
 */
let hub: TestHub;
let db: pg.Client;
withTestHubAndDatabase((running) => ({ hub, db } = running));

const OPERATION = 'TEST-OPCHECKS-2026';
const POINTS = ['TST-A', 'TST-B'];
const R1 = '26OP00001'; // FRA, STOLEN, owned by NCB-FRA, unrestricted
const R2 = '26OP00002'; // FRA, LOST, owned by NCB-FRA, kept from international partners
const R3 = '26OP00003'; // USA, REVOKED, owned by NCB-USA, shared with the USA only
const UNREPORTED = '26OP99999';

const agencies: Record<string, string> = {};
const records: Record<string, string> = {};

const grant = (overrides: Partial<OperationGrant> = {}): OperationGrant => ({
  code: OPERATION,
  scopes: ['sltd:check', 'notices:screen'],
  borderPoints: POINTS,
  until: new Date(Date.now() + 3_600_000),
  ...overrides,
});

function claims(client: 'frontex' | 'bp-fra' | 'ncb-fra' | 'ncb-usa' | 'gs-admin'): TokenClaims {
  switch (client) {
    case 'frontex':
      return {
        clientId: 'frontex',
        agencyId: agencies.FRONTEX,
        agencyKind: 'INTERNATIONAL_PARTNER',
        country: null,
        scopes: ['sltd:check', 'sltd:summary'],
      };
    case 'bp-fra':
      return {
        clientId: 'bp-fra',
        agencyId: agencies['BP-FRA'],
        agencyKind: 'NATIONAL_ENTITY',
        country: 'FRA',
        scopes: ['sltd:check', 'sltd:summary'],
      };
    case 'ncb-fra':
    case 'ncb-usa':
      return {
        clientId: client,
        agencyId: agencies[client.toUpperCase()],
        agencyKind: 'NCB',
        country: client === 'ncb-fra' ? 'FRA' : 'USA',
        scopes: ['sltd:check', 'sltd:summary', 'sltd:read', 'hits:manage'],
      };
    case 'gs-admin':
      return {
        clientId: 'gs-admin',
        agencyId: agencies.GS,
        agencyKind: 'GENERAL_SECRETARIAT',
        country: null,
        scopes: ['audit:read'],
      };
  }
}

const CHECK = `query OperationCheck($documents: [DocumentCheckInput!]!, $context: CheckContextInput) {
  checkDocuments(input: $documents, context: $context) {
    verdict
    hit { id status operation { code } borderPoint { code } }
  }
}`;

async function check(
  client: Parameters<typeof claims>[0],
  documents: Record<string, string>[],
  context: { operation: string; borderPoint: string } | null,
  operations: OperationGrant[] = [grant()],
  requestId = `operation-check-${randomUUID()}`,
) {
  const token = await mintToken({ ...claims(client), operations });
  return graphqlWithToken(hub, token, CHECK, { documents, context }, { 'x-request-id': requestId });
}

const fra = (documentNumber: string) => ({ issuingCountry: 'FRA', documentNumber });

beforeAll(async () => {
  const rows = await db.query(
    `SELECT code, id FROM partners.agencies WHERE code IN ('FRONTEX', 'BP-FRA', 'NCB-FRA', 'NCB-USA', 'GS')`,
  );
  for (const row of rows.rows as { code: string; id: string }[]) agencies[row.code] = row.id;
  const inserted = await db.query(
    `INSERT INTO sltd.records (issuing_country, document_number, document_type, status, owner_agency_id, owner_country,
                               review_date, excluded_agency_kinds, allowed_countries)
     VALUES ('FRA', $1, 'PASSPORT', 'STOLEN', $4, 'FRA', '2036-01-01', '{}', NULL),
            ('FRA', $2, 'PASSPORT', 'LOST', $4, 'FRA', '2036-01-01', '{INTERNATIONAL_PARTNER}', NULL),
            ('USA', $3, 'PASSPORT', 'REVOKED', $5, 'USA', '2036-01-01', '{}', '{USA}')
     RETURNING document_number, id`,
    [R1, R2, R3, agencies['NCB-FRA'], agencies['NCB-USA']],
  );
  for (const row of inserted.rows as { document_number: string; id: string }[])
    records[row.document_number] = row.id;
});

const operationRows = async () =>
  (
    await db.query(
      `SELECT border_point_code, documents, checked_by_client, checked_by_agency_id::text, request_id,
              to_char(checked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day
         FROM sltd.operation_checks WHERE operation_code = $1 ORDER BY id`,
      [OPERATION],
    )
  ).rows as {
    border_point_code: string;
    documents: number;
    checked_by_client: string;
    checked_by_agency_id: string;
    request_id: string;
    day: string;
  }[];

/** The report's per-day counts (sltd.operation_check_days), shards summed. */
const dayCounts = async () =>
  (
    await db.query(
      `SELECT border_point_code, to_char(day, 'YYYY-MM-DD') AS day, sum(checks)::int AS checks,
              sum(documents)::int AS documents
         FROM sltd.operation_check_days WHERE operation_code = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
      [OPERATION],
    )
  ).rows as { border_point_code: string; day: string; checks: number; documents: number }[];

const hitRows = async (recordNumber: string) =>
  (
    await db.query(
      `SELECT id::text, checked_by_client, visible_to_checker, operation_code, border_point_code, status
         FROM sltd.hits WHERE record_id = $1 ORDER BY checked_at, id`,
      [records[recordNumber]],
    )
  ).rows as {
    id: string;
    checked_by_client: string;
    visible_to_checker: boolean;
    operation_code: string | null;
    border_point_code: string | null;
    status: string;
  }[];

describe('OperationCheck: a check made in an operation’s context', () => {
  test('answers as an ordinary check; its hits, its audit rows and the operation’s count carry the context', async () => {
    const response = await check(
      'frontex',
      [fra(R1), fra(R2), fra(UNREPORTED), { issuingCountry: 'FRA', documentNumber: 'ÉÉ' }],
      { operation: OPERATION, borderPoint: 'TST-A' },
    );
    const hitId = (response.body.data?.checkDocuments as { hit: { id: string } | null }[])[0].hit?.id;
    expect(response.body).toEqual({
      data: {
        checkDocuments: [
          {
            verdict: 'HIT',
            hit: {
              id: hitId,
              status: 'PENDING',
              operation: { code: OPERATION },
              borderPoint: { code: 'TST-A' },
            },
          },
          { verdict: 'NO_HIT', hit: null },
          { verdict: 'NO_HIT', hit: null },
          { verdict: 'INVALID_INPUT', hit: null },
        ],
      },
    });
    // The visible hit and the hidden one (R2 is kept from international partners: the owner still learns).
    expect(await hitRows(R1)).toEqual([
      {
        id: hitId,
        checked_by_client: 'frontex',
        visible_to_checker: true,
        operation_code: OPERATION,
        border_point_code: 'TST-A',
        status: 'PENDING',
      },
    ]);
    expect(await hitRows(R2)).toEqual([
      {
        id: expect.any(String),
        checked_by_client: 'frontex',
        visible_to_checker: false,
        operation_code: OPERATION,
        border_point_code: 'TST-A',
        status: 'PENDING',
      },
    ]);
    // One row for the call, every document counted whatever its verdict.
    const checks = await operationRows();
    expect(checks).toEqual([
      {
        border_point_code: 'TST-A',
        documents: 4,
        checked_by_client: 'frontex',
        checked_by_agency_id: agencies.FRONTEX,
        request_id: expect.any(String),
        day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      },
    ]);
    // And its day's count, which the report reads.
    expect(await dayCounts()).toEqual([
      { border_point_code: 'TST-A', day: checks[0].day, checks: 1, documents: 4 },
    ]);
    // The call's audit rows (CHECK, and HIT for each owner) name the operation and the border point.
    const audit = await db.query(
      `SELECT action, record_ids, details FROM audit.entries WHERE request_id = $1 ORDER BY action, seq`,
      [checks[0].request_id],
    );
    const context = { operation: OPERATION, borderPoint: 'TST-A' };
    expect(audit.rows).toEqual([
      {
        action: 'CHECK',
        record_ids: [`FRA/${R1}`, `FRA/${R2}`, `FRA/${UNREPORTED}`],
        details: context,
      },
      { action: 'HIT', record_ids: [records[R1]], details: context },
      { action: 'HIT', record_ids: [records[R2]], details: { ...context, hiddenFromCaller: true } },
    ]);
  });

  test('without a context: an ordinary check, no operation on its hit, no operation count', async () => {
    const before = await operationRows();
    const days = await dayCounts();
    const response = await check('bp-fra', [fra(UNREPORTED)], null);
    expect(response.body).toEqual({ data: { checkDocuments: [{ verdict: 'NO_HIT', hit: null }] } });
    expect(await operationRows()).toEqual(before);
    expect(await dayCounts()).toEqual(days);
  });

  const refused = (field: string, reason: string) => ({
    data: { checkDocuments: null },
    errors: [
      {
        message: `Invalid input: ${field}: ${reason}`,
        path: ['checkDocuments'],
        extensions: {
          code: 'BAD_USER_INPUT',
          problems: [{ field, reason }],
          serviceName: 'travel-documents',
        },
      },
    ],
  });
  const notActive = refused('context.operation', 'is not an ACTIVE operation your agency takes part in');
  // The refusal's audit row: NOT_FOUND names no operation (the caller may not know the code names one); a border
  // point refused in an operation the caller takes part in names it.
  const notFoundRow = { refusal: 'NOT_FOUND', recordIds: [] };
  const borderPointRow = { refusal: 'FORBIDDEN', recordIds: [OPERATION] };

  test.each([
    ['an operation the caller does not take part in', [], OPERATION, 'TST-A', notActive, notFoundRow],
    ['an unknown operation', [grant()], 'NOPE-2026', 'TST-A', notActive, notFoundRow],
    [
      'an operation whose window has closed',
      [grant({ until: new Date(Date.now() - 1000) })],
      OPERATION,
      'TST-A',
      notActive,
      notFoundRow,
    ],
    [
      'a border point that is not the operation’s',
      [grant()],
      OPERATION,
      'FRCDG-T1',
      refused('context.borderPoint', `is not one of the border points of ${OPERATION}`),
      borderPointRow,
    ],
    [
      'a border point of the operation the caller is not assigned to',
      [grant({ borderPoints: ['TST-B'] })],
      OPERATION,
      'TST-A',
      refused('context.borderPoint', `is not one of the border points of ${OPERATION}`),
      borderPointRow,
    ],
  ])(
    'refuses %s with BAD_USER_INPUT naming the field, writes nothing but its audit row',
    async (_, operations, operation, borderPoint, expected, row) => {
      const checksBefore = await operationRows();
      const daysBefore = await dayCounts();
      const hitsBefore = await hitRows(R1);
      const requestId = `operation-check-${randomUUID()}`;
      const response = await check('bp-fra', [fra(R1)], { operation, borderPoint }, operations, requestId);
      expect(response.body).toEqual(expected);
      const audit = await db.query(
        `SELECT client_id, action, record_type, record_ids, owner_agency_ids::text[], fields, details
           FROM audit.entries WHERE request_id = $1 ORDER BY seq`,
        [requestId],
      );
      expect(audit.rows).toEqual([
        {
          client_id: 'bp-fra',
          action: 'REFUSE',
          record_type: 'Operation',
          record_ids: row.recordIds,
          owner_agency_ids: [],
          fields: ['checkDocuments'],
          details: { refusal: row.refusal },
        },
      ]);
      expect(await operationRows()).toEqual(checksBefore);
      expect(await dayCounts()).toEqual(daysBefore);
      expect(await hitRows(R1)).toEqual(hitsBefore);
    },
  );
});

/** The operation report as the gateway asks travel-documents for it (partner-agencies builds the key). */
async function reportOf(client: Parameters<typeof claims>[0] | null, borderPoints: string[]) {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    [GATEWAY_CREDENTIAL_HEADER]: DEV_GATEWAY_CREDENTIAL,
  };
  if (client) headers.authorization = `Bearer ${await mintToken(claims(client))}`;
  const response = await fetch(hub.hub.subgraphs['travel-documents'].url, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on OperationReport {
        documentsChecked
        documentHits { total byStatus { status count } byBorderPoint { borderPoint { code } count } }
        documentOutcomes { outcome count }
        documentDays { day documentsChecked documentHits } } } }`,
      variables: {
        r: [{ __typename: 'OperationReport', id: reportKey({ operation: OPERATION, borderPoints }) }],
      },
    }),
  });
  return (await response.json()) as { data: { _entities: unknown[] } };
}

describe('recordOutcome and the report', () => {
  const RECORD_OUTCOME = `mutation RecordOutcome($hitId: ID!, $outcome: HitOutcomeAction!, $note: String) {
    recordOutcome(hitId: $hitId, outcome: $outcome, note: $note) { id outcome outcomeAt outcomeActionNote status }
  }`;
  let confirmedHit: string;

  beforeAll(async () => {
    // TST-B: frontex checks R3 (shared with the USA only: NO_HIT, NCB-USA's hit) and bp-fra checks R1.
    await check('frontex', [{ issuingCountry: 'USA', documentNumber: R3 }, fra(UNREPORTED)], {
      operation: OPERATION,
      borderPoint: 'TST-B',
    });
    const second = await check('bp-fra', [fra(R1)], { operation: OPERATION, borderPoint: 'TST-B' });
    expect(second.body.data).toEqual({
      checkDocuments: [
        {
          verdict: 'HIT',
          hit: {
            id: expect.any(String),
            status: 'PENDING',
            operation: { code: OPERATION },
            borderPoint: { code: 'TST-B' },
          },
        },
      ],
    });
  });

  const outcome = async (client: Parameters<typeof claims>[0], variables: Record<string, unknown>) =>
    graphqlWithToken(hub, await mintToken(claims(client)), RECORD_OUTCOME, variables);

  test('a PENDING hit is refused (confirm it first), as is a FALSE_POSITIVE one', async () => {
    const [pending] = await hitRows(R1);
    const response = await outcome('ncb-fra', { hitId: pending.id, outcome: 'ARRESTED' });
    expect(response.body).toEqual({
      data: { recordOutcome: null },
      errors: [
        {
          message: 'Invalid input: hitId: is PENDING: confirm it first',
          path: ['recordOutcome'],
          extensions: {
            code: 'BAD_USER_INPUT',
            problems: [{ field: 'hitId', reason: 'is PENDING: confirm it first' }],
            serviceName: 'travel-documents',
          },
        },
      ],
    });
    const [hidden] = await hitRows(R2);
    const rejected = await graphqlWithToken(
      hub,
      await mintToken(claims('ncb-fra')),
      'mutation($id: ID!) { confirmHit(id: $id, outcome: FALSE_POSITIVE) { status } }',
      { id: hidden.id },
    );
    expect(rejected.body).toEqual({ data: { confirmHit: { status: 'FALSE_POSITIVE' } } });
    const onFalse = await outcome('ncb-fra', { hitId: hidden.id, outcome: 'NO_ACTION' });
    expect(onFalse.body.errors).toEqual([
      expect.objectContaining({
        path: ['recordOutcome'],
        extensions: expect.objectContaining({
          code: 'BAD_USER_INPUT',
          problems: [
            {
              field: 'hitId',
              reason: 'is a FALSE_POSITIVE: only a CONFIRMED hit has an outcome',
            },
          ],
        }),
      }),
    ]);
    const rows = await db.query(`SELECT outcome FROM sltd.hits WHERE id = ANY ($1::uuid[])`, [
      [pending.id, hidden.id],
    ]);
    expect(rows.rows).toEqual([{ outcome: null }, { outcome: null }]);
  });

  test('the owner records the outcome of a confirmed hit; recording again replaces it, both audited', async () => {
    const [first] = await hitRows(R1);
    confirmedHit = first.id;
    await graphqlWithToken(
      hub,
      await mintToken(claims('ncb-fra')),
      'mutation($id: ID!) { confirmHit(id: $id, outcome: CONFIRMED) { status } }',
      { id: confirmedHit },
    );
    const detained = await outcome('ncb-fra', {
      hitId: confirmedHit,
      outcome: 'DETAINED',
      note: ' holder detained at T2 ',
    });
    expect(detained.body).toEqual({
      data: {
        recordOutcome: {
          id: confirmedHit,
          outcome: 'DETAINED',
          outcomeAt: expect.any(String),
          outcomeActionNote: 'holder detained at T2',
          status: 'CONFIRMED',
        },
      },
    });
    const arrested = await outcome('ncb-fra', { hitId: confirmedHit, outcome: 'ARRESTED' });
    expect(arrested.body).toEqual({
      data: {
        recordOutcome: {
          id: confirmedHit,
          outcome: 'ARRESTED',
          outcomeAt: expect.any(String),
          outcomeActionNote: null,
          status: 'CONFIRMED',
        },
      },
    });
    const row = await db.query(
      `SELECT outcome, outcome_action_note, outcome_by_client, outcome_at IS NOT NULL AS at FROM sltd.hits WHERE id = $1`,
      [confirmedHit],
    );
    expect(row.rows).toEqual([
      { outcome: 'ARRESTED', outcome_action_note: null, outcome_by_client: 'ncb-fra', at: true },
    ]);
    const audit = await db.query(
      `SELECT client_id, action, record_ids, owner_agency_ids::text[], fields, details FROM audit.entries
        WHERE record_type = 'Hit' AND $1 = ANY (record_ids) AND action = 'UPDATE' ORDER BY seq`,
      [confirmedHit],
    );
    const entry = (details: Record<string, unknown>) => ({
      client_id: 'ncb-fra',
      action: 'UPDATE',
      record_ids: [confirmedHit],
      owner_agency_ids: [agencies['NCB-FRA']],
      fields: ['outcome', 'outcomeActionNote'],
      details,
    });
    expect(audit.rows).toEqual([
      entry({ outcome: 'DETAINED', replaced: null }),
      entry({ outcome: 'ARRESTED', replaced: 'DETAINED' }),
    ]);
  });

  test('a hit of another owner is NOT_FOUND; its checker, who sees it, may not record (FORBIDDEN)', async () => {
    const notFound = await outcome('ncb-usa', { hitId: confirmedHit, outcome: 'NO_ACTION' });
    expect(notFound.body).toEqual({
      data: { recordOutcome: null },
      errors: [
        {
          message: 'Hit not found',
          path: ['recordOutcome'],
          extensions: { code: 'NOT_FOUND', serviceName: 'travel-documents' },
        },
      ],
    });
    // bp-fra made the check of R1's second hit (at TST-B): it reads the hit, NCB-FRA decides on it.
    const checkersHit = (await hitRows(R1))[1];
    expect(checkersHit.checked_by_client).toBe('bp-fra');
    const asChecker = await graphqlWithToken(
      hub,
      await mintToken({ ...claims('bp-fra'), scopes: ['hits:manage', 'sltd:summary'] }),
      RECORD_OUTCOME,
      { hitId: checkersHit.id, outcome: 'NO_ACTION' },
    );
    expect(asChecker.body.errors).toEqual([
      expect.objectContaining({
        message: 'Only the owner of the record decides on its hits',
        path: ['recordOutcome'],
        extensions: expect.objectContaining({ code: 'FORBIDDEN' }),
      }),
    ]);
    const unknown = await outcome('ncb-fra', {
      hitId: '00000000-0000-4000-8000-000000000000',
      outcome: 'ARRESTED',
    });
    expect(unknown.body.errors?.[0]).toMatchObject({
      message: 'Hit not found',
      extensions: { code: 'NOT_FOUND' },
    });
    const row = await db.query(
      `SELECT outcome FROM sltd.hits WHERE id = ANY ($1::uuid[]) ORDER BY checked_at`,
      [[confirmedHit, checkersHit.id]],
    );
    expect(row.rows).toEqual([{ outcome: 'ARRESTED' }, { outcome: null }]);
  });

  test('a caller without hits:manage cannot record an outcome', async () => {
    const response = await outcome('bp-fra', { hitId: confirmedHit, outcome: 'NO_ACTION' });
    expect(response.body).toEqual({
      data: null,
      errors: [
        {
          message: 'Unauthorized field or type',
          path: ['recordOutcome'],
          extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
        },
      ],
    });
  });

  /** The figures of a view, counted from the rows with this file's own SQL (no record restriction applied). */
  async function figuresFromRows(borderPoints: string[], excludedRecords: string[] = []) {
    const checks = await db.query(
      `SELECT to_char(checked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, sum(documents)::int AS documents
         FROM sltd.operation_checks WHERE operation_code = $1 AND border_point_code = ANY ($2::text[]) GROUP BY 1`,
      [OPERATION, borderPoints],
    );
    const hits = await db.query(
      `SELECT h.border_point_code, r.status, h.outcome, to_char(h.checked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day
         FROM sltd.hits h JOIN sltd.records r ON r.id = h.record_id
        WHERE h.operation_code = $1 AND h.border_point_code = ANY ($2::text[]) AND NOT (r.id = ANY ($3::uuid[]))`,
      [OPERATION, borderPoints, excludedRecords],
    );
    return {
      documents: (checks.rows as { documents: number }[]).reduce((sum, row) => sum + row.documents, 0),
      hits: hits.rows as { border_point_code: string; status: string; outcome: string | null; day: string }[],
      days: checks.rows as { day: string; documents: number }[],
    };
  }

  const counts = <T extends string>(values: T[]) =>
    [...new Set(values)].sort().map((value) => ({ value, count: values.filter((v) => v === value).length }));

  /** documentDays as the rows say: each day with checks or hits, in date order. */
  function daysOf(rows: Awaited<ReturnType<typeof figuresFromRows>>) {
    const hitDays = counts(rows.hits.map((h) => h.day));
    const days = [...new Set([...rows.days.map((d) => d.day), ...hitDays.map((h) => h.value)])].sort();
    return days.map((day) => ({
      day,
      documentsChecked: rows.days.find((d) => d.day === day)?.documents ?? 0,
      documentHits: hitDays.find((h) => h.value === day)?.count ?? 0,
    }));
  }

  test('the coordinator’s report (NCB-FRA, both border points): figures match the rows; R3’s hit is not its to count', async () => {
    const rows = await figuresFromRows(POINTS, [records[R3]]);
    const report = await reportOf('ncb-fra', POINTS);
    expect(report).toEqual({
      data: {
        _entities: [
          {
            documentsChecked: 7,
            documentHits: {
              total: 3,
              byStatus: [
                { status: 'LOST', count: 1 },
                { status: 'STOLEN', count: 2 },
              ],
              byBorderPoint: [
                { borderPoint: { code: 'TST-A' }, count: 2 },
                { borderPoint: { code: 'TST-B' }, count: 1 },
              ],
            },
            documentOutcomes: [{ outcome: 'ARRESTED', count: 1 }],
            documentDays: daysOf(rows),
          },
        ],
      },
    });
    // The same figures from the rows; the per-day counts the report reads agree with the checks themselves.
    expect(rows.documents).toBe(7);
    const checks = await operationRows();
    const fromChecks = new Map<string, { checks: number; documents: number }>();
    for (const c of checks) {
      const key = `${c.border_point_code} ${c.day}`;
      const sum = fromChecks.get(key) ?? { checks: 0, documents: 0 };
      fromChecks.set(key, { checks: sum.checks + 1, documents: sum.documents + c.documents });
    }
    expect(await dayCounts()).toEqual(
      [...fromChecks.entries()].sort().map(([key, sum]) => ({
        border_point_code: key.split(' ')[0],
        day: key.split(' ')[1],
        ...sum,
      })),
    );
    expect(counts(rows.hits.map((h) => h.status))).toEqual([
      { value: 'LOST', count: 1 },
      { value: 'STOLEN', count: 2 },
    ]);
    expect(counts(rows.hits.map((h) => h.border_point_code))).toEqual([
      { value: 'TST-A', count: 2 },
      { value: 'TST-B', count: 1 },
    ]);
  });

  test('the General Secretariat counts every hit; NCB-USA counts its own restricted record’s hit', async () => {
    const all = await figuresFromRows(POINTS);
    expect(all.hits).toHaveLength(4);
    const gs = (await reportOf('gs-admin', POINTS)).data._entities[0] as {
      documentHits: { total: number; byStatus: unknown[] };
    };
    expect(gs.documentHits.total).toBe(4);
    expect(gs.documentHits.byStatus).toEqual([
      { status: 'LOST', count: 1 },
      { status: 'REVOKED', count: 1 },
      { status: 'STOLEN', count: 2 },
    ]);
    const usa = (await reportOf('ncb-usa', POINTS)).data._entities[0] as { documentHits: { total: number } };
    // R3 is its own; R2 is kept from international partners only, so NCB-USA counts it too.
    expect(usa.documentHits.total).toBe(4);
  });

  test('a participant’s view (TST-B only) counts its border point’s checks and hits only', async () => {
    const rows = await figuresFromRows(['TST-B'], [records[R3]]);
    const report = (await reportOf('frontex', ['TST-B'])).data._entities[0];
    expect(report).toEqual({
      documentsChecked: 3,
      documentHits: {
        total: 1,
        byStatus: [{ status: 'STOLEN', count: 1 }],
        byBorderPoint: [{ borderPoint: { code: 'TST-B' }, count: 1 }],
      },
      documentOutcomes: [],
      documentDays: daysOf(rows),
    });
    expect(rows.documents).toBe(3);
  });

  test('a view with no border point counts nothing; a request without a token gets no report', async () => {
    expect((await reportOf('ncb-fra', [])).data._entities).toEqual([
      {
        documentsChecked: 0,
        documentHits: { total: 0, byStatus: [], byBorderPoint: [] },
        documentOutcomes: [],
        documentDays: [],
      },
    ]);
    expect((await reportOf(null, POINTS)).data._entities).toEqual([null]);
  });

  test('documentOutcomes and documentDays are not in the public schema (notices reads them through @requires)', async () => {
    const response = await hub.graphql(
      'explorer',
      '{ report: __type(name: "OperationReport") { fields { name } } day: __type(name: "OperationDayFigures") { name } }',
    );
    const fields = (response.body.data?.report as { fields: { name: string }[] }).fields.map((f) => f.name);
    expect(fields).toEqual(expect.arrayContaining(['documentsChecked', 'documentHits']));
    expect(fields).not.toContain('documentOutcomes');
    expect(fields).not.toContain('documentDays');
    expect(response.body.data?.day).toBeNull();
  });
});

/**
 * The demo operation STOP-2026-CDG through the gateway, with the tokens the token endpoint issues: frontex and
 * bp-fra take part in it (their tokens carry its grant), NCB Paris coordinates it.
 */
describe('OperationCheck and the report in the demo operation, through the gateway', () => {
  const OPERATION_CHECK = `query OperationCheck($documents: [DocumentCheckInput!]!, $context: CheckContextInput!) {
    checkDocuments(input: $documents, context: $context) {
      verdict
      problems
      document { issuingCountry documentNumber sltdRecord { status documentType } }
      hit { id status borderPoint { code name } operation { code } }
    }
  }`;
  const SPECIMEN =
    'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10';
  const REPORT = `query($code: String!) { operation(code: $code) { code report {
    documentsChecked
    documentHits { total byStatus { status count } byBorderPoint { borderPoint { code name } count } }
  } } }`;

  /** The figures of an operation for NCB Paris (NCB, FRA), counted from the rows with this file's own SQL. */
  async function figuresForFrance(operation: string) {
    const visible = `(r.owner_agency_id = $2 OR ((r.allowed_countries IS NULL OR 'FRA' = ANY (r.allowed_countries))
      AND NOT ('FRA' = ANY (r.excluded_countries)) AND (r.allowed_agency_kinds IS NULL OR 'NCB' = ANY (r.allowed_agency_kinds))
      AND NOT ('NCB' = ANY (r.excluded_agency_kinds))))`;
    const [documents] = (
      await db.query(
        `SELECT coalesce(sum(documents), 0)::int AS n FROM sltd.operation_checks WHERE operation_code = $1`,
        [operation],
      )
    ).rows as { n: number }[];
    const byStatus = (
      await db.query(
        `SELECT r.status, count(*)::int AS count FROM sltd.hits h JOIN sltd.records r ON r.id = h.record_id
          WHERE h.operation_code = $1 AND ${visible} GROUP BY 1 ORDER BY 1`,
        [operation, agencies['NCB-FRA']],
      )
    ).rows as { status: string; count: number }[];
    const byPoint = (
      await db.query(
        `SELECT h.border_point_code AS code, p.name, count(*)::int AS count
           FROM sltd.hits h JOIN sltd.records r ON r.id = h.record_id
           JOIN partners.border_points p ON p.code = h.border_point_code
          WHERE h.operation_code = $1 AND ${visible} GROUP BY 1, 2 ORDER BY 1`,
        [operation, agencies['NCB-FRA']],
      )
    ).rows as { code: string; name: string; count: number }[];
    return {
      documentsChecked: documents.n,
      documentHits: {
        total: byStatus.reduce((sum, s) => sum + s.count, 0),
        byStatus,
        byBorderPoint: byPoint.map(({ code, name, count }) => ({ borderPoint: { code, name }, count })),
      },
    };
  }

  test('frontex checks the specimen at FRCDG-T2 with its operation grant: a HIT that carries the context', async () => {
    const before = await db.query(
      `SELECT count(*)::int AS n FROM sltd.operation_checks WHERE operation_code = 'STOP-2026-CDG'`,
    );
    const response = await hub.graphql('frontex', OPERATION_CHECK, {
      documents: [{ mrz: SPECIMEN }],
      context: { operation: 'STOP-2026-CDG', borderPoint: 'FRCDG-T2' },
    });
    const hitId = (response.body.data?.checkDocuments as { hit: { id: string } }[])[0].hit.id;
    expect(response.body).toEqual({
      data: {
        checkDocuments: [
          {
            verdict: 'HIT',
            problems: [],
            document: {
              issuingCountry: 'UTO',
              documentNumber: 'L898902C3',
              sltdRecord: { status: 'STOLEN', documentType: 'PASSPORT' },
            },
            hit: {
              id: hitId,
              status: 'PENDING',
              borderPoint: { code: 'FRCDG-T2', name: 'Paris Charles de Gaulle, terminal 2' },
              operation: { code: 'STOP-2026-CDG' },
            },
          },
        ],
      },
    });
    const hit = await db.query(
      `SELECT checked_by_client, operation_code, border_point_code FROM sltd.hits WHERE id = $1`,
      [hitId],
    );
    expect(hit.rows).toEqual([
      { checked_by_client: 'frontex', operation_code: 'STOP-2026-CDG', border_point_code: 'FRCDG-T2' },
    ]);
    const after = await db.query(
      `SELECT count(*)::int AS n FROM sltd.operation_checks WHERE operation_code = 'STOP-2026-CDG'`,
    );
    expect(after.rows[0].n).toBe(before.rows[0].n + 1);
  });

  test('a border point the operation does not have, or an operation frontex is not in, is refused by name', async () => {
    const refusal = async (context: { operation: string; borderPoint: string }) =>
      (await hub.graphql('frontex', OPERATION_CHECK, { documents: [{ mrz: SPECIMEN }], context })).body;
    expect(await refusal({ operation: 'STOP-2026-CDG', borderPoint: 'FRORY' })).toEqual({
      data: { checkDocuments: null },
      errors: [
        expect.objectContaining({
          path: ['checkDocuments'],
          extensions: expect.objectContaining({
            code: 'BAD_USER_INPUT',
            problems: [
              { field: 'context.borderPoint', reason: 'is not one of the border points of STOP-2026-CDG' },
            ],
          }),
        }),
      ],
    });
    // CLOSED (LIONFISH-2026-MRS, whose participant frontex was), PLANNED (IMEST-2027-LAX, not frontex's): alike.
    for (const operation of ['LIONFISH-2026-MRS', 'IMEST-2027-LAX', 'NO-SUCH-OP'])
      expect(await refusal({ operation, borderPoint: 'FRMRS' })).toEqual({
        data: { checkDocuments: null },
        errors: [
          expect.objectContaining({
            extensions: expect.objectContaining({
              code: 'BAD_USER_INPUT',
              problems: [
                {
                  field: 'context.operation',
                  reason: 'is not an ACTIVE operation your agency takes part in',
                },
              ],
            }),
          }),
        ],
      });
  });

  test.each(['STOP-2026-CDG', 'LIONFISH-2026-MRS'])(
    'the coordinator’s report of %s (NCB Paris) matches the rows',
    async (operation) => {
      const response = await hub.graphql('ncb-fra', REPORT, { code: operation });
      expect(response.body).toEqual({
        data: { operation: { code: operation, report: await figuresForFrance(operation) } },
      });
      const report = (response.body.data?.operation as { report: { documentsChecked: number } }).report;
      expect(report.documentsChecked).toBeGreaterThan(0);
    },
  );

  test('the report’s figures need a verified caller; a caller who may not see the operation gets NOT_FOUND', async () => {
    const anonymous = await hub.graphql(null, REPORT, { code: 'STOP-2026-CDG' });
    expect(anonymous.body.data?.operation ?? null).toBeNull();
    expect(anonymous.body.errors?.length).toBeGreaterThan(0);
    const stranger = await hub.graphql('ncb-usa', REPORT, { code: 'STOP-2026-CDG' });
    expect(stranger.body.data).toEqual({ operation: null });
    expect(stranger.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});
