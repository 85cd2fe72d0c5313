import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import type { Caller } from '../../shared/auth/caller';
import { createSubgraphDataSource, statementCount } from '../../db/data-source';
import { createTestDatabase } from '../../test/databases';
import { travelDocuments } from '.';
import { findRecordsByDocumentKeys, findRecordsByIds, findRecordsForCheck } from './sltd-record.repository';

/**
 * The border check's look-up is a constant statement prepared once per connection that returns plain rows
 * (shared/prepared-statement.ts): here, against a real PostgreSQL, its records are the entities TypeORM reads for the same rows
 * (every column, dates as TypeORM gives them), and its `visible` flag is the restriction predicate the query
 * builders apply (shared/restrictions.ts) for each kind of caller.
 */
const OWNER = '00000000-0000-4000-8000-0000000000a1';
const FRA_BP = '00000000-0000-4000-8000-0000000000f1';
const DEU_NCB = '00000000-0000-4000-8000-0000000000d1';
const GS = '00000000-0000-4000-8000-0000000000c1';

function caller(agencyId: string, agencyKind: Caller['agencyKind'], country: string | null): Caller {
  return {
    clientId: 'client',
    agencyId,
    agencyKind,
    country,
    scopes: new Set(['sltd:check']),
    operations: [],
    tokenId: 'token-id',
    token: 'token',
  };
}

const CALLERS = {
  owner: caller(OWNER, 'NCB', 'ITA'),
  fraBorderPoint: caller(FRA_BP, 'NATIONAL_ENTITY', 'FRA'),
  deuNcb: caller(DEU_NCB, 'NCB', 'DEU'),
  secretariat: caller(GS, 'GENERAL_SECRETARIAT', null),
  partnerWithoutCountry: caller('00000000-0000-4000-8000-0000000000e1', 'INTERNATIONAL_PARTNER', null),
};

/** Each record's restrictions, and which callers may see it. */
const RECORDS: {
  number: string;
  restrictions: string;
  visibleTo: (keyof typeof CALLERS)[];
}[] = [
  {
    number: 'OPEN1',
    restrictions: '',
    visibleTo: ['owner', 'fraBorderPoint', 'deuNcb', 'secretariat', 'partnerWithoutCountry'],
  },
  {
    number: 'NOTFRA1',
    restrictions: `, excluded_countries = '{FRA}'`,
    visibleTo: ['owner', 'deuNcb', 'secretariat', 'partnerWithoutCountry'],
  },
  {
    number: 'DEUONLY1',
    restrictions: `, allowed_countries = '{DEU}'`,
    visibleTo: ['owner', 'deuNcb', 'secretariat'],
  },
  {
    number: 'NCBONLY1',
    restrictions: `, allowed_agency_kinds = '{NCB}'`,
    visibleTo: ['owner', 'deuNcb', 'secretariat'],
  },
  {
    number: 'NOTPARTNER1',
    restrictions: `, excluded_agency_kinds = '{INTERNATIONAL_PARTNER}'`,
    visibleTo: ['owner', 'fraBorderPoint', 'deuNcb', 'secretariat'],
  },
];

let db: DataSource;
const ids = new Map<string, string>();

