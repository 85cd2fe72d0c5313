import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The keyed audit chain (docs/architecture.md, "Audit"; docs/security.md, "Audit chain"). Until now a trigger
 * gave every row its place and a plain sha256 link under one global lock: every audited request of every process
 * waited for it, and whoever could disable the trigger could rewrite a row and recompute the hashes.
 *
 * Now a row is only placed when it is inserted — `seq` from a sequence, and the inserting transaction's id, both
 * without a lock — and the sealer links committed rows afterwards in `audit.seals`, with an HMAC whose key the
 * database never sees. The old sha256 chain is checked once here: history that already fails it is not sealed
 * over, the migration stops instead.
 */
export class KeyedAuditChain1764100000050 implements MigrationInterface {
  name = 'KeyedAuditChain1764100000050';

  async up(db: QueryRunner): Promise<void> {
    const [broken] = (await db.query(`
      SELECT c.seq::text AS seq
        FROM (SELECT e.seq, e.hash, e.prev_hash, sha256(e.prev_hash || audit.canonical(e)) AS recomputed,
                     lag(e.hash, 1, '\\x'::bytea) OVER (ORDER BY e.seq) AS expected_prev
                FROM audit.entries e) c
       WHERE c.hash <> c.recomputed OR c.prev_hash <> c.expected_prev
       ORDER BY c.seq LIMIT 1`)) as { seq: string }[];
    if (broken)
      throw new Error(
        `audit trail broken at seq ${broken.seq} (sha256 chain): investigate before sealing it with a key`,
      );
    await db.query('DROP TRIGGER entries_chain ON audit.entries');
    await db.query('DROP FUNCTION audit.chain(), audit.canonical(audit.entries)');
    await db.query('ALTER TABLE audit.entries DROP COLUMN prev_hash, DROP COLUMN hash');
    // Rows written before this migration have no transaction id: they are all committed, the sealer takes them first.
    await db.query('ALTER TABLE audit.entries ADD COLUMN txid xid8');
    // CACHE 1 is load-bearing: with a per-session cache a value below the sequence's last value could still be
    // handed out later, and the sealer's horizon (shared/audit/sealer.ts) assumes it cannot.
    await db.query('CREATE SEQUENCE audit.entries_seq AS bigint CACHE 1 OWNED BY audit.entries.seq');
    await db.query(
      `SELECT setval('audit.entries_seq', max(seq)) FROM audit.entries HAVING max(seq) IS NOT NULL`,
    );
    await db.query(`
      CREATE FUNCTION audit.place() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- The transaction's id BEFORE its place in the sequence: the sealer's horizon relies on that order.
        NEW.txid := pg_current_xact_id();
        NEW.seq := nextval('audit.entries_seq');
        NEW.at := clock_timestamp();
        RETURN NEW;
      END $$`);
    await db.query(
      `CREATE TRIGGER entries_place BEFORE INSERT ON audit.entries FOR EACH ROW EXECUTE FUNCTION audit.place()`,
    );
    // One link per row, each naming the row before it: two sealers can never both extend the chain from the same
    // row (unique prev_seq), nor start it twice (one row without a predecessor).
    await db.query(`
      CREATE TABLE audit.seals (
        seq bigint PRIMARY KEY REFERENCES audit.entries (seq),
        prev_seq bigint UNIQUE REFERENCES audit.seals (seq),
        key_id text NOT NULL,
        link bytea NOT NULL,
        sealed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT seals_in_order CHECK (prev_seq < seq)
      )`);
    await db.query('CREATE UNIQUE INDEX seals_one_first ON audit.seals ((true)) WHERE prev_seq IS NULL');
    await db.query(`
      CREATE TRIGGER seals_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit.seals
      FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change()`);
  }

  async down(): Promise<void> {
    // The old links were dropped and no trigger recomputes them: going back means restoring a backup.
    throw new Error('KeyedAuditChain cannot be reverted: restore the database from before it');
  }
}
