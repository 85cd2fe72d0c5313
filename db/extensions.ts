import pg from 'pg';

/**
 * Database-wide extensions the subgraphs rely on (name screening: pg_trgm, unaccent, fuzzystrmatch; hashes:
 * pgcrypto). Extensions belong to the database, not to one subgraph's schema, so they are created once here,
 * in `public`, before any subgraph migrates. All four are trusted extensions: the database's owner may create
 * them without being a superuser.
 */
export const REQUIRED_EXTENSIONS = ['pg_trgm', 'unaccent', 'fuzzystrmatch', 'pgcrypto'];

/** Creates the missing extensions; returns the names of those it created. */
export async function ensureExtensions(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Two processes starting at once may race on CREATE EXTENSION; a transaction-level lock serialises them.
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(4242001)');
    const present = await client.query<{ extname: string }>(
      'SELECT extname FROM pg_extension WHERE extname = ANY($1)',
      [REQUIRED_EXTENSIONS],
    );
    const missing = REQUIRED_EXTENSIONS.filter((name) => !present.rows.some((row) => row.extname === name));
    for (const name of missing) await client.query(`CREATE EXTENSION IF NOT EXISTS ${name} SCHEMA public`);
    await client.query('COMMIT');
    return missing;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    await client.end();
  }
}
