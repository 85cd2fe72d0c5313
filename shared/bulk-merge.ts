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
interface MergedRecords {
  inserted: ChangedRecords;
  updated: ChangedRecords;
}

/** The merge's connection: the import's, inside its transaction. */
export type MergeConnection = Pick<EntityManager, 'query'>;

/**
 * A repository's merge of the staged rows into its table, for `owner` (the importing agency); up to `idLimit` ids
 * of each kind of change come back.
 */
export type ImportMerge = (
  db: MergeConnection,
  owner: { agencyId: string; country: string | null },
  idLimit: number,
) => Promise<MergedRecords>;

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

/**
 * The update of stored row `alias` from its staged line (`s`): `set`, the SET list — each of `columns` from the
 * line, and each of `reviewColumns` from the line when it gave a review date (`s.review_date_given`), else the
 * row's own — and `differs`, whether any of them would change, so a file imported twice changes nothing the second
 * time.
 */
export function updateFromStaged(
  alias: string,
  columns: readonly string[],
  reviewColumns: readonly string[] = ['review_date'],
): { set: string; differs: string } {
  const staged = [
    ...columns.map((c) => [c, `s.${c}`]),
    ...reviewColumns.map((c) => [c, `CASE WHEN s.review_date_given THEN s.${c} ELSE ${alias}.${c} END`]),
  ];
  return {
    set: staged.map(([c, value]) => `${c} = ${value}`).join(', '),
    differs: `(${staged.map(([c]) => `${alias}.${c}`).join(', ')}) IS DISTINCT FROM (${staged.map(([, value]) => value).join(', ')})`,
  };
}
