import pg from 'pg';
import { addYears } from '../shared/dates';
import { startTestHub, type TestHub } from './hub';
import { mutationExpectations } from './mutation-expectations';

/**
 * Document alerts: published under the caller's agency with a hub-issued number, withdrawn by their publisher or
 * its country's NCB, restricted by them. Every rule on the input is named at once, and a refused change leaves
 * the alerts and the audit trail as they were. The alerts here cover FRA numbers of 10 characters (ZQ...), a
 * length no seeded French document has.
 */
let hub: TestHub;
let db: pg.Client;
let fraNcb: string;
let bpFra: string;

const { changesOf, refused, failure, invalid, unauthorized } = mutationExpectations(
  'document-alerts',
  'alerts',
  () => ({
    hub,
    db,
  }),
);

beforeAll(async () => {
  hub = await startTestHub();
  db = new pg.Client({ connectionString: hub.databaseUrl });
  await db.connect();
  const agencies = await db.query(
    `SELECT code, id FROM partners.agencies WHERE code IN ('NCB-FRA', 'BP-FRA')`,
  );
  const id = (code: string) => agencies.rows.find((row) => row.code === code).id as string;
  fraNcb = id('NCB-FRA');
  bpFra = id('BP-FRA');
});
afterAll(async () => {
  await db.end();
  await hub.stop();
});

const daysFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

const PUBLISH = `mutation PublishDocumentAlert($input: PublishDocumentAlertInput!) { publishDocumentAlert(input: $input) {
  id alertNumber issuingCountry documentType series fraudType description indicators numberFrom numberTo numberPattern
  publishedAt reviewDate publishedBy { id } } }`;
const WITHDRAW = `mutation WithdrawDocumentAlert($id: ID!, $reason: String!) {
  withdrawDocumentAlert(id: $id, reason: $reason) { id alertNumber } }`;
const RESTRICT = `mutation Restrict($id: ID!, $r: RecordRestrictionsInput!) {
  updateDocumentAlertRestrictions(id: $id, restrictions: $r) { id } }`;
const ALERT = 'query Alert($id: ID!) { documentAlert(id: $id) { id } }';
const COVERING = `query Covering($number: String!) {
  travelDocument(issuingCountry: "FRA", documentNumber: $number) { alerts { id } } }`;

const RANGE = {
  issuingCountry: 'fra',
  documentType: 'PASSPORT',
  series: '2019 model',
  fraudType: 'COUNTERFEIT',
  description: 'Counterfeit passports with a printed, not laser-engraved, data page.',
  indicators: ['Data page printed by inkjet', ' No tactile laser engraving '],
  numberFrom: 'zq00 000-100',
  numberTo: 'ZQ00000199',
};

async function publish(clientId: string, input: Record<string, unknown>): Promise<string> {
  const response = await hub.graphql(clientId, PUBLISH, { input });
  expect(response.body.errors).toBeUndefined();
  return (response.body.data?.publishDocumentAlert as { id: string }).id;
}

