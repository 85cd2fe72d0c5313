import fs from 'node:fs';
import { Kind, parse, type FieldDefinitionNode, type ObjectTypeDefinitionNode } from 'graphql';
import pg from 'pg';
import { startTestHub, type TestHub } from '../hub';
import { tableSnapshot } from '../table-snapshot';

/**
 * One gate for every path to a record (shared/record-gate.ts): every mutation of the schema that takes a record
 * id, tried on a record hidden from the caller, answers NOT_FOUND — before any check of its input, so no message
 * carries a value of the record — changes no row, and leaves a REFUSE audit row that names the client and the
 * mutation but not the record (its owner's copy does).
 *
 * The caller is the NCB of France; the records belong to the French border police, who keep them from NCBs.
 * That NCB may change its country's records, so only the visibility gate stops it (before, the review
 * extensions let it through and answered with the record, or with its review date in a message).
 */
let hub: TestHub;
let db: pg.Client;
let bpFra: string;
const hidden: Record<'sltd' | 'notice' | 'alert' | 'hit' | 'noticeHit', string> = {
  sltd: '',
  notice: '',
  alert: '',
  hit: '',
  noticeHit: '',
};

// Values of the hidden records that no answer to the excluded caller may carry.
const SECRET = {
  number: 'GATE00001',
  reference: 'GATE-SECRET-REF',
  surname: 'HIDDENSURNAME',
  review: '2035-03-17',
  title: 'Hidden gate case',
  description: 'Hidden forged model',
};

beforeAll(async () => {
  hub = await startTestHub();
  db = new pg.Client({ connectionString: hub.databaseUrl });
  await db.connect();
  // Token requests are audited: take it before any count of the trail.
  await hub.token('ncb-fra');
  const agency = async (code: string) =>
    (await db.query(`SELECT id::text FROM partners.agencies WHERE code = $1`, [code])).rows[0].id as string;
  bpFra = await agency('BP-FRA');
  const usaNcb = await agency('NCB-USA');
  const insert = async (sql: string, params: unknown[]) => (await db.query(sql, params)).rows[0].id as string;
  hidden.sltd = await insert(
    `INSERT INTO sltd.records (issuing_country, document_number, document_type, status, owner_agency_id, owner_country,
                               review_date, national_reference, holder_surname, excluded_agency_kinds)
     VALUES ('FRA', $1, 'PASSPORT', 'STOLEN', $2, 'FRA', $3, $4, $5, '{NCB}') RETURNING id::text`,
    [SECRET.number, bpFra, SECRET.review, SECRET.reference, SECRET.surname],
  );
  hidden.notice = await insert(
    `INSERT INTO notices.notices (control_number, type, status, title, owner_agency_id, owner_country, subject_surname,
                                  review_date, published_at, excluded_agency_kinds)
     VALUES ('Y-999901/11-2026', 'YELLOW', 'PUBLISHED', $1, $2, 'FRA', $3, $4, now(), '{NCB}') RETURNING id::text`,
    [SECRET.title, bpFra, SECRET.surname, SECRET.review],
  );
  hidden.alert = await insert(
    `INSERT INTO alerts.alerts (alert_number, issuing_country, document_type, fraud_type, description, indicators,
                                owner_agency_id, owner_country, review_date, excluded_agency_kinds)
     VALUES ('DD-GATE-00001', 'FRA', 'PASSPORT', 'FORGED', $1, '{Hidden indicator}', $2, 'FRA', $3, '{NCB}')
     RETURNING id::text`,
    [SECRET.description, bpFra, SECRET.review],
  );
  // A hit on another bureau's record, made by another agency's check: nothing of it is the French NCB's.
  const usaRecord = await insert(
    `INSERT INTO sltd.records (issuing_country, document_number, document_type, status, owner_agency_id, owner_country,
                               review_date)
     VALUES ('USA', 'GATE00002', 'PASSPORT', 'STOLEN', $1, 'USA', $2) RETURNING id::text`,
    [usaNcb, SECRET.review],
  );
  hidden.hit = await insert(
    `INSERT INTO sltd.hits (record_id, owner_agency_id, checked_by_client, checked_by_agency_id, location)
     VALUES ($1, $2, 'bp-fra', $3, 'Hidden gate') RETURNING id::text`,
    [usaRecord, usaNcb, bpFra],
  );
  // A match on the border police's hidden notice, reported by another agency: the French NCB neither owns the
  // notice nor reported the match.
  hidden.noticeHit = await insert(
    `INSERT INTO notices.notice_hits (id, notice_id, owner_agency_id, reported_by_client, reported_by_agency_id, note)
     VALUES (gen_random_uuid(), $1, $2, 'ncb-usa', $3, $4) RETURNING id::text`,
    [hidden.notice, bpFra, usaNcb, SECRET.description],
  );
});
afterAll(async () => {
  await db.end();
  await hub.stop();
});

interface Attempt {
  record: keyof typeof hidden;
  schema: string;
  service: string;
  label: string;
  /** Arguments besides `id`, chosen so that on a visible record each would fail a later check. */
  args: string;
  select: string;
}

