/**
 * PostgreSQL's COPY text format (https://www.postgresql.org/docs/current/sql-copy.html, "Text Format"): one line
 * per row, columns separated by tabs, `\N` for null, and backslash, tab, newline and carriage return escaped.
 * Written by hand because it is the import's inner loop: a million rows of twenty columns each.
 */
export type CopyValue = string | number | boolean | null | undefined | readonly (string | null)[];

const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_GLOBAL = /[\\\t\n\r]/g;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function copyField(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string') return escapeText(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return escapeText(arrayLiteral(value));
}

/** One row, newline included. */
export function copyRow(values: readonly CopyValue[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += '\t';
    line += copyField(values[i]);
  }
  return `${line}\n`;
}

function escapeText(text: string): string {
  return SPECIAL.test(text) ? text.replace(SPECIAL_GLOBAL, (c) => ESCAPES[c]) : text;
}

/** A PostgreSQL array literal, every element quoted so that commas, spaces and braces survive. */
function arrayLiteral(values: readonly (string | null)[]): string {
  let literal = '{';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i > 0) literal += ',';
    literal += value === null ? 'NULL' : `"${value.replace(/[\\"]/g, '\\$&')}"`;
  }
  return `${literal}}`;
}
