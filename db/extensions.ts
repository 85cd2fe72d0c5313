import pg from 'pg';

/**
 * Database-wide extensions the subgraphs rely on (name screening: pg_trgm, unaccent, fuzzystrmatch; hashes:
 * pgcrypto). Extensions belong to the database, not to one subgraph's schema, so they are created once here,
 * in `public`, before any subgraph migrates.
 */
export const REQUIRED_EXTENSIONS = ['pg_trgm', 'unaccent', 'fuzzystrmatch', 'pgcrypto'];

export async function ensureExtensions(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Two processes starting at once may race on CREATE EXTENSION; a transaction-level lock serialises them.
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(4242001)');
    for (const name of REQUIRED_EXTENSIONS)
      await client.query(`CREATE EXTENSION IF NOT EXISTS ${name} SCHEMA public`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    await client.end();
  }
}
