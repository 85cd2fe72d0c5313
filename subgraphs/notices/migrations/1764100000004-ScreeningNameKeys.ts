import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Name screening (`screenPerson`): the SQL primitives that compare names, and the indexes that find candidates
 * without scanning. The repository composes them into a score (subgraphs/notices/screening.repository.ts).
 *
 * `notices.name_key` folds a name to a transliteration-robust key, so that the spellings one name takes when
 * different authorities write it in the Latin script (Mohammed / Muhammad / Mohamed, Aleksandr / Alexander /
 * Oleksandr, Yusuf / Youssef, Müller / Mueller) share a key. The key is lossy on purpose (Hussein and Hassan
 * share one): it finds candidates and is one signal of the score, never the verdict alone.
 *
 * Every function is IMMUTABLE so that indexes can be built on them. A later migration that changes the rules
 * must REINDEX the indexes below in the same transaction, or stored keys would disagree with the queries' keys.
 */

/**
 * The key's rules, applied in this order (regular expressions, global) to the folded words of a name. The upper
 * case `C` stands for the ch / tch sound until the end: folding never produces upper case, so it cannot clash
 * with a `c` of the name, and keeping it apart from `k` keeps Chavez away from Kavez.
 */
export const NAME_KEY_RULES: readonly (readonly [pattern: string, replacement: string])[] = [
  ['sch', 's'], // German Schmidt = Smidt
  ['t?ch', 'C'], // Tchaikovsky = Chaikovsky
  ['dzh|dj|zh', 'j'], // Dzhokhar = Djokhar = Jokhar, Zhukov = Joukov
  ['kh', 'h'], // Khalid = Halid, Mikhail = Mihail
  ['ph', 'f'],
  ['sh', 's'], // Shamil = Samil (with sch)
  ['th', 't'],
  ['gh', 'g'],
  ['ck|q', 'k'],
  ['x', 'ks'], // Alexander = Aleksandr
  ['c(?=[eiy])', 's'], // soft c before the vowel rules change y
  ['c', 'k'], // hard c: Carlos = Karlos
  ['dt', 't'], // Schmidt = Schmitt
  ['tz', 's'], // Schultz = Schulz (with z → s)
  ['w', 'v'],
  ['z', 's'],
  ['y', 'i'], // Yusuf = Iusuf, Sergey = Sergei
  // A word's first letter, if a vowel, becomes `a`: Oleksandr = Aleksandr, Usama = Osama, Ibrahim = Ebrahim,
  // Yevgeny = Evgeny (after y → i). Transliterations disagree on initial vowels as much as on inner ones.
  ['(^| )[aeiou]', '\\1a'],
  // Every other vowel goes: the consonant skeleton is what survives transliteration (ou → u and the like are
  // subsumed). The letter before the vowels is consumed and put back, so runs of vowels go at once.
  ['([a-zC])[aeiou]+', '\\1'],
  // Doubled letters collapse: Hussein = Husein, Mohammed = Mohamed.
  ['([a-zC])\\1+', '\\1'],
];

function nameKeyExpression(words: string): string {
  const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;
  return NAME_KEY_RULES.reduce(
    (expression, [pattern, replacement]) =>
      `regexp_replace(${expression}, ${quote(pattern)}, ${quote(replacement)}, 'g')`,
    words,
  );
}

export class ScreeningNameKeys1764100000004 implements MigrationInterface {
  name = 'ScreeningNameKeys1764100000004';

  async up(db: QueryRunner): Promise<void> {
    // The words of a name, folded (lower case, no accents): the unit of every comparison. Apostrophes vanish
    // (O'Brien = OBrien), any other non-letter separates words (al-Rahman = al Rahman). No words: empty array.
    await db.query(`
      CREATE FUNCTION notices.name_words(value text) RETURNS text[]
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      RETURN string_to_array(
        btrim(regexp_replace(regexp_replace(notices.fold_name(value), '[''’‘\`´ʼ]', '', 'g'), '[^a-z]+', ' ', 'g')),
        ' ')`);
    await db.query(`
      CREATE FUNCTION notices.name_key(value text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      RETURN lower(${nameKeyExpression(`array_to_string(notices.name_words(value), ' ')`)})`);
    // How alike two words of names are (0..1): the best of edit distance and trigrams on the folded words and
    // on their keys. A key shared by words of three letters or more is a transliteration variant (0.9); shorter
    // keys (Ana, Ina: "an") say too little. An initial matches its word (A. = Anna) at 0.8.
    await db.query(`
      CREATE FUNCTION notices.name_word_similarity(a text, b text) RETURNS real
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      RETURN CASE
        WHEN a = b THEN 1
        WHEN length(a) = 1 OR length(b) = 1 THEN CASE WHEN left(a, 1) = left(b, 1) THEN 0.8 ELSE 0 END
        ELSE greatest(
          1 - public.levenshtein(a, b)::real / greatest(length(a), length(b)),
          public.similarity(a, b),
          (SELECT CASE
                    WHEN ka = kb AND length(ka) >= 3 THEN 0.9
                    ELSE 0.85 * (1 - public.levenshtein(ka, kb)::real / greatest(length(ka), length(kb), 1))
                  END
             FROM (SELECT notices.name_key(a) AS ka, notices.name_key(b) AS kb) k))
      END`);
    // How alike two names (or two parts of names) are, word by word and whatever their order: each word of the
    // side with fewer words takes its best match on the other side, and each word the other side has in excess
    // (a middle name one side lacks) costs 0.04. Null when either side has no words.
    await db.query(`
      CREATE FUNCTION notices.name_words_similarity(a text[], b text[]) RETURNS real
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      BEGIN ATOMIC
        SELECT CASE
                 WHEN cardinality(a) = 0 OR cardinality(b) = 0 THEN NULL
                 ELSE greatest(
                   (SELECT avg((SELECT max(notices.name_word_similarity(x, y)) FROM unnest(b) AS y)) FROM unnest(a) AS x),
                   (SELECT avg((SELECT max(notices.name_word_similarity(y, x)) FROM unnest(a) AS x)) FROM unnest(b) AS y))
                   * (1 - 0.04 * abs(cardinality(a) - cardinality(b)))
               END;
      END`);
    // Whole-name keys, indexed like the folded names of CreateNotices (trigram sets, whatever the word order).
    await db.query(`
      CREATE INDEX notices_subject_name_key_trgm ON notices.notices
      USING gin (notices.name_key(coalesce(subject_surname, '') || ' ' || coalesce(subject_forenames, '')) public.gin_trgm_ops)`);
    await db.query(`
      CREATE INDEX aliases_name_key_trgm ON notices.aliases
      USING gin (notices.name_key(coalesce(surname, '') || ' ' || coalesce(forenames, '')) public.gin_trgm_ops)`);
    // A date of birth finds the subjects whose name is spelt beyond what trigrams find.
    await db.query(`
      CREATE INDEX notices_subject_date_of_birth ON notices.notices (subject_date_of_birth)
      WHERE subject_date_of_birth IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX notices.notices_subject_date_of_birth');
    await db.query('DROP INDEX notices.aliases_name_key_trgm');
    await db.query('DROP INDEX notices.notices_subject_name_key_trgm');
    await db.query('DROP FUNCTION notices.name_words_similarity(text[], text[])');
    await db.query('DROP FUNCTION notices.name_word_similarity(text, text)');
    await db.query('DROP FUNCTION notices.name_key(text)');
    await db.query('DROP FUNCTION notices.name_words(text)');
  }
}
