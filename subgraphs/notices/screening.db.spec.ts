import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { RequestAudit } from '../../shared/audit/audit-trail';
import type { Caller } from '../../shared/auth/caller';
import type { SubgraphContext } from '../../shared/context';
import { BadUserInputError } from '../../shared/errors';
import { createSubgraphDataSource } from '../../db/data-source';
import { createTestDatabase } from '../../test/databases';
import { notices } from '.';
import type { NoticeLoaders } from './notice.loader';
import { validateScreening } from './screening.input';
import {
  DEFAULT_SCREENING_THRESHOLD,
  screeningQuery,
  screenPerson,
  setScreeningSettings,
  type PersonScreening,
} from './screening.repository';
import { ScreeningResolver } from './screening.resolver';

/**
 * Name screening against a real PostgreSQL (a fresh, migrated database of its own on the test server): the
 * name keys, the scoring of each kind of variant, record visibility, and the plan (trigram indexes, not a
 * scan).
 */
const OWNER = '00000000-0000-4000-8000-0000000000a1';
const FRA_AGENCY = '00000000-0000-4000-8000-0000000000f1';

function caller(overrides: Partial<Caller> = {}): Caller {
  return {
    clientId: 'bp-fra',
    agencyId: FRA_AGENCY,
    agencyKind: 'NATIONAL_ENTITY',
    country: 'FRA',
    scopes: new Set(['notices:screen']),
    operations: [],
    tokenId: 'token-id',
    token: 'token',
    ...overrides,
  };
}

interface Subject {
  controlNumber: string;
  surname: string;
  forenames: string | null;
  dateOfBirth: string | null;
  nationalities: string[];
  type?: string;
  status?: string;
  excludedCountries?: string[];
  aliases?: [surname: string, forenames: string][];
}

const SUBJECTS: Subject[] = [
  {
    controlNumber: 'A-1/2026',
    surname: 'Eriksson',
    forenames: 'Anna Maria',
    dateOfBirth: '1974-08-12',
    nationalities: ['UTO'],
  },
  {
    controlNumber: 'A-2/2026',
    surname: 'Müller',
    forenames: 'Hans Peter',
    dateOfBirth: '1968-03-01',
    nationalities: ['DEU'],
  },
  {
    controlNumber: 'A-3/2026',
    surname: 'Muhammad',
    forenames: 'Yusuf',
    dateOfBirth: '1980-01-15',
    nationalities: ['EGY'],
    aliases: [['Al-Masri', 'Yusuf']],
  },
  {
    controlNumber: 'A-4/2026',
    surname: 'Ivanov',
    forenames: 'Aleksandr',
    dateOfBirth: '1979-11-02',
    nationalities: ['RUS'],
    aliases: [['Petrov', 'Sasha']],
  },
  {
    controlNumber: 'A-5/2026',
    surname: 'Okafor',
    forenames: 'Chinedu',
    dateOfBirth: '1985-05-05',
    nationalities: ['NGA'],
    excludedCountries: ['FRA'],
  },
  {
    controlNumber: 'A-6/2026',
    surname: 'Lindqvist',
    forenames: 'Sven',
    dateOfBirth: '1960-06-06',
    nationalities: ['SWE'],
    status: 'CANCELLED',
  },
  {
    controlNumber: 'A-8/2026',
    surname: 'Li',
    forenames: 'Xiuying Hui',
    dateOfBirth: '1990-03-03',
    nationalities: ['CHN'],
  },
  {
    controlNumber: 'A-7/2026',
    surname: 'Nowak',
    forenames: 'Zofia',
    dateOfBirth: '2010-04-04',
    nationalities: ['POL'],
    type: 'YELLOW',
  },
];

let db: DataSource;
const ids = new Map<string, string>();

