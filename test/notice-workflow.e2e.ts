import pg from 'pg';
import { formatControlNumber } from '../subgraphs/notices/control-number';
import { addYears } from '../shared/dates';
import { startTestHub, type TestHub } from './hub';
import { mutationExpectations } from './mutation-expectations';

/**
 * The notice workflow: a national bureau requests a notice (control number issued by the hub), the General
 * Secretariat publishes or refuses it, the bureau updates or cancels it. Statuses move only REQUESTED → PUBLISHED
 * or REFUSED and PUBLISHED → CANCELLED; every change is one transaction with its audit row, and a refused one
 * leaves every table as it was. The requester here is ncb-uto: other tests count FRA's recent notices.
 */
let hub: TestHub;
let db: pg.Client;
let utoNcb: string;
const startedAt = new Date(Date.now() - 60_000).toISOString();

const { changesOf, refused, failure, invalid, unauthorized } = mutationExpectations(
  'notices',
  'notices',
  () => ({
    hub,
    db,
  }),
);

/** Changes to this notice's rows in the audit trail, oldest first (reads of its subject left out). */
const changesOfNotice = (id: string) => changesOf(id, { withoutReads: true });

beforeAll(async () => {
  hub = await startTestHub();
  db = new pg.Client({ connectionString: hub.databaseUrl });
  await db.connect();
  utoNcb = (await db.query(`SELECT id FROM partners.agencies WHERE code = 'NCB-UTO'`)).rows[0].id;
});
afterAll(async () => {
  await db.end();
  await hub.stop();
});

const today = () => new Date().toISOString().slice(0, 10);
const daysFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

const FIELDS = `id controlNumber type status title requestedBy { id } requestedAt publishedAt reviewDate charges
  subject { surname forenames dateOfBirth sex nationalities placeOfBirth distinguishingMarks aliases { surname forenames } }
  arrestWarrants { warrantNumber issuingAuthority issuedOn charges }
  documents { issuingCountry documentNumber }`;
const REQUEST = `mutation RequestNotice($input: RequestNoticeInput!) { requestNotice(input: $input) { ${FIELDS} } }`;
const PUBLISH = `mutation PublishNotice($id: ID!, $reason: String!) {
  publishNotice(id: $id, reason: $reason) { id status publishedAt reviewDate } }`;
const REFUSE = `mutation RefuseNotice($id: ID!, $reason: String!) { refuseNotice(id: $id, reason: $reason) { id status } }`;
const CANCEL = `mutation CancelNotice($id: ID!, $reason: String!) { cancelNotice(id: $id, reason: $reason) { id status } }`;
const UPDATE = `mutation UpdateNotice($id: ID!, $input: UpdateNoticeInput!) { updateNotice(id: $id, input: $input) {
  id title charges reviewDate subject { forenames distinguishingMarks } } }`;
const NOTICE = `query Notice($id: ID!) { notice(id: $id) { id status } }`;

const RED = {
  type: 'RED',
  title: 'Armed robbery of the Central Bank of Utopia',
  subject: {
    surname: 'Workflowtest',
    forenames: 'Ramon',
    dateOfBirth: '1980-02-03',
    sex: 'm',
    nationalities: ['uto', 'FRA'],
    placeOfBirth: 'Utopia City',
    distinguishingMarks: 'Scar on the left hand',
  },
  aliases: [{ surname: 'Workflowtesty' }],
  charges: ['Armed robbery'],
  arrestWarrants: [
    {
      warrantNumber: 'UTO-2026-0001',
      issuingAuthority: 'Utopia City Court',
      issuedOn: daysFromToday(-30),
      charges: 'Armed robbery',
    },
  ],
  documents: [{ issuingCountry: 'UTO', documentNumber: 'wf 000-001', documentType: 'PASSPORT' }],
};

const BLUE = { type: 'BLUE', title: 'Whereabouts of a witness' };

async function request(input: Record<string, unknown>): Promise<string> {
  const response = await hub.graphql(
    'ncb-uto',
    'mutation($i: RequestNoticeInput!) { requestNotice(input: $i) { id } }',
    {
      i: input,
    },
  );
  expect(response.body.errors).toBeUndefined();
  return (response.body.data?.requestNotice as { id: string }).id;
}

async function publish(id: string): Promise<void> {
  const response = await hub.graphql('gs-admin', PUBLISH, { id, reason: 'Complies with the rules' });
  expect(response.body.errors).toBeUndefined();
}