describe('publishDocumentAlert', () => {
  test('ncb-fra publishes an alert on a number range: numbered by the hub, audited, covering its documents', async () => {
    const response = await hub.graphql('ncb-fra', PUBLISH, { input: RANGE });
    const alert = response.body.data?.publishDocumentAlert as {
      id: string;
      alertNumber: string;
      publishedAt: string;
    };
    const year = new Date(alert.publishedAt).getUTCFullYear();
    expect(response.body).toEqual({
      data: {
        publishDocumentAlert: {
          id: alert.id,
          alertNumber: expect.stringMatching(new RegExp(`^DD-FRA-${year}-\\d{5,}$`)),
          issuingCountry: 'FRA',
          documentType: 'PASSPORT',
          series: '2019 model',
          fraudType: 'COUNTERFEIT',
          description: RANGE.description,
          indicators: ['Data page printed by inkjet', 'No tactile laser engraving'],
          numberFrom: 'ZQ00000100',
          numberTo: 'ZQ00000199',
          numberPattern: null,
          publishedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
          reviewDate: addYears(new Date(), 10),
          publishedBy: { id: fraNcb },
        },
      },
    });
    const row = await db.query(
      `SELECT alert_number, owner_agency_id, owner_country, withdrawn_at, excluded_countries FROM alerts.alerts WHERE id = $1`,
      [alert.id],
    );
    expect(row.rows).toEqual([
      {
        alert_number: alert.alertNumber,
        owner_agency_id: fraNcb,
        owner_country: 'FRA',
        withdrawn_at: null,
        excluded_countries: [],
      },
    ]);
    expect(await changesOf(alert.id)).toEqual([
      {
        action: 'CREATE',
        client_id: 'ncb-fra',
        subgraph: 'document-alerts',
        record_type: 'DocumentAlert',
        owner_agency_ids: [fraNcb],
        fields: [
          'description',
          'documentType',
          'fraudType',
          'indicators',
          'issuingCountry',
          'numberFrom',
          'numberTo',
          'series',
        ],
        details: null,
      },
    ]);
    const covered = await hub.graphql('bp-fra', COVERING, { number: 'ZQ00000150' });
    expect(covered.body).toEqual({ data: { travelDocument: { alerts: [{ id: alert.id }] } } });
    const outside = await hub.graphql('bp-fra', COVERING, { number: 'ZQ00000200' });
    expect(outside.body).toEqual({ data: { travelDocument: { alerts: [] } } });
  });

  test('an alert on a number pattern; numbers follow one another', async () => {
    const first = await hub.graphql('ncb-fra', PUBLISH, { input: { ...RANGE, series: null } });
    const second = await hub.graphql('ncb-fra', PUBLISH, {
      input: {
        ...RANGE,
        numberFrom: null,
        numberTo: undefined,
        numberPattern: '^ZQ7[0-9]{7}$',
        fraudType: 'STOLEN_BLANK',
        reviewDate: daysFromToday(365),
      },
    });
    const [a, b] = [first, second].map(
      (r) =>
        r.body.data?.publishDocumentAlert as {
          id: string;
          alertNumber: string;
          numberPattern: string;
          reviewDate: string;
        },
    );
    const sequence = (alertNumber: string) => Number(alertNumber.split('-')[3]);
    expect(sequence(b.alertNumber)).toBe(sequence(a.alertNumber) + 1);
    expect(b).toMatchObject({ numberPattern: '^ZQ7[0-9]{7}$', reviewDate: daysFromToday(365) });
    const covered = await hub.graphql('bp-fra', COVERING, { number: 'ZQ71234567' });
    expect(covered.body).toEqual({ data: { travelDocument: { alerts: [{ id: b.id }] } } });
  });

  test('restrictions set at publication apply at once', async () => {
    const id = await publish('ncb-fra', { ...RANGE, restrictions: { allowedAgencyKinds: ['NCB'] } });
    expect((await hub.graphql('bp-fra', ALERT, { id })).body).toEqual({ data: { documentAlert: null } });
    expect((await hub.graphql('ncb-usa', ALERT, { id })).body).toEqual({ data: { documentAlert: { id } } });
  });

  test('bad input: every problem named at once, and nothing written', async () => {
    const response = await refused('ncb-fra', PUBLISH, {
      input: {
        issuingCountry: 'XYZ',
        documentType: 'PASSPORT',
        series: 'S'.repeat(51),
        fraudType: 'FORGED',
        description: ' ',
        indicators: [],
        numberFrom: 'ZQ100',
        numberTo: 'ZQ10',
        numberPattern: '^ZQ(',
        restrictions: { allowedAgencyKinds: ['AIRLINE'] },
        reviewDate: addYears(new Date(Date.now() + 86_400_000), 10),
      },
    });
    expect(response.body).toEqual(
      invalid('publishDocumentAlert', [
        {
          field: 'input.issuingCountry',
          reason: 'XYZ is not an ISO 3166-1 alpha-3 or ICAO 9303 country code',
        },
        { field: 'input.series', reason: 'must be at most 50 characters' },
        { field: 'input.description', reason: 'is required' },
        { field: 'input.indicators', reason: 'must list 1 to 20 indicators' },
        { field: 'input.numberTo', reason: 'must have as many characters as numberFrom (5)' },
        { field: 'input.numberPattern', reason: 'give a number range or a pattern, not both' },
        {
          field: 'input.numberPattern',
          reason:
            'is not a valid POSIX regular expression (invalid regular expression: parentheses () not balanced)',
        },
        { field: 'input.restrictions.allowedAgencyKinds.0', reason: 'AIRLINE is not an agency kind' },
        {
          field: 'input.reviewDate',
          reason: `must be at most 10 years from today (${addYears(new Date(), 10)})`,
        },
      ]),
    );
  });

  test('bad input: lengths and counts, a half range, a past review date', async () => {
    const response = await refused('ncb-fra', PUBLISH, {
      input: {
        ...RANGE,
        description: 'D'.repeat(2001),
        indicators: ['', 'I'.repeat(301), ...Array.from({ length: 19 }, () => 'Blurred hologram')],
        numberTo: null,
        reviewDate: daysFromToday(-1),
      },
    });
    expect(response.body).toEqual(
      invalid('publishDocumentAlert', [
        { field: 'input.description', reason: 'must be at most 2000 characters' },
        { field: 'input.indicators', reason: 'must list 1 to 20 indicators' },
        { field: 'input.indicators.0', reason: 'is required' },
        { field: 'input.indicators.1', reason: 'must be at most 300 characters' },
        { field: 'input.numberTo', reason: 'is required with numberFrom' },
        { field: 'input.reviewDate', reason: 'must be in the future' },
      ]),
    );
  });

  test.each([
    [
      'a reversed range',
      { numberFrom: 'ZQ00000200', numberTo: 'ZQ00000100' },
      [{ field: 'input.numberTo', reason: 'must not come before numberFrom' }],
    ],
    [
      'numbers that are not document numbers',
      { numberFrom: 'ZQ-Ö1', numberTo: 'ZQ0000000000000000000000' },
      [
        { field: 'input.numberFrom', reason: 'may contain only letters A-Z and digits' },
        { field: 'input.numberTo', reason: 'must be at most 23 characters' },
      ],
    ],
    [
      'a pattern that matches every number',
      { numberFrom: null, numberTo: null, numberPattern: 'ZQ.*|.*' },
      [{ field: 'input.numberPattern', reason: 'matches every number (it matches the empty string)' }],
    ],
    [
      'a pattern too long',
      { numberFrom: null, numberTo: null, numberPattern: `^${'Z'.repeat(200)}` },
      [{ field: 'input.numberPattern', reason: 'must be at most 200 characters' }],
    ],
    [
      'a pattern PostgreSQL cannot compile',
      { numberFrom: null, numberTo: null, numberPattern: '^ZQ[0-9' },
      [
        {
          field: 'input.numberPattern',
          reason:
            'is not a valid POSIX regular expression (invalid regular expression: brackets [] not balanced)',
        },
      ],
    ],
  ])('bad input: %s', async (_name, change, problems) => {
    const response = await refused('ncb-fra', PUBLISH, { input: { ...RANGE, ...change } });
    expect(response.body).toEqual(invalid('publishDocumentAlert', problems));
  });

  test('callers without alerts:write cannot publish', async () => {
    for (const client of ['bp-fra', 'gs-admin', 'iom']) {
      expect((await refused(client, PUBLISH, { input: RANGE })).body).toEqual(
        unauthorized('publishDocumentAlert'),
      );
    }
  });
});

