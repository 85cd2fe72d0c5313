import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import type { Caller } from '../../shared/auth/caller';
import { visibleTo, type SqlCondition } from '../../shared/restrictions';
import { Notice, NoticeStatus, NoticeType } from './notice.entity';
import { isYellowOnly } from './notice.repository';

/**
 * Name screening of a traveller against notice subjects and their aliases, in PostgreSQL: candidates come from
 * the trigram indexes on folded names and on transliteration keys (migration ScreeningNameKeys) and from the
 * date of birth index; they are scored in the same statement, word by word, with the primitives that migration
 * defines (notices.name_words / name_key / name_word_similarity / name_words_similarity); the best name of each
 * notice is kept, and the notices are ranked. Nothing is scanned or scored in Node.
 */

/**
 * The score at or above which a name is reported as a possible match. Chosen with the labelled evaluation
 * (`npm run eval:screening`, bench/screening/generate-eval-set.ts): the lowest threshold that keeps precision
 * at 0.90 or more while recall stays at 0.95 or more.
 */
export const DEFAULT_SCREENING_THRESHOLD = 0.76;

/**
 * pg_trgm's similarity threshold for the `%` operator, set for the screening transaction only. It decides which
 * names the indexes return as candidates, not what is reported: lower finds more spellings and costs scoring.
 */
export const CANDIDATE_SIMILARITY_THRESHOLD = 0.3;

/** At most this many candidates per index path are scored, the most similar first: bounds the cost of common names. */
export const MAX_CANDIDATES_PER_PATH = 200;

