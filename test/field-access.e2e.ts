import pg from 'pg';
import { readContract } from './contract';
import { withTestHubAndDatabase, type TestHub } from './hub';

/**
 * The contract operations as each demo client: exactly the fields docs/architecture.md's scope table allows, with
 * UNAUTHORIZED_FIELD_OR_TYPE errors at the paths of the others (issue: access control, field level).
 */
let hub: TestHub;
let db: pg.Client;
withTestHubAndDatabase((started) => ({ hub, db } = started));

const unauthorized = (path: (string | number)[]) => ({
  message: 'Unauthorized field or type',
  path,
  extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
});

const LINKED_RECORDS = readContract('linked-records.graphql');
const ME = readContract('whoami.graphql');

describe('Me (whoami.graphql)', () => {
  test.each([
    [
      'ncb-fra',
      'NCB',
      'FRA',
      'alerts:read alerts:write audit:read hits:manage notices:read notices:screen notices:write operations:manage schema:read sltd:check sltd:read sltd:summary sltd:write',
    ],
    ['bp-fra', 'NATIONAL_ENTITY', 'FRA', 'alerts:read notices:screen sltd:check sltd:summary'],
    ['iom', 'INTERNATIONAL_PARTNER', null, 'alerts:read notices:read:yellow sltd:check'],
    ['airline-demo', 'PRIVATE_PARTNER', 'NLD', 'sltd:check'],
    [
      'gs-admin',
      'GENERAL_SECRETARIAT',
      null,
      'agencies:admin audit:read notices:publish operations:manage schema:read',
    ],
    ['explorer', 'PRIVATE_PARTNER', null, 'schema:read'],
  ])('%s is told who it is and what it holds', async (clientId, kind, country, scopes) => {
    const agency = await db.query(
      'SELECT a.id, a.name FROM partners.agencies a JOIN partners.api_clients c ON c.agency_id = a.id WHERE c.client_id = $1',
      [clientId],
    );
    const response = await hub.graphql(clientId, ME);
    expect(response.body).toEqual({
      data: {
        me: {
          clientId,
          agency: { id: agency.rows[0].id, name: agency.rows[0].name, kind, country },
          scopes: scopes.split(' '),
        },
      },
    });
  });
});

describe('LinkedRecords (linked-records.graphql)', () => {
  // Seeded notices only (the seed's clock stops at 2026-11-01): other test files add notices of their own.
  const variables = { first: 3, filter: { types: ['RED'], requestedBefore: '2026-11-01T00:00:00Z' } };

  test('bp-fra (notices:screen) sees identity fields; the notice-only fields are null with an error at their path', async () => {
    const response = await hub.graphql('bp-fra', LINKED_RECORDS, variables);
    const connection = response.body.data?.notices as { edges: { node: Record<string, unknown> }[] };
    expect(connection.edges).toHaveLength(3);
    for (const { node } of connection.edges) {
      expect(node).toEqual({
        id: expect.any(String),
        controlNumber: expect.stringMatching(/^A-[A-Z]{3}-\d+\/\d{2}-\d{4}$/),
        type: 'RED',
        status: null,
        requestedBy: null,
        subject: {
          surname: expect.any(String),
          forenames: expect.anything(),
          dateOfBirth: expect.anything(),
          sex: expect.any(String),
          nationalities: expect.any(Array),
        },
        charges: null,
        documents: null,
      });
    }
    expect(response.body.errors).toEqual([
      unauthorized(['notices', 'edges', '@', 'node', 'status']),
      unauthorized(['notices', 'edges', '@', 'node', 'requestedBy']),
      unauthorized(['notices', 'edges', '@', 'node', 'charges']),
      unauthorized(['notices', 'edges', '@', 'node', 'documents']),
    ]);
  });

  test('iom (notices:read:yellow) gets YELLOW notices only, in full', async () => {
    const response = await hub.graphql('iom', LINKED_RECORDS, { first: 20 });
    const connection = response.body.data?.notices as {
      totalCount: number;
      edges: { node: { type: string; status: string } }[];
    };
    expect(connection.edges.length).toBeGreaterThan(0);
    expect(new Set(connection.edges.map((e) => e.node.type))).toEqual(new Set(['YELLOW']));
    const yellow = await db.query(
      `SELECT count(*)::int AS n FROM notices.notices WHERE type = 'YELLOW' AND status = 'PUBLISHED'`,
    );
    expect(connection.totalCount).toBeLessThanOrEqual(yellow.rows[0].n);
    // Asking for RED notices explicitly does not get around it.
    const red = await hub.graphql('iom', LINKED_RECORDS, variables);
    expect((red.body.data?.notices as { totalCount: number }).totalCount).toBe(0);
    // It reads them in full, but the SLTD status of the documents needs sltd:summary, which it lacks.
    expect(response.body.errors).toEqual([
      unauthorized(['notices', 'edges', '@', 'node', 'documents', '@', 'sltdRecord']),
    ]);
  });

  test('explorer (schema:read only) sees no data at all', async () => {
    const response = await hub.graphql('explorer', LINKED_RECORDS, variables);
    expect(response.body).toEqual({ data: null, errors: [unauthorized(['notices'])] });
  });

  test('ncb-fra sees every field, with no error', async () => {
    const response = await hub.graphql('ncb-fra', LINKED_RECORDS, variables);
    expect(response.body.errors).toBeUndefined();
  });
});

describe('introspection needs schema:read', () => {
  const INTROSPECT = '{ __schema { queryType { name } } }';

  test('explorer may explore the schema', async () => {
    const response = await hub.graphql('explorer', INTROSPECT);
    expect(response.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  test('airline-demo may not', async () => {
    const response = await hub.graphql('airline-demo', INTROSPECT);
    expect(response.body).toEqual({ data: null, errors: [unauthorized(['__schema'])] });
  });
});
