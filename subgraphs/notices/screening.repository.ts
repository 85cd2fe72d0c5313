import { createHash } from 'node:crypto';
import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { RawSqlResultsToEntityTransformer } from 'typeorm/query-builder/transformer/RawSqlResultsToEntityTransformer';
import type { Caller } from '../../shared/auth/caller';
import { queryPreparedIn } from '../../shared/prepared-statement';
import type { SqlCondition } from '../../shared/restrictions';
import { Notice } from './notice.entity';
import { noticeVisibility } from './notice.repository';

/**
 * Name screening of a traveller against notice subjects and their aliases, in PostgreSQL: candidates come
 * from the trigram (GiST) indexes on folded names and on transliteration keys (migrations ScreeningNameKeys,
 * ScreeningTrigramGist) and from the date of birth index; they are scored in the same statement, word by word,
 * with the primitives ScreeningNameKeys defines (notices.name_words / name_key / name_word_similarity / name_words_similarity); the best
 * name of each notice is kept, and the notices are ranked. Nothing is scanned or scored in Node.
 */

/**
 * The score at or above which a name is reported as a possible match. Chosen with the labelled evaluation
 * (`npm run eval:screening`, bench/screening/generate-eval-set.ts), where the target is recall ≥ 0.95 at
 * precision ≥ 0.90: from 0.74 up both hold on the seeds tried; 0.80 keeps about as much margin on each
 * (precision 0.94-0.95, recall 0.99-1.00) rather than spending it all on recall.
 */
export const DEFAULT_SCREENING_THRESHOLD = 0.8;

/**
 * pg_trgm's similarity threshold for the `%` operator, set for the screening transaction only. It decides
 * which names the indexes return as candidates, not what is reported: lower finds more spellings and costs
 * scoring.
 */
const CANDIDATE_SIMILARITY_THRESHOLD = 0.3;

/**
 * Candidates scored per index path at most, the most similar first: bounds what common names cost. Each path
 * applies the caller's visibility and the PUBLISHED status before it counts (noticeVisibility, publishedOnly): otherwise 200
 * RED or cancelled notices of a common name would fill a YELLOW-only reader's quota with notices it may not
 * see, and its own match would never be scored.
 */
const MAX_CANDIDATES_PER_PATH = 200;

/**
 * How much each part of the evidence weighs. The name score is a weighted geometric mean of the surname's and
 * the forenames' similarities (the exponents below), or the best of that, the swapped order and the words
 * matched across parts; date of birth and nationality then add to it or take from it.
 */
const SCREENING_WEIGHTS = {
  surname: 0.5,
  forenames: 0.5,
  /** A name without forenames on either side rests on the surname alone, and is worth less. */
  surnameOnly: 0.9,
  /** Surname given as forenames and the reverse: common, but a small doubt. */
  swappedOrder: 0.97,
  /** Words matched across the surname / forenames split (Abd al-Rahman split differently): more doubt. */
  wordsAcrossParts: 0.9,
  dateOfBirthMatches: 0.1,
  /** One of year, month and day differs, or day and month are swapped: a typing error as often as not. */
  dateOfBirthClose: -0.1,
  dateOfBirthDiffers: -0.35,
  nationalityMatches: 0.03,
  nationalityDiffers: -0.05,
} as const;

export interface PersonScreening {
  surname: string;
  forenames: string | null;
  /** yyyy-mm-dd */
  dateOfBirth: string | null;
  /** ISO 3166-1 alpha-3 or ICAO 9303 code. */
  nationality: string | null;
}

export interface ScreeningOptions {
  threshold: number;
  first: number;
}

export interface ScreeningMatchRow {
  notice: Notice;
  score: number;
  matchedName: string;
  reasons: string[];
}

/** ICAO writes Germany `D`; notices hold ISO codes. */
function isoNationality(code: string | null): string | null {
  return code === 'D' ? 'DEU' : code;
}

const W = SCREENING_WEIGHTS;

/**
 * One candidate path: the rows whose folded name (CreateNotices' expression index) or stored name key is
 * trigram-similar to the query's (GIN index scans on both, OR-ed into one bitmap), the most similar first.
 * Without forenames, the surname alone is a small part of a long name's trigrams (Li in Li Xiuying Hui): the
 * word similarity operator then also finds it as a word of the name, through the same index.
 */
