import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only, hash-chained audit trail. Rows get their place in the chain (seq) and their hash inside
 * PostgreSQL, under a transaction-level lock, so writers in any process and any replica form one chain whose
 * order is the commit order. Updates and deletes are refused by a trigger.
 */
export class CreateAudit1764100000010 implements MigrationInterface {
  name = 'CreateAudit1764100000010';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE audit.entries (
        seq bigint PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        request_id text NOT NULL,
        client_id text,
        agency_id uuid,
        subgraph text NOT NULL,
        operation text,
        action text NOT NULL,
        record_type text NOT NULL,
        record_ids text[] NOT NULL,
        owner_agency_ids uuid[] NOT NULL DEFAULT '{}',
        fields text[] NOT NULL DEFAULT '{}',
        details jsonb,
        prev_hash bytea NOT NULL,
        hash bytea NOT NULL
      )`);
    await db.query(`CREATE INDEX entries_owner ON audit.entries USING gin (owner_agency_ids)`);
    await db.query(`CREATE INDEX entries_agency ON audit.entries (agency_id, seq DESC)`);
    await db.query(`CREATE INDEX entries_records ON audit.entries USING gin (record_ids)`);
    // The text a row's hash covers: every column but the hashes, in a fixed order and format.
    await db.query(`
      CREATE FUNCTION audit.canonical(e audit.entries) RETURNS bytea
      LANGUAGE sql STABLE PARALLEL SAFE
      RETURN convert_to(concat_ws(chr(31),
        e.seq::text, to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), e.request_id,
        coalesce(e.client_id, ''), coalesce(e.agency_id::text, ''), e.subgraph, coalesce(e.operation, ''),
        e.action, e.record_type, array_to_string(e.record_ids, ','), array_to_string(e.owner_agency_ids, ','),
        array_to_string(e.fields, ','), coalesce(e.details::text, '')), 'UTF8')`);
    await db.query(`
      CREATE FUNCTION audit.chain() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        last_seq bigint;
        last_hash bytea;
      BEGIN
        -- One writer at a time extends the chain; the lock is held until the writer's transaction ends.
        PERFORM pg_advisory_xact_lock(7106093);
        SELECT seq, hash INTO last_seq, last_hash FROM audit.entries ORDER BY seq DESC LIMIT 1;
        NEW.seq := coalesce(last_seq, 0) + 1;
        NEW.at := clock_timestamp();
        NEW.prev_hash := coalesce(last_hash, '\\x'::bytea);
        NEW.hash := sha256(NEW.prev_hash || audit.canonical(NEW));
        RETURN NEW;
      END $$`);
    await db.query(
      `CREATE TRIGGER entries_chain BEFORE INSERT ON audit.entries FOR EACH ROW EXECUTE FUNCTION audit.chain()`,
    );
    await db.query(`
      CREATE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the audit trail is append-only';
      END $$`);
    await db.query(`
      CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit.entries
      FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE audit.entries');
    await db.query('DROP FUNCTION audit.canonical(audit.entries), audit.chain(), audit.refuse_change()');
  }
}
