import pg from 'pg';
import { statementCount } from '../db/data-source';
import { readContract } from './contract';
import { DEMO_NOW } from '../db/seed/dates';
import { withTestHubAndDatabase, type TestHub } from './hub';

/**
 * LinkedRecords (contract/linked-records.graphql): a bureau follows notices to their subjects' documents, the
 * documents' SLTD records, the alerts on them and the agencies that own each: four subgraphs, one query.
 */
const LINKED_RECORDS = readContract('linked-records.graphql');
// Background work (the webhook delivery worker polling the outbox) must not count as the page's statements.
process.env.WEBHOOK_POLL_MS = '60000';

let hub: TestHub;
let db: pg.Client;
withTestHubAndDatabase((started) => ({ hub, db } = started));

describe('LinkedRecords as ncb-fra', () => {
  test('follows the specimen holder’s notice to her stolen passport, its alert and their owners', async () => {
    const expected = await db.query<{
      id: string;
      control_number: string;
      requested_by: string;
      uto_ncb: string;
      gs: string;
    }>(`
      SELECT n.id, n.control_number,
             (SELECT id FROM partners.agencies WHERE code = 'NCB-UTO') AS uto_ncb
        FROM notices.notices n
       WHERE n.subject_surname = 'ERIKSSON' AND n.type = 'YELLOW' AND n.owner_country = 'UTO'`);
    expect(expected.rowCount).toBe(1);
    const notice = expected.rows[0];

    const response = await hub.graphql('ncb-fra', LINKED_RECORDS, {
      first: 5,
      filter: { requestingCountry: 'UTO', types: ['YELLOW'], subjectNationality: 'UTO' },
    });

    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    const connection = response.body.data?.notices as {
      totalCount: number;
      edges: { node: { id: string } }[];
    };
    const node = connection.edges.find((edge) => edge.node.id === notice.id)?.node;
    expect(node).toEqual({
      id: notice.id,
      controlNumber: notice.control_number,
      type: 'YELLOW',
      status: 'PUBLISHED',
      requestedBy: { id: notice.uto_ncb, name: 'NCB of Utopia', country: 'UTO' },
      subject: {
        surname: 'ERIKSSON',
        forenames: 'ANNA MARIA',
        dateOfBirth: '1974-08-12',
        sex: 'F',
        nationalities: ['UTO'],
      },
      charges: [],
      documents: [
        {
          issuingCountry: 'UTO',
          documentNumber: 'L898902C3',
          sltdRecord: { status: 'STOLEN', documentType: 'PASSPORT', owner: { name: 'NCB of Utopia' } },
          alerts: [{ alertNumber: 'DD-GS-2026-00001', fraudType: 'COUNTERFEIT' }],
        },
      ],
    });
  });

  test('pages with cursors: the second page continues where the first ended, without overlap', async () => {
    const first = await hub.graphql('ncb-fra', LINKED_RECORDS, { first: 3 });
    const page1 = first.body.data?.notices as {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string };
      edges: { node: { id: string } }[];
    };
    expect(page1.edges).toHaveLength(3);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = await hub.graphql('ncb-fra', LINKED_RECORDS, {
      first: 3,
      after: page1.pageInfo.endCursor,
    });
    const page2 = second.body.data?.notices as typeof page1;
    expect(page2.totalCount).toBe(page1.totalCount);
    const ids = [...page1.edges, ...page2.edges].map((e) => e.node.id);
    expect(new Set(ids).size).toBe(6);
    const published = await db.query(
      `SELECT count(*)::int AS n FROM notices.notices WHERE status = 'PUBLISHED'`,
    );
    // ncb-fra sees every published notice not restricted away from it, and its own requested ones.
    expect(page1.totalCount).toBeGreaterThan(published.rows[0].n * 0.9);
  });

  test('rejects a page size over 100 with a clear error naming the argument', async () => {
    const response = await hub.graphql('ncb-fra', LINKED_RECORDS, { first: 500 });
    expect(response.body.errors).toEqual([
      {
        message: 'Invalid input: first: must be between 0 and 100',
        path: ['notices'],
        extensions: {
          code: 'BAD_USER_INPUT',
          problems: [{ field: 'first', reason: 'must be between 0 and 100' }],
          serviceName: 'notices',
        },
      },
    ]);
  });
});

describe('batching', () => {
  /** Statements sent by every subgraph while running one LinkedRecords page of `size` notices. */
  async function statementsFor(size: number): Promise<Record<string, number>> {
    const before = Object.fromEntries(
      Object.values(hub.hub.subgraphs).map((s) => [s.name, statementCount(s.db)]),
    );
    // The demo seed's notices only: notices other test files request are newest in the shared database, and a
    // page of them without an SLTD record skips the owners' fetch, which would change the count, not the batching.
    const response = await hub.graphql('ncb-fra', LINKED_RECORDS, {
      first: size,
      filter: { requestedBefore: DEMO_NOW.toISOString() },
    });
    expect(response.body.errors).toBeUndefined();
    const edges = (response.body.data?.notices as { edges: { node: { documents: unknown[] } }[] }).edges;
    expect(edges).toHaveLength(size);
    return Object.fromEntries(
      Object.values(hub.hub.subgraphs).map((s) => [s.name, statementCount(s.db) - before[s.name]]),
    );
  }

  test('a page of 50 notices costs the same statements per subgraph as a page of 20', async () => {
    // 20 rather than fewer: a page with no SLTD record on it would skip the owners' fetch altogether.
    const small = await statementsFor(20);
    const large = await statementsFor(50);
    expect(large).toEqual(small);
    // Written down for the closing note: the fixed cost of a LinkedRecords page, per subgraph.
    console.log(`LinkedRecords statements per page (20 and 50 notices): ${JSON.stringify(large)}`);
  });
});
