import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { withTestHubAndDatabase, type GraphQLResponse, type TestHub } from './hub';
import { mutationExpectations } from './mutation-expectations';
import { verifiesBySpec } from './standard-webhooks';
import { graphqlWithToken, mintToken } from './tokens';

/**
 * Notice matches (issue 12): an officer reports that the person in front of them is the subject of a notice it
 * may see; the notice's requesting bureau gets a PENDING notice hit over its signed webhook, decides on it and
 * records what was done. A notice the officer may not see is NOT_FOUND exactly as an absent one; every field of
 * a notice hit has its reader. The Eriksson YELLOW notice is NCB Utopia's; bp-fra and frontex take part in
 * STOP-2026-CDG (tokens minted here with the operation's grant, as partner-agencies signs it).
 */
process.env.WEBHOOK_POLL_MS = '100';
process.env.WEBHOOK_RETRY_BASE_MS = '100';

let hub: TestHub;
let db: pg.Client;
withTestHubAndDatabase((started) => ({ hub, db } = started));

const { changesOf, refused, invalid, failure } = mutationExpectations('notices', 'notices', () => ({
  hub,
  db,
}));

/** contract-next/screening-match.graphql's operation. */
const REPORT = `mutation ReportNoticeMatch($input: NoticeMatchInput!) {
  reportNoticeMatch(input: $input) {
    id
    status
    notice { controlNumber type }
    borderPoint { code }
    operation { code }
  }
}`;
const HIT_FIELDS = `id status reportedAt note decidedAt outcome outcomeAt reportedBy { id }
  notice { id controlNumber type } borderPoint { code } operation { code }`;
const NOTICE_HITS = `query($filter: NoticeHitFilter, $first: Int, $after: String) {
  noticeHits(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { ${HIT_FIELDS} } } } }`;
const CONFIRM = `mutation($id: ID!, $outcome: HitOutcome!, $note: String) {
  confirmNoticeHit(id: $id, outcome: $outcome, note: $note) { id status decidedAt } }`;
const OUTCOME = `mutation($id: ID!, $outcome: HitOutcomeAction!, $note: String) {
  recordNoticeHitOutcome(noticeHitId: $id, outcome: $outcome, note: $note) { id status outcome outcomeAt } }`;
const SIMPLE_REPORT = `mutation($input: NoticeMatchInput!) { reportNoticeMatch(input: $input) { id status } }`;

const STOP = 'STOP-2026-CDG';
const agencies = new Map<string, string>();
let eriksson: { id: string; controlNumber: string };

beforeAll(async () => {
  for (const row of (await db.query(`SELECT code, id FROM partners.agencies`)).rows as {
    code: string;
    id: string;
  }[])
    agencies.set(row.code, row.id);
  eriksson = (
    await db.query(`SELECT id, control_number AS "controlNumber" FROM notices.notices
                     WHERE subject_surname = 'ERIKSSON' AND type = 'YELLOW' AND owner_country = 'UTO'`)
  ).rows[0];
});

const agency = (code: string) => agencies.get(code) as string;

/** bp-fra's token as partner-agencies issues it while STOP-2026-CDG is ACTIVE. */
async function bpFraInOperation(): Promise<string> {
  return mintToken({
    clientId: 'bp-fra',
    agencyId: agency('BP-FRA'),
    agencyKind: 'NATIONAL_ENTITY',
    country: 'FRA',
    scopes: ['sltd:check', 'sltd:summary', 'notices:screen', 'alerts:read'],
    operations: [
      {
        code: STOP,
        scopes: ['sltd:check', 'notices:screen'],
        borderPoints: ['FRCDG-T1', 'FRCDG-T2'],
        until: new Date(Date.now() + 3_600_000),
      },
    ],
  });
}

const unauthorized = (path: (string | number)[]) => ({
  message: 'Unauthorized field or type',
  path,
  extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
});

async function report(clientId: string, input: Record<string, unknown>): Promise<string> {
  const response = await hub.graphql(clientId, SIMPLE_REPORT, { input });
  expect(response.body.errors).toBeUndefined();
  return (response.body.data?.reportNoticeMatch as { id: string }).id;
}