describe('withdrawDocumentAlert', () => {
  test('the publisher withdraws its alert, once: no longer listed, audited with the reason', async () => {
    const id = await publish('ncb-fra', RANGE);
    const response = await hub.graphql('ncb-fra', WITHDRAW, { id, reason: 'Published in error' });
    expect(response.body).toEqual({
      data: { withdrawDocumentAlert: { id, alertNumber: expect.stringMatching(/^DD-/) } },
    });
    const row = await db.query('SELECT withdrawn_at FROM alerts.alerts WHERE id = $1', [id]);
    expect(row.rows[0].withdrawn_at).toBeInstanceOf(Date);
    expect((await changesOf(id)).at(-1)).toEqual({
      action: 'WITHDRAW',
      client_id: 'ncb-fra',
      subgraph: 'document-alerts',
      record_type: 'DocumentAlert',
      owner_agency_ids: [fraNcb],
      fields: [],
      details: { reason: 'Published in error' },
    });
    expect((await hub.graphql('bp-fra', ALERT, { id })).body).toEqual({ data: { documentAlert: null } });
    expect((await refused('ncb-fra', WITHDRAW, { id, reason: 'again' })).body).toEqual(
      failure('withdrawDocumentAlert', 'CONFLICT', 'The alert was already withdrawn', { field: 'id' }),
    );
    // To anyone else a withdrawn alert does not exist.
    expect((await refused('ncb-usa', WITHDRAW, { id, reason: 'x' })).body).toEqual(
      failure('withdrawDocumentAlert', 'NOT_FOUND', 'Document alert not found'),
    );
  });

  test('the NCB of the publisher’s country withdraws an alert of its border police', async () => {
    const { rows } = await db.query(
      `INSERT INTO alerts.alerts (alert_number, issuing_country, document_type, fraud_type, description, indicators,
                                  number_from, number_to, owner_agency_id, owner_country, review_date)
       VALUES ('DD-TEST-BP-FRA', 'FRA', 'ID_CARD', 'FORGED', 'Forged cards', '{Photo replaced}', 'ZQ00000300',
               'ZQ00000399', $1, 'FRA', '2030-01-01') RETURNING id`,
      [bpFra],
    );
    const id = rows[0].id as string;
    expect((await refused('ncb-usa', WITHDRAW, { id, reason: 'x' })).body).toEqual(
      failure(
        'withdrawDocumentAlert',
        'FORBIDDEN',
        'Only the publisher or the NCB of FRA may change this alert',
      ),
    );
    const response = await hub.graphql('ncb-fra', WITHDRAW, { id, reason: 'Superseded' });
    expect(response.body).toEqual({ data: { withdrawDocumentAlert: { id, alertNumber: 'DD-TEST-BP-FRA' } } });
    // The USA bureau's refused attempt (it could see the alert: FORBIDDEN), then the withdrawal.
    expect((await changesOf(id)).map((c) => [c.action, c.client_id, c.owner_agency_ids])).toEqual([
      ['REFUSE', 'ncb-usa', [bpFra]],
      ['WITHDRAW', 'ncb-fra', [bpFra]],
    ]);
  });

  test('an unknown alert is not found, a reason is required, and partners without alerts:write get nothing', async () => {
    const id = await publish('ncb-fra', RANGE);
    for (const unknown of ['00000000-0000-4000-8000-000000000000', 'DD-2026-00001']) {
      expect((await refused('ncb-fra', WITHDRAW, { id: unknown, reason: 'x' })).body).toEqual(
        failure('withdrawDocumentAlert', 'NOT_FOUND', 'Document alert not found'),
      );
    }
    expect((await refused('ncb-fra', WITHDRAW, { id, reason: '' })).body).toEqual(
      invalid('withdrawDocumentAlert', [{ field: 'reason', reason: 'is required' }]),
    );
    expect((await refused('bp-fra', WITHDRAW, { id, reason: 'x' })).body).toEqual(
      unauthorized('withdrawDocumentAlert'),
    );
  });
});