function namePath(
  select: string,
  from: string,
  foldedName: string,
  key: string,
  person: PersonScreening,
  visibility: SqlCondition,
): string {
  const similarities = [
    `public.similarity(${foldedName}, ${QUERY_FOLDED})`,
    `public.similarity(${key}, ${QUERY_KEY})`,
  ];
  const conditions = [
    `${foldedName} OPERATOR(public.%) notices.fold_name(:screenFullName)`,
    `${key} OPERATOR(public.%) notices.name_key(:screenFullName)`,
  ];
  if (!person.forenames) {
    similarities.push(`public.word_similarity(${QUERY_SURNAME_FOLDED}, ${foldedName})`);
    conditions.push(`${foldedName} OPERATOR(public.%>) notices.fold_name(:screenSurname)`);
  }
  return `(SELECT ${select}
       FROM ${from}
      WHERE (${conditions.join(' OR ')}) AND ${visibility.sql}
      ORDER BY greatest(${similarities.join(', ')}) DESC
      LIMIT ${MAX_CANDIDATES_PER_PATH})`;
}

/**
 * The query's folded name, name key and folded surname for ranking candidates, computed once per statement
 * (query_words, read through an InitPlan): written in place, each candidate row would recompute them (unaccent
 * and the key's fourteen regular expressions per row). The index conditions keep the expressions themselves,
 * which PostgreSQL evaluates once per scan, and whose selectivity estimates the plan rests on.
 */
const QUERY_FOLDED = '(SELECT full_folded FROM query_words)';
const QUERY_KEY = '(SELECT full_key FROM query_words)';
const QUERY_SURNAME_FOLDED = '(SELECT surname_folded FROM query_words)';

/** The folded full names the trigram indexes hold (migration ScreeningTrigramGist), stored with each row. */
const SUBJECT_FOLDED = 'sn.subject_folded_name';
const ALIAS_FOLDED = 'al.folded_name';

/**
 * The screening statement, as a subquery returning one row per matching notice (notice_id, score,
 * matched_name, reasons), best name first. Parameters are named (TypeORM style) and listed by
 * screeningParameters.
 */
