import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createTestDatabase } from '../../test/databases';
import { seedDemoData } from '../seed/demo-data';
import { importFile, ImportError, reportPathOf, type ImportOptions } from './import';
import { OwnerError } from './owner';
import { writeSltdSample } from '../seed/sltd-sample';
import { IMPORT_KINDS } from './kinds';
import { sltdImport } from './sltd';

/**
 * The bulk import against a real PostgreSQL (a fresh database per spec, with the small demo data set): the
 * mutation's rules line by line, the merge by natural key, one transaction, the audit rows.
 */
let url: string;
let db: pg.Client;
let dir: string;

beforeAll(async () => {
  url = await createTestDatabase('import');
  await seedDemoData(url, { notices: 50, sltd: 200, alerts: 10 });
  db = new pg.Client({ connectionString: url });
  await db.connect();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-spec-'));
});

afterAll(async () => {
  await db.end();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A copy of an example file in the spec's folder, so that reports land there. */
function example(name: string, as = name): string {
  const file = path.join(dir, as);
  fs.copyFileSync(path.join(__dirname, '..', 'examples', name), file);
  return file;
}

const run = (file: string, options: Partial<ImportOptions> = {}) =>
  importFile({ databaseUrl: url, kind: sltdImport, ownerClientId: 'ncb-fra', file, ...options });

async function records(numbers: string[]) {
  const { rows } = await db.query<{
    document_number: string;
    status: string;
    updated_at: Date;
    owner: string;
  }>(
    `SELECT r.document_number, r.status, r.updated_at, a.code AS owner
       FROM sltd.records r JOIN partners.agencies a ON a.id = r.owner_agency_id
      WHERE r.issuing_country = 'FRA' AND r.document_number = ANY ($1) ORDER BY r.document_number`,
    [numbers],
  );
  return rows;
}

async function auditRows(importId: string) {
  const { rows } = await db.query<{
    action: string;
    record_type: string;
    record_ids: string[];
    client_id: string;
    subgraph: string;
    operation: string;
    details: { import: Record<string, unknown>; summary: boolean };
  }>(
    `SELECT action, record_type, record_ids, client_id, subgraph, operation, details
       FROM audit.entries WHERE request_id = $1 ORDER BY seq`,
    [importId],
  );
  return rows;
}

const count = async (sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0].n);

describe('bulk import of SLTD records', () => {
  test('imports the good lines of a CSV file and reports the bad ones by line, field and reason', async () => {
    const file = example('sltd.csv');
    const summary = await run(file);
    expect(summary).toMatchObject({
      read: 11,
      valid: 3,
      inserted: 3,
      updated: 0,
      unchanged: 0,
      rejected: 8,
      report: reportPathOf(file),
      audit: 'ids',
    });
    expect(fs.readFileSync(reportPathOf(file), 'utf8').trim().split('\n')).toEqual([
      'line,field,reason',
      '5,issuingCountry,you may report documents of your own country (FRA) only',
      '6,status,"Value ""MISPLACED"" does not exist in ""SltdStatus"" enum."',
      '7,holder.dateOfBirth,1972-02-30 is not a date (yyyy-mm-dd)',
      '7,expiryDate,must be after issueDate',
      '8,documentNumber,is required',
      '9,holder,a blank document has no holder',
      expect.stringMatching(/^11,reviewDate,must be at most 10 years from today \(\d{4}-\d\d-\d\d\)$/),
      '12,restrictions.excludedAgencyKinds.1,SPY is not an agency kind',
      // Second lines of a record are found in the database once their chunk is staged, so they follow.
      '10,documentNumber,is the same record as line 2',
    ]);
    const rows = await records(['21IM00001', '21IM00002', 'IM0000003', '21IM00005', '21IM00006']);
    expect(rows.map((r) => [r.document_number, r.status, r.owner])).toEqual([
      ['21IM00001', 'STOLEN', 'NCB-FRA'],
      ['21IM00002', 'LOST', 'NCB-FRA'],
      ['IM0000003', 'STOLEN_BLANK', 'NCB-FRA'],
    ]);
    // The other country's document was not written either.
    expect(await count(`SELECT count(*) AS n FROM sltd.records WHERE document_number = 'C01X00T47'`)).toBe(0);
    const blank = await db.query(
      `SELECT review_date::text, excluded_agency_kinds FROM sltd.records WHERE document_number = 'IM0000003'`,
    );
    expect(blank.rows[0]).toEqual({ review_date: '2030-12-31', excluded_agency_kinds: ['PRIVATE_PARTNER'] });

    const audit = await auditRows(summary.importId);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'CREATE',
      record_type: 'SltdRecord',
      client_id: 'ncb-fra',
      subgraph: 'travel-documents',
      operation: 'import sltd',
      details: { import: { file: 'sltd.csv', read: 11, inserted: 3, rejected: 8 }, summary: false },
    });
    const { rows: ids } = await db.query<{ id: string }>(
      `SELECT id::text FROM sltd.records WHERE document_number IN ('21IM00001', '21IM00002', 'IM0000003')`,
    );
    expect([...audit[0].record_ids].sort()).toEqual(ids.map((r) => r.id).sort());
    // The import analysed what it wrote: the planner's row count is the table's, new rows included.
    const planned = await db.query(
      `SELECT c.reltuples::int AS planned, (SELECT count(*)::int FROM sltd.records) AS actual
       FROM pg_class c WHERE c.oid = 'sltd.records'::regclass`,
    );
    expect(planned.rows[0].planned).toBe(planned.rows[0].actual);
  });

  test('a second line of a record is refused against its first, in its chunk or in an earlier one', async () => {
    const file = path.join(dir, 'duplicates.csv');
    // 700 lines read in batches of 500, one chunk per batch: lines 2-501, then 502-701 (line 1 is the header).
    const numbers = Array.from({ length: 700 }, (_, i) => `21DU${String(i).padStart(5, '0')}`);
    numbers[2] = numbers[0]; // line 4 repeats line 2, in the same chunk
    numbers[600] = numbers[1]; // line 602 repeats line 3, of the chunk before
    numbers[650] = numbers[601]; // line 652 repeats line 603, in the same later chunk
    const status = (i: number) => (i === 0 || i === 1 || i === 601 ? 'STOLEN' : 'LOST');
    fs.writeFileSync(
      file,
      [
        'issuingCountry,documentNumber,documentType,status',
        ...numbers.map((n, i) => `FRA,${n},PASSPORT,${status(i)}`),
      ]
        .join('\n')
        .concat('\n'),
    );
    const summary = await run(file, { chunkRows: 2 });
    expect(summary).toMatchObject({ read: 700, valid: 697, inserted: 697, rejected: 3 });
    expect(fs.readFileSync(reportPathOf(file), 'utf8').trim().split('\n')).toEqual([
      'line,field,reason',
      '4,documentNumber,is the same record as line 2',
      '602,documentNumber,is the same record as line 3',
      '652,documentNumber,is the same record as line 603',
    ]);
    // The first line of each record is the one stored.
    const first = await records([numbers[0], numbers[1], numbers[601]]);
    expect(first.map((r) => r.status)).toEqual(['STOLEN', 'STOLEN', 'STOLEN']);
  });

  test('a second run of the same file changes nothing: no row, no updated_at, no audit row', async () => {
    const file = example('sltd.csv', 'again.csv');
    await run(file);
    const before = {
      rows: await count('SELECT count(*) AS n FROM sltd.records'),
      audit: await count('SELECT count(*) AS n FROM audit.entries'),
      records: await records(['21IM00001', '21IM00002', 'IM0000003']),
    };
    const summary = await run(file);
    expect(summary).toMatchObject({
      read: 11,
      valid: 3,
      inserted: 0,
      updated: 0,
      unchanged: 3,
      audit: 'none',
    });
    expect(await count('SELECT count(*) AS n FROM sltd.records')).toBe(before.rows);
    expect(await count('SELECT count(*) AS n FROM audit.entries')).toBe(before.audit);
    expect(await records(['21IM00001', '21IM00002', 'IM0000003'])).toEqual(before.records);
  });

  test('a changed line updates only its record, audited as UPDATE', async () => {
    const file = path.join(dir, 'changed.csv');
    const original = fs.readFileSync(path.join(__dirname, '..', 'examples', 'sltd.csv'), 'utf8');
    fs.writeFileSync(file, original.replace('FRA,21IM00002,ID_CARD,LOST', 'FRA,21IM00002,ID_CARD,STOLEN'));
    const before = await records(['21IM00001', '21IM00002']);
    const summary = await run(file);
    expect(summary).toMatchObject({ inserted: 0, updated: 1, unchanged: 2 });
    const after = await records(['21IM00001', '21IM00002']);
    expect(after[0]).toEqual(before[0]);
    expect(after[1].status).toBe('STOLEN');
    expect(after[1].updated_at.getTime()).toBeGreaterThan(before[1].updated_at.getTime());
    const audit = await auditRows(summary.importId);
    expect(audit.map((row) => [row.action, row.record_ids.length])).toEqual([['UPDATE', 1]]);
  });

  test('NDJSON lines are the mutation input: wrong types and unknown fields are refused like GraphQL does', async () => {
    const file = example('sltd.ndjson');
    const summary = await run(file);
    expect(summary).toMatchObject({ read: 8, valid: 3, inserted: 3, rejected: 5 });
    const report = fs.readFileSync(reportPathOf(file), 'utf8');
    expect(report).toContain('3,documentNumber,String cannot represent a non string value: 21100103');
    expect(report).toContain('4,holder.nickname,is not a field of DocumentHolderInput');
    expect(report).toContain('5,issuingCountry,you may report documents of your own country (FRA) only');
    expect(report).toMatch(/^7,\(line\),"is not JSON: /m);
  });

  test("a document on file for another agency becomes the importer's own record, and the other stays as it was", async () => {
    // The French border police, given the right to report documents, imports one NCB Paris already reported: each
    // owner keeps its own record, so the import says nothing about a record the importer may not see.
    await db.query(`
      INSERT INTO partners.agreements (agency_id, scopes, valid_from)
      SELECT id, '{sltd:write}', now() - interval '1 day' FROM partners.agencies WHERE code = 'BP-FRA'`);
    const file = path.join(dir, 'border-police.csv');
    fs.writeFileSync(
      file,
      'issuingCountry,documentNumber,documentType,status\nFRA,21IM00001,PASSPORT,LOST\nFRA,21IM00900,PASSPORT,LOST\n',
    );
    const summary = await run(file, { ownerClientId: 'bp-fra' });
    expect(summary).toMatchObject({ read: 2, valid: 2, inserted: 2, updated: 0, rejected: 0 });
    expect(
      (await records(['21IM00001', '21IM00900'])).map((r) => [r.document_number, r.status, r.owner]).sort(),
    ).toEqual([
      ['21IM00001', 'LOST', 'BP-FRA'],
      ['21IM00001', 'STOLEN', 'NCB-FRA'],
      ['21IM00900', 'LOST', 'BP-FRA'],
    ]);
  });

  test('nothing is written when the import fails midway: no row, no audit row, no report', async () => {
    const file = path.join(dir, 'broken.csv');
    await writeSltdSample(file, 1200, 11);
    const line = (...cells: string[]) => [...cells, ...Array<string>(15 - cells.length).fill('')].join(',');
    fs.appendFileSync(
      file,
      `${line('FRA', '99XX99999', 'PASSPORT', 'LOST', '', 'BREAK')}\n${line('FRA', 'BAD NUMBER!', 'PASSPORT', 'LOST')}\n`,
    );
    const before = {
      rows: await count('SELECT count(*) AS n FROM sltd.records'),
      audit: await count('SELECT count(*) AS n FROM audit.entries'),
    };
    // A constraint the last chunk breaks, after two chunks were merged in the same transaction.
    await db.query(
      `ALTER TABLE sltd.records ADD CONSTRAINT spec_breaks CHECK (national_reference <> 'BREAK')`,
    );
    try {
      await expect(run(file, { chunkRows: 500 })).rejects.toThrow(/spec_breaks/);
    } finally {
      await db.query('ALTER TABLE sltd.records DROP CONSTRAINT spec_breaks');
    }
    expect(await count('SELECT count(*) AS n FROM sltd.records')).toBe(before.rows);
    expect(await count('SELECT count(*) AS n FROM audit.entries')).toBe(before.audit);
    expect(fs.existsSync(reportPathOf(file))).toBe(false);
    expect(fs.existsSync(`${reportPathOf(file)}.partial`)).toBe(false);

    // The same file without the breaking line goes in whole, in three chunks, with a summary audit row.
    const summary = await run(file, { chunkRows: 500, auditIdLimit: 100 });
    expect(summary).toMatchObject({ read: 1202, valid: 1201, inserted: 1201, rejected: 1, audit: 'summary' });
    const audit = await auditRows(summary.importId);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'CREATE',
      record_ids: [summary.importId],
      details: { import: { inserted: 1201, read: 1202 }, summary: true },
    });
  });

  test('refuses an owner the mutation would refuse, before reading a line', async () => {
    const file = example('sltd.csv', 'refused.csv');
    await expect(run(file, { ownerClientId: 'iom' })).rejects.toThrow(ImportError);
    await expect(run(file, { ownerClientId: 'iom' })).rejects.toThrow(
      /no active agreement granting sltd:write/,
    );
    await expect(run(file, { ownerClientId: 'nobody' })).rejects.toThrow(OwnerError);
    expect(fs.existsSync(reportPathOf(file))).toBe(false);
  });

  test('an agreement granting a scope its kind may not hold gives the import no more than a token: refused', async () => {
    // IOM (an international partner) may not publish alerts (shared/auth/agency-policy.ts); an agreement made before
    // the policy said so still names alerts:write. The token endpoint leaves it out (scopesInForce): so does the import.
    await db.query(`
      INSERT INTO partners.agreements (agency_id, scopes, valid_from)
      SELECT id, '{alerts:write}', now() - interval '1 day' FROM partners.agencies WHERE code = 'IOM'`);
    const file = example('alerts.csv', 'iom-alerts.csv');
    await expect(run(file, { kind: IMPORT_KINDS.alerts, ownerClientId: 'iom' })).rejects.toThrow(
      /no active agreement granting alerts:write/,
    );
    expect(fs.existsSync(reportPathOf(file))).toBe(false);
  });

  test('refuses a CSV header with unknown or missing columns, naming them', async () => {
    const file = path.join(dir, 'header.csv');
    fs.writeFileSync(file, 'issuingCountry,documentNumber,kind\nFRA,21IM00777,PASSPORT\n');
    await expect(run(file)).rejects.toThrow(
      /unknown columns: kind[\s\S]*missing required columns: documentType, status/,
    );
  });
});