/** Where each kind of record lives, and what a leaking answer would select of it. */
const KINDS: Record<'sltd' | 'notice' | 'alert', Omit<Attempt, 'args'>> = {
  sltd: {
    record: 'sltd',
    schema: 'sltd',
    service: 'travel-documents',
    label: 'SLTD record',
    select: 'id reviewDate nationalReference holder { surname }',
  },
  notice: { record: 'notice', schema: 'notices', service: 'notices', label: 'Notice', select: 'id title' },
  alert: {
    record: 'alert',
    schema: 'alerts',
    service: 'document-alerts',
    label: 'Document alert',
    select: 'id description indicators',
  },
};
const sltd = (args: string): Attempt => ({ ...KINDS.sltd, args });
const notice = (args: string): Attempt => ({ ...KINDS.notice, args });
const alert = (args: string): Attempt => ({ ...KINDS.alert, args });

// `until` is before the record's review date: a gate after the date check would name that date.
const EXTEND = `until: "2030-01-01", reason: "x"`;
const ATTEMPTS: Record<string, Attempt> = {
  updateSltdRecord: sltd(`input: { theftDate: "2999-01-01" }`),
  withdrawSltdRecord: sltd(`reason: " "`),
  extendSltdRecordReview: sltd(EXTEND),
  updateNotice: notice(`input: { title: "" }`),
  cancelNotice: notice(`reason: " "`),
  extendNoticeReview: notice(EXTEND),
  withdrawDocumentAlert: alert(`reason: " "`),
  updateDocumentAlertRestrictions: alert(`restrictions: { excludedCountries: ["NOPE"] }`),
  extendDocumentAlertReview: alert(EXTEND),
  confirmHit: {
    record: 'hit',
    schema: 'sltd',
    service: 'travel-documents',
    label: 'Hit',
    args: 'outcome: CONFIRMED',
    select: 'id status',
  },
  confirmNoticeHit: {
    record: 'noticeHit',
    schema: 'notices',
    service: 'notices',
    label: 'Notice hit',
    args: 'outcome: CONFIRMED, note: " "',
    select: 'id status note',
  },
};

/**
 * Mutations that take an id but no record a caller could have hidden from it: only the General Secretariat may
 * call them, and it sees every record (shared/restrictions.ts).
 */
const GENERAL_SECRETARIAT_ONLY = ['publishNotice', 'refuseNotice', 'revokeAgreement'];

/** The mutations of the composed schema with an `id: ID!` argument. */
function mutationsTakingAnId(): string[] {
  const document = parse(fs.readFileSync('supergraph.graphql', 'utf8'));
  const mutation = document.definitions.find(
    (d): d is ObjectTypeDefinitionNode =>
      d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === 'Mutation',
  );
  const takesId = (field: FieldDefinitionNode) =>
    (field.arguments ?? []).some(
      (arg) =>
        arg.name.value === 'id' &&
        arg.type.kind === Kind.NON_NULL_TYPE &&
        arg.type.type.kind === Kind.NAMED_TYPE &&
        arg.type.type.name.value === 'ID',
    );
  return (mutation?.fields ?? [])
    .filter(takesId)
    .map((f) => f.name.value)
    .sort();
}

test('every mutation that takes a record id is tried below, or is the General Secretariat’s alone', () => {
  expect(mutationsTakingAnId()).toEqual([...Object.keys(ATTEMPTS), ...GENERAL_SECRETARIAT_ONLY].sort());
});

describe.each(Object.entries(ATTEMPTS))('%s on a record hidden from the caller', (mutation, attempt) => {
  test('is NOT_FOUND, discloses nothing, changes nothing, and the refusal is audited', async () => {
    const id = hidden[attempt.record];
    const before = await tableSnapshot(db, [attempt.schema]);
    const refusalsBefore = await refusals(id);
    const response = await hub.graphql(
      'ncb-fra',
      `mutation($id: ID!) { ${mutation}(id: $id, ${attempt.args}) { ${attempt.select} } }`,
      { id },
    );
    expect(response.body).toEqual({
      data: { [mutation]: null },
      errors: [
        {
          message: `${attempt.label} not found`,
          path: [mutation],
          extensions: { code: 'NOT_FOUND', serviceName: attempt.service },
        },
      ],
    });
    const text = JSON.stringify(response.body);
    for (const value of Object.values(SECRET)) expect(text).not.toContain(value);
    expect(await tableSnapshot(db, [attempt.schema])).toEqual(before);

    // The caller's row names the mutation, not the record; the owner's copy names it.
    const rows = (await refusals(id)).slice(refusalsBefore.length);
    expect(rows).toEqual([
      {
        client_id: 'ncb-fra',
        record_ids: [],
        owner_agency_ids: [],
        fields: [mutation],
        details: { refusal: 'NOT_FOUND' },
      },
      {
        client_id: 'ncb-fra',
        record_ids: [id],
        owner_agency_ids: [attempt.record === 'hit' ? expect.any(String) : bpFra],
        fields: [mutation],
        details: { refusal: 'NOT_FOUND', hiddenFromCaller: true },
      },
    ]);
  });
});

/** The REFUSE rows of the caller's requests that concern `id` (its owner's copy) or no record at all. */
async function refusals(id: string) {
  const { rows } = await db.query(
    `SELECT client_id, record_ids, owner_agency_ids::text[], fields, details FROM audit.entries
      WHERE action = 'REFUSE' AND client_id = 'ncb-fra'
        AND request_id IN (SELECT request_id FROM audit.entries WHERE action = 'REFUSE' AND $1 = ANY (record_ids))
      ORDER BY seq`,
    [id],
  );
  return rows;
}