async function noticeRow(id: string) {
  const { rows } = await db.query(
    `SELECT status, status_reason, published_at, review_date::text, owner_review_date::text FROM notices.notices
      WHERE id = $1`,
    [id],
  );
  return rows[0];
}

describe('requestNotice', () => {
  test('ncb-uto requests a RED notice: REQUESTED, owned by its bureau, with the next control number', async () => {
    const counter = await db.query(
      `SELECT coalesce(max(last_value), 0)::int AS last FROM notices.control_number_counters
        WHERE series = 'A-UTO' AND year = $1`,
      [new Date().getUTCFullYear()],
    );
    const next = Number(counter.rows[0].last) + 1;
    const response = await hub.graphql('ncb-uto', REQUEST, { input: RED });
    const notice = response.body.data?.requestNotice as { id: string; requestedAt: string };
    expect(response.body).toEqual({
      data: {
        requestNotice: {
          id: notice.id,
          controlNumber: formatControlNumber('RED', 'UTO', next, new Date(notice.requestedAt)),
          type: 'RED',
          status: 'REQUESTED',
          title: RED.title,
          requestedBy: { id: utoNcb },
          requestedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
          publishedAt: null,
          reviewDate: addYears(new Date(), 5),
          charges: ['Armed robbery'],
          subject: {
            surname: 'Workflowtest',
            forenames: 'Ramon',
            dateOfBirth: '1980-02-03',
            sex: 'M',
            nationalities: ['UTO', 'FRA'],
            placeOfBirth: 'Utopia City',
            distinguishingMarks: 'Scar on the left hand',
            aliases: [{ surname: 'Workflowtesty', forenames: null }],
          },
          arrestWarrants: RED.arrestWarrants,
          documents: [{ issuingCountry: 'UTO', documentNumber: 'WF000001' }],
        },
      },
    });
    expect(notice.requestedAt >= startedAt).toBe(true);
    const row = await db.query(
      `SELECT owner_country, owner_review_date, status_reason,
              (SELECT count(*)::int FROM notices.aliases WHERE notice_id = n.id) AS aliases,
              (SELECT count(*)::int FROM notices.arrest_warrants WHERE notice_id = n.id) AS warrants,
              (SELECT array_agg(document_type) FROM notices.documents WHERE notice_id = n.id) AS documents
         FROM notices.notices n WHERE id = $1`,
      [notice.id],
    );
    expect(row.rows).toEqual([
      {
        owner_country: 'UTO',
        owner_review_date: null,
        status_reason: null,
        aliases: 1,
        warrants: 1,
        documents: ['PASSPORT'],
      },
    ]);
    expect(await changesOfNotice(notice.id)).toEqual([
      {
        action: 'CREATE',
        client_id: 'ncb-uto',
        subgraph: 'notices',
        record_type: 'Notice',
        owner_agency_ids: [utoNcb],
        fields: ['aliases', 'arrestWarrants', 'charges', 'documents', 'subject', 'title', 'type'],
        details: null,
      },
    ]);
  });

  test("control numbers follow one another per type, with the type's letter and the owner's country", async () => {
    const requests = [BLUE, { type: 'UN_SPECIAL', title: 'Sanctioned entity' }, BLUE];
    const numbers: string[] = [];
    for (const input of requests) {
      const response = await hub.graphql('ncb-uto', REQUEST, { input });
      numbers.push((response.body.data?.requestNotice as { controlNumber: string }).controlNumber);
    }
    const month = `${String(new Date().getUTCMonth() + 1).padStart(2, '0')}-${new Date().getUTCFullYear()}`;
    expect(numbers).toEqual([
      expect.stringMatching(new RegExp(`^B-UTO-\\d+/${month}$`)),
      expect.stringMatching(new RegExp(`^U-UTO-\\d+/${month}$`)),
      expect.stringMatching(new RegExp(`^B-UTO-\\d+/${month}$`)),
    ]);
    const sequence = (n: string) => Number(/-(\d+)\//.exec(n)?.[1]);
    expect(sequence(numbers[2])).toBe(sequence(numbers[0]) + 1);
  });

  test('a REQUESTED notice is seen by its requester and the General Secretariat only', async () => {
    const id = await request(BLUE);
    const count = `{ notices(first: 1, filter: { requestingCountry: "UTO", status: REQUESTED, requestedAfter: "${startedAt}" }) { totalCount } }`;
    expect((await hub.graphql('ncb-usa', NOTICE, { id })).body).toEqual({ data: { notice: null } });
    expect((await hub.graphql('ncb-usa', count)).body).toEqual({ data: { notices: { totalCount: 0 } } });
    const identity = 'query($id: ID!) { notice(id: $id) { id controlNumber } }';
    expect((await hub.graphql('bp-fra', identity, { id })).body).toEqual({ data: { notice: null } });
    for (const client of ['ncb-uto', 'gs-admin']) {
      expect((await hub.graphql(client, NOTICE, { id })).body).toEqual({
        data: { notice: { id, status: 'REQUESTED' } },
      });
      const seen = (await hub.graphql(client, count)).body.data?.notices as { totalCount: number };
      expect(seen.totalCount).toBeGreaterThan(0);
    }
  });

  test('bad input: every problem named at once, and nothing written', async () => {
    const maxReview = addYears(new Date(), 5);
    const response = await refused('ncb-uto', REQUEST, {
      input: {
        type: 'RED',
        title: 'T'.repeat(201),
        subject: {
          surname: 'S'.repeat(101),
          forenames: '  ',
          dateOfBirth: daysFromToday(1),
          sex: 'Q',
          nationalities: ['UTO', 'XYZ', 'FRA', 'DEU', 'ESP', 'ITA'],
          placeOfBirth: 'P'.repeat(201),
          distinguishingMarks: 'M'.repeat(1001),
        },
        aliases: [...Array.from({ length: 10 }, (_, i) => ({ surname: `Alias${i}` })), {}],
        charges: [],
        arrestWarrants: [],
        documents: [
          { issuingCountry: 'XX', documentNumber: 'A-1', documentType: 'PASSPORT' },
          { issuingCountry: 'UTO', documentNumber: 'AB<12', documentType: 'PASSPORT' },
          { issuingCountry: 'uto', documentNumber: 'ab 12', documentType: 'ID_CARD' },
        ],
        restrictions: { excludedCountries: ['Utopia'], allowedAgencyKinds: ['POLICE'] },
        reviewDate: addYears(new Date(), 6),
      },
    });
    expect(response.body).toEqual(
      invalid('requestNotice', [
        { field: 'input.title', reason: 'must be at most 200 characters' },
        { field: 'input.subject.surname', reason: 'must be at most 100 characters' },
        { field: 'input.subject.dateOfBirth', reason: 'must not be in the future' },
        { field: 'input.subject.sex', reason: 'must be F, M or X' },
        { field: 'input.subject.nationalities', reason: 'must list at most 5 nationalities' },
        {
          field: 'input.subject.nationalities.1',
          reason: 'XYZ is not an ISO 3166-1 alpha-3 or ICAO 9303 country code',
        },
        { field: 'input.subject.placeOfBirth', reason: 'must be at most 200 characters' },
        { field: 'input.subject.distinguishingMarks', reason: 'must be at most 1000 characters' },
        { field: 'input.aliases', reason: 'must list at most 10 aliases' },
        { field: 'input.aliases.10', reason: 'needs a surname or forenames' },
        { field: 'input.charges', reason: 'a RED notice needs at least one charge' },
        { field: 'input.arrestWarrants', reason: 'a RED notice needs at least one arrest warrant' },
        {
          field: 'input.documents.0.issuingCountry',
          reason: 'XX is not an ISO 3166-1 alpha-3 or ICAO 9303 country code',
        },
        { field: 'input.documents.2', reason: 'is the same document as documents.1' },
        {
          field: 'input.restrictions.excludedCountries.0',
          reason: 'UTOPIA is not an ISO 3166-1 alpha-3 or ICAO 9303 country code',
        },
        { field: 'input.restrictions.allowedAgencyKinds.0', reason: 'POLICE is not an agency kind' },
        { field: 'input.reviewDate', reason: `must be at most 5 years from today (${maxReview})` },
      ]),
    );
  });

  test('bad input: the limits on charges, warrants and documents, and the review date', async () => {
    const warrant = {
      warrantNumber: 'W1',
      issuingAuthority: 'Court',
      issuedOn: '2026-01-02',
      charges: 'Fraud',
    };
    const response = await refused('ncb-uto', REQUEST, {
      input: {
        type: 'RED',
        title: '  ',
        charges: ['', 'C'.repeat(501), ...Array.from({ length: 19 }, () => 'Fraud')],
        arrestWarrants: [
          { warrantNumber: '', issuingAuthority: 'A'.repeat(201), issuedOn: '2026-13-01', charges: '' },
          { ...warrant, issuedOn: daysFromToday(1) },
          ...Array.from({ length: 19 }, () => warrant),
        ],
        documents: Array.from({ length: 11 }, (_, i) => ({
          issuingCountry: 'UTO',
          documentNumber: i === 3 ? 'ÉÉ' : `WF10000${i}`,
          documentType: 'PASSPORT',
        })),
        reviewDate: today(),
      },
    });
    expect(response.body).toEqual(
      invalid('requestNotice', [
        { field: 'input.title', reason: 'is required' },
        { field: 'input.charges', reason: 'must list at most 20 charges' },
        { field: 'input.charges.0', reason: 'is required' },
        { field: 'input.charges.1', reason: 'must be at most 500 characters' },
        { field: 'input.arrestWarrants', reason: 'must list at most 20 arrest warrants' },
        { field: 'input.arrestWarrants.0.warrantNumber', reason: 'is required' },
        { field: 'input.arrestWarrants.0.issuingAuthority', reason: 'must be at most 200 characters' },
        { field: 'input.arrestWarrants.0.issuedOn', reason: '2026-13-01 is not a date (yyyy-mm-dd)' },
        { field: 'input.arrestWarrants.0.charges', reason: 'is required' },
        { field: 'input.arrestWarrants.1.issuedOn', reason: 'must not be in the future' },
        { field: 'input.documents', reason: 'must list at most 10 documents' },
        { field: 'input.documents.3.documentNumber', reason: 'may contain only letters A-Z and digits' },
        { field: 'input.reviewDate', reason: 'must be in the future' },
      ]),
    );
  });

  test('only a national bureau with notices:write requests notices', async () => {
    for (const client of ['bp-fra', 'gs-admin', 'iom']) {
      const response = await refused(client, REQUEST, { input: BLUE });
      expect(response.body).toEqual(unauthorized('requestNotice'));
    }
  });
});

describe('publishNotice and refuseNotice', () => {
  test('the General Secretariat publishes: 5 years of review from publication, audited with the reason', async () => {
    const id = await request(RED);
    const response = await hub.graphql('gs-admin', PUBLISH, { id, reason: 'Complies with the rules' });
    const published = response.body.data?.publishNotice as { publishedAt: string };
    expect(response.body).toEqual({
      data: {
        publishNotice: {
          id,
          status: 'PUBLISHED',
          publishedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
          reviewDate: addYears(new Date(published.publishedAt), 5),
        },
      },
    });
    expect(await noticeRow(id)).toMatchObject({
      status: 'PUBLISHED',
      status_reason: 'Complies with the rules',
    });
    expect((await changesOfNotice(id)).slice(1)).toEqual([
      {
        action: 'DECIDE',
        client_id: 'gs-admin',
        subgraph: 'notices',
        record_type: 'Notice',
        owner_agency_ids: [utoNcb],
        fields: ['publishedAt', 'reviewDate', 'status'],
        details: { status: 'PUBLISHED', reason: 'Complies with the rules' },
      },
    ]);
    // Now every bureau sees it.
    expect((await hub.graphql('ncb-usa', NOTICE, { id })).body).toEqual({
      data: { notice: { id, status: 'PUBLISHED' } },
    });
  });

  test('an earlier review date the owner chose is kept at publication', async () => {
    const chosen = addYears(new Date(), 1);
    const id = await request({ ...BLUE, reviewDate: chosen });
    expect(await noticeRow(id)).toMatchObject({ review_date: chosen, owner_review_date: chosen });
    const response = await hub.graphql('gs-admin', PUBLISH, { id, reason: 'Complies' });
    expect((response.body.data?.publishNotice as { reviewDate: string }).reviewDate).toBe(chosen);
  });

  test('the General Secretariat refuses: REFUSED, still invisible to other bureaus', async () => {
    const id = await request(BLUE);
    const response = await hub.graphql('gs-admin', REFUSE, { id, reason: 'Predominantly political' });
    expect(response.body).toEqual({ data: { refuseNotice: { id, status: 'REFUSED' } } });
    expect(await noticeRow(id)).toMatchObject({
      status: 'REFUSED',
      status_reason: 'Predominantly political',
      published_at: null,
    });
    expect((await changesOfNotice(id)).map((c) => [c.action, c.client_id, c.details])).toEqual([
      ['CREATE', 'ncb-uto', null],
      ['DECIDE', 'gs-admin', { status: 'REFUSED', reason: 'Predominantly political' }],
    ]);
    expect((await hub.graphql('ncb-usa', NOTICE, { id })).body).toEqual({ data: { notice: null } });
  });

  test('national bureaus may not publish or refuse', async () => {
    const id = await request(BLUE);
    expect((await refused('ncb-uto', PUBLISH, { id, reason: 'mine' })).body).toEqual(
      unauthorized('publishNotice'),
    );
    expect((await refused('ncb-usa', REFUSE, { id, reason: 'no' })).body).toEqual(
      unauthorized('refuseNotice'),
    );
  });

  test('an unknown notice is not found; a reason is required', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      expect((await refused('gs-admin', PUBLISH, { id, reason: 'ok' })).body).toEqual(
        failure('publishNotice', 'NOT_FOUND', 'Notice not found'),
      );
    }
    const id = await request(BLUE);
    expect((await refused('gs-admin', REFUSE, { id, reason: ' ' })).body).toEqual(
      invalid('refuseNotice', [{ field: 'reason', reason: 'is required' }]),
    );
  });
});