beforeAll(async () => {
  db = createSubgraphDataSource({
    url: await createTestDatabase('screening'),
    schema: 'notices',
    entities: notices.entities,
    migrations: [],
    pool: { size: 2 },
  });
  await db.initialize();
  for (const s of SUBJECTS) {
    const [row] = (await db.query(
      `INSERT INTO notices.notices (control_number, type, status, title, owner_agency_id, owner_country,
              subject_surname, subject_forenames, subject_date_of_birth, subject_nationalities, review_date,
              excluded_countries)
       VALUES ($1, $2, $3, 'Screening test', $4, 'UTO', $5, $6, $7, $8, DATE '2031-01-01', $9)
       RETURNING id`,
      [
        s.controlNumber,
        s.type ?? 'RED',
        s.status ?? 'PUBLISHED',
        OWNER,
        s.surname,
        s.forenames,
        s.dateOfBirth,
        s.nationalities,
        s.excludedCountries ?? [],
      ],
    )) as { id: string }[];
    ids.set(s.controlNumber, row.id);
    for (const [surname, forenames] of s.aliases ?? []) {
      await db.query('INSERT INTO notices.aliases (notice_id, surname, forenames) VALUES ($1, $2, $3)', [
        row.id,
        surname,
        forenames,
      ]);
    }
  }
  // Enough other subjects (random letters, no date of birth) for the planner to prefer the indexes to a scan.
  await db.query(`
    INSERT INTO notices.notices (control_number, type, status, title, owner_agency_id, owner_country,
           subject_surname, subject_forenames, review_date)
    SELECT 'F-' || g, 'RED', 'PUBLISHED', 'Filler', '${OWNER}', 'UTO',
           substr(md5(g::text), 1, 9), substr(md5((g * 7)::text), 1, 6), DATE '2031-01-01'
      FROM generate_series(1, 5000) g`);
  await db.query(`
    INSERT INTO notices.aliases (notice_id, surname, forenames)
    SELECT id, substr(md5(control_number), 3, 8), substr(md5(control_number), 12, 5)
      FROM notices.notices WHERE control_number LIKE 'F-%'`);
  await db.query('ANALYZE notices.notices, notices.aliases');
}, 120_000);

afterAll(async () => {
  if (db?.isInitialized) await db.destroy();
});

interface Result {
  controlNumber: string;
  score: number;
  matchedName: string;
  reasons: string[];
}

async function screen(
  person: Partial<PersonScreening> & { surname: string },
  as: Caller = caller(),
  threshold = DEFAULT_SCREENING_THRESHOLD,
): Promise<Result[]> {
  const rows = await screenPerson(
    db,
    as,
    { forenames: null, dateOfBirth: null, nationality: null, ...person },
    { threshold, first: 10 },
  );
  return rows.map((r) => ({
    controlNumber: r.notice.controlNumber,
    score: r.score,
    matchedName: r.matchedName,
    reasons: r.reasons,
  }));
}

describe('notices.name_key', () => {
  const key = async (name: string) =>
    ((await db.query('SELECT notices.name_key($1) AS key', [name])) as { key: string }[])[0].key;

  test.each([
    [['Mohammed', 'Muhammad', 'Mohamed', 'MOHAMMAD'], 'mhmd'],
    [['Aleksandr', 'Alexander', 'Oleksandr', 'Alexandre'], 'alksndr'],
    [['Yusuf', 'Youssef', 'Yousef'], 'asf'],
    [['Müller', 'Mueller', 'Muller'], 'mlr'],
    [['Abdelrahman', 'Abdulrahman', 'Abdalrahman'], 'abdlrhmn'],
    [['Tchaikovsky', 'Chaikovskiy'], 'ckvsk'],
    [['Zhukov', 'Joukov'], 'jkv'],
    [['Kuznetsov', 'Kouznetsov'], 'ksntsv'],
    [['Schmidt', 'Schmitt'], 'smt'],
    [['Jørgensen', 'Joergensen'], 'jrgnsn'],
    [['Khalid', 'Khaled'], 'hld'],
    [['Yevgeny', 'Evgeny', 'Evgeni'], 'avgn'],
    [["O'Brien", 'OBrien'], 'abrn'],
  ])('%j all key to %s', async (names, expected) => {
    for (const name of names) expect(await key(name)).toBe(expected);
  });

  test('keys each word, and separates words at hyphens', async () => {
    expect(await key('Abd al-Rahman')).toBe('abd al rhmn');
    expect(await key('  Jean-Pierre   DUPONT ')).toBe('jn pr dpnt');
  });

  test('keeps different names apart', async () => {
    expect(
      new Set([await key('Ivanov'), await key('Petrov'), await key('Eriksson'), await key('Chavez')]).size,
    ).toBe(4);
    expect(await key('Chavez')).not.toBe(await key('Kavez'));
  });

  test('word similarity: a shared key counts less when the letters differ more', async () => {
    const similarity = async (a: string, b: string) =>
      Number(
        (
          (await db.query(
            `SELECT notices.name_word_similarity(a, notices.name_key(a), b, notices.name_key(b)) AS s
               FROM (SELECT $1::text AS a, $2::text AS b) x`,
            [a, b],
          )) as { s: number }[]
        )[0].s.toFixed(3),
      );
    expect(await similarity('mohammed', 'mohammed')).toBe(1);
    expect(await similarity('mohammed', 'muhammad')).toBe(0.9);
    expect(await similarity('mohammed', 'mahmoud')).toBe(0.78);
    expect(await similarity('eriksson', 'erikson')).toBe(0.9);
    expect(await similarity('anna', 'karin')).toBeLessThan(0.5);
  });
});

