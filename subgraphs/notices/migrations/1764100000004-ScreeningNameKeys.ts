import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Name screening (`screenPerson`): the SQL primitives that compare names, and the indexes that find
 * candidates without scanning. The repository composes them into a score
 * (subgraphs/notices/screening.repository.ts).
 *
 * `notices.name_key` folds a name to a transliteration-robust key, so that the spellings one name takes when
 * different authorities write it in the Latin script (Mohammed / Muhammad / Mohamed, Aleksandr / Alexander /
 * Oleksandr, Yusuf / Youssef, Müller / Mueller) share a key. The key is lossy on purpose (Hussein and Hassan
 * share one): it finds candidates and is one signal of the score, never the verdict alone.
 *
 * Every function is IMMUTABLE so that generated columns and indexes can be built on them. A later migration
 * that changes the rules must recompute the generated columns below (an UPDATE of the name columns does) and
 * REINDEX the key indexes in the same transaction, or stored keys would disagree with the queries' keys.
 */

/**
 * The key's rules, applied in this order (regular expressions, global) to the folded words of a name. The
 * upper case `C` stands for the ch / tch sound until the end: folding never produces upper case, so it cannot
 * clash with a `c` of the name, and keeping it apart from `k` keeps Chavez away from Kavez.
 */
const NAME_KEY_RULES: readonly (readonly [pattern: string, replacement: string])[] = [
  ['sc?h', 's'], // German Schmidt = Smidt, Shamil = Samil
  ['t?ch', 'C'], // Tchaikovsky = Chaikovsky
  ['dzh|dj|zh', 'j'], // Dzhokhar = Djokhar = Jokhar, Zhukov = Joukov
  ['kh', 'h'], // Khalid = Halid, Mikhail = Mihail
  ['ph', 'f'],
  ['([gt])h', '\\1'], // Ghassan = Gassan, Thomas = Tomas
  ['x', 'ks'], // Alexander = Aleksandr
  ['c(?=[eiy])', 's'], // soft c, before y turns into i
  ['c', 'k'], // hard c: Carlos = Karlos; ck = kk, collapsed below
  ['dt', 't'], // Schmidt = Schmitt
  ['tz', 's'], // Schultz = Schulz (with z → s)
];

/** Single letters that transliterations swap, as one translate(): w → v, z → s, y → i, q → k. */
const NAME_KEY_LETTERS = ['wzyq', 'vsik'] as const;

/** After the letters: vowels. */
const NAME_KEY_VOWEL_RULES: readonly (readonly [pattern: string, replacement: string])[] = [
  // A word's first letter, if a vowel, becomes `a`: Oleksandr = Aleksandr, Usama = Osama, Ibrahim = Ebrahim,
  // Yevgeny = Evgeny (after y → i). Transliterations disagree on initial vowels as much as on inner ones.
  ['(^| )[aeiou]', '\\1a'],
  // Every other vowel goes: the consonant skeleton is what survives transliteration (ou → u and the like are
  // subsumed). The letter before the vowels is consumed and put back, so runs of vowels go at once.
  ['([a-zC])[aeiou]+', '\\1'],
  // Doubled letters collapse: Hussein = Husein, Mohammed = Mohamed.
  ['([a-zC])\\1+', '\\1'],
];

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

function applyRules(expression: string, rules: readonly (readonly [string, string])[]): string {
  return rules.reduce(
    (inner, [pattern, replacement]) =>
      `regexp_replace(${inner}, ${quote(pattern)}, ${quote(replacement)}, 'g')`,
    expression,
  );
}

function nameKeyExpression(words: string): string {
  const [from, to] = NAME_KEY_LETTERS.map(quote);
  const letters = `translate(${applyRules(words, NAME_KEY_RULES)}, ${from}, ${to})`;
  return `lower(${applyRules(letters, NAME_KEY_VOWEL_RULES)})`;
}

/** The tables that hold names screening compares, and the columns it adds to each. */
const NAME_TABLES = [
  { table: 'notices', prefix: 'subject_', surname: 'subject_surname', forenames: 'subject_forenames' },
  { table: 'aliases', prefix: '', surname: 'surname', forenames: 'forenames' },
] as const;