describe('updateDocumentAlertRestrictions', () => {
  test('the publisher keeps an alert from a country, then lifts the restriction; audited', async () => {
    const id = await publish('ncb-fra', RANGE);
    const response = await hub.graphql('ncb-fra', RESTRICT, { id, r: { excludedCountries: ['usa'] } });
    expect(response.body).toEqual({ data: { updateDocumentAlertRestrictions: { id } } });
    const row = await db.query(
      `SELECT allowed_countries, excluded_countries, allowed_agency_kinds, excluded_agency_kinds FROM alerts.alerts WHERE id = $1`,
      [id],
    );
    expect(row.rows).toEqual([
      {
        allowed_countries: null,
        excluded_countries: ['USA'],
        allowed_agency_kinds: null,
        excluded_agency_kinds: [],
      },
    ]);
    expect((await hub.graphql('ncb-usa', ALERT, { id })).body).toEqual({ data: { documentAlert: null } });
    expect((await hub.graphql('ncb-fra', ALERT, { id })).body).toEqual({ data: { documentAlert: { id } } });
    // Excluded, the USA bureau cannot learn the alert exists, let alone change it.
    expect((await refused('ncb-usa', RESTRICT, { id, r: {} })).body).toEqual(
      failure('updateDocumentAlertRestrictions', 'NOT_FOUND', 'Document alert not found'),
    );
    await hub.graphql('ncb-fra', RESTRICT, { id, r: {} });
    expect((await hub.graphql('ncb-usa', ALERT, { id })).body).toEqual({ data: { documentAlert: { id } } });
    expect((await changesOf(id)).map((c) => [c.action, c.client_id, c.fields])).toEqual([
      ['CREATE', 'ncb-fra', expect.any(Array)],
      ['UPDATE', 'ncb-fra', ['restrictions']],
      // The refusals, in the owner's copies (the USA bureau's own rows name no record): the look-up that
      // answered null, then the change.
      ['REFUSE', 'ncb-usa', ['documentAlert']],
      ['REFUSE', 'ncb-usa', ['updateDocumentAlertRestrictions']],
      ['UPDATE', 'ncb-fra', ['restrictions']],
    ]);
  });

  test('bad restrictions are named; another country’s bureau is forbidden; withdrawn alerts cannot change', async () => {
    const id = await publish('ncb-fra', RANGE);
    expect(
      (
        await refused('ncb-fra', RESTRICT, {
          id,
          r: { allowedCountries: ['XX'], excludedAgencyKinds: ['BANK'] },
        })
      ).body,
    ).toEqual(
      invalid('updateDocumentAlertRestrictions', [
        {
          field: 'restrictions.allowedCountries.0',
          reason: 'XX is not an ISO 3166-1 alpha-3 or ICAO 9303 country code',
        },
        { field: 'restrictions.excludedAgencyKinds.0', reason: 'BANK is not an agency kind' },
      ]),
    );
    expect((await refused('ncb-usa', RESTRICT, { id, r: { excludedCountries: ['FRA'] } })).body).toEqual(
      failure(
        'updateDocumentAlertRestrictions',
        'FORBIDDEN',
        'Only the publisher or the NCB of FRA may change this alert',
      ),
    );
    expect((await refused('bp-fra', RESTRICT, { id, r: {} })).body).toEqual(
      unauthorized('updateDocumentAlertRestrictions'),
    );
    await hub.graphql('ncb-fra', WITHDRAW, { id, reason: 'Model recalled' });
    expect((await refused('ncb-fra', RESTRICT, { id, r: {} })).body).toEqual(
      failure('updateDocumentAlertRestrictions', 'CONFLICT', 'The alert was already withdrawn', {
        field: 'id',
      }),
    );
  });
});