describe('screening scores', () => {
  test('exact match, with date of birth and nationality', async () => {
    expect(
      await screen({
        surname: 'Eriksson',
        forenames: 'Anna Maria',
        dateOfBirth: '1974-08-12',
        nationality: 'UTO',
      }),
    ).toEqual([
      {
        controlNumber: 'A-1/2026',
        score: 1,
        matchedName: 'ERIKSSON, Anna Maria',
        reasons: ['surname matches', 'forenames match', 'date of birth matches', 'nationality matches'],
      },
    ]);
  });

  test('misspelling (no date of birth: the name alone)', async () => {
    expect(await screen({ surname: 'Erikson', forenames: 'Ana Maria' })).toEqual([
      {
        controlNumber: 'A-1/2026',
        score: 0.887,
        matchedName: 'ERIKSSON, Anna Maria',
        reasons: ['surname similar (spelling variant)', 'forenames similar (spelling variant)'],
      },
    ]);
  });

  test('swapped name order', async () => {
    expect(await screen({ surname: 'ANNA MARIA', forenames: 'ERIKSSON', dateOfBirth: '1974-08-12' })).toEqual(
      [
        {
          controlNumber: 'A-1/2026',
          score: 1,
          matchedName: 'ERIKSSON, Anna Maria',
          reasons: ['name order swapped', 'date of birth matches'],
        },
      ],
    );
    expect((await screen({ surname: 'Anna Maria', forenames: 'Eriksson' }))[0].score).toBe(0.97);
  });

  test('missing middle name', async () => {
    expect(await screen({ surname: 'Eriksson', forenames: 'Anna' })).toEqual([
      {
        controlNumber: 'A-1/2026',
        score: 0.98,
        matchedName: 'ERIKSSON, Anna Maria',
        reasons: ['surname matches', 'forenames: middle name missing'],
      },
    ]);
  });

  test('surname only: weaker, and found even when the forenames are long', async () => {
    expect(await screen({ surname: 'Eriksson' })).toEqual([
      {
        controlNumber: 'A-1/2026',
        score: 0.9,
        matchedName: 'ERIKSSON, Anna Maria',
        reasons: ['surname matches', 'forenames not compared'],
      },
    ]);
    // "li" is 3 of the 15 trigrams of "li xiuying hui": found as a word of the name, not by similarity.
    expect(await screen({ surname: 'LI' })).toEqual([
      {
        controlNumber: 'A-8/2026',
        score: 0.9,
        matchedName: 'LI, Xiuying Hui',
        reasons: ['surname matches', 'forenames not compared'],
      },
    ]);
  });

  test.each(['Mueller', 'Muller', 'MÜLLER'])('diacritics: %s finds Müller', async (surname) => {
    expect(
      await screen({ surname, forenames: 'Hans Peter', dateOfBirth: '1968-03-01', nationality: 'D' }),
    ).toEqual([
      {
        controlNumber: 'A-2/2026',
        score: 1,
        matchedName: 'MÜLLER, Hans Peter',
        reasons: [
          surname === 'MÜLLER' ? 'surname matches' : 'surname matches (diacritics differ)',
          'forenames match',
          'date of birth matches',
          'nationality matches',
        ],
      },
    ]);
  });

  test('transliteration: Mohammed Yousef finds Muhammad Yusuf', async () => {
    expect(await screen({ surname: 'Mohammed', forenames: 'Yousef' })).toEqual([
      {
        controlNumber: 'A-3/2026',
        score: 0.9,
        matchedName: 'MUHAMMAD, Yusuf',
        reasons: ['surname matches (transliteration variant)', 'forenames match (transliteration variant)'],
      },
    ]);
  });

  test('transliteration: Alexander Ivanov finds Aleksandr Ivanov', async () => {
    expect(await screen({ surname: 'Ivanov', forenames: 'Alexander', dateOfBirth: '1979-11-02' })).toEqual([
      {
        controlNumber: 'A-4/2026',
        score: 1,
        matchedName: 'IVANOV, Aleksandr',
        reasons: ['surname matches', 'forenames match (transliteration variant)', 'date of birth matches'],
      },
    ]);
  });

  test('alias match', async () => {
    expect(await screen({ surname: 'PETROV', forenames: 'SASHA' })).toEqual([
      {
        controlNumber: 'A-4/2026',
        score: 1,
        matchedName: 'PETROV, Sasha',
        reasons: ['matches an alias of the subject', 'surname matches', 'forenames match'],
      },
    ]);
  });

  test('the date of birth raises the score, a close one lowers it a little, another one a lot', async () => {
    const person = { surname: 'Erikson', forenames: 'Anna Maria' };
    const score = async (dateOfBirth: string | null) =>
      (await screen({ ...person, dateOfBirth }, caller(), 0)).find((r) => r.controlNumber === 'A-1/2026');
    expect(await score(null)).toMatchObject({ score: 0.949 });
    expect(await score('1974-08-12')).toMatchObject({ score: 1 });
    expect(await score('1975-08-12')).toMatchObject({
      score: 0.849,
      reasons: [
        'surname similar (spelling variant)',
        'forenames match',
        'date of birth differs (1975-08-12 vs 1974-08-12)',
      ],
    });
    expect(await score('1974-12-08')).toMatchObject({ score: 0.849 });
    expect(await score('1990-02-21')).toMatchObject({ score: 0.599 });
  });

  test('a look-alike scores below the default threshold', async () => {
    // Same surname, another forename, another date of birth: a different person.
    expect(await screen({ surname: 'Eriksson', forenames: 'Karin', dateOfBirth: '1990-02-21' })).toEqual([]);
    const [below] = await screen(
      { surname: 'Eriksson', forenames: 'Karin', dateOfBirth: '1990-02-21' },
      caller(),
      0,
    );
    expect(below).toMatchObject({
      controlNumber: 'A-1/2026',
      reasons: expect.arrayContaining(['forenames differ']),
    });
    expect(below.score).toBeLessThan(DEFAULT_SCREENING_THRESHOLD);
    // A similar surname, the same forenames, no date of birth.
    expect(await screen({ surname: 'Andersson', forenames: 'Anna Maria' })).toEqual([]);
  });

  test('ranks the best first and returns at most `first`', async () => {
    const rows = await screenPerson(
      db,
      caller(),
      { surname: 'Eriksson', forenames: 'Anna', dateOfBirth: null, nationality: null },
      { threshold: 0, first: 1 },
    );
    expect(rows.map((r) => r.notice.controlNumber)).toEqual(['A-1/2026']);
  });
});

