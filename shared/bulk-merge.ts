import type { EntityManager } from 'typeorm';

/**
 * What the bulk import's merges share (db/import): each subgraph's repository merges the import's staged rows
 * (the temporary table `import_rows`, which db/import/<kind>.ts creates and fills) into its own table, beside the
 * statements of the mutations that write the same rows; this file holds only what names no table.
 */

/** How many rows a merge step changed, and their ids when they are few. */
export interface ChangedRecords {
  count: number;
  /** Null when there were more than the id limit. */
  ids: string[] | null;
}

/** The counts a subgraph's merge returns, new rows and changed ones. */
export interface MergedRecords {
  inserted: ChangedRecords;
  updated: ChangedRecords;
}

/** The merge's connection: the import's, inside its transaction. */
export type MergeConnection = Pick<EntityManager, 'query'>;

/**
 * `WITH changed AS (<statement> RETURNING id)`: how many rows it changed, and their ids when they are few.
 */
export async function changedRecords(
  db: MergeConnection,
  statement: string,
  params: unknown[],
  idLimit: number,
): Promise<ChangedRecords> {
  const limit = params.length + 1;
  const rows = (await db.query(
    `WITH changed AS (${statement})
     SELECT (SELECT count(*)::int FROM changed) AS count,
            (SELECT array_agg(id::text) FROM (SELECT id FROM changed LIMIT $${limit}) AS first) AS ids`,
    [...params, idLimit + 1],
  )) as { count: number; ids: string[] | null }[];
  const { count, ids } = rows[0];
  return { count, ids: count <= idLimit ? (ids ?? []) : null };
}