function screeningSql(visibility: SqlCondition, person: PersonScreening): string {
  const subjectColumns = `sn.id AS notice_id, NULL::uuid AS alias_id, sn.subject_surname AS surname,
            sn.subject_forenames AS forenames, sn.subject_surname_words AS s, sn.subject_surname_keys AS sk,
            sn.subject_forename_words AS f, sn.subject_forename_keys AS fk,
            sn.subject_date_of_birth AS dob, sn.subject_nationalities AS nationalities`;
  // An alias's notice is joined for its visibility already: its subject's date of birth and nationalities come
  // with it, rather than from one more look-up of each candidate's notice when scoring.
  const aliasColumns = `al.notice_id, al.id, al.surname, al.forenames, al.surname_words, al.surname_keys,
            al.forename_words, al.forename_keys, sn.subject_date_of_birth, sn.subject_nationalities`;
  // A date of birth finds the subjects born that day, however their name is spelt.
  const dateOfBirthPath = person.dateOfBirth
    ? `UNION ALL
    (SELECT ${subjectColumns}
       FROM notices.notices sn
      WHERE sn.subject_date_of_birth = :screenDateOfBirth::date AND sn.subject_date_of_birth IS NOT NULL
        AND ${visibility.sql}
      ORDER BY public.similarity(sn.subject_name_key, ${QUERY_KEY}) DESC
      LIMIT ${MAX_CANDIDATES_PER_PATH})`
    : '';
  return `
  WITH query_words AS MATERIALIZED (
    SELECT s, notices.name_word_keys(s) AS sk, f, notices.name_word_keys(f) AS fk,
           notices.name_key(array_to_string(s, '')) AS s_joined_key,
           notices.fold_name(:screenFullName) AS full_folded, notices.name_key(:screenFullName) AS full_key,
           notices.fold_name(:screenSurname) AS surname_folded
      FROM (SELECT notices.name_words(:screenSurname) AS s,
                   notices.name_words(coalesce(:screenForenames, '')) AS f) words
  ),
  candidates AS (
    ${namePath(subjectColumns, 'notices.notices sn', SUBJECT_FOLDED, 'sn.subject_name_key', person, visibility)}
    UNION ALL
    ${namePath(
      aliasColumns,
      'notices.aliases al JOIN notices.notices sn ON sn.id = al.notice_id',
      ALIAS_FOLDED,
      'al.name_key',
      person,
      visibility,
    )}
    ${dateOfBirthPath}
  ),
  -- MATERIALIZED: each similarity once per candidate. Inlined, every later reference (direct, name_score, the
  -- ranking, the reasons) would repeat the name_words_similarity calls it names, four to five times over.
  compared AS MATERIALIZED (
    SELECT c.notice_id, c.alias_id, c.surname, c.forenames, c.dob, c.nationalities,
           q.s AS qs, q.f AS qf, c.s AS cs, c.f AS cf, q.s_joined_key,
           -- Surnames compare word by word and, when either has several words, also written as one word
           -- (Abd al-Rahman = Abdelrahman).
           greatest(
             notices.name_words_similarity(q.s, q.sk, c.s, c.sk),
             CASE WHEN cardinality(q.s) > 1 OR cardinality(c.s) > 1
                  THEN notices.name_word_similarity(
                         array_to_string(q.s, ''), q.s_joined_key,
                         array_to_string(c.s, ''), notices.name_key(array_to_string(c.s, '')))
             END) AS surname_sim,
           notices.name_words_similarity(q.f, q.fk, c.f, c.fk) AS forenames_sim,
           notices.name_words_similarity(q.s, q.sk, c.f, c.fk) AS swapped_surname_sim,
           notices.name_words_similarity(q.f, q.fk, c.s, c.sk) AS swapped_forenames_sim,
           CASE WHEN cardinality(q.f) > 0 AND cardinality(c.f) > 0
                THEN notices.name_words_similarity(q.s || q.f, q.sk || q.fk, c.s || c.f, c.sk || c.fk)
           END AS across_sim
      FROM (SELECT DISTINCT ON (notice_id, alias_id) * FROM candidates) c
      CROSS JOIN query_words q
  ),
  named AS (
    SELECT *,
           CASE WHEN forenames_sim IS NULL THEN coalesce(surname_sim, 0) * ${W.surnameOnly}
                ELSE ${both('coalesce(surname_sim, 0)', 'forenames_sim')} END AS direct,
           coalesce(${both('swapped_surname_sim', 'swapped_forenames_sim')} * ${W.swappedOrder}, 0)
             AS swapped,
           coalesce(across_sim * ${W.wordsAcrossParts}, 0) AS across
      FROM compared
  ),
  scored AS (
    SELECT *,
           greatest(direct, swapped, across) AS name_score,
           CASE
             WHEN :screenDateOfBirth::date IS NULL OR dob IS NULL THEN 0
             WHEN dob = :screenDateOfBirth::date THEN ${W.dateOfBirthMatches}
             WHEN ${closeDates('dob', ':screenDateOfBirth::date')}
               THEN ${W.dateOfBirthClose}
             ELSE ${W.dateOfBirthDiffers}
           END AS dob_adjust,
           CASE
             WHEN :screenNationality::text IS NULL OR cardinality(nationalities) = 0 THEN 0
             WHEN :screenNationality::text = ANY (nationalities) THEN ${W.nationalityMatches}
             ELSE ${W.nationalityDiffers}
           END AS nationality_adjust
      FROM named
  ),
  best AS (
    -- The best name of each notice (its subject's or an alias), the subject's on a tie.
    SELECT DISTINCT ON (notice_id) *,
           round(least(1, greatest(0, name_score + dob_adjust + nationality_adjust))::numeric, 3)::float8
             AS score
      FROM scored
     ORDER BY notice_id, name_score + dob_adjust + nationality_adjust DESC, alias_id NULLS FIRST
  )
  -- Reasons only for what is reported: they cost a few more key computations.
  SELECT notice_id, score,
         upper(coalesce(surname, ''))
           || CASE WHEN coalesce(forenames, '') <> '' THEN ', ' || forenames ELSE '' END AS matched_name,
         array_remove(ARRAY[
           CASE WHEN alias_id IS NOT NULL THEN 'matches an alias of the subject' END,
           CASE
             WHEN swapped > direct AND swapped >= across THEN 'name order swapped'
             WHEN across > direct THEN 'name words match across surname and forenames'
           END,
           CASE WHEN direct >= greatest(swapped, across) THEN
             CASE
               WHEN qs = cs AND lower(:screenSurname) = lower(coalesce(surname, '')) THEN 'surname matches'
               WHEN qs = cs OR notices.name_words(${germanVowels(':screenSurname')})
                               = notices.name_words(${germanVowels(`coalesce(surname, '')`)})
                 THEN 'surname matches (diacritics differ)'
               WHEN public.levenshtein(array_to_string(qs, ''), array_to_string(cs, '')) <= 1
                 THEN 'surname similar (spelling variant)'
               WHEN s_joined_key = notices.name_key(array_to_string(cs, ''))
                 THEN 'surname matches (transliteration variant)'
               WHEN surname_sim >= 0.7 THEN 'surname similar (spelling variant)'
               ELSE 'surname differs'
             END
           END,
           CASE WHEN direct >= greatest(swapped, across) THEN
             CASE
               WHEN forenames_sim IS NULL THEN 'forenames not compared'
               WHEN qf = cf THEN 'forenames match'
               WHEN forenames_sim >= 0.85 AND cardinality(qf) < cardinality(cf)
                 THEN 'forenames: middle name missing'
               WHEN forenames_sim >= 0.85 AND cardinality(qf) > cardinality(cf)
                 THEN 'forenames: extra middle name'
               WHEN public.levenshtein(array_to_string(qf, ' '), array_to_string(cf, ' ')) <= 1
                 THEN 'forenames similar (spelling variant)'
               WHEN (SELECT array_agg(k ORDER BY k) FROM unnest(notices.name_word_keys(qf)) k)
                    = (SELECT array_agg(k ORDER BY k) FROM unnest(notices.name_word_keys(cf)) k)
                 THEN 'forenames match (transliteration variant)'
               WHEN forenames_sim >= 0.7 THEN 'forenames similar (spelling variant)'
               ELSE 'forenames differ'
             END
           END,
           CASE
             WHEN dob_adjust > 0 THEN 'date of birth matches'
             WHEN dob_adjust < 0
               THEN format('date of birth differs (%s vs %s)', :screenDateOfBirth::date, dob)
           END,
           CASE
             WHEN nationality_adjust > 0 THEN 'nationality matches'
             WHEN nationality_adjust < 0 THEN format('nationality differs (%s vs %s)',
               :screenNationality::text, array_to_string(nationalities, ', '))
           END
         ], NULL) AS reasons
    FROM best
   WHERE score >= :screenThreshold`;
}

