import pg from 'pg';
import { verifyAuditChain } from '../shared/audit';
import { readContract } from './contract';
import { startTestHub, type TestHub } from './hub';

/**
 * The audit trail: every check, every read of personal data and every change is written before the response
 * leaves; owners read the trail of their own records; the chain shows any alteration.
 */
let hub: TestHub;
let db: pg.Client;

beforeAll(async () => {
  hub = await startTestHub();
  db = new pg.Client({ connectionString: hub.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db.end();
  await hub.stop();
});

const SPECIMEN_MRZ =
  'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10';

async function entriesSince(seq: number) {
  const result = await db.query(
    `SELECT client_id, subgraph, action, record_type, record_ids, owner_agency_ids, fields, operation
       FROM audit.entries WHERE seq > $1 ORDER BY seq`,
    [seq],
  );
  return result.rows;
}

async function lastSeq(): Promise<number> {
  return Number((await db.query('SELECT coalesce(max(seq), 0) AS seq FROM audit.entries')).rows[0].seq);
}

describe('what gets audited', () => {
  test('a border check: the documents checked, and the hit with its record’s owner', async () => {
    const before = await lastSeq();
    const response = await hub.graphql('bp-fra', readContract('border-check.graphql'), {
      documents: [{ mrz: SPECIMEN_MRZ }, { issuingCountry: 'FRA', documentNumber: '00AA00000' }],
    });
    const hitId = (response.body.data?.checkDocuments as { hit: { id: string } | null }[])[0].hit?.id;
    const { rows } = await db.query(
      `SELECT r.id, r.owner_agency_id FROM sltd.records r WHERE issuing_country = 'UTO' AND document_number = 'L898902C3'`,
    );
    const entries = await entriesSince(before);
    expect(entries).toEqual(
      expect.arrayContaining([
        {
          client_id: 'bp-fra',
          subgraph: 'travel-documents',
          action: 'HIT',
          record_type: 'SltdRecord',
          record_ids: [rows[0].id],
          owner_agency_ids: [rows[0].owner_agency_id],
          fields: [`hit:${hitId}`],
          operation: expect.stringContaining('BorderCheck'),
        },
        {
          client_id: 'bp-fra',
          subgraph: 'travel-documents',
          action: 'CHECK',
          record_type: 'TravelDocument',
          record_ids: ['UTO/L898902C3', 'FRA/00AA00000'],
          owner_agency_ids: [],
          fields: ['verdict'],
          operation: expect.stringContaining('BorderCheck'),
        },
      ]),
    );
  });

  test('reading notice subjects: one row for the page, with every notice id and its owner', async () => {
    const before = await lastSeq();
    const response = await hub.graphql('ncb-fra', readContract('linked-records.graphql'), { first: 5 });
    const ids = (response.body.data?.notices as { edges: { node: { id: string } }[] }).edges.map(
      (e) => e.node.id,
    );
    const entries = (await entriesSince(before)).filter((e) => e.record_type === 'Notice');
    expect(entries).toEqual([
      {
        client_id: 'ncb-fra',
        subgraph: 'notices',
        action: 'READ',
        record_type: 'Notice',
        record_ids: ids,
        owner_agency_ids: expect.any(Array),
        fields: ['subject'],
        operation: expect.stringContaining('LinkedRecords'),
      },
    ]);
  });

  test('a read that shows no personal data writes nothing', async () => {
    const before = await lastSeq();
    await hub.graphql('bp-fra', '{ notices(first: 3) { totalCount edges { node { type } } } }');
    expect(await entriesSince(before)).toEqual([]);
  });
});

describe('reading the trail', () => {
  test('the owner sees the entries about its records; another bureau does not', async () => {
    const uto = await hub.graphql(
      'ncb-uto',
      '{ auditTrail(filter: { action: "HIT" }, first: 5) { totalCount edges { node { action recordType clientId agency { name } } } } }',
    );
    const page = uto.body.data?.auditTrail as {
      totalCount: number;
      edges: { node: Record<string, unknown> }[];
    };
    expect(page.totalCount).toBeGreaterThan(0);
    expect(page.edges[0].node).toEqual({
      action: 'HIT',
      recordType: 'SltdRecord',
      clientId: expect.any(String),
      agency: { name: expect.any(String) },
    });
    const usa = await hub.graphql(
      'ncb-usa',
      '{ auditTrail(filter: { action: "HIT", clientId: "bp-fra" }, first: 5) { totalCount } }',
    );
    expect(usa.body.data).toEqual({ auditTrail: { totalCount: 0 } });
  });

  test('bp-fra, without audit:read, sees nothing of it', async () => {
    const response = await hub.graphql('bp-fra', '{ auditTrail(first: 1) { totalCount } }');
    expect(response.body).toEqual({
      data: null,
      errors: [
        {
          message: 'Unauthorized field or type',
          path: ['auditTrail'],
          extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
        },
      ],
    });
  });
});

describe('tamper evidence', () => {
  const STATUS = '{ auditChainStatus { rows intact firstBrokenSeq reason } }';

  test('the chain holds, and an altered row is reported as the first broken link', async () => {
    const intact = await hub.graphql('gs-admin', STATUS);
    expect(intact.body.data).toEqual({
      auditChainStatus: { rows: expect.any(Number), intact: true, firstBrokenSeq: null, reason: null },
    });

    const victim = (
      await db.query(`SELECT seq, client_id FROM audit.entries WHERE action = 'CHECK' ORDER BY seq LIMIT 1`)
    ).rows[0];
    // Rewriting history takes disabling the append-only trigger, as an attacker with the database would.
    await db.query('ALTER TABLE audit.entries DISABLE TRIGGER entries_append_only');
    try {
      await db.query(`UPDATE audit.entries SET client_id = 'someone-else' WHERE seq = $1`, [victim.seq]);
      const broken = await hub.graphql('gs-admin', STATUS);
      expect(broken.body.data).toEqual({
        auditChainStatus: {
          rows: expect.any(Number),
          intact: false,
          firstBrokenSeq: String(victim.seq),
          reason: 'content altered',
        },
      });
      const offline = await verifyAuditChain((sql) => db.query(sql).then((r) => r.rows));
      expect(offline.firstBrokenSeq).toBe(Number(victim.seq));
    } finally {
      await db.query(`UPDATE audit.entries SET client_id = $2 WHERE seq = $1`, [
        victim.seq,
        victim.client_id,
      ]);
      await db.query('ALTER TABLE audit.entries ENABLE TRIGGER entries_append_only');
    }
    expect((await hub.graphql('gs-admin', STATUS)).body.data).toMatchObject({
      auditChainStatus: { intact: true },
    });
  });

  test('the trail refuses updates and deletes', async () => {
    await expect(db.query(`DELETE FROM audit.entries WHERE seq = 1`)).rejects.toThrow(
      'the audit trail is append-only',
    );
  });

  test('only the General Secretariat verifies the whole chain', async () => {
    const response = await hub.graphql('ncb-fra', STATUS);
    expect(response.body.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  });
});
