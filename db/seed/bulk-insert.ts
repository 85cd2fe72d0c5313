import type pg from 'pg';

/**
 * Multi-row inserts: one statement per chunk, one array parameter per column, spread into rows by `unnest`. A
 * chunk of thousands of rows costs one round trip and one plan, which is what makes the demo seed take
 * seconds.
 */
export type SqlType = 'uuid' | 'text' | 'date' | 'timestamptz' | 'text[]' | 'integer' | 'boolean';
export type SqlValue = string | null | readonly string[];

export interface ColumnSpec<Row> {
  name: string;
  type: SqlType;
  value: (row: Row) => SqlValue;
}

export interface TableSpec<Row> {
  /** Schema-qualified. */
  table: string;
  columns: readonly ColumnSpec<Row>[];
}

export const column = <Row>(name: string, type: SqlType, value: (row: Row) => SqlValue): ColumnSpec<Row> => ({
  name,
  type,
  value,
});

const DEFAULT_CHUNK_SIZE = 5000;

export async function bulkInsert<Row>(
  client: pg.ClientBase,
  spec: TableSpec<Row>,
  rows: readonly Row[],
  chunkSize = DEFAULT_CHUNK_SIZE,
): Promise<void> {
  const sql = insertStatement(spec);
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize);
    // Each parameter is one array literal built here: node-postgres' own serialisation of JS arrays is about
    // three times slower, a second of the default seed.
    await client.query(
      sql,
      spec.columns.map((col) => arrayLiteral(chunk.map((row) => encode(col, row)))),
    );
  }
}

function insertStatement<Row>(spec: TableSpec<Row>): string {
  const names = spec.columns.map((col) => col.name);
  // unnest flattens a two-dimensional array, so array columns travel as array literals in a text[] and are
  // cast back one row at a time.
  const arrays = spec.columns.map((col, i) => `$${i + 1}::${col.type === 'text[]' ? 'text' : col.type}[]`);
  const selected = spec.columns.map((col) => (col.type === 'text[]' ? `${col.name}::text[]` : col.name));
  return `INSERT INTO ${spec.table} (${names.join(', ')})
    SELECT ${selected.join(', ')} FROM unnest(${arrays.join(', ')}) AS u(${names.join(', ')})`;
}

function encode<Row>(col: ColumnSpec<Row>, row: Row): string | null {
  const value = col.value(row);
  if (value === null || typeof value === 'string') return value;
  return arrayLiteral(value);
}

const NEEDS_ESCAPE = /[\\"]/;

/** A PostgreSQL array literal, every element quoted so commas, spaces and braces in texts survive. */
export function arrayLiteral(values: readonly (string | null)[]): string {
  let literal = '{';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i > 0) literal += ',';
    if (value === null) literal += 'NULL';
    else literal += `"${NEEDS_ESCAPE.test(value) ? value.replace(/[\\"]/g, '\\$&') : value}"`;
  }
  return `${literal}}`;
}