describe('record visibility', () => {
  const okafor = { surname: 'Okafor', forenames: 'Chinedu', dateOfBirth: '1985-05-05' };

  test('a notice restricted away from the caller’s country is not returned, even at score 0', async () => {
    expect(await screen(okafor, caller(), 0)).toEqual([]);
    expect(await screen(okafor, caller({ country: 'GBR' }))).toEqual([
      {
        controlNumber: 'A-5/2026',
        score: 1,
        matchedName: 'OKAFOR, Chinedu',
        reasons: ['surname matches', 'forenames match', 'date of birth matches'],
      },
    ]);
  });

  test('a cancelled notice flags no one, not even for its owner', async () => {
    const owner = caller({ agencyId: OWNER, agencyKind: 'NCB', country: 'UTO' });
    expect(
      await screen({ surname: 'Lindqvist', forenames: 'Sven', dateOfBirth: '1960-06-06' }, owner, 0),
    ).toEqual([]);
  });

  test('a reader of YELLOW notices only screens against YELLOW notices', async () => {
    const iom = caller({
      agencyKind: 'INTERNATIONAL_PARTNER',
      country: null,
      scopes: new Set(['notices:read:yellow']),
    });
    expect((await screen({ surname: 'Nowak', forenames: 'Zofia' }, iom)).map((r) => r.controlNumber)).toEqual(
      ['A-7/2026'],
    );
    expect(await screen({ surname: 'Eriksson', forenames: 'Anna Maria' }, iom, 0)).toEqual([]);
  });

  test("a YELLOW-only reader's match behind 300 RED and cancelled notices of the same name is still found", async () => {
    // Decoys spelt exactly as the query, born the same day: every candidate path ranks them first. The true match
    // is a transliteration variant, so on similarity alone it comes after all 300.
    await db.query(
      `INSERT INTO notices.notices (control_number, type, status, title, owner_agency_id, owner_country,
              subject_surname, subject_forenames, subject_date_of_birth, review_date)
       SELECT 'V-' || g, CASE WHEN g % 2 = 0 THEN 'RED' ELSE 'YELLOW' END,
              CASE WHEN g % 2 = 0 THEN 'PUBLISHED' ELSE 'CANCELLED' END, 'Decoy', $1, 'UTO',
              'Volkonskaya', 'Yelizaveta', DATE '1988-03-14', DATE '2031-01-01'
         FROM generate_series(1, 300) g`,
      [OWNER],
    );
    await db.query(
      `INSERT INTO notices.notices (control_number, type, status, title, owner_agency_id, owner_country,
              subject_surname, subject_forenames, subject_date_of_birth, review_date)
       VALUES ('V-MISSING', 'YELLOW', 'PUBLISHED', 'Missing', $1, 'UTO', 'Volkonskaja', 'Jelizaveta',
               DATE '1988-03-14', DATE '2031-01-01')`,
      [OWNER],
    );
    await db.query('ANALYZE notices.notices');
    const iom = caller({
      agencyKind: 'INTERNATIONAL_PARTNER',
      country: null,
      scopes: new Set(['notices:read:yellow']),
    });
    const person = { surname: 'Volkonskaya', forenames: 'Yelizaveta', dateOfBirth: '1988-03-14' };
    expect((await screen(person, iom)).map((r) => r.controlNumber)).toEqual(['V-MISSING']);
  });

  test('no caller, no result', async () => {
    expect(
      await screenPerson(
        db,
        null,
        { surname: 'Eriksson', forenames: null, dateOfBirth: null, nationality: null },
        {
          threshold: 0,
          first: 10,
        },
      ),
    ).toEqual([]);
  });
});