const fullName = (surname: string, forenames: string) =>
  `coalesce(${surname}, '') || ' ' || coalesce(${forenames}, '')`;
const words = (column: string) => `notices.name_words(coalesce(${column}, ''))`;

export class ScreeningNameKeys1764100000004 implements MigrationInterface {
  name = 'ScreeningNameKeys1764100000004';

  async up(db: QueryRunner): Promise<void> {
    // The words of a name, folded (lower case, no accents): the unit of every comparison. Apostrophes vanish
    // (O'Brien = OBrien), any other non-letter separates words (al-Rahman = al Rahman). No words: empty
    // array.
    await db.query(`
      CREATE FUNCTION notices.name_words(value text) RETURNS text[]
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      RETURN string_to_array(
        btrim(regexp_replace(
          regexp_replace(notices.fold_name(value), '[''’‘\`´ʼ]', '', 'g'),
          '[^a-z]+', ' ', 'g')),
        ' ')`);
    await db.query(`
      CREATE FUNCTION notices.name_key(value text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      RETURN ${nameKeyExpression(`array_to_string(notices.name_words(value), ' ')`)}`);
    // The key of each word, in the words' order: the rules never cross a space, so one call keys them all.
    await db.query(`
      CREATE FUNCTION notices.name_word_keys(words text[]) RETURNS text[]
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      RETURN string_to_array(notices.name_key(array_to_string(words, ' ')), ' ')`);
    // How alike two words are (0..1), given the words (folded) and their keys: the best of edit distance and
    // trigrams on the words, and of their keys. A shared key is a transliteration variant (0.9) when the
    // words also share more than 60% of their letters in place (Mohammed / Muhammad); otherwise it is weaker
    // evidence (Mohammed / Mahmoud, Hussein / Hassan, Deng / Duong: 0.78), and a key of one or two letters
    // (Ana / Ina) says little (0.7). Keys that differ count through their edit distance only when both have
    // four letters or more. An initial matches its word (A = Anna) at 0.8. Not STRICT: a CASE is not strict,
    // and a strict function with a non-strict body cannot be inlined into the queries and PL/pgSQL that call
    // it (a call then costs several times as much).
    await db.query(`
      CREATE FUNCTION notices.name_word_similarity(a text, a_key text, b text, b_key text) RETURNS real
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN CASE
        WHEN a = b THEN 1
        WHEN length(a) = 1 OR length(b) = 1 THEN CASE WHEN left(a, 1) = left(b, 1) THEN 0.8 ELSE 0 END
        ELSE greatest(
          1 - public.levenshtein(a, b)::real / greatest(length(a), length(b)),
          public.similarity(a, b),
          CASE
            WHEN a_key = b_key AND length(a_key) >= 3
              THEN CASE WHEN 1 - public.levenshtein(a, b)::real / greatest(length(a), length(b)) > 0.6
                        THEN 0.9 ELSE 0.78 END
            WHEN a_key = b_key THEN 0.7
            WHEN length(a_key) >= 4 AND length(b_key) >= 4
              THEN 0.85
                   * (1 - public.levenshtein(a_key, b_key)::real / greatest(length(a_key), length(b_key)))
            ELSE 0
          END)
      END`);
    // How alike two names, or two parts of names, are (0..1), word by word and whatever the words' order.
    // Each word takes its best match on the other side; with as many words on both sides, the side that
    // matches worse decides (Jones Mary / Jones James: 0.7, not James borrowing Jones). With more words on
    // one side, the words of the shorter side decide, each word in excess costs 0.04 (a middle name one side
    // lacks), and 10% more when the first words disagree (the shorter side lacks the first name, not a middle
    // one). Null when either side has no words. PL/pgSQL: the matrix of word pairs is computed once, in
    // loops.
    await db.query(`
      CREATE FUNCTION notices.name_words_similarity(a text[], a_keys text[], b text[], b_keys text[])
      RETURNS real
      LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT
      AS $$
      DECLARE
        na int := cardinality(a);
        nb int := cardinality(b);
        best_a real[];
        best_b real[];
        pair real;
        sum_a real := 0;
        sum_b real := 0;
        score real;
      BEGIN
        IF na = 0 OR nb = 0 THEN
          RETURN NULL;
        END IF;
        best_a := array_fill(0::real, ARRAY[na]);
        best_b := array_fill(0::real, ARRAY[nb]);
        FOR i IN 1..na LOOP
          FOR j IN 1..nb LOOP
            pair := notices.name_word_similarity(a[i], a_keys[i], b[j], b_keys[j]);
            IF pair > best_a[i] THEN best_a[i] := pair; END IF;
            IF pair > best_b[j] THEN best_b[j] := pair; END IF;
          END LOOP;
        END LOOP;
        FOR i IN 1..na LOOP sum_a := sum_a + best_a[i]; END LOOP;
        FOR j IN 1..nb LOOP sum_b := sum_b + best_b[j]; END LOOP;
        IF na = nb THEN
          RETURN least(sum_a / na, sum_b / nb);
        END IF;
        score := CASE WHEN na < nb THEN sum_a / na ELSE sum_b / nb END * (1 - 0.04 * abs(na - nb));
        IF notices.name_word_similarity(a[1], a_keys[1], b[1], b_keys[1]) < 0.7 THEN
          score := score * 0.9;
        END IF;
        RETURN score;
      END
      $$`);
    // What screening reads of every candidate name, stored with the row (generated columns, recomputed when a
    // name changes): the whole name's key, which the trigram index below serves and its recheck reads without
    // recomputing it, and the words and keys of the surname and of the forenames, which the scoring compares.
    // Computing them per query costs more than the rest of the scoring together.
    for (const { table, prefix, surname, forenames } of NAME_TABLES) {
      await db.query(`
        ALTER TABLE notices.${table}
          ADD COLUMN ${prefix}name_key text
            GENERATED ALWAYS AS (notices.name_key(${fullName(surname, forenames)})) STORED,
          ADD COLUMN ${prefix}surname_words text[] GENERATED ALWAYS AS (${words(surname)}) STORED,
          ADD COLUMN ${prefix}surname_keys text[]
            GENERATED ALWAYS AS (notices.name_word_keys(${words(surname)})) STORED,
          ADD COLUMN ${prefix}forename_words text[] GENERATED ALWAYS AS (${words(forenames)}) STORED,
          ADD COLUMN ${prefix}forename_keys text[]
            GENERATED ALWAYS AS (notices.name_word_keys(${words(forenames)})) STORED`);
    }
    // Trigram sets of the whole names' keys, beside those of the folded names (CreateNotices' expression
    // indexes), whatever the word order.
    for (const { table, prefix } of NAME_TABLES) {
      await db.query(
        `CREATE INDEX ${table}_${prefix}name_key_trgm ON notices.${table} USING gin (${prefix}name_key public.gin_trgm_ops)`,
      );
    }
    // A date of birth finds the subjects whose name is spelt beyond what trigrams find.
    await db.query(`
      CREATE INDEX notices_subject_date_of_birth ON notices.notices (subject_date_of_birth)
      WHERE subject_date_of_birth IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX notices.notices_subject_date_of_birth');
    // Dropping the columns drops their indexes.
    for (const { table, prefix } of NAME_TABLES) {
      await db.query(`
        ALTER TABLE notices.${table}
          DROP COLUMN ${prefix}name_key,
          DROP COLUMN ${prefix}surname_words, DROP COLUMN ${prefix}surname_keys,
          DROP COLUMN ${prefix}forename_words, DROP COLUMN ${prefix}forename_keys`);
    }
    await db.query('DROP FUNCTION notices.name_words_similarity(text[], text[], text[], text[])');
    await db.query('DROP FUNCTION notices.name_word_similarity(text, text, text, text)');
    await db.query('DROP FUNCTION notices.name_word_keys(text[])');
    await db.query('DROP FUNCTION notices.name_key(text)');
    await db.query('DROP FUNCTION notices.name_words(text)');
  }
}
