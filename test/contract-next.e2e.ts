import type pg from 'pg';
import { parseContractExample } from '../gateway/explorer/examples';
import { readContract } from './contract';
import { withTestHubAndDatabase, type TestHub } from './hub';

/**
 * The operations that joined the contract with border-security operations (test/contract/operation-check,
 * screening-match, record-outcome and operation-report .graphql), each sent exactly as written, with the variables
 * of its comment (placeholders such as "<a confirmed hit>" filled in), through the gateway, as the caller its
 * comment names, with the tokens the token endpoint issues. What each comment expects is asserted on whole
 * responses; the report's figures are compared with rows counted here. The seeded CLOSED LIONFISH-2026-MRS is the
 * report's operation: no test adds rows to it (its window is over, so every check in its context is refused).
 */
let hub: TestHub;
let db: pg.Client;
withTestHubAndDatabase((started) => ({ hub, db } = started));

const STOP = 'STOP-2026-CDG';
const LIONFISH = 'LIONFISH-2026-MRS';

/** A contract file's operation text and the variables of its comment. */
function contract(file: string): { query: string; variables: Record<string, unknown> } {
  const query = readContract(file);
  const { variables } = parseContractExample(file, query);
  return { query, variables: JSON.parse(variables) as Record<string, unknown> };
}

async function send(
  clientId: string,
  file: string,
  fill: (variables: Record<string, unknown>) => void = () => {},
) {
  const { query, variables } = contract(file);
  fill(variables);
  return (await hub.graphql(clientId, query, variables)).body;
}

const agencies = new Map<string, string>();
const agency = (code: string) => agencies.get(code) as string;

beforeAll(async () => {
  const { rows } = await db.query<{ code: string; id: string }>('SELECT code, id FROM partners.agencies');
  for (const row of rows) agencies.set(row.code, row.id);
});

const badInput = (path: string[], field: string, reason: string) => ({
  message: expect.any(String),
  path,
  extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', problems: [{ field, reason }] }),
});

describe('OperationCheck (operation-check.graphql) as frontex in STOP-2026-CDG', () => {
  let hitId: string;

  test('the specimen at FRCDG-T2: HIT, the hit carrying the border point (named by partner-agencies) and the operation', async () => {
    const body = await send('frontex', 'operation-check.graphql');
    hitId = (body.data?.checkDocuments as { hit: { id: string } }[])[0].hit.id;
    const point = await db.query(`SELECT name FROM partners.border_points WHERE code = 'FRCDG-T2'`);
    expect(body).toEqual({
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
              borderPoint: { code: 'FRCDG-T2', name: point.rows[0].name },
              operation: { code: STOP },
            },
          },
        ],
      },
    });
    expect(
      (
        await db.query(
          `SELECT checked_by_client, operation_code, border_point_code, status FROM sltd.hits WHERE id = $1`,
          [hitId],
        )
      ).rows,
    ).toEqual([
      {
        checked_by_client: 'frontex',
        operation_code: STOP,
        border_point_code: 'FRCDG-T2',
        status: 'PENDING',
      },
    ]);
  });

  test('another border point, or an operation that is not ACTIVE, is refused naming the context field', async () => {
    const refused = (context: Record<string, string>) =>
      send('frontex', 'operation-check.graphql', (v) => (v.context = context));
    expect(await refused({ operation: STOP, borderPoint: 'FRMRS' })).toEqual({
      data: { checkDocuments: null },
      errors: [
        badInput(['checkDocuments'], 'context.borderPoint', `is not one of the border points of ${STOP}`),
      ],
    });
    expect(await refused({ operation: LIONFISH, borderPoint: 'FRMRS' })).toEqual({
      data: { checkDocuments: null },
      errors: [
        badInput(
          ['checkDocuments'],
          'context.operation',
          'is not an ACTIVE operation your agency takes part in',
        ),
      ],
    });
  });

  describe('RecordOutcome (record-outcome.graphql) on that hit', () => {
    const record = (clientId: string) => send(clientId, 'record-outcome.graphql', (v) => (v.hitId = hitId));

    test('while PENDING, its owner (NCB Utopia) is refused: confirm it first', async () => {
      expect(await record('ncb-uto')).toEqual({
        data: { recordOutcome: null },
        errors: [
          {
            message: expect.any(String),
            path: ['recordOutcome'],
            extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
          },
        ],
      });
      expect((await db.query(`SELECT status, outcome FROM sltd.hits WHERE id = $1`, [hitId])).rows).toEqual([
        { status: 'PENDING', outcome: null },
      ]);
    });

    test('confirmed, its owner records ARRESTED with its time; another owner (NCB Paris) gets NOT_FOUND', async () => {
      const confirmed = await hub.graphql(
        'ncb-uto',
        'mutation($id: ID!) { confirmHit(id: $id, outcome: CONFIRMED) { id status } }',
        { id: hitId },
      );
      expect(confirmed.body).toEqual({ data: { confirmHit: { id: hitId, status: 'CONFIRMED' } } });

      expect(await record('ncb-fra')).toEqual({
        data: { recordOutcome: null },
        errors: [
          {
            message: expect.any(String),
            path: ['recordOutcome'],
            extensions: expect.objectContaining({ code: 'NOT_FOUND' }),
          },
        ],
      });
      expect((await db.query(`SELECT outcome FROM sltd.hits WHERE id = $1`, [hitId])).rows).toEqual([
        { outcome: null },
      ]);

      const body = await record('ncb-uto');
      const row = (
        await db.query<{ outcome: string; outcome_at: Date; outcome_note: string }>(
          `SELECT outcome, outcome_at, outcome_note FROM sltd.hits WHERE id = $1`,
          [hitId],
        )
      ).rows[0];
      expect(body).toEqual({
        data: { recordOutcome: { id: hitId, outcome: 'ARRESTED', outcomeAt: row.outcome_at.toISOString() } },
      });
      expect(row.outcome).toBe('ARRESTED');
    });
  });
});

describe('ReportNoticeMatch (screening-match.graphql) as bp-fra', () => {
  test('the Eriksson YELLOW notice at FRCDG-T2 in STOP-2026-CDG: a PENDING NoticeHit for its requesting bureau', async () => {
    const notice = (
      await db.query<{ id: string; control_number: string }>(
        `SELECT id, control_number FROM notices.notices
          WHERE subject_surname = 'ERIKSSON' AND type = 'YELLOW' AND owner_country = 'UTO'`,
      )
    ).rows[0];
    const body = await send('bp-fra', 'screening-match.graphql', (v) => {
      (v.input as Record<string, unknown>).noticeId = notice.id;
    });
    const id = (body.data?.reportNoticeMatch as { id: string }).id;
    expect(body).toEqual({
      data: {
        reportNoticeMatch: {
          id,
          status: 'PENDING',
          notice: { controlNumber: notice.control_number, type: 'YELLOW' },
          borderPoint: { code: 'FRCDG-T2' },
          operation: { code: STOP },
        },
      },
    });
    expect(
      (
        await db.query(
          `SELECT notice_id, owner_agency_id, status, operation_code, border_point_code, reported_by_agency_id
             FROM notices.notice_hits WHERE id = $1`,
          [id],
        )
      ).rows,
    ).toEqual([
      {
        notice_id: notice.id,
        owner_agency_id: agency('NCB-UTO'),
        status: 'PENDING',
        operation_code: STOP,
        border_point_code: 'FRCDG-T2',
        reported_by_agency_id: agency('BP-FRA'),
      },
    ]);
  });
});
