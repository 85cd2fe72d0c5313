import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { DEV_AUDIT_CHAIN, verifyAuditChain } from '../shared/audit';
import { readContract } from './contract';
import { withTestHubAndDatabase, type TestHub } from './hub';

/**
 * The audit trail: every check, every read of personal data and every change is written before the response
 * leaves; owners read the trail of their own records; the chain shows any alteration.
 */
let hub: TestHub;
let db: pg.Client;
withTestHubAndDatabase((started) => ({ hub, db } = started));

const SPECIMEN_MRZ =
  'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10';

/**
 * A GraphQL request through the gateway with a request id of its own (x-request-id, as a client may send one):
 * its audit rows are exactly those of that id, whatever other test files write at the same time.
 */
async function send(clientId: string, query: string, variables?: Record<string, unknown>) {
  const requestId = `audit-${randomUUID()}`;
  const response = await fetch(hub.hub.gatewayUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-request-id': requestId,
      authorization: `Bearer ${await hub.token(clientId)}`,
    },
    body: JSON.stringify({ query, variables }),
  });
  return {
    requestId,
    body: (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] },
  };
}

/** Every audit row of one request, in the order written. */
async function entriesOf(requestId: string) {
  const result = await db.query(
    `SELECT client_id, subgraph, action, record_type, record_ids, owner_agency_ids, fields, operation
       FROM audit.entries WHERE request_id = $1 ORDER BY seq`,
    [requestId],
  );
  return result.rows;
}

/** Rows in a fixed order (by action, then first record id), for exact comparisons whatever order they were written in. */
function byActionAndRecord(
  a: { action: string; record_ids?: string[]; recordIds?: string[] },
  b: { action: string; record_ids?: string[]; recordIds?: string[] },
): number {
  const key = (row: typeof a) => `${row.action} ${(row.record_ids ?? row.recordIds ?? [])[0] ?? ''}`;
  return key(a).localeCompare(key(b));
}

describe('what gets audited', () => {
  test('a border check: the documents checked, and the hit with its record’s owner', async () => {
    const response = await send('bp-fra', readContract('border-check.graphql'), {
      documents: [{ mrz: SPECIMEN_MRZ }, { issuingCountry: 'FRA', documentNumber: '00AA00000' }],
    });
    const hitId = (response.body.data?.checkDocuments as { hit: { id: string } | null }[])[0].hit?.id;
    const { rows } = await db.query(
      `SELECT r.id, r.owner_agency_id FROM sltd.records r WHERE issuing_country = 'UTO' AND document_number = 'L898902C3'`,
    );
    const entries = await entriesOf(response.requestId);
    // Exactly the check's rows.
    // The two REFUSE rows name no record: by subgraph, since the gateway's and the subgraph's are written in parallel.
    const bySubgraph = (x: { subgraph: string }, y: { subgraph: string }) =>
      x.subgraph.localeCompare(y.subgraph);
    expect(entries.sort((x, y) => byActionAndRecord(x, y) || bySubgraph(x, y))).toEqual([
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
      // The border police holds notices:screen, not notices:read: the gateway refuses the document's notices,
      // and that refusal is a row of its own (docs/security.md, "Audit of refusals").
      {
        client_id: 'bp-fra',
        subgraph: 'gateway',
        action: 'REFUSE',
        record_type: 'Field',
        record_ids: [],
        owner_agency_ids: [],
        fields: ['TravelDocument.notices'],
        operation: 'BorderCheck',
      },
      // FRA/00AA00000 is not on file: its document's sltdRecord answered null, a NOT_FOUND row like any null answer
      // (naming no record; had the record been hidden from bp-fra, its owner would get a copy naming it).
      {
        client_id: 'bp-fra',
        subgraph: 'travel-documents',
        action: 'REFUSE',
        record_type: 'SltdRecord',
        record_ids: [],
        owner_agency_ids: [],
        fields: ['TravelDocument.sltdRecord'],
        operation: expect.stringContaining('BorderCheck'),
      },
    ]);
  });

  test('reading notice subjects: one row per owner, with the ids of that owner’s notices only', async () => {
    const response = await send('ncb-fra', readContract('linked-records.graphql'), { first: 20 });
    const ids = (response.body.data?.notices as { edges: { node: { id: string } }[] }).edges.map(
      (e) => e.node.id,
    );
    const owners = await db.query<{ id: string; owner: string }>(
      'SELECT id::text, owner_agency_id::text AS owner FROM notices.notices WHERE id = ANY ($1::uuid[])',
      [ids],
    );
    const idsByOwner = new Map<string, string[]>();
    for (const id of ids) {
      const owner = owners.rows.find((row) => row.id === id)?.owner as string;
      idsByOwner.set(owner, [...(idsByOwner.get(owner) ?? []), id]);
    }
    expect(idsByOwner.size).toBeGreaterThan(1);
    const entries = (await entriesOf(response.requestId)).filter((e) => e.record_type === 'Notice');
    const byOwner = (a: { owner_agency_ids: string[] }, b: { owner_agency_ids: string[] }) =>
      a.owner_agency_ids[0].localeCompare(b.owner_agency_ids[0]);
    expect(entries.sort(byOwner)).toEqual(
      [...idsByOwner]
        .map(([owner, ownerIds]) => ({
          client_id: 'ncb-fra',
          subgraph: 'notices',
          action: 'READ',
          record_type: 'Notice',
          record_ids: ownerIds,
          owner_agency_ids: [owner],
          // Every personal-data field the query selects, not only the subject.
          fields: ['charges', 'documents', 'subject'],
          operation: expect.stringContaining('LinkedRecords'),
        }))
        .sort(byOwner),
    );
  });

  test('a read that shows no personal data writes nothing', async () => {
    const sent = await send('bp-fra', '{ notices(first: 3) { totalCount edges { node { type } } } }');
    expect(sent.body.errors).toBeUndefined();
    expect(await entriesOf(sent.requestId)).toEqual([]);
  });
});