/**
 * Surname and forenames together: a weighted geometric mean, so that both must match. A sibling with the same
 * surname, the same birthday and another forename stays low, where a weighted sum would let the surname and
 * the date carry them over.
 */
function both(surname: string, forenames: string): string {
  const part = (similarity: string, weight: number) => `power(greatest(${similarity}, 0.001), ${weight})`;
  return `(${part(surname, W.surname)} * ${part(forenames, W.forenames)})`;
}

/**
 * Two different dates that one typing or counting error could turn into each other: one of day and month
 * differs; or the year is one or ten years off, differs by one digit or has its last two digits swapped (1974
 * / 1975, 1999 / 2009, 1974 / 1984, 1974 / 1947); or day and month are swapped (American order).
 */
function closeDates(a: string, b: string): string {
  const part = (field: string, date: string) => `extract(${field} FROM ${date})::int`;
  const [ya, yb] = [part('year', a), part('year', b)];
  const sameYear = `${ya} = ${yb}`;
  const sameMonth = `${part('month', a)} = ${part('month', b)}`;
  const sameDay = `${part('day', a)} = ${part('day', b)}`;
  const closeYear = `(abs(${ya} - ${yb}) IN (1, 10) OR (${ya} / 100 = ${yb} / 100
                     AND (${ya} / 10 = ${yb} / 10 OR ${ya} % 10 = ${yb} % 10
                          OR (${ya} % 10 = ${yb} / 10 % 10 AND ${ya} / 10 % 10 = ${yb} % 10))))`;
  const swapped = `(${part('month', a)} = ${part('day', b)} AND ${part('day', a)} = ${part('month', b)})`;
  return `((${sameYear} AND (${sameMonth} OR ${sameDay})) OR (${sameMonth} AND ${sameDay} AND ${closeYear})
           OR (${sameYear} AND ${swapped}))`;
}

/** Mueller and Müller are the same spelling, once the umlauts are written out as German does without them. */
function germanVowels(expression: string): string {
  const spelt = [
    ['ä', 'ae'],
    ['ö', 'oe'],
    ['ü', 'ue'],
    ['ß', 'ss'],
  ];
  return spelt.reduce((inner, [from, to]) => `replace(${inner}, '${from}', '${to}')`, `lower(${expression})`);
}

function screeningParameters(person: PersonScreening, threshold: number): Record<string, unknown> {
  return {
    screenSurname: person.surname,
    screenForenames: person.forenames,
    screenFullName: `${person.surname} ${person.forenames ?? ''}`,
    screenDateOfBirth: person.dateOfBirth,
    screenNationality: isoNationality(person.nationality),
    screenThreshold: threshold,
  };
}

/**
 * The whole screening as one query builder over Notice (so TypeORM hydrates the notices), joined to the
 * scored subquery. Exported so the tests can EXPLAIN exactly what runs.
 */