describe('plan', () => {
  test('candidates come from Bitmap Index Scans on the trigram indexes, not a scan', async () => {
    const plan = await db.transaction(async (manager) => {
      await setScreeningSettings(manager);
      const [sql, parameters] = screeningQuery(
        manager,
        caller(),
        { surname: 'Eriksson', forenames: 'Anna Maria', dateOfBirth: '1974-08-12', nationality: 'UTO' },
        { threshold: DEFAULT_SCREENING_THRESHOLD, first: 10 },
      ).getQueryAndParameters();
      const rows = (await manager.query(`EXPLAIN ${sql}`, parameters)) as { 'QUERY PLAN': string }[];
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('Bitmap Index Scan on notices_subject_name_trgm');
    expect(plan).toContain('Bitmap Index Scan on notices_subject_name_key_trgm');
    expect(plan).toContain('Bitmap Index Scan on aliases_name_trgm');
    expect(plan).toContain('Bitmap Index Scan on aliases_name_key_trgm');
    expect(plan).toContain('Index Scan using notices_subject_date_of_birth');
    expect(plan).not.toMatch(/Seq Scan on (notices|aliases)/);
  });
});

describe('screenPerson resolver', () => {
  function context(): SubgraphContext<NoticeLoaders> {
    return {
      requestId: 'request',
      caller: caller(),
      loaders: {} as NoticeLoaders,
      db,
      reads: db,
      log: {} as SubgraphContext['log'],
      audit: new RequestAudit('notices', 'request', caller()),
      now: () => new Date(),
    };
  }

  test('audits one SCREEN event per matched notice', async () => {
    const ctx = context();
    const matches = await new ScreeningResolver().screenPerson(
      { surname: 'Eriksson', forenames: 'Anna Maria', dateOfBirth: '1974-08-12', nationality: 'UTO' },
      undefined,
      undefined,
      undefined,
      ctx,
    );
    expect(matches.map((m) => m.notice.controlNumber)).toEqual(['A-1/2026']);
    let written: unknown[] = [];
    await ctx.audit.flush({
      query: (_sql: string, parameters?: unknown[]) => {
        written = parameters ?? [];
        return Promise.resolve([]);
      },
    } as Parameters<RequestAudit['flush']>[0]);
    expect(JSON.parse(written[5] as string)).toEqual([
      {
        action: 'SCREEN',
        record_type: 'Notice',
        record_ids: [ids.get('A-1/2026')],
        owner_agency_ids: [OWNER],
        fields: ['subject'],
        details: null,
      },
    ]);
  });
});

describe('validateScreening', () => {
  const now = new Date('2026-01-15T00:00:00Z');
  const problems = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      if (error instanceof BadUserInputError) return error.extensions.problems;
      throw error;
    }
    return [];
  };

  test('defaults: threshold and page size', () => {
    expect(validateScreening({ surname: ' Eriksson ' }, undefined, null, now)).toEqual({
      person: { surname: 'Eriksson', forenames: null, dateOfBirth: null, nationality: null },
      options: { threshold: DEFAULT_SCREENING_THRESHOLD, first: 10 },
    });
  });

  test('every problem at once, with its field path', () => {
    expect(
      problems(() =>
        validateScreening(
          {
            surname: 'x'.repeat(101),
            forenames: 'y'.repeat(201),
            dateOfBirth: '2026-02-30',
            nationality: 'XYZ',
          },
          1.5,
          0,
          now,
        ),
      ),
    ).toEqual([
      { field: 'input.surname', reason: 'must be at most 100 characters' },
      { field: 'input.forenames', reason: 'must be at most 200 characters' },
      { field: 'input.dateOfBirth', reason: '2026-02-30 is not a date (yyyy-mm-dd)' },
      { field: 'input.nationality', reason: 'XYZ is not an ISO 3166-1 alpha-3 or ICAO 9303 country code' },
      { field: 'threshold', reason: 'must be between 0 and 1' },
      { field: 'first', reason: 'must be between 1 and 50' },
    ]);
  });

  test('required surname, letters, no future date of birth, ICAO codes accepted', () => {
    expect(problems(() => validateScreening({ surname: ' ' }, null, null, now))).toEqual([
      { field: 'input.surname', reason: 'is required' },
    ]);
    expect(problems(() => validateScreening({ surname: '1234' }, null, 51, now))).toEqual([
      { field: 'input.surname', reason: 'must contain letters' },
      { field: 'first', reason: 'must be between 1 and 50' },
    ]);
    expect(
      problems(() => validateScreening({ surname: 'A', dateOfBirth: '2026-06-01' }, null, null, now)),
    ).toEqual([{ field: 'input.dateOfBirth', reason: 'must not be in the future' }]);
    expect(validateScreening({ surname: 'A', nationality: 'd' }, 0, 50, now).person.nationality).toBe('D');
  });
});
