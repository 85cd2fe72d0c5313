import pg from 'pg';
import { withTestHubAndDatabase, type TestHub } from './hub';

/**
 * Extending a review date through the gateway (docs/architecture.md, retention): the owner only, with a reason, within the
 * limits, audited as EXTEND; a caller without the write scope gets null and UNAUTHORIZED_FIELD_OR_TYPE.
 */
let hub: TestHub;
let db: pg.Client;
withTestHubAndDatabase((started) => ({ hub, db } = started));

const EXTEND_SLTD = `mutation Extend($id: ID!, $until: String!, $reason: String!) {
  extendSltdRecordReview(id: $id, until: $until, reason: $reason) { id reviewDate }
}`;
const EXTEND_NOTICE = `mutation Extend($id: ID!, $until: String!, $reason: String!) {
  extendNoticeReview(id: $id, until: $until, reason: $reason) { id reviewDate }
}`;
const EXTEND_ALERT = `mutation Extend($id: ID!, $until: String!, $reason: String!) {
  extendDocumentAlertReview(id: $id, until: $until, reason: $reason) { id reviewDate }
}`;

/** A record of NCB Paris whose review date can move a day later and stay within the limit. */
async function ownRecord(
  table: string,
  years: number,
  extra = 'true',
): Promise<{ id: string; review: string }> {
  const { rows } = await db.query(
    `SELECT r.id::text, r.review_date::text AS review FROM ${table} r
       JOIN partners.agencies a ON a.id = r.owner_agency_id
      WHERE a.code = 'NCB-FRA' AND r.review_date < (current_date + make_interval(years => $1))::date - 2 AND ${extra}
      ORDER BY r.id LIMIT 1`,
    [years],
  );
  return rows[0];
}

/**
 * Records without restrictions: other test files add restricted French records to the shared database, and a
 * record hidden from the caller is NOT_FOUND before any other rule is tried (shared/record-gate.ts).
 */
const UNRESTRICTED = `r.allowed_countries IS NULL AND r.excluded_countries = '{}'
  AND r.allowed_agency_kinds IS NULL AND r.excluded_agency_kinds = '{}'`;

const nextDay = (iso: string) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

test('the owner extends its SLTD record with a reason: new date, one EXTEND audit row', async () => {
  const record = await ownRecord('sltd.records', 10, `r.withdrawn_at IS NULL AND ${UNRESTRICTED}`);
  const until = nextDay(record.review);
  const response = await hub.graphql('ncb-fra', EXTEND_SLTD, {
    id: record.id,
    until,
    reason: 'Investigation ongoing',
  });
  expect(response.body).toEqual({ data: { extendSltdRecordReview: { id: record.id, reviewDate: until } } });
  const { rows } = await db.query(
    `SELECT client_id, subgraph, fields, details FROM audit.entries
      WHERE action = 'EXTEND' AND $1 = ANY (record_ids)`,
    [record.id],
  );
  expect(rows).toEqual([
    {
      client_id: 'ncb-fra',
      subgraph: 'travel-documents',
      fields: ['reviewDate'],
      details: { from: record.review, until, reason: 'Investigation ongoing' },
    },
  ]);
});

test('a caller without sltd:write gets null and UNAUTHORIZED_FIELD_OR_TYPE; the date does not move', async () => {
  const record = await ownRecord('sltd.records', 10, `r.withdrawn_at IS NULL AND ${UNRESTRICTED}`);
  const response = await hub.graphql('bp-fra', EXTEND_SLTD, {
    id: record.id,
    until: nextDay(record.review),
    reason: 'no right to',
  });
  // Apollo Router's semantics: the only root field removed, the whole data is null.
  expect(response.body).toEqual({
    data: null,
    errors: [
      {
        message: 'Unauthorized field or type',
        path: ['extendSltdRecordReview'],
        extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
      },
    ],
  });
  const { rows } = await db.query(`SELECT review_date::text FROM sltd.records WHERE id = $1`, [record.id]);
  expect(rows[0].review_date).toBe(record.review);
});

test('another country’s bureau is refused; dates beyond the limit or not later are refused with reasons', async () => {
  const record = await ownRecord('sltd.records', 10, `r.withdrawn_at IS NULL AND ${UNRESTRICTED}`);
  const forbidden = await hub.graphql('ncb-usa', EXTEND_SLTD, {
    id: record.id,
    until: nextDay(record.review),
    reason: 'not ours',
  });
  expect(forbidden.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const tooFar = await hub.graphql('ncb-fra', EXTEND_SLTD, {
    id: record.id,
    until: '2099-01-01',
    reason: 'x',
  });
  expect(tooFar.body.errors?.[0].extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    problems: [{ field: 'until', reason: expect.stringMatching(/^must be at most 10 years from today/) }],
  });
  const earlier = await hub.graphql('ncb-fra', EXTEND_SLTD, {
    id: record.id,
    until: record.review,
    reason: 'x',
  });
  expect(earlier.body.errors?.[0].extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    problems: [{ field: 'until', reason: `must be after the current review date (${record.review})` }],
  });
  const noReason = await hub.graphql('ncb-fra', EXTEND_SLTD, {
    id: record.id,
    until: nextDay(record.review),
    reason: ' ',
  });
  expect(noReason.body.errors?.[0].extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    problems: [{ field: 'reason', reason: 'is required' }],
  });
});

test('notices and document alerts are extended by their owner in their own subgraph', async () => {
  const notice = await ownRecord('notices.notices', 5, `r.status = 'PUBLISHED' AND ${UNRESTRICTED}`);
  const noticeUntil = nextDay(notice.review);
  const extended = await hub.graphql('ncb-fra', EXTEND_NOTICE, {
    id: notice.id,
    until: noticeUntil,
    reason: 'Subject still wanted',
  });
  expect(extended.body).toEqual({ data: { extendNoticeReview: { id: notice.id, reviewDate: noticeUntil } } });
  const refused = await hub.graphql('gs-admin', EXTEND_NOTICE, {
    id: notice.id,
    until: noticeUntil,
    reason: 'x',
  });
  expect(refused.body.data).toBeNull();
  expect(refused.body.errors?.[0]).toMatchObject({
    path: ['extendNoticeReview'],
    extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
  });

  const alert = await ownRecord('alerts.alerts', 10, `r.withdrawn_at IS NULL AND ${UNRESTRICTED}`);
  if (alert) {
    const alertUntil = nextDay(alert.review);
    const response = await hub.graphql('ncb-fra', EXTEND_ALERT, {
      id: alert.id,
      until: alertUntil,
      reason: 'Model still in circulation',
    });
    expect(response.body).toEqual({
      data: { extendDocumentAlertReview: { id: alert.id, reviewDate: alertUntil } },
    });
  }
  const unauthorized = await hub.graphql('iom', EXTEND_ALERT, {
    id: '00000000-0000-4000-8000-000000000000',
    until: '2030-01-01',
    reason: 'x',
  });
  expect(unauthorized.body.data).toBeNull();
  expect(unauthorized.body.errors?.[0]).toMatchObject({
    path: ['extendDocumentAlertReview'],
    extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
  });
});