export function screeningQuery(
  manager: EntityManager,
  caller: Caller | null,
  person: PersonScreening,
  options: ScreeningOptions,
): SelectQueryBuilder<Notice> {
  // The notices the caller may see, PUBLISHED ones only: no other notice may flag a traveller at a border.
  const visibility = noticeVisibility('sn', caller, { publishedOnly: true });
  return manager
    .createQueryBuilder(Notice, 'n')
    .innerJoin(`(${screeningSql(visibility, person)})`, 'm', 'm.notice_id = n.id')
    .addSelect('m.score', 'm_score')
    .addSelect('m.matched_name', 'm_matched_name')
    .addSelect('m.reasons', 'm_reasons')
    .setParameters({ ...visibility.params, ...screeningParameters(person, options.threshold) })
    .orderBy('m.score', 'DESC')
    .addOrderBy('n.control_number', 'ASC')
    .limit(options.first);
}

/**
 * Settings for the current transaction only (pooled connections keep no trace): pg_trgm's candidate threshold,
 * no sequential scans, and the generic plan of the prepared screening statement. pg_trgm declares its operators
 * as nearly free while each comparison costs microseconds (and each folded name, through unaccent, more), so on
 * tables of a few thousand rows the planner would rather scan and compare every name than read the trigram
 * indexes, at some 15 µs a row. Planning the statement for each person's values cost as much PostgreSQL time as
 * running it (pg_trgm's selectivity estimates compare the query's name with each column's statistics, and the
 * statement is long): the generic plan, made once per connection, reads the same indexes whatever the name.
 */
export async function setScreeningSettings(manager: EntityManager): Promise<void> {
  await manager.query(
    `SELECT set_config('pg_trgm.similarity_threshold', $1, true), set_config('enable_seqscan', 'off', true),
            set_config('plan_cache_mode', 'force_generic_plan', true)`,
    [String(CANDIDATE_SIMILARITY_THRESHOLD)],
  );
}

interface ScreeningRawRow {
  n_id: string;
  m_score: number;
  m_matched_name: string;
  m_reasons: string[];
}

/**
 * Runs the screening query as a named prepared statement on the transaction's connection
 * (shared/prepared-statement.ts), so PostgreSQL parses and plans each of its few texts (with or without forenames,
 * a date of birth, a restriction) once per connection; the name is the text's hash, as node-postgres refuses one
 * name for two texts. TypeORM then hydrates the notices from the rows as getRawAndEntities would.
 */
async function runPrepared(
  { logger, driver }: Pick<DataSource, 'logger' | 'driver'>,
  manager: EntityManager,
  query: SelectQueryBuilder<Notice>,
): Promise<{ entities: Notice[]; raw: ScreeningRawRow[] }> {
  const [text, values] = query.getQueryAndParameters();
  const name = `screen-${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
  const rows = await queryPreparedIn<ScreeningRawRow>(logger, manager, { name, text }, values);
  const entities = new RawSqlResultsToEntityTransformer(
    query.expressionMap,
    driver,
    [],
    manager.queryRunner,
  ).transform(rows, query.expressionMap.mainAlias!) as Notice[];
  return { entities, raw: rows };
}

/** Screens one person: two statements (the settings, the screening) in one short transaction. */
export function screenPerson(
  db: DataSource,
  caller: Caller | null,
  person: PersonScreening,
  options: ScreeningOptions,
): Promise<ScreeningMatchRow[]> {
  if (!caller) return Promise.resolve([]);
  // The pool's logger and driver (what TypeORM's own queries use), not a connection.
  const { logger, driver } = db;
  return db.transaction(async (manager) => {
    await setScreeningSettings(manager);
    const { entities, raw } = await runPrepared(
      { logger, driver },
      manager,
      screeningQuery(manager, caller, person, options),
    );
    const byId = new Map(entities.map((notice) => [notice.id, notice]));
    return raw.flatMap((row) => {
      const notice = byId.get(row.n_id);
      return notice
        ? [{ notice, score: row.m_score, matchedName: row.m_matched_name, reasons: row.m_reasons }]
        : [];
    });
  });
}

/**
 * Counts one screening made in an operation's context, for its report (notices.operation_screenings): run in the
 * transaction that writes the screening's audit rows (RequestAudit.alongside).
 */
export async function recordOperationScreening(
  tx: Pick<EntityManager, 'query'>,
  caller: Caller,
  where: { operation: string; borderPoint: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO notices.operation_screenings
       (operation_code, border_point_code, screened_by_client, screened_by_agency_id)
     VALUES ($1, $2, $3, $4)`,
    [where.operation, where.borderPoint, caller.clientId, caller.agencyId],
  );
}
