import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { OWNER_WEIGHTS } from '../db/seed/ncb-countries';

/**
 * SLTD records in bulk for the benchmarks: up to millions of rows streamed with COPY (about 10 s per million on
 * the bench machine), on top of the demo seed. Document numbers come from a bijection of the row index onto the
 * `AA0000000` space (two letters, seven digits, as many countries write them), so the rows are unique without
 * any bookkeeping, and indexes past the last row give numbers that are certainly not on file (NO_HIT checks).
 */
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const NUMBER_SPACE = 26 * 26 * 10_000_000;
// Any multiplier coprime with NUMBER_SPACE (2^9 * 5^7 * 13^2) makes i -> i * A mod space a bijection; a large one
// spreads neighbouring rows over the whole index. i * A stays below 2^53 for i < 100 million.
const MULTIPLIER = 48_271_009;
const OFFSET = 1_234_567_891;

const STATUSES: readonly [string, number][] = [
  ['STOLEN', 35],
  ['LOST', 50],
  ['REVOKED', 8],
  ['INVALID', 4],
  ['STOLEN_BLANK', 3],
];
const SURNAMES = ['MARTIN', 'GARCIA', 'MUELLER', 'ROSSI', 'SMITH', 'NOWAK', 'SILVA', 'JANSEN', 'HORVATH'];
const FORENAMES = ['ANNA', 'JEAN', 'MARIA', 'PETER', 'LUCIA', 'OMAR', 'ELENA', 'JOHN', 'SOFIA', 'KARIM'];
const PLACES = ['hotel room', 'railway station', 'airport terminal', 'car break-in', 'residential burglary'];
const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 0, 15);

/** The document number of row `index` (0-based): unique for every index below 6.76 billion. */
export function bulkDocumentNumber(index: number): string {
  const x = (((index * MULTIPLIER) % NUMBER_SPACE) + OFFSET) % NUMBER_SPACE;
  const letters = Math.floor(x / 10_000_000);
  const digits = x % 10_000_000;
  return LETTERS[Math.floor(letters / 26)] + LETTERS[letters % 26] + String(digits).padStart(7, '0');
}

/** Small, fast, deterministic (mulberry32). */
export class FastRandom {
  constructor(private state: number) {}

  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  pick<T>(values: readonly T[]): T {
    return values[this.int(values.length)];
  }

  weighted<T>(entries: readonly [T, number][]): T {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [value, weight] of entries) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return entries[entries.length - 1][0];
  }
}

export interface BulkSltdResult {
  inserted: number;
  total: number;
  /** Indexes at or past this one give numbers that are on file nowhere (but check the demo keys). */
  nextIndex: number;
  durationMs: number;
}

const COLUMNS = [
  'issuing_country',
  'document_number',
  'document_type',
  'status',
  'series',
  'owner_agency_id',
  'owner_country',
  'national_reference',
  'holder_surname',
  'holder_forenames',
  'holder_date_of_birth',
  'holder_nationality',
  'issue_date',
  'expiry_date',
  'theft_date',
  'theft_country',
  'theft_place',
  'reported_at',
  'updated_at',
  'review_date',
];

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** From this many new rows on, secondary indexes are dropped during the COPY and built again after it. */
const REBUILD_INDEXES_FROM = 2_000_000;

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The indexes of sltd.records that back no constraint, with the statement that creates each. */
async function secondaryIndexes(client: pg.ClientBase): Promise<{ name: string; definition: string }[]> {
  const { rows } = await client.query<{ name: string; definition: string }>(
    `SELECT i.indexname AS name, i.indexdef AS definition
       FROM pg_indexes i
      WHERE i.schemaname = 'sltd' AND i.tablename = 'records'
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname
                          AND c.connamespace = 'sltd'::regnamespace)`,
  );
  return rows;
}

/** The keys already on file (the demo seed's), so that generated numbers can avoid them. */
export async function existingDocumentKeys(client: pg.ClientBase): Promise<Set<string>> {
  const { rows } = await client.query<{ key: string }>(
    `SELECT issuing_country || ':' || document_number AS key FROM sltd.records`,
  );
  return new Set(rows.map((r) => r.key));
}