describe('status moves only REQUESTED → PUBLISHED or REFUSED, PUBLISHED → CANCELLED', () => {
  const conflict = (field: string, message: string) => failure(field, 'CONFLICT', message, { field: 'id' });

  test('a PUBLISHED notice is cancelled by its requester, once; audited with the reason', async () => {
    const id = await request(BLUE);
    await publish(id);
    const response = await hub.graphql('ncb-uto', CANCEL, { id, reason: 'Witness located' });
    expect(response.body).toEqual({ data: { cancelNotice: { id, status: 'CANCELLED' } } });
    expect(await noticeRow(id)).toMatchObject({ status: 'CANCELLED', status_reason: 'Witness located' });
    expect((await changesOfNotice(id)).at(-1)).toEqual({
      action: 'WITHDRAW',
      client_id: 'ncb-uto',
      subgraph: 'notices',
      record_type: 'Notice',
      owner_agency_ids: [utoNcb],
      fields: ['status'],
      details: { status: 'CANCELLED', reason: 'Witness located' },
    });
  });

  test.each([
    ['REQUESTED', 'cancelled', 'ncb-uto', CANCEL, 'cancelNotice', 'only a PUBLISHED notice can be cancelled'],
    [
      'PUBLISHED',
      'published',
      'gs-admin',
      PUBLISH,
      'publishNotice',
      'only a REQUESTED notice can be published',
    ],
    ['PUBLISHED', 'refused', 'gs-admin', REFUSE, 'refuseNotice', 'only a REQUESTED notice can be refused'],
    [
      'REFUSED',
      'published',
      'gs-admin',
      PUBLISH,
      'publishNotice',
      'only a REQUESTED notice can be published',
    ],
    ['REFUSED', 'refused', 'gs-admin', REFUSE, 'refuseNotice', 'only a REQUESTED notice can be refused'],
    ['REFUSED', 'cancelled', 'ncb-uto', CANCEL, 'cancelNotice', 'only a PUBLISHED notice can be cancelled'],
    [
      'CANCELLED',
      'published',
      'gs-admin',
      PUBLISH,
      'publishNotice',
      'only a REQUESTED notice can be published',
    ],
    ['CANCELLED', 'refused', 'gs-admin', REFUSE, 'refuseNotice', 'only a REQUESTED notice can be refused'],
    ['CANCELLED', 'cancelled', 'ncb-uto', CANCEL, 'cancelNotice', 'only a PUBLISHED notice can be cancelled'],
  ])(
    'a %s notice cannot be %s: CONFLICT naming its status',
    async (status, _verb, client, mutation, field, rule) => {
      const id = await request(BLUE);
      if (status !== 'REQUESTED') {
        await hub.graphql('gs-admin', status === 'REFUSED' ? REFUSE : PUBLISH, {
          id,
          reason: 'first decision',
        });
      }
      if (status === 'CANCELLED') await hub.graphql('ncb-uto', CANCEL, { id, reason: 'closed' });
      expect((await noticeRow(id)).status).toBe(status);
      const response = await refused(client, mutation, { id, reason: 'again' });
      expect(response.body).toEqual(conflict(field, `The notice is ${status}: ${rule}`));
    },
  );

  test.each(['REFUSED', 'CANCELLED'])('a %s notice cannot be changed', async (status) => {
    const id = await request(BLUE);
    await hub.graphql('gs-admin', status === 'REFUSED' ? REFUSE : PUBLISH, { id, reason: 'decided' });
    if (status === 'CANCELLED') await hub.graphql('ncb-uto', CANCEL, { id, reason: 'closed' });
    const response = await refused('ncb-uto', UPDATE, { id, input: { title: 'Too late' } });
    expect(response.body).toEqual(
      conflict(
        'updateNotice',
        `The notice is ${status}: only a REQUESTED or PUBLISHED notice can be changed`,
      ),
    );
  });
});

