import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import type { Caller } from '../../shared/auth/caller';
import { createSubgraphDataSource } from '../../db/data-source';
import { createTestDatabase } from '../../test/databases';
import { documentAlerts } from '.';
import { findAlertsByIds, findAlertsForDocuments } from './document-alert.repository';

/**
 * The alerts of documents (every `TravelDocument.alerts`) come from a constant statement prepared once per
 * connection that returns plain rows (shared/prepared-statement.ts): here, against a real PostgreSQL, its alerts
 * are the entities TypeORM reads for the same rows, each document gets the alerts whose range or pattern covers
 * it, and the restriction predicate (shared/restrictions.ts) decides which ones each caller gets.
 */
const OWNER = '00000000-0000-4000-8000-0000000000a1';

function caller(agencyId: string, agencyKind: Caller['agencyKind'], country: string | null): Caller {
  return {
    clientId: 'client',
    agencyId,
    agencyKind,
    country,
    scopes: new Set(['alerts:read']),
    operations: [],
    tokenId: 'token-id',
    token: 'token',
  };
}

const CALLERS = {
  owner: caller(OWNER, 'NCB', 'ITA'),
  fraBorderPoint: caller('00000000-0000-4000-8000-0000000000f1', 'NATIONAL_ENTITY', 'FRA'),
  secretariat: caller('00000000-0000-4000-8000-0000000000c1', 'GENERAL_SECRETARIAT', null),
};

let db: DataSource;
const ids = new Map<string, string>();

async function insertAlert(alertNumber: string, columns: string, values: string, restriction = '') {
  const [row] = (await db.query(
    `INSERT INTO alerts.alerts (alert_number, issuing_country, document_type, series, fraud_type, description,
            indicators, owner_agency_id, owner_country, published_at, review_date, ${columns}
            ${restriction ? ', excluded_countries' : ''})
     VALUES ($1, 'ITA', 'PASSPORT', 'E2', 'COUNTERFEIT', 'A test alert', '{"Blurred print"}', $2, 'ITA',
             TIMESTAMPTZ '2026-03-01 23:30:00+00' + ($3 || ' minutes')::interval, DATE '2031-02-28', ${values}
             ${restriction ? `, '${restriction}'` : ''})
     RETURNING id`,
    [alertNumber, OWNER, String(ids.size)],
  )) as { id: string }[];
  ids.set(alertNumber, row.id);
}

beforeAll(async () => {
  db = createSubgraphDataSource({
    url: await createTestDatabase('alerts_lookup'),
    schema: documentAlerts.schema,
    entities: documentAlerts.entities,
    migrations: [],
    pool: { size: 2 },
  });
  await db.initialize();
  await insertAlert('DD-RANGE', 'number_from, number_to', `'YA1000', 'YA1999'`);
  await insertAlert('DD-PATTERN', 'number_pattern', `'^YA1[0-9]{3}$'`);
  await insertAlert('DD-NOTFRA', 'number_from, number_to', `'YA1000', 'YA1999'`, '{FRA}');
  await insertAlert('DD-WITHDRAWN', 'number_from, number_to, withdrawn_at', `'YA1000', 'YA1999', now()`);
});

afterAll(async () => {
  await db?.destroy();
});

const keys = [
  { issuingCountry: 'ITA', documentNumber: 'YA1500' },
  // Inside the range's bounds as text, not as a number of the same length: no alert.
  { issuingCountry: 'ITA', documentNumber: 'YA15000' },
  { issuingCountry: 'FRA', documentNumber: 'YA1500' },
];

const found = async (who: keyof typeof CALLERS) =>
  (await findAlertsForDocuments(db, CALLERS[who], keys)).map((f) => [
    `${f.key.issuingCountry}/${f.key.documentNumber}`,
    f.alert.alertNumber,
  ]);

it('gives each document the alerts covering it, newest first, as the entities TypeORM reads', async () => {
  expect(await found('secretariat')).toEqual([
    ['ITA/YA1500', 'DD-NOTFRA'],
    ['ITA/YA1500', 'DD-PATTERN'],
    ['ITA/YA1500', 'DD-RANGE'],
  ]);
  const entities = await findAlertsByIds(db, CALLERS.secretariat, [...ids.values()]);
  for (const { alert } of await findAlertsForDocuments(db, CALLERS.secretariat, keys)) {
    const entity = entities.find((e) => e.id === alert.id);
    expect(alert).toEqual(entity);
    expect(alert).toBeInstanceOf(entity?.constructor as new () => unknown);
  }
});

it('leaves out the alerts restricted away from the caller, and the owner sees its own', async () => {
  // Twice: the second call runs the statement the connection prepared.
  for (let round = 0; round < 2; round++) {
    expect(await found('fraBorderPoint')).toEqual([
      ['ITA/YA1500', 'DD-PATTERN'],
      ['ITA/YA1500', 'DD-RANGE'],
    ]);
    expect(await found('owner')).toEqual(await found('secretariat'));
  }
  expect(await findAlertsForDocuments(db, null, keys)).toEqual([]);
});
