import type { GraphQLInputObjectType } from 'graphql';
import type pg from 'pg';
import type { ChangedRecords, ImportMerge, MergeConnection } from '../../shared/bulk-merge';
import type { FieldProblem } from '../../shared/errors';
import type { ImportOwner } from './owner';

/**
 * One kind of record the bulk import loads (SLTD records, notices, document alerts): the mutation whose input a
 * line is, the same validation, a staging table the valid lines are copied into, and the merge into the
 * subgraph's table. db/import/import.ts runs any kind the same way.
 */
export interface ImportKind<Row = unknown> {
  name: ImportKindName;
  /** As the audit trail names the records. */
  recordType: string;
  /** The subgraph that owns the records, for the audit trail. */
  subgraph: string;
  /** The mutation whose input one line is, and the scope it requires. */
  mutation: string;
  writeScope: string;
  /** The subgraph tables the merge writes, analysed after the import commits (db/analyze.ts). */
  tables: readonly string[];
  /** The mutation's input type, from the subgraph's own schema. */
  inputType(): Promise<GraphQLInputObjectType>;
  /** Why the owner may not import this kind, or null (the mutation's rule on the caller). */
  ownerProblem(owner: ImportOwner): string | null;
  /**
   * The mutation's validation of one coerced input; throws BadUserInputError. `db` is a connection of its own
   * (outside the import's transaction), for rules that ask PostgreSQL (an alert's number pattern).
   */
  validate(input: unknown, owner: ImportOwner, now: Date, db: pg.ClientBase): Row | Promise<Row>;
  /** The field a second line of the same record in one file is refused on (the natural key is `keyColumns`). */
  duplicateField: string;
  /** CREATE TEMP TABLE for the staging table (named `import_rows`, dropped at commit) and its COPY columns. */
  stagingTable: string;
  stagingColumns: readonly string[];
  /**
   * The staging columns that make a record's natural key (NOT NULL): the merge joins on them, they are analysed
   * after each COPY, and a second line with the same values is refused (found in the database, db/import/import.ts).
   */
  keyColumns: readonly string[];
  /** One staging row in COPY text format. */
  copyRow(row: Row, line: number): string;
  /** Merges the staging table into the subgraph's table, in the import's transaction. */
  merge(client: pg.ClientBase, owner: ImportOwner, options: MergeOptions): Promise<MergeResult>;
}

export type ImportKindName = 'sltd' | 'notices' | 'alerts';

export interface MergeOptions {
  now: Date;
  /** Up to this many ids per action come back (and go into the audit row); beyond, only counts. */
  idLimit: number;
}

export type { ChangedRecords };

export interface MergeResult {
  inserted: ChangedRecords;
  updated: ChangedRecords;
  /** Lines the merge refused (e.g. a record of another agency). */
  rejected: { line: number; problem: FieldProblem }[];
}

/** The import's pg connection as the subgraphs' repositories take one (`query` answers rows, as TypeORM's does). */
export function repositoryConnection(client: pg.ClientBase): MergeConnection {
  return {
    query: async (sql: string, params?: unknown[]) => (await client.query(sql, params)).rows,
  } as MergeConnection;
}

/** A kind's merge: its repository's (shared/bulk-merge.ts), on the import's connection. */
export function repositoryMerge(merge: ImportMerge): ImportKind['merge'] {
  return async (client, owner, options) => ({
    ...(await merge(repositoryConnection(client), owner, options.idLimit)),
    rejected: [],
  });
}