describe('confidentiality: an owner’s trail holds only what that owner may know', () => {
  const HIDDEN_NUMBER = 'AUDIT0001';
  let usaNcb: string;
  let utoNcb: string;
  let hiddenRecordId: string;
  let visibleRecordId: string;

  beforeAll(async () => {
    const agencies = await db.query<{ code: string; id: string }>(
      `SELECT code, id::text FROM partners.agencies WHERE code IN ('NCB-USA', 'NCB-UTO')`,
    );
    usaNcb = agencies.rows.find((a) => a.code === 'NCB-USA')?.id as string;
    utoNcb = agencies.rows.find((a) => a.code === 'NCB-UTO')?.id as string;
    // Owner B (USA) keeps this passport away from France: bp-fra's check of it answers NO_HIT.
    hiddenRecordId = (
      await db.query(
        `INSERT INTO sltd.records (issuing_country, document_number, document_type, status, owner_agency_id, owner_country,
                                   review_date, excluded_countries)
         VALUES ('USA', $1, 'PASSPORT', 'STOLEN', $2, 'USA', '2036-01-01', '{FRA}') RETURNING id::text`,
        [HIDDEN_NUMBER, usaNcb],
      )
    ).rows[0].id;
    // Owner A (UTO): the specimen passport, visible to bp-fra.
    visibleRecordId = (
      await db.query(
        `SELECT id::text FROM sltd.records WHERE issuing_country = 'UTO' AND document_number = 'L898902C3'`,
      )
    ).rows[0].id;
  });

  const CHECK = `query($d: [DocumentCheckInput!]!) { checkDocuments(input: $d) { verdict hit { id } } }`;
  const TRAIL = `query($from: DateTimeISO) {
    auditTrail(filter: { clientId: "bp-fra", from: $from }, first: 100) {
      edges { node { action recordType recordIds fields requestId } }
    }
  }`;
  type TrailNode = { action: string; recordType: string; recordIds: string[]; fields: string[] };
  /** What `clientId` reads of the trail of one request (bp-fra's checks of other test files are not this test's). */
  const trailOf = async (clientId: string, from: string, requestId: string) => {
    const response = await hub.graphql(clientId, TRAIL, { from });
    expect(response.body.errors).toBeUndefined();
    return (response.body.data?.auditTrail as { edges: { node: TrailNode & { requestId: string } }[] }).edges
      .filter((e) => e.node.requestId === requestId)
      .map(({ node: { requestId: _, ...node } }) => node);
  };

  test('one call checks a visible and a hidden record: each owner reads its own row, nothing of the other’s', async () => {
    // The trail is read from this instant of the database's clock on: earlier tests of this file check the
    // specimen too, and a window reaching back into them would make this test depend on their timing.
    const from = ((await db.query('SELECT clock_timestamp() AS now')).rows[0].now as Date).toISOString();
    const response = await send('bp-fra', CHECK, {
      d: [{ mrz: SPECIMEN_MRZ }, { issuingCountry: 'USA', documentNumber: HIDDEN_NUMBER }],
    });
    const results = response.body.data?.checkDocuments as { verdict: string; hit: { id: string } | null }[];
    expect(results).toEqual([
      { verdict: 'HIT', hit: { id: expect.any(String) } },
      { verdict: 'NO_HIT', hit: null },
    ]);
    const visibleHit = results[0].hit?.id as string;
    const hiddenHit = (
      await db.query(
        `SELECT id::text FROM sltd.hits WHERE record_id = $1 AND checked_by_client = 'bp-fra' AND NOT visible_to_checker`,
        [hiddenRecordId],
      )
    ).rows.at(-1).id as string;

    // Owner A sees its record and its hit, and not a trace of B's.
    const uto = await trailOf('ncb-uto', from, response.requestId);
    expect(uto).toEqual([
      {
        action: 'HIT',
        recordType: 'SltdRecord',
        recordIds: [visibleRecordId],
        fields: [`hit:${visibleHit}`],
      },
    ]);
    expect(JSON.stringify(uto)).not.toContain(hiddenRecordId);
    expect(JSON.stringify(uto)).not.toContain(hiddenHit);
    // Owner B sees the hit on its record, in a row of its own.
    expect(await trailOf('ncb-usa', from, response.requestId)).toEqual([
      { action: 'HIT', recordType: 'SltdRecord', recordIds: [hiddenRecordId], fields: [`hit:${hiddenHit}`] },
    ]);
    // The General Secretariat sees all of it.
    expect((await trailOf('gs-admin', from, response.requestId)).sort(byActionAndRecord)).toEqual(
      [
        {
          action: 'HIT',
          recordType: 'SltdRecord',
          recordIds: [visibleRecordId],
          fields: [`hit:${visibleHit}`],
        },
        {
          action: 'HIT',
          recordType: 'SltdRecord',
          recordIds: [hiddenRecordId],
          fields: [`hit:${hiddenHit}`],
        },
        {
          action: 'CHECK',
          recordType: 'TravelDocument',
          recordIds: ['UTO/L898902C3', `USA/${HIDDEN_NUMBER}`],
          fields: ['verdict'],
        },
      ].sort(byActionAndRecord),
    );
    // In the table: every row names one owner at most; the hidden record's row says the checker was told nothing.
    const rows = await entriesOf(response.requestId);
    for (const row of rows) expect(row.owner_agency_ids.length).toBeLessThanOrEqual(1);
    const hidden = await db.query(
      `SELECT owner_agency_ids, details FROM audit.entries WHERE request_id = $1 AND $2 = ANY (record_ids)`,
      [response.requestId, hiddenRecordId],
    );
    expect(hidden.rows).toEqual([{ owner_agency_ids: [usaNcb], details: { hiddenFromCaller: true } }]);
    expect(rows.find((row) => row.record_ids.includes(visibleRecordId))?.owner_agency_ids).toEqual([utoNcb]);
  });

  test('hits and their audit agree: every hit of a call is in exactly one HIT row, also across aliases', async () => {
    // The specimen is checked by other test files too, maybe at this very moment: this call's hits are the ones at
    // a location of its own, not the newest in the table.
    const location = `audit-e2e ${randomUUID()}`;
    const documents = [
      { mrz: SPECIMEN_MRZ, location },
      { issuingCountry: 'USA', documentNumber: HIDDEN_NUMBER, location },
    ];
    const aliases = Array.from({ length: 5 }, (_, i) => `a${i}: checkDocuments(input: $d) { verdict }`);
    const response = await send('bp-fra', `query($d: [DocumentCheckInput!]!) { ${aliases.join(' ')} }`, {
      d: documents,
    });
    expect(response.body.errors).toBeUndefined();
    const hits = await db.query<{ id: string }>('SELECT id::text FROM sltd.hits WHERE location = $1', [
      location,
    ]);
    expect(hits.rows).toHaveLength(10);
    const fields = (await entriesOf(response.requestId))
      .filter((row) => row.action === 'HIT')
      .flatMap((row) => row.fields as string[]);
    expect(fields.sort()).toEqual(hits.rows.map((hit) => `hit:${hit.id}`).sort());
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
    const specimen = (
      await db.query(
        `SELECT id::text FROM sltd.records WHERE issuing_country = 'UTO' AND document_number = 'L898902C3'`,
      )
    ).rows[0].id as string;
    const byRecord = 'query($id: String) { auditTrail(filter: { recordId: $id }, first: 5) { totalCount } }';
    const usa = await hub.graphql('ncb-usa', byRecord, { id: specimen });
    expect(usa.body.data).toEqual({ auditTrail: { totalCount: 0 } });
    const owner = await hub.graphql('ncb-uto', byRecord, { id: specimen });
    expect((owner.body.data?.auditTrail as { totalCount: number }).totalCount).toBeGreaterThan(0);
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
  const STATUS = '{ auditChainStatus { rows sealed unsealed intact firstBrokenSeq reason } }';

  test('the chain holds, and an altered row is reported as the first broken link', async () => {
    // Every row so far linked, so the victim below is inside the chain (rows after the last link are pending).
    await hub.sealAudit();
    const intact = await hub.graphql('gs-admin', STATUS);
    expect(intact.body.data).toEqual({
      auditChainStatus: {
        rows: expect.any(Number),
        sealed: expect.any(Number),
        unsealed: expect.any(Number),
        intact: true,
        firstBrokenSeq: null,
        reason: null,
      },
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
          sealed: expect.any(Number),
          unsealed: expect.any(Number),
          intact: false,
          firstBrokenSeq: String(victim.seq),
          reason: 'content altered',
        },
      });
      const offline = await verifyAuditChain(
        (sql, params) => db.query(sql, params).then((r) => r.rows),
        DEV_AUDIT_CHAIN,
      );
      expect(offline).toMatchObject({ firstBrokenSeq: Number(victim.seq), reason: 'content altered' });
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

  test('a row naming two owners is refused: one owner must never read another’s record ids', async () => {
    const owners = (await db.query(`SELECT id FROM partners.agencies WHERE kind = 'NCB' LIMIT 2`)).rows;
    await expect(
      db.query(
        `INSERT INTO audit.entries (request_id, subgraph, action, record_type, record_ids, owner_agency_ids)
         VALUES ('r', 'travel-documents', 'HIT', 'SltdRecord', '{a,b}', ARRAY[$1, $2]::uuid[])`,
        [owners[0].id, owners[1].id],
      ),
    ).rejects.toThrow('entries_one_owner');
  });

  test('the trail refuses updates and deletes', async () => {
    await expect(db.query(`UPDATE audit.entries SET fields = '{}' WHERE seq = 1`)).rejects.toThrow(
      'the audit trail is append-only',
    );
    await expect(db.query(`DELETE FROM audit.entries WHERE seq = 1`)).rejects.toThrow(
      'the audit trail is append-only',
    );
  });

  test('only the General Secretariat verifies the whole chain', async () => {
    const response = await hub.graphql('ncb-fra', STATUS);
    expect(response.body.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  });
});
