import { Writable } from 'node:stream';
import { createLogger } from '../../shared/logger';
import { readContract } from '../contract';
import { startRestartableDatabase, type RestartableDatabase } from '../fault-injection';
import { startTestHub, type TestHub } from '../hub';

/**
 * No personal data in logs: the whole hub logs into one captured stream while each error path runs with a
 * distinctive holder — a constraint violation (concurrent duplicate reports), bad input, an unreachable subgraph,
 * the database down — and not one of the values, nor the caller's token, reaches a log line.
 */
const REPORT = readContract('report-document.graphql');
const BORDER_CHECK = readContract('border-check.graphql');
const SURNAME = 'Qwertyzanova';
const FORENAMES = 'Vexillaria';
const BIRTH_DATE = '1961-07-23';
const NUMBER = '61QZ72301';
const SECRETS = [SURNAME, FORENAMES, BIRTH_DATE, SURNAME.toUpperCase(), FORENAMES.toUpperCase(), NUMBER];

const lines: string[] = [];
let database: RestartableDatabase;
let hub: TestHub;

beforeAll(async () => {
  database = await startRestartableDatabase();
  const capture = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  hub = await startTestHub({
    databaseUrl: database.url,
    log: createLogger('hub', 'debug', capture),
    // Nothing listens there (loopback): every call to document-alerts fails as an unreachable subgraph.
    externalSubgraphs: { 'document-alerts': 'http://127.0.0.1:9/graphql' },
    subgraphResilience: { SUBGRAPH_TIMEOUT_MS: 2_000 },
  });
}, 120_000);
afterAll(async () => {
  await hub?.stop().catch(() => undefined);
  await database?.close();
});

const report = (holder: Record<string, string>) => ({
  input: {
    issuingCountry: 'FRA',
    documentNumber: NUMBER,
    documentType: 'PASSPORT',
    status: 'STOLEN',
    holder,
  },
});
const HOLDER = { surname: SURNAME, forenames: FORENAMES, dateOfBirth: BIRTH_DATE };

function expectNoInputInLogs() {
  const log = lines.join('\n');
  for (const secret of SECRETS) expect(log).not.toContain(secret);
}

const codesLogged = () =>
  lines
    .map((line) => JSON.parse(line) as { msg?: string; errors?: string[] })
    .filter((line) => line.msg === 'request')
    .flatMap((line) => line.errors ?? []);

test('a constraint violation: concurrent duplicate reports', async () => {
  const answers = await Promise.all(
    Array.from({ length: 4 }, () => hub.graphql('ncb-fra', REPORT, report(HOLDER))),
  );
  const codes = answers.map((a) => (a.body.errors ? a.body.errors[0].extensions?.code : 'OK')).sort();
  // One is written; how the others are refused (CONFLICT, or a race the constraint decides) is the reports'
  // own test: here, only what reaches the log matters.
  expect(codes.filter((code) => code === 'OK')).toEqual(['OK']);
  expect(codesLogged().length).toBeGreaterThanOrEqual(3);
  expectNoInputInLogs();
});

test('bad input: bad bytes, a date that does not exist', async () => {
  const nul = await hub.graphql('ncb-fra', REPORT, report({ ...HOLDER, surname: `${SURNAME}\u0000` }));
  expect(nul.status).toBe(400);
  const date = await hub.graphql('ncb-fra', REPORT, report({ ...HOLDER, dateOfBirth: '1961-07-32' }));
  expect(date.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expectNoInputInLogs();
});

test('a subgraph failure: document-alerts unreachable under a check of the holder’s passport', async () => {
  const response = await hub.graphql('ncb-fra', BORDER_CHECK, {
    documents: [{ issuingCountry: 'FRA', documentNumber: NUMBER, location: SURNAME }],
  });
  expect(response.body.errors?.map((e) => e.extensions?.code)).toContain('SUBGRAPH_UNAVAILABLE');
  expectNoInputInLogs();
});

test('the database down: the error is logged by class and code only', async () => {
  await database.stop();
  const response = await hub.graphql('ncb-fra', REPORT, report({ ...HOLDER, surname: `${SURNAME}-Two` }));
  expect(response.body.errors?.length).toBeGreaterThan(0);
  const logged = lines.map((line) => JSON.parse(line) as { level: number; err?: Record<string, unknown> });
  const errors = logged.filter((line) => line.level >= 50 && line.err);
  expect(errors.length).toBeGreaterThan(0);
  for (const line of errors)
    expect(
      Object.keys(line.err ?? {}).every((key) =>
        ['type', 'code', 'constraint', 'table', 'schema', 'routine', 'message', 'stack'].includes(key),
      ),
    ).toBe(true);
  expectNoInputInLogs();
  // Nor the caller's token, which the gateway forwards in a header.
  expect(lines.join('\n')).not.toContain(await hub.token('ncb-fra'));
});