/** How much each part of the evidence weighs; see the score in screeningSql. */
export const SCREENING_WEIGHTS = {
  surname: 0.6,
  forenames: 0.4,
  /** A name without forenames on either side rests on the surname alone, and is worth less. */
  surnameOnly: 0.9,
  /** Surname given as forenames and the reverse: common, but a small doubt. */
  swappedOrder: 0.97,
  /** Words matched across the surname / forenames split (Abd al-Rahman split differently): more doubt. */
  wordsAcrossParts: 0.95,
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

/**
 * Which notices screening may match: those the caller may see at all (the same conditions as visibleNotices in
 * notice.repository.ts: the owner's restrictions, and YELLOW only for a `notices:read:yellow`-only reader), and
 * only PUBLISHED ones, even for their requester and the General Secretariat: a requested, refused or cancelled
 * notice must never flag a traveller at a border.
 */
export function screenableNotices(alias: string, caller: Caller | null): SqlCondition {
  const restriction = visibleTo(alias, caller);
  const conditions = [restriction.sql, `${alias}.status = :screenStatus`];
  const params: Record<string, unknown> = { ...restriction.params, screenStatus: NoticeStatus.PUBLISHED };
  if (caller && isYellowOnly(caller)) {
    conditions.push(`${alias}.type = :screenYellow`);
    params.screenYellow = NoticeType.YELLOW;
  }
  return { sql: conditions.map((c) => `(${c})`).join(' AND '), params };
}

/** ICAO writes Germany `D`; notices hold ISO codes. */
function isoNationality(code: string | null): string | null {
  return code === 'D' ? 'DEU' : code;
}

const W = SCREENING_WEIGHTS;

/** The full name as the indexes of CreateNotices and ScreeningNameKeys hold it (the expressions must match). */
const subjectFullName = `coalesce(sn.subject_surname, '') || ' ' || coalesce(sn.subject_forenames, '')`;
const aliasFullName = `coalesce(al.surname, '') || ' ' || coalesce(al.forenames, '')`;

/**
 * The screening statement, as a subquery returning one row per matching notice (notice_id, score, matched_name,
 * reasons), best name first. Parameters are named (TypeORM style) and listed by screeningParameters.
 */
function screeningSql(visibility: SqlCondition, withDateOfBirth: boolean): string {
  const dateOfBirthPath = withDateOfBirth
    ? `UNION ALL
      (SELECT sn.id, NULL::uuid, sn.subject_surname, sn.subject_forenames
         FROM notices.notices sn
        WHERE sn.subject_date_of_birth = :screenDateOfBirth::date AND sn.subject_date_of_birth IS NOT NULL
        ORDER BY public.similarity(notices.name_key(${subjectFullName}), notices.name_key(:screenFullName)) DESC
        LIMIT ${MAX_CANDIDATES_PER_PATH})`
    : '';
  return `
  WITH query_words AS MATERIALIZED (
    SELECT notices.name_words(:screenSurname) AS s,
           notices.name_words(coalesce(:screenForenames, '')) AS f
  ),
  candidates AS (
    -- Subjects and aliases whose folded name or name key is trigram-similar to the query: GIN index scans.
    (SELECT sn.id AS notice_id, NULL::uuid AS alias_id, sn.subject_surname AS surname,
            sn.subject_forenames AS forenames
       FROM notices.notices sn
      WHERE notices.fold_name(${subjectFullName}) OPERATOR(public.%) notices.fold_name(:screenFullName)
         OR notices.name_key(${subjectFullName}) OPERATOR(public.%) notices.name_key(:screenFullName)
      ORDER BY greatest(
                 public.similarity(notices.fold_name(${subjectFullName}), notices.fold_name(:screenFullName)),
                 public.similarity(notices.name_key(${subjectFullName}), notices.name_key(:screenFullName))) DESC
      LIMIT ${MAX_CANDIDATES_PER_PATH})
    UNION ALL
    (SELECT al.notice_id, al.id, al.surname, al.forenames
       FROM notices.aliases al
      WHERE notices.fold_name(${aliasFullName}) OPERATOR(public.%) notices.fold_name(:screenFullName)
         OR notices.name_key(${aliasFullName}) OPERATOR(public.%) notices.name_key(:screenFullName)
      ORDER BY greatest(
                 public.similarity(notices.fold_name(${aliasFullName}), notices.fold_name(:screenFullName)),
                 public.similarity(notices.name_key(${aliasFullName}), notices.name_key(:screenFullName))) DESC
      LIMIT ${MAX_CANDIDATES_PER_PATH})
    ${dateOfBirthPath}
  ),
  compared AS (
    SELECT c.notice_id, c.alias_id, c.surname, c.forenames,
           sn.subject_date_of_birth AS dob, sn.subject_nationalities AS nationalities,
           q.s AS qs, q.f AS qf, w.s AS cs, w.f AS cf,
           -- Surnames compare word by word, and also written as one word (Abd al-Rahman = Abdelrahman).
           greatest(notices.name_words_similarity(q.s, w.s),
                    notices.name_word_similarity(array_to_string(q.s, ''), array_to_string(w.s, ''))) AS surname_sim,
           notices.name_words_similarity(q.f, w.f) AS forenames_sim,
           notices.name_words_similarity(q.s, w.f) AS swapped_surname_sim,
           notices.name_words_similarity(q.f, w.s) AS swapped_forenames_sim,
           CASE WHEN cardinality(q.f) > 0 AND cardinality(w.f) > 0
                THEN notices.name_words_similarity(q.s || q.f, w.s || w.f) END AS across_sim
      FROM (SELECT DISTINCT ON (notice_id, alias_id) * FROM candidates) c
      JOIN notices.notices sn ON sn.id = c.notice_id
      CROSS JOIN query_words q
      CROSS JOIN LATERAL (
        SELECT notices.name_words(coalesce(c.surname, '')) AS s, notices.name_words(coalesce(c.forenames, '')) AS f
      ) w
     WHERE ${visibility.sql}
  ),
  named AS (
    SELECT *,
           CASE WHEN forenames_sim IS NULL THEN coalesce(surname_sim, 0) * ${W.surnameOnly}
                ELSE ${both('coalesce(surname_sim, 0)', 'forenames_sim')} END AS direct,
           coalesce(${both('swapped_surname_sim', 'swapped_forenames_sim')} * ${W.swappedOrder}, 0) AS swapped,
           coalesce(across_sim * ${W.wordsAcrossParts}, 0) AS across
      FROM compared
  ),
  scored AS (
    SELECT *,
           greatest(direct, swapped, across) AS name_score,
           CASE
             WHEN :screenDateOfBirth::date IS NULL OR dob IS NULL THEN 0
             WHEN dob = :screenDateOfBirth::date THEN ${W.dateOfBirthMatches}
             WHEN (extract(year FROM dob) = extract(year FROM :screenDateOfBirth::date))::int
                  + (extract(month FROM dob) = extract(month FROM :screenDateOfBirth::date))::int
                  + (extract(day FROM dob) = extract(day FROM :screenDateOfBirth::date))::int >= 2
               OR (extract(year FROM dob) = extract(year FROM :screenDateOfBirth::date)
                   AND extract(month FROM dob) = extract(day FROM :screenDateOfBirth::date)
                   AND extract(day FROM dob) = extract(month FROM :screenDateOfBirth::date))
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
  ranked AS (
    SELECT DISTINCT ON (notice_id)
           notice_id,
           round(least(1, greatest(0, name_score + dob_adjust + nationality_adjust))::numeric, 3)::float8 AS score,
           upper(coalesce(surname, '')) || CASE WHEN coalesce(forenames, '') <> '' THEN ', ' || forenames ELSE '' END
             AS matched_name,
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
                 WHEN notices.name_key(array_to_string(qs, '')) = notices.name_key(array_to_string(cs, ''))
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
                 WHEN (SELECT array_agg(k ORDER BY k) FROM (SELECT notices.name_key(x) AS k FROM unnest(qf) x) qk)
                      = (SELECT array_agg(k ORDER BY k) FROM (SELECT notices.name_key(x) AS k FROM unnest(cf) x) ck)
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
      FROM scored
     ORDER BY notice_id, name_score + dob_adjust + nationality_adjust DESC, alias_id NULLS FIRST
  )
  SELECT * FROM ranked WHERE score >= :screenThreshold`;
}

/**
 * Surname and forenames together: a weighted geometric mean, so that both must match. A sibling with the same
 * surname and another forename stays low, where a weighted sum would let the surname carry him over.
 */
function both(surname: string, forenames: string): string {
  return `(power(greatest(${surname}, 0.001), ${W.surname}) * power(greatest(${forenames}, 0.001), ${W.forenames}))`;
}

/** Mueller and Müller are the same spelling, once the umlauts are written out as German does without them. */
function germanVowels(expression: string): string {
  return `replace(replace(replace(replace(lower(${expression}), 'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'ß', 'ss')`;
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
 * The whole screening as one query builder over Notice (so TypeORM hydrates the notices), joined to the scored
 * subquery. Exported so the tests can EXPLAIN exactly what runs.
 */
export function screeningQuery(
  manager: EntityManager,
  caller: Caller | null,
  person: PersonScreening,
  options: ScreeningOptions,
): SelectQueryBuilder<Notice> {
  const visibility = screenableNotices('sn', caller);
  return manager
    .createQueryBuilder(Notice, 'n')
    .innerJoin(`(${screeningSql(visibility, person.dateOfBirth !== null)})`, 'm', 'm.notice_id = n.id')
    .addSelect('m.score', 'm_score')
    .addSelect('m.matched_name', 'm_matched_name')
    .addSelect('m.reasons', 'm_reasons')
    .setParameters({ ...visibility.params, ...screeningParameters(person, options.threshold) })
    .orderBy('m.score', 'DESC')
    .addOrderBy('n.control_number', 'ASC')
    .limit(options.first);
}

/** Sets pg_trgm's candidate threshold for the current transaction only (pooled connections keep no trace). */
export async function setCandidateThreshold(manager: EntityManager): Promise<void> {
  await manager.query(`SELECT set_config('pg_trgm.similarity_threshold', $1, true)`, [
    String(CANDIDATE_SIMILARITY_THRESHOLD),
  ]);
}

/** Screens one person: two statements (the threshold, the screening) in one short transaction. */
export function screenPerson(
  db: DataSource,
  caller: Caller | null,
  person: PersonScreening,
  options: ScreeningOptions,
): Promise<ScreeningMatchRow[]> {
  if (!caller) return Promise.resolve([]);
  return db.transaction(async (manager) => {
    await setCandidateThreshold(manager);
    const { entities, raw } = await screeningQuery(manager, caller, person, options).getRawAndEntities<{
      n_id: string;
      m_score: number;
      m_matched_name: string;
      m_reasons: string[];
    }>();
    const byId = new Map(entities.map((notice) => [notice.id, notice]));
    return raw.flatMap((row) => {
      const notice = byId.get(row.n_id);
      return notice
        ? [{ notice, score: row.m_score, matchedName: row.m_matched_name, reasons: row.m_reasons }]
        : [];
    });
  });
}