beforeAll(async () => {
  db = createSubgraphDataSource({
    url: await createTestDatabase('sltd_lookup'),
    schema: travelDocuments.schema,
    entities: travelDocuments.entities,
    migrations: [],
    pool: { size: 2 },
  });
  await db.initialize();
  for (const record of RECORDS) {
    const [row] = (await db.query(
      `INSERT INTO sltd.records (issuing_country, document_number, document_type, status, series, owner_agency_id,
              owner_country, national_reference, holder_surname, holder_forenames, holder_date_of_birth,
              holder_nationality, issue_date, expiry_date, theft_date, theft_country, theft_place, reported_at,
              review_date)
       VALUES ('ITA', $1, 'PASSPORT', 'STOLEN', 'E2', $2, 'ITA', 'REF-1', 'Rossi', 'Mario', DATE '1980-02-29', 'ITA',
               DATE '2020-01-31', DATE '2030-01-30', DATE '2025-12-31', 'FRA', 'Nice',
               TIMESTAMPTZ '2026-03-01 23:30:00+00', DATE '2031-01-01')
       RETURNING id`,
      [record.number, OWNER],
    )) as { id: string }[];
    ids.set(record.number, row.id);
    if (record.restrictions)
      await db.query(`UPDATE sltd.records SET ${record.restrictions.slice(2)} WHERE id = $1`, [row.id]);
  }
  // A withdrawn record of another owner for the open document: off the SLTD, never in a check.
  await db.query(
    `INSERT INTO sltd.records (issuing_country, document_number, document_type, status, owner_agency_id,
            owner_country, review_date, withdrawn_at)
     VALUES ('ITA', 'OPEN1', 'PASSPORT', 'LOST', $1, 'DEU', DATE '2031-01-01', now())`,
    [DEU_NCB],
  );
});

afterAll(async () => {
  await db?.destroy();
});

const keys = [
  ...RECORDS.map((r) => ({ issuingCountry: 'ITA', documentNumber: r.number })),
  { issuingCountry: 'ITA', documentNumber: 'ABSENT1' },
];

it('returns every live record of the documents with the entity TypeORM reads for it', async () => {
  const found = await findRecordsForCheck(db, CALLERS.secretariat, keys);
  const entities = await findRecordsByIds(db, CALLERS.secretariat, [...ids.values()]);
  expect(found.map((f) => f.record.documentNumber).sort()).toEqual(RECORDS.map((r) => r.number).sort());
  for (const { record } of found) {
    const entity = entities.find((e) => e.id === record.id);
    expect(record).toEqual(entity);
    expect(record).toBeInstanceOf(entity?.constructor as new () => unknown);
  }
  expect(found[0].record).toMatchObject({
    holderDateOfBirth: '1980-02-29',
    issueDate: '2020-01-31',
    reportedAt: new Date('2026-03-01T23:30:00Z'),
    reviewDate: '2031-01-01',
    excludedCountries: expect.any(Array),
  });
});

it.each(Object.keys(CALLERS) as (keyof typeof CALLERS)[])(
  'flags each record visible to %s exactly where the restrictions let it see the record',
  async (name) => {
    // Twice on one pool: the second call runs the statement the connection prepared.
    for (let round = 0; round < 2; round++) {
      const found = await findRecordsForCheck(db, CALLERS[name], keys);
      expect(Object.fromEntries(found.map((f) => [f.record.documentNumber, f.visible]))).toEqual(
        Object.fromEntries(RECORDS.map((r) => [r.number, r.visibleTo.includes(name)])),
      );
    }
  },
);

it.each(Object.keys(CALLERS) as (keyof typeof CALLERS)[])(
  'reads, outside a check, the live records of the documents %s may see, as the check flags them',
  async (name) => {
    const records = await findRecordsByDocumentKeys(db, CALLERS[name], keys);
    expect(records.map((r) => r.documentNumber).sort()).toEqual(
      RECORDS.filter((r) => r.visibleTo.includes(name))
        .map((r) => r.number)
        .sort(),
    );
    const checked = await findRecordsForCheck(db, CALLERS[name], keys);
    for (const record of records) expect(checked).toContainEqual({ record, visible: true });
  },
);

it('counts its statement as the data source counts TypeORM’s', async () => {
  const before = statementCount(db);
  await findRecordsForCheck(db, CALLERS.fraBorderPoint, keys);
  expect(statementCount(db) - before).toBe(1);
  expect(await findRecordsForCheck(db, CALLERS.fraBorderPoint, [])).toEqual([]);
  expect(statementCount(db) - before).toBe(1);
});
