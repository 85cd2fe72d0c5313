import pg from 'pg';
import { withTestHubAndDatabase, type TestHub } from '../hub';

/**
 * Numbering shows no other bureau's requests (docs/security.md, "Numbering"): control numbers and alert numbers
 * are counted per owner, so the numbers a bureau gets follow one another whatever other bureaus request, hidden
 * or not, in between. On one hub-wide sequence the gaps were the other bureaus' requests.
 */
const REQUEST = `mutation RequestNotice($input: RequestNoticeInput!) { requestNotice(input: $input) { controlNumber } }`;
const PUBLISH = `mutation PublishDocumentAlert($input: PublishDocumentAlertInput!) {
  publishDocumentAlert(input: $input) { alertNumber } }`;

let hub: TestHub;
let db: pg.Client;
withTestHubAndDatabase((started) => ({ hub, db } = started));

const year = () => new Date().getUTCFullYear();
const month = () => `${String(new Date().getUTCMonth() + 1).padStart(2, '0')}-${year()}`;

async function requestNotice(clientId: string, title: string): Promise<string> {
  const response = await hub.graphql(clientId, REQUEST, { input: { type: 'UN_SPECIAL', title } });
  expect(response.body.errors).toBeUndefined();
  return (response.body.data?.requestNotice as { controlNumber: string }).controlNumber;
}

async function publishAlert(clientId: string, country: string, numberPattern: string): Promise<string> {
  const input = {
    issuingCountry: country,
    documentType: 'PASSPORT',
    fraudType: 'COUNTERFEIT',
    description: 'Counterfeit passports (numbering test)',
    indicators: ['Data page printed by inkjet'],
    numberPattern,
  };
  const response = await hub.graphql(clientId, PUBLISH, { input });
  expect(response.body.errors).toBeUndefined();
  return (response.body.data?.publishDocumentAlert as { alertNumber: string }).alertNumber;
}

const controlSequence = (n: string) => Number(/^U-[A-Z]{3}-(\d+)\//.exec(n)?.[1]);
const alertSequence = (n: string) => Number(/-(\d+)$/.exec(n)?.[1]);

test("bureau A's control numbers follow one another whatever bureau B requests in between", async () => {
  const first = await requestNotice('ncb-fra', 'Numbering test A1');
  // NCB Washington's requests are REQUESTED: NCB Paris cannot see them.
  const others = [
    await requestNotice('ncb-usa', 'Numbering test B1'),
    await requestNotice('ncb-usa', 'Numbering test B2'),
  ];
  const second = await requestNotice('ncb-fra', 'Numbering test A2');
  expect([first, second]).toEqual([
    expect.stringMatching(new RegExp(`^U-FRA-\\d+/${month()}$`)),
    `U-FRA-${controlSequence(first) + 1}/${month()}`,
  ]);
  expect(others).toEqual([
    expect.stringMatching(new RegExp(`^U-USA-\\d+/${month()}$`)),
    `U-USA-${controlSequence(others[0]) + 1}/${month()}`,
  ]);
  const { rows } = await db.query(
    `SELECT series, last_value::int FROM notices.control_number_counters
      WHERE series IN ('U-FRA', 'U-USA') AND year = $1 ORDER BY series`,
    [year()],
  );
  expect(rows).toEqual([
    { series: 'U-FRA', last_value: controlSequence(second) },
    { series: 'U-USA', last_value: controlSequence(others[1]) },
  ]);
});

test("bureau A's alert numbers follow one another whatever bureau B publishes in between", async () => {
  const first = await publishAlert('ncb-fra', 'FRA', '^NUMA1[0-9]{4}$');
  const other = await publishAlert('ncb-usa', 'USA', '^NUMB1[0-9]{4}$');
  const second = await publishAlert('ncb-fra', 'FRA', '^NUMA2[0-9]{4}$');
  const pad = (n: number) => String(n).padStart(5, '0');
  expect({ first, other, second }).toEqual({
    first: expect.stringMatching(new RegExp(`^DD-FRA-${year()}-\\d{5}$`)),
    other: expect.stringMatching(new RegExp(`^DD-USA-${year()}-\\d{5}$`)),
    second: `DD-FRA-${year()}-${pad(alertSequence(first) + 1)}`,
  });
});

test('concurrent requests of one bureau queue on its counter: distinct, consecutive numbers', async () => {
  const numbers = await Promise.all(
    Array.from({ length: 6 }, (_, i) => requestNotice('ncb-uto', `Numbering test concurrent ${i}`)),
  );
  const sequences = numbers.map(controlSequence).sort((a, b) => a - b);
  expect(sequences).toEqual(Array.from({ length: 6 }, (_, i) => sequences[0] + i));
  expect(numbers.every((n) => n.startsWith('U-UTO-'))).toBe(true);
});