/** A receiver that accepts every delivery. */
function startReceiver() {
  const deliveries: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      deliveries.push({ headers: req.headers, body });
      res.writeHead(200).end();
    });
  });
  return new Promise<{ url: string; deliveries: typeof deliveries; close(): Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/notice-hits`,
        deliveries,
        close: () => new Promise((done) => server.close(() => done())),
      }),
    );
  });
}

async function until<T>(probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('ReportNoticeMatch (contract-next/screening-match.graphql)', () => {
  test('bp-fra reports the Eriksson YELLOW notice at FRCDG-T2 in STOP-2026-CDG: a PENDING hit for NCB Utopia, audited, delivered signed to its webhook', async () => {
    const receiver = await startReceiver();
    try {
      const registered = await hub.graphql(
        'ncb-uto',
        'mutation($u: String!) { setWebhook(url: $u) { secret } }',
        {
          u: receiver.url,
        },
      );
      const { secret } = registered.body.data?.setWebhook as { secret: string };
      const variables = {
        input: {
          noticeId: eriksson.id,
          borderPoint: 'FRCDG-T2',
          operation: STOP,
          note: 'traveller matches photo and date of birth',
        },
      };
      const response = await graphqlWithToken(hub, await bpFraInOperation(), REPORT, variables);
      expect(response.body).toEqual({
        data: {
          reportNoticeMatch: {
            id: expect.any(String),
            status: 'PENDING',
            notice: { controlNumber: eriksson.controlNumber, type: 'YELLOW' },
            borderPoint: { code: 'FRCDG-T2' },
            operation: { code: STOP },
          },
        },
      });
      const id = (response.body.data?.reportNoticeMatch as { id: string }).id;

      const row = await db.query(
        `SELECT notice_id, owner_agency_id, reported_by_client, reported_by_agency_id, reported_by_country, note,
                operation_code, border_point_code, status, decided_at, outcome
           FROM notices.notice_hits WHERE id = $1`,
        [id],
      );
      expect(row.rows).toEqual([
        {
          notice_id: eriksson.id,
          owner_agency_id: agency('NCB-UTO'),
          reported_by_client: 'bp-fra',
          reported_by_agency_id: agency('BP-FRA'),
          reported_by_country: 'FRA',
          note: 'traveller matches photo and date of birth',
          operation_code: STOP,
          border_point_code: 'FRCDG-T2',
          status: 'PENDING',
          decided_at: null,
          outcome: null,
        },
      ]);
      const audit = await db.query(
        `SELECT action, client_id, record_type, record_ids, owner_agency_ids, fields, details FROM audit.entries
          WHERE $1 = ANY (fields)`,
        [`noticeHit:${id}`],
      );
      expect(audit.rows).toEqual([
        {
          action: 'HIT',
          client_id: 'bp-fra',
          record_type: 'Notice',
          record_ids: [eriksson.id],
          owner_agency_ids: [agency('NCB-UTO')],
          fields: [`noticeHit:${id}`],
          details: { operation: STOP, borderPoint: 'FRCDG-T2' },
        },
      ]);

      const delivery = await until(() =>
        receiver.deliveries.find((d) => JSON.parse(d.body).data?.noticeHitId === id),
      );
      const headers = {
        'webhook-id': String(delivery.headers['webhook-id']),
        'webhook-timestamp': String(delivery.headers['webhook-timestamp']),
        'webhook-signature': String(delivery.headers['webhook-signature']),
      };
      expect(new Webhook(secret).verify(delivery.body, headers)).toEqual(JSON.parse(delivery.body));
      expect(
        verifiesBySpec(
          secret,
          {
            id: headers['webhook-id'],
            timestamp: headers['webhook-timestamp'],
            signature: headers['webhook-signature'],
          },
          delivery.body,
        ),
      ).toBe(true);
      expect(JSON.parse(delivery.body)).toEqual({
        id: headers['webhook-id'],
        type: 'notice-hit.created',
        createdAt: expect.any(String),
        data: {
          noticeHitId: id,
          noticeId: eriksson.id,
          controlNumber: eriksson.controlNumber,
          noticeType: 'YELLOW',
          reportedAt: expect.any(String),
          reportedByAgencyId: agency('BP-FRA'),
          reportedByCountry: 'FRA',
          operation: STOP,
          borderPoint: 'FRCDG-T2',
          note: 'traveller matches photo and date of birth',
        },
      });
    } finally {
      await receiver.close();
    }
  });

  test('a notice bp-fra may not see (restricted away from France, not yet published) is NOT_FOUND like an absent one; nothing is written', async () => {
    const requested = await hub.graphql(
      'ncb-uto',
      'mutation($i: RequestNoticeInput!) { requestNotice(input: $i) { id } }',
      {
        i: {
          type: 'BLUE',
          title: 'Whereabouts of a witness (notice-hits test)',
          subject: { surname: 'Noticehitstest', forenames: 'Hidden', sex: 'F', nationalities: ['UTO'] },
          restrictions: { excludedCountries: ['FRA'] },
        },
      },
    );
    expect(requested.body.errors).toBeUndefined();
    const restricted = (requested.body.data?.requestNotice as { id: string }).id;
    const unpublished = await (async () => {
      const r = await hub.graphql(
        'ncb-uto',
        'mutation($i: RequestNoticeInput!) { requestNotice(input: $i) { id } }',
        {
          i: { type: 'BLUE', title: 'Not yet published (notice-hits test)' },
        },
      );
      return (r.body.data?.requestNotice as { id: string }).id;
    })();
    const published = await hub.graphql(
      'gs-admin',
      'mutation($id: ID!) { publishNotice(id: $id, reason: "ok") { id } }',
      {
        id: restricted,
      },
    );
    expect(published.body.errors).toBeUndefined();

    const answers: GraphQLResponse['body'][] = [];
    for (const noticeId of [restricted, unpublished, '00000000-0000-4000-8000-000000000000', 'not-an-id']) {
      answers.push((await refused('bp-fra', SIMPLE_REPORT, { input: { noticeId } })).body);
    }
    for (const answer of answers)
      expect(answer).toEqual(failure('reportNoticeMatch', 'NOT_FOUND', 'Notice not found'));
    // The owner learns that its hidden notice was tried; the caller's row names no notice.
    const refusals = await db.query(
      `SELECT record_ids, owner_agency_ids, details FROM audit.entries
        WHERE action = 'REFUSE' AND client_id = 'bp-fra' AND 'reportNoticeMatch' = ANY (fields) AND $1 = ANY (record_ids)`,
      [restricted],
    );
    expect(refusals.rows).toEqual([
      {
        record_ids: [restricted],
        owner_agency_ids: [agency('NCB-UTO')],
        details: { refusal: 'NOT_FOUND', hiddenFromCaller: true },
      },
    ]);
    // Its requesting bureau sees it, and may not match a notice that is not published.
    expect((await refused('ncb-uto', SIMPLE_REPORT, { input: { noticeId: unpublished } })).body).toEqual(
      invalid('reportNoticeMatch', [
        { field: 'input.noticeId', reason: 'is REQUESTED: only a PUBLISHED notice can be matched' },
      ]),
    );
  });

  test('the operation context is checked: both or neither, an ACTIVE operation of the caller, one of its border points', async () => {
    const inOperation = await bpFraInOperation();
    const attempt = async (token: string, input: Record<string, unknown>) =>
      (await graphqlWithToken(hub, token, SIMPLE_REPORT, { input: { noticeId: eriksson.id, ...input } }))
        .body;
    const before = await db.query('SELECT count(*)::int AS n FROM notices.notice_hits');
    expect(await attempt(inOperation, { operation: STOP })).toEqual(
      invalid('reportNoticeMatch', [{ field: 'input.borderPoint', reason: 'is required with operation' }]),
    );
    expect(await attempt(inOperation, { borderPoint: 'FRCDG-T2' })).toEqual(
      invalid('reportNoticeMatch', [{ field: 'input.operation', reason: 'is required with borderPoint' }]),
    );
    expect(await attempt(inOperation, { operation: STOP, borderPoint: 'FRORY' })).toEqual(
      invalid('reportNoticeMatch', [
        { field: 'input.borderPoint', reason: `is not one of the border points of ${STOP}` },
      ]),
    );
    const notActive = invalid('reportNoticeMatch', [
      { field: 'input.operation', reason: 'is not an ACTIVE operation your agency takes part in' },
    ]);
    expect(await attempt(inOperation, { operation: 'LIONFISH-2026-MRS', borderPoint: 'FRMRS' })).toEqual(
      notActive,
    );
    // The demo token carries no grant of STOP-2026-CDG in this test: the same answer as an unknown operation.
    const plain = await mintToken({
      clientId: 'bp-fra',
      agencyId: agency('BP-FRA'),
      agencyKind: 'NATIONAL_ENTITY',
      country: 'FRA',
      scopes: ['notices:screen'],
    });
    expect(await attempt(plain, { operation: STOP, borderPoint: 'FRCDG-T2' })).toEqual(notActive);
    // Each refused context leaves its REFUSE row: an operation the caller is not in names none (NOT_FOUND).
    const refusedRequest = `notice-match-refused-${randomUUID()}`;
    await graphqlWithToken(
      hub,
      plain,
      SIMPLE_REPORT,
      { input: { noticeId: eriksson.id, operation: STOP, borderPoint: 'FRCDG-T2' } },
      { 'x-request-id': refusedRequest },
    );
    expect(await refusalRows(refusedRequest)).toEqual([
      {
        action: 'REFUSE',
        record_type: 'Operation',
        record_ids: [],
        fields: ['reportNoticeMatch'],
        details: { refusal: 'NOT_FOUND' },
      },
    ]);
    expect(await attempt(inOperation, { note: 'x'.repeat(2001) })).toEqual(
      invalid('reportNoticeMatch', [{ field: 'input.note', reason: 'must be at most 2000 characters' }]),
    );
    expect((await db.query('SELECT count(*)::int AS n FROM notices.notice_hits')).rows).toEqual(before.rows);
    // Without notices:screen the mutation is not there at all.
    expect((await hub.graphql('iom', SIMPLE_REPORT, { input: { noticeId: eriksson.id } })).body).toEqual({
      data: null,
      errors: [unauthorized(['reportNoticeMatch'])],
    });
  });
});

describe('deciding on a notice hit and recording its outcome', () => {
  test('the requesting bureau confirms a PENDING hit once, then records an outcome; each change audited', async () => {
    const id = await report('bp-fra', { noticeId: eriksson.id, note: 'seen at the gate' });
    // An outcome before a decision is refused, naming the argument.
    expect((await refused('ncb-uto', OUTCOME, { id, outcome: 'ARRESTED' })).body).toEqual(
      invalid('recordNoticeHitOutcome', [{ field: 'noticeHitId', reason: 'is PENDING: confirm it first' }]),
    );
    const confirmed = await hub.graphql('ncb-uto', CONFIRM, { id, outcome: 'CONFIRMED', note: 'it is her' });
    expect(confirmed.body).toEqual({
      data: { confirmNoticeHit: { id, status: 'CONFIRMED', decidedAt: expect.any(String) } },
    });
    expect((await refused('ncb-uto', CONFIRM, { id, outcome: 'FALSE_POSITIVE' })).body).toEqual(
      failure('confirmNoticeHit', 'CONFLICT', 'The notice hit was already decided: CONFIRMED', {
        field: 'id',
      }),
    );
    const outcome = await hub.graphql('ncb-uto', OUTCOME, { id, outcome: 'DETAINED', note: 'handed to NCB' });
    expect(outcome.body).toEqual({
      data: {
        recordNoticeHitOutcome: {
          id,
          status: 'CONFIRMED',
          outcome: 'DETAINED',
          outcomeAt: expect.any(String),
        },
      },
    });
    const row = await db.query(
      `SELECT status, decision_note, decided_by_client, outcome, outcome_note, outcome_by_client
         FROM notices.notice_hits WHERE id = $1`,
      [id],
    );
    expect(row.rows).toEqual([
      {
        status: 'CONFIRMED',
        decision_note: 'it is her',
        decided_by_client: 'ncb-uto',
        outcome: 'DETAINED',
        outcome_note: 'handed to NCB',
        outcome_by_client: 'ncb-uto',
      },
    ]);
    expect(await changesOf(id)).toEqual([
      {
        action: 'DECIDE',
        client_id: 'ncb-uto',
        subgraph: 'notices',
        record_type: 'NoticeHit',
        owner_agency_ids: [agency('NCB-UTO')],
        fields: ['decisionNote', 'status'],
        details: { outcome: 'CONFIRMED' },
      },
      {
        action: 'UPDATE',
        client_id: 'ncb-uto',
        subgraph: 'notices',
        record_type: 'NoticeHit',
        owner_agency_ids: [agency('NCB-UTO')],
        fields: ['outcome', 'outcomeNote'],
        details: { outcome: 'DETAINED', replaced: null },
      },
    ]);
  });

  test('a false positive takes no outcome; another bureau, the reporter and an unknown id are NOT_FOUND or not allowed', async () => {
    const id = await report('ncb-fra', { noticeId: eriksson.id });
    const notFound = (field: string) => failure(field, 'NOT_FOUND', 'Notice hit not found');
    // ncb-fra reported it and holds hits:manage, but the notice is NCB Utopia's.
    expect((await refused('ncb-fra', CONFIRM, { id, outcome: 'CONFIRMED' })).body).toEqual(
      notFound('confirmNoticeHit'),
    );
    expect((await refused('ncb-usa', CONFIRM, { id, outcome: 'CONFIRMED' })).body).toEqual(
      notFound('confirmNoticeHit'),
    );
    expect(
      (
        await refused('ncb-uto', CONFIRM, {
          id: '00000000-0000-4000-8000-000000000000',
          outcome: 'CONFIRMED',
        })
      ).body,
    ).toEqual(notFound('confirmNoticeHit'));
    expect((await refused('ncb-usa', OUTCOME, { id, outcome: 'ARRESTED' })).body).toEqual(
      notFound('recordNoticeHitOutcome'),
    );
    // Without hits:manage neither mutation is there.
    expect((await hub.graphql('bp-fra', CONFIRM, { id, outcome: 'CONFIRMED' })).body).toEqual({
      data: null,
      errors: [unauthorized(['confirmNoticeHit'])],
    });
    expect((await hub.graphql('bp-fra', OUTCOME, { id, outcome: 'ARRESTED' })).body).toEqual({
      data: null,
      errors: [unauthorized(['recordNoticeHitOutcome'])],
    });
    const rejected = await hub.graphql('ncb-uto', CONFIRM, { id, outcome: 'FALSE_POSITIVE' });
    expect(rejected.body.data?.confirmNoticeHit).toMatchObject({ status: 'FALSE_POSITIVE' });
    expect((await refused('ncb-uto', OUTCOME, { id, outcome: 'NO_ACTION' })).body).toEqual(
      invalid('recordNoticeHitOutcome', [
        { field: 'noticeHitId', reason: 'is a FALSE_POSITIVE: only a CONFIRMED hit has an outcome' },
      ]),
    );
  });
});

describe('who reads a notice hit', () => {
  let id: string;
  beforeAll(async () => {
    id = await report('ncb-fra', { noticeId: eriksson.id, note: 'who-reads test' });
    await hub.graphql('ncb-uto', CONFIRM, { id, outcome: 'CONFIRMED' });
    await hub.graphql('ncb-uto', OUTCOME, { id, outcome: 'ARRESTED' });
  });

  const pageOf = async (clientId: string, variables: Record<string, unknown> = {}) =>
    hub.graphql(clientId, NOTICE_HITS, { filter: { status: 'CONFIRMED' }, first: 100, ...variables });
  const nodeOf = (response: GraphQLResponse) => {
    const page = response.body.data?.noticeHits as { edges: { node: { id: string } }[] };
    const index = page.edges.findIndex((e) => e.node.id === id);
    return { index, node: index < 0 ? undefined : page.edges[index].node };
  };

  test('the requesting bureau (hits:manage) reads everything', async () => {
    const response = await pageOf('ncb-uto', { filter: { side: 'OWNER', status: 'CONFIRMED' } });
    expect(response.body.errors).toBeUndefined();
    expect(nodeOf(response).node).toEqual({
      id,
      status: 'CONFIRMED',
      reportedAt: expect.any(String),
      note: 'who-reads test',
      decidedAt: expect.any(String),
      outcome: 'ARRESTED',
      outcomeAt: expect.any(String),
      reportedBy: { id: agency('NCB-FRA') },
      notice: { id: eriksson.id, controlNumber: eriksson.controlNumber, type: 'YELLOW' },
      borderPoint: null,
      operation: null,
    });
  });

  test('the reporter reads its report’s basics, not who reported it nor what was done', async () => {
    const response = await pageOf('ncb-fra', { filter: { side: 'REPORTER', status: 'CONFIRMED' } });
    const { index, node } = nodeOf(response);
    expect(node).toEqual({
      id,
      status: 'CONFIRMED',
      reportedAt: expect.any(String),
      note: 'who-reads test',
      decidedAt: expect.any(String),
      outcome: null,
      outcomeAt: null,
      reportedBy: null,
      notice: { id: eriksson.id, controlNumber: eriksson.controlNumber, type: 'YELLOW' },
      borderPoint: null,
      operation: null,
    });
    // ncb-fra holds hits:manage: the gateway lets the owner's fields through, the subgraph refuses them on a hit
    // of another bureau's notice.
    for (const field of ['outcome', 'outcomeAt', 'reportedBy'])
      expect(response.body.errors).toContainEqual({
        ...unauthorized(['noticeHits', 'edges', index, 'node', field]),
        extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE', serviceName: 'notices' },
      });
    // As an owner it has no hit on this notice.
    const asOwner = await pageOf('ncb-fra', { filter: { side: 'OWNER', status: 'CONFIRMED' } });
    expect(nodeOf(asOwner).node).toBeUndefined();
  });

  test('a reporter without hits:manage is refused the owner’s fields by the gateway', async () => {
    const own = await report('bp-fra', { noticeId: eriksson.id, note: 'bp-fra who-reads' });
    const response = await hub.graphql('bp-fra', NOTICE_HITS, { filter: { status: 'PENDING' }, first: 100 });
    const page = response.body.data?.noticeHits as { edges: { node: Record<string, unknown> }[] };
    expect(page.edges.find((e) => e.node.id === own)?.node).toEqual({
      id: own,
      status: 'PENDING',
      reportedAt: expect.any(String),
      note: 'bp-fra who-reads',
      decidedAt: null,
      outcome: null,
      outcomeAt: null,
      reportedBy: null,
      notice: { id: eriksson.id, controlNumber: eriksson.controlNumber, type: 'YELLOW' },
      borderPoint: null,
      operation: null,
    });
    for (const field of ['outcome', 'outcomeAt', 'reportedBy'])
      expect(response.body.errors).toContainEqual(unauthorized(['noticeHits', 'edges', '@', 'node', field]));
    // No other agency's report is in bp-fra's list.
    expect(page.edges.every((e) => e.node.note !== 'who-reads test')).toBe(true);
  });

  test('anyone else sees nothing: other bureaus’ lists hold no such hit, and without a rule’s scope there is no list', async () => {
    for (const clientId of ['ncb-usa', 'frontex']) {
      const response = await pageOf(clientId);
      expect(nodeOf(response).node).toBeUndefined();
    }
    expect((await hub.graphql('airline-demo', NOTICE_HITS, {})).body).toEqual({
      data: null,
      errors: [unauthorized(['noticeHits'])],
    });
    expect((await hub.graphql(null, NOTICE_HITS, {})).body.data).toBeFalsy();
  });

  test('the owner pages its notice hits newest first, keyset by keyset, each read audited', async () => {
    await report('bp-fra', { noticeId: eriksson.id, note: 'paging 1' });
    await report('bp-fra', { noticeId: eriksson.id, note: 'paging 2' });
    const all = await hub.graphql('ncb-uto', NOTICE_HITS, { filter: { side: 'OWNER' }, first: 100 });
    const every = (
      all.body.data?.noticeHits as { totalCount: number; edges: { node: { id: string } }[] }
    ).edges.map((e) => e.node.id);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await hub.graphql('ncb-uto', NOTICE_HITS, { filter: { side: 'OWNER' }, first: 2, after });
      const connection = page.body.data?.noticeHits as {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        edges: { node: { id: string } }[];
      };
      seen.push(...connection.edges.map((e) => e.node.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(every);
    expect(every.length).toBeGreaterThanOrEqual(3);
    const reads = await db.query(
      `SELECT count(*)::int AS n FROM audit.entries WHERE action = 'READ' AND record_type = 'NoticeHit'
          AND client_id = 'ncb-uto' AND $1 = ANY (record_ids)`,
      [every[0]],
    );
    expect(reads.rows[0].n).toBeGreaterThanOrEqual(2);
  });
});

describe('screenPerson in an operation', () => {
  const SCREEN = `query($input: PersonScreeningInput!, $context: CheckContextInput) {
    screenPerson(input: $input, context: $context) { notice { id } } }`;

  test('a screening with its context is counted for the operation and its context is on the audit rows', async () => {
    const token = await bpFraInOperation();
    const count = async () =>
      (
        await db.query(
          `SELECT count(*)::int AS n FROM notices.operation_screenings
            WHERE operation_code = $1 AND border_point_code = 'FRCDG-T1' AND screened_by_client = 'bp-fra'`,
          [STOP],
        )
      ).rows[0].n as number;
    const before = await count();
    const matched = await graphqlWithToken(hub, token, SCREEN, {
      input: { surname: 'Eriksson', forenames: 'Anna Maria', dateOfBirth: '1974-08-12' },
      context: { operation: STOP, borderPoint: 'FRCDG-T1' },
    });
    expect(
      (matched.body.data?.screenPerson as { notice: { id: string } }[]).map((m) => m.notice.id),
    ).toContain(eriksson.id);
    const none = await graphqlWithToken(hub, token, SCREEN, {
      input: { surname: 'Zzyzxqwv', forenames: 'Nobody' },
      context: { operation: STOP, borderPoint: 'FRCDG-T1' },
    });
    expect(none.body).toEqual({ data: { screenPerson: [] } });
    expect(await count()).toBe(before + 2);
    const audit = await db.query(
      `SELECT record_type, details FROM audit.entries WHERE action = 'SCREEN' AND client_id = 'bp-fra'
          AND details->>'borderPoint' = 'FRCDG-T1' ORDER BY seq DESC LIMIT 3`,
    );
    expect(audit.rows).toEqual([
      { record_type: 'PersonScreening', details: { operation: STOP, borderPoint: 'FRCDG-T1' } },
      { record_type: 'PersonScreening', details: { operation: STOP, borderPoint: 'FRCDG-T1' } },
      { record_type: 'Notice', details: { operation: STOP, borderPoint: 'FRCDG-T1' } },
    ]);

    // A context that does not hold is refused before anything is screened or counted.
    const refusedRequest = `screening-refused-${randomUUID()}`;
    const refusedScreening = await graphqlWithToken(
      hub,
      token,
      SCREEN,
      { input: { surname: 'Eriksson' }, context: { operation: STOP, borderPoint: 'USJFK-T4' } },
      { 'x-request-id': refusedRequest },
    );
    expect(refusedScreening.body).toEqual({
      data: { screenPerson: null },
      errors: [
        {
          message: `Invalid input: context.borderPoint: is not one of the border points of ${STOP}`,
          path: ['screenPerson'],
          extensions: {
            code: 'BAD_USER_INPUT',
            serviceName: 'notices',
            problems: [
              { field: 'context.borderPoint', reason: `is not one of the border points of ${STOP}` },
            ],
          },
        },
      ],
    });
    // …and leaves its REFUSE row, naming the operation the caller takes part in.
    expect(await refusalRows(refusedRequest)).toEqual([
      {
        action: 'REFUSE',
        record_type: 'Operation',
        record_ids: [STOP],
        fields: ['screenPerson'],
        details: { refusal: 'FORBIDDEN' },
      },
    ]);
    expect(await count()).toBe(before + 2);
  });
});

/** The audit rows one request left, in the order written. */
async function refusalRows(requestId: string) {
  const { rows } = await db.query(
    `SELECT action, record_type, record_ids, fields, details FROM audit.entries WHERE request_id = $1 ORDER BY seq`,
    [requestId],
  );
  return rows;
}