/**
 * Adds generated records until sltd.records holds `total` rows, with one COPY, then VACUUM ANALYZE so that the
 * planner and the visibility map see the real table.
 */
export async function fillSltdRecords(
  url: string,
  total: number,
  log: (line: string) => void = () => undefined,
): Promise<BulkSltdResult> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: url, application_name: 'bench-sltd-bulk' });
  await client.connect();
  try {
    const count = Number(
      (await client.query<{ n: string }>('SELECT count(*) AS n FROM sltd.records')).rows[0].n,
    );
    const existing = await existingDocumentKeys(client);
    const owners = new Map(
      (
        await client.query<{ id: string; country: string }>(
          `SELECT id, country FROM partners.agencies WHERE kind = 'NCB' AND country IS NOT NULL`,
        )
      ).rows.map((r) => [r.country, r.id]),
    );
    const countries = Object.entries(OWNER_WEIGHTS).filter(([code]) => owners.has(code));
    if (countries.length === 0) throw new Error('No NCB agencies: seed the demo data first');
    const wanted = Math.max(0, total - count);
    const random = new FastRandom(20_260_115);
    let index = 0;
    let produced = 0;
    const rowOf = (): string => {
      let country: string;
      let number: string;
      do {
        country = random.weighted(countries);
        number = bulkDocumentNumber(index++);
      } while (existing.has(`${country}:${number}`));
      const status = random.weighted(STATUSES);
      const blank = status === 'STOLEN_BLANK';
      const reported = NOW - random.int(8 * 365) * DAY_MS;
      const issued = reported - (20 + random.int(9 * 365)) * DAY_MS;
      const born = issued - (random.int(80 * 365) + 1) * DAY_MS;
      const reportedIso = new Date(reported + random.int(DAY_MS)).toISOString();
      const theft = status === 'STOLEN' || blank;
      return [
        // Ids in row order (version-4 layout): the primary key index grows at one end instead of at random.
        `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`,
        country,
        number,
        random.next() < 0.8 ? 'PASSPORT' : 'ID_CARD',
        status,
        blank ? `S${random.int(30)}` : '\\N',
        owners.get(country),
        country,
        random.next() < 0.5 ? `REF${index}` : '\\N',
        blank ? '\\N' : random.pick(SURNAMES),
        blank ? '\\N' : random.pick(FORENAMES),
        blank ? '\\N' : isoDay(born),
        blank ? '\\N' : country,
        blank ? '\\N' : isoDay(issued),
        blank ? '\\N' : isoDay(issued + 3650 * DAY_MS),
        theft ? isoDay(reported - random.int(10) * DAY_MS) : '\\N',
        theft ? country : '\\N',
        theft ? random.pick(PLACES) : '\\N',
        reportedIso,
        reportedIso,
        isoDay(reported + 3652 * DAY_MS),
      ].join('\t');
    };
    const source = new Readable({
      read() {
        if (produced >= wanted) {
          this.push(null);
          return;
        }
        const batch = Math.min(5000, wanted - produced);
        let text = '';
        for (let i = 0; i < batch; i++) text += `${rowOf()}\n`;
        produced += batch;
        if (produced % 1_000_000 < batch) log(`  ${produced.toLocaleString('en')} SLTD records streamed`);
        this.push(text);
      },
    });
    if (wanted > 0) {
      // Millions of random keys into four secondary indexes is most of the time of a large fill: drop them and
      // build them again afterwards, from their own definitions (the migration stays the only source).
      const rebuild = wanted >= REBUILD_INDEXES_FROM ? await secondaryIndexes(client) : [];
      for (const index of rebuild) await client.query(`DROP INDEX sltd.${quoteIdent(index.name)}`);
      const sink = client.query(copyFrom(`COPY sltd.records (id, ${COLUMNS.join(', ')}) FROM STDIN`));
      await pipeline(source, sink);
      if (rebuild.length) {
        log(`  building ${rebuild.length} indexes again`);
        await client.query(`SET maintenance_work_mem = '1GB'`);
        for (const index of rebuild) await client.query(index.definition);
      }
      await client.query('VACUUM (ANALYZE) sltd.records');
    }
    return {
      inserted: wanted,
      total: count + wanted,
      nextIndex: index,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    await client.end();
  }
}
