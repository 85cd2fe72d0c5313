import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Screening's trigram indexes as GiST rather than GIN, on stored folded names (bench/README.md, "Where the time
 * goes", ScreenPerson).
 *
 * pg_trgm's GIN index only tells which rows share enough of the query's trigrams, so PostgreSQL checks `%` again
 * on every row it returns; each check builds the trigrams of the row's name and of the query's (lower-casing and
 * sorting both), and a short name key (`al nm al`) brings back hundreds of rows for a few dozen matches: that
 * recheck was over half of the screening statement's execution. GiST leaf entries hold each name's trigrams, and
 * pg_trgm decides `%` on them exactly (no recheck), with the query's trigrams built once per scan.
 *
 * The folded full names (CreateNotices' expression indexes) become stored columns like the name keys
 * (ScreeningNameKeys), so that ranking the candidates does not run unaccent on each of them. The indexes keep
 * their names; what matches and how it ranks does not change (the same expressions, the same operators).
 */
const TABLES = [
  {
    table: 'notices',
    folded: 'subject_folded_name',
    key: 'subject_name_key',
    names: ['subject_surname', 'subject_forenames'],
    index: 'notices_subject_name_trgm',
    keyIndex: 'notices_subject_name_key_trgm',
  },
  {
    table: 'aliases',
    folded: 'folded_name',
    key: 'name_key',
    names: ['surname', 'forenames'],
    index: 'aliases_name_trgm',
    keyIndex: 'aliases_name_key_trgm',
  },
] as const;

const foldedName = ([surname, forenames]: readonly [string, string]) =>
  `notices.fold_name(coalesce(${surname}, '') || ' ' || coalesce(${forenames}, ''))`;

export class ScreeningTrigramGist1764100000080 implements MigrationInterface {
  name = 'ScreeningTrigramGist1764100000080';

  async up(db: QueryRunner): Promise<void> {
    for (const { table, folded, key, names, index, keyIndex } of TABLES) {
      await db.query(
        `ALTER TABLE notices.${table} ADD COLUMN ${folded} text GENERATED ALWAYS AS (${foldedName(names)}) STORED`,
      );
      await db.query(`DROP INDEX notices.${index}, notices.${keyIndex}`);
      await db.query(`CREATE INDEX ${index} ON notices.${table} USING gist (${folded} public.gist_trgm_ops)`);
      await db.query(`CREATE INDEX ${keyIndex} ON notices.${table} USING gist (${key} public.gist_trgm_ops)`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const { table, folded, key, names, index, keyIndex } of TABLES) {
      // Dropping the column drops the index built on it.
      await db.query(`ALTER TABLE notices.${table} DROP COLUMN ${folded}`);
      await db.query(`DROP INDEX notices.${keyIndex}`);
      await db.query(
        `CREATE INDEX ${index} ON notices.${table} USING gin (${foldedName(names)} public.gin_trgm_ops)`,
      );
      await db.query(`CREATE INDEX ${keyIndex} ON notices.${table} USING gin (${key} public.gin_trgm_ops)`);
    }
  }
}