describe('updateNotice and cancelNotice by the requesting bureau', () => {
  test('the owner changes title, subject, charges, restrictions and review date; audited field by field', async () => {
    const id = await request(RED);
    const reviewDate = addYears(new Date(), 2);
    const response = await hub.graphql('ncb-uto', UPDATE, {
      id,
      input: {
        title: 'Armed robbery and kidnapping',
        subject: { forenames: null, distinguishingMarks: 'Tattoo of a lion on the right arm' },
        charges: ['Armed robbery', 'Kidnapping'],
        restrictions: { excludedCountries: ['USA'] },
        reviewDate,
      },
    });
    expect(response.body).toEqual({
      data: {
        updateNotice: {
          id,
          title: 'Armed robbery and kidnapping',
          charges: ['Armed robbery', 'Kidnapping'],
          reviewDate,
          subject: { forenames: null, distinguishingMarks: 'Tattoo of a lion on the right arm' },
        },
      },
    });
    expect((await changesOfNotice(id)).at(-1)).toEqual({
      action: 'UPDATE',
      client_id: 'ncb-uto',
      subgraph: 'notices',
      record_type: 'Notice',
      owner_agency_ids: [utoNcb],
      fields: [
        'charges',
        'restrictions',
        'reviewDate',
        'subject.distinguishingMarks',
        'subject.forenames',
        'title',
      ],
      details: null,
    });
    await publish(id);
    const published = await noticeRow(id);
    // Once PUBLISHED, restrictions and the review date stay the owner's to change.
    const restricted = await hub.graphql('ncb-uto', UPDATE, {
      id,
      input: { restrictions: { excludedCountries: ['USA'] }, reviewDate },
    });
    expect(restricted.body.errors).toBeUndefined();
    const row = await db.query(
      `SELECT subject_surname, subject_forenames, excluded_countries, status, published_at FROM notices.notices WHERE id = $1`,
      [id],
    );
    expect(row.rows).toEqual([
      {
        subject_surname: 'Workflowtest',
        subject_forenames: null,
        excluded_countries: ['USA'],
        status: 'PUBLISHED',
        published_at: published.published_at,
      },
    ]);
    // Restricted away from the USA: its bureau no longer sees the notice, nor can it learn it exists.
    expect((await hub.graphql('ncb-usa', NOTICE, { id })).body).toEqual({ data: { notice: null } });
    expect((await refused('ncb-usa', CANCEL, { id, reason: 'x' })).body).toEqual(
      failure('cancelNotice', 'NOT_FOUND', 'Notice not found'),
    );
    // The review date counts from publication, and null goes back to its default.
    const publishedAt = new Date(published.published_at);
    const dayAfterMax = addYears(new Date(publishedAt.getTime() + 86_400_000), 5);
    const tooLate = await refused('ncb-uto', UPDATE, { id, input: { reviewDate: dayAfterMax } });
    expect(tooLate.body).toEqual(
      invalid('updateNotice', [
        {
          field: 'input.reviewDate',
          reason: `must be at most 5 years after publication (${addYears(publishedAt, 5)})`,
        },
      ]),
    );
    const reset = await hub.graphql('ncb-uto', UPDATE, { id, input: { reviewDate: null } });
    expect((reset.body.data?.updateNotice as { reviewDate: string }).reviewDate).toBe(
      addYears(publishedAt, 5),
    );
  });

  test('a PUBLISHED notice’s subject, title and charges are not changed without review: FORBIDDEN, audited', async () => {
    const id = await request(RED);
    await publish(id);
    const before = await db.query('SELECT to_jsonb(n) AS row FROM notices.notices n WHERE id = $1', [id]);
    for (const [input, named] of [
      [{ subject: { surname: 'Someoneelse' } }, 'subject'],
      [{ title: 'Another case' }, 'title'],
      [{ charges: ['Fraud'], reviewDate: null }, 'charges'],
      [{ title: 'x', subject: { forenames: 'Y' }, charges: ['Fraud'] }, 'title, subject, charges'],
    ] as const) {
      const response = await refused('ncb-uto', UPDATE, { id, input });
      expect(response.body).toEqual(
        failure(
          'updateNotice',
          'FORBIDDEN',
          `The notice is PUBLISHED: its ${named} change only through a new request the General Secretariat reviews (request a new notice, then cancel this one once it is published)`,
        ),
      );
    }
    const after = await db.query('SELECT to_jsonb(n) AS row FROM notices.notices n WHERE id = $1', [id]);
    expect(after.rows).toEqual(before.rows);
    const refusals = await db.query(
      `SELECT client_id, record_ids, fields, details FROM audit.entries
        WHERE action = 'REFUSE' AND $1 = ANY (record_ids) ORDER BY seq`,
      [id],
    );
    expect(refusals.rows).toEqual(
      Array(4).fill({
        client_id: 'ncb-uto',
        record_ids: [id],
        fields: ['updateNotice'],
        details: { refusal: 'FORBIDDEN' },
      }),
    );
  });

  test('bad changes: every problem named at once, and nothing written', async () => {
    const id = await request(RED);
    const response = await refused('ncb-uto', UPDATE, {
      id,
      input: {
        title: '',
        subject: { sex: 'female', nationalities: ['ABC'] },
        charges: [],
        restrictions: { allowedCountries: ['France'], excludedAgencyKinds: ['AIRLINE'] },
        reviewDate: '2020-01-01',
      },
    });
    expect(response.body).toEqual(
      invalid('updateNotice', [
        { field: 'input.title', reason: 'is required' },
        { field: 'input.subject.sex', reason: 'must be F, M or X' },
        {
          field: 'input.subject.nationalities.0',
          reason: 'ABC is not an ISO 3166-1 alpha-3 or ICAO 9303 country code',
        },
        { field: 'input.charges', reason: 'a RED notice needs at least one charge' },
        {
          field: 'input.restrictions.allowedCountries.0',
          reason: 'FRANCE is not an ISO 3166-1 alpha-3 or ICAO 9303 country code',
        },
        { field: 'input.restrictions.excludedAgencyKinds.0', reason: 'AIRLINE is not an agency kind' },
        { field: 'input.reviewDate', reason: 'must be in the future' },
      ]),
    );
  });

  test('another bureau: a published notice is forbidden to it, a requested one not found', async () => {
    const requested = await request(BLUE);
    const published = await request(BLUE);
    await publish(published);
    expect((await refused('ncb-usa', UPDATE, { id: published, input: { title: 'Mine now' } })).body).toEqual(
      failure(
        'updateNotice',
        'FORBIDDEN',
        'Only the NCB of UTO or the requesting bureau may change this notice',
      ),
    );
    expect((await refused('ncb-usa', CANCEL, { id: published, reason: 'x' })).body).toEqual(
      failure(
        'cancelNotice',
        'FORBIDDEN',
        'Only the NCB of UTO or the requesting bureau may change this notice',
      ),
    );
    expect((await refused('ncb-usa', UPDATE, { id: requested, input: { title: 'Mine now' } })).body).toEqual(
      failure('updateNotice', 'NOT_FOUND', 'Notice not found'),
    );
  });

  test('callers without notices:write get nothing', async () => {
    const id = await request(BLUE);
    await publish(id);
    expect((await refused('gs-admin', UPDATE, { id, input: { title: 'x' } })).body).toEqual(
      unauthorized('updateNotice'),
    );
    expect((await refused('gs-admin', CANCEL, { id, reason: 'x' })).body).toEqual(
      unauthorized('cancelNotice'),
    );
    expect((await refused('bp-fra', CANCEL, { id, reason: 'x' })).body).toEqual(unauthorized('cancelNotice'));
  });
});