describe('bulk import of notices and document alerts', () => {
  test('notices: requested with control numbers, children included; a second run changes nothing', async () => {
    const file = example('notices.ndjson');
    const summary = await run(file, { kind: IMPORT_KINDS.notices });
    expect(summary).toMatchObject({ read: 8, valid: 3, inserted: 3, rejected: 5 });
    const report = fs.readFileSync(reportPathOf(file), 'utf8');
    expect(report).toContain('3,charges,a RED notice needs at least one charge');
    expect(report).toContain('4,subject.sex,"must be F, M or X"');
    expect(report).toContain('7,weapon,is not a field of RequestNoticeInput');
    expect(report).toContain('8,subject,is the same record as line 2');
    const { rows } = await db.query(
      `SELECT n.status, n.control_number, (SELECT count(*)::int FROM notices.aliases a WHERE a.notice_id = n.id) AS aliases,
              (SELECT count(*)::int FROM notices.arrest_warrants w WHERE w.notice_id = n.id) AS warrants
         FROM notices.notices n WHERE n.title = 'Armed robbery of a jewellery shop, Lyon'`,
    );
    expect(rows).toEqual([
      {
        status: 'REQUESTED',
        control_number: expect.stringMatching(/^A-FRA-\d+\/\d\d-\d{4}$/),
        aliases: 1,
        warrants: 1,
      },
    ]);
    expect(await run(file, { kind: IMPORT_KINDS.notices })).toMatchObject({
      inserted: 0,
      updated: 0,
      unchanged: 3,
      audit: 'none',
    });
    // The import took its numbers from NCB Paris's counters: each counter stands at its highest number, so the
    // bureau's next request follows on.
    expect(
      await counterGaps('notices.notices', 'control_number', `'^([A-Z]-FRA)-([0-9]+)/[0-9]{2}-([0-9]{4})$'`),
    ).toEqual([]);
  });

  test('alerts: the same rules as publishDocumentAlert, patterns checked by PostgreSQL; a second run changes nothing', async () => {
    const file = example('alerts.csv');
    const summary = await run(file, { kind: IMPORT_KINDS.alerts });
    expect(summary).toMatchObject({ read: 8, valid: 2, inserted: 2, rejected: 6 });
    const report = fs.readFileSync(reportPathOf(file), 'utf8');
    expect(report).toContain('6,numberPattern,matches every number (it matches the empty string)');
    expect(report).toMatch(/^8,numberPattern,is not a valid POSIX regular expression/m);
    const { rows } = await db.query(
      `SELECT alert_number, indicators FROM alerts.alerts WHERE number_pattern = '^21LI[0-9]{5}$'`,
    );
    expect(rows).toEqual([
      {
        alert_number: expect.stringMatching(/^DD-[A-Z]+-\d{4}-\d{5,}$/),
        indicators: ['Serial numbers in the stolen range', 'Personalisation by laser engraving missing'],
      },
    ]);
    expect(await run(file, { kind: IMPORT_KINDS.alerts })).toMatchObject({
      inserted: 0,
      updated: 0,
      unchanged: 2,
    });
    expect(
      await counterGaps('alerts.alerts', 'alert_number', `'^(DD-FRA)-([0-9]{4})-([0-9]+)$'`, true),
    ).toEqual([]);
  });
});

/** Series whose counter is not at the highest new-format number on file (empty when the counters follow the rows). */
async function counterGaps(table: string, column: string, pattern: string, yearFirst = false) {
  const counters =
    table === 'notices.notices' ? 'notices.control_number_counters' : 'alerts.alert_number_counters';
  const [sequence, year] = yearFirst ? [3, 2] : [2, 3];
  const { rows } = await db.query(
    `WITH used AS (
       SELECT m[1] AS series, m[${year}]::int AS year, max(m[${sequence}]::bigint) AS highest
         FROM ${table}, regexp_match(${column}, ${pattern}) AS m GROUP BY 1, 2)
     SELECT u.series, u.year, u.highest, c.last_value FROM used u
       LEFT JOIN ${counters} c USING (series, year) WHERE c.last_value IS DISTINCT FROM u.highest`,
  );
  return rows;
}
