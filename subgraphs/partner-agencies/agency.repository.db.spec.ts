import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { createSubgraphDataSource } from '../../db/data-source';
import { testDatabaseUrl } from '../../test/hub';
import { partnerAgencies } from '.';
import { Agency } from './agency.entity';
import { findAgenciesByIds } from './agency.repository';

/**
 * The agency loader's look-up is a constant statement prepared once per connection that returns plain rows
 * (shared/prepared-statement.ts): here, against the seeded test database (read only), its agencies are the entities
 * TypeORM reads for the same ids, every column included, and an id of no agency finds nothing.
 */
let db: DataSource;

beforeAll(async () => {
  db = createSubgraphDataSource({
    url: testDatabaseUrl(),
    schema: partnerAgencies.schema,
    entities: partnerAgencies.entities,
    migrations: [],
    pool: { size: 2 },
  });
  await db.initialize();
});

afterAll(async () => {
  await db?.destroy();
});

it('returns for each id the Agency entity TypeORM reads, and nothing for an unknown id', async () => {
  const entities = await db.getRepository(Agency).find();
  expect(entities.length).toBeGreaterThan(3);
  const unknown = '00000000-0000-4000-8000-00000000dead';
  const found = await findAgenciesByIds(db, [...entities.map((e) => e.id), unknown]);
  const byId = (list: Agency[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
  expect(byId(found)).toEqual(byId(entities));
  for (const agency of found) expect(agency).toBeInstanceOf(Agency);
  expect(found.some((a) => a.authorisedById !== null)).toBe(true);
  expect(found.every((a) => a.createdAt instanceof Date)).toBe(true);
  // Repeated on the same pooled connections: the statement is prepared once per connection and replayed.
  expect(byId(await findAgenciesByIds(db, [entities[0].id]))).toEqual([entities[0]]);
});
