import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { parse } from 'csv-parse';
import {
  getNamedType,
  getNullableType,
  isInputObjectType,
  isListType,
  isNonNullType,
  type GraphQLInputObjectType,
  type GraphQLInputType,
} from 'graphql';
import type { FieldProblem } from '../../shared/errors';

/**
 * Reads an import file line by line, streaming (a file of ten million lines never sits in memory), as the
 * mutation's input objects: an NDJSON line is the mutation's `input` as JSON; a CSV line is the same object
 * flattened, one column per input field, named by its path (`holder.surname`), lists in one cell separated by
 * `;`. The CSV columns are derived from the GraphQL input type itself, so they follow the schema.
 */
type SourceFormat = 'csv' | 'ndjson';

type SourceLine =
  | { line: number; value: Record<string, unknown>; problems?: undefined }
  | { line: number; value?: undefined; problems: FieldProblem[] };

export interface Source {
  format: SourceFormat;
  /** Bytes read so far, for the progress bar. */
  bytesRead(): number;
  size: number;
  /** The input fields the file carries (CSV: its header; NDJSON: every field of the input type). */
  fields: string[];
  /** Batches of lines, in file order. */
  batches(): AsyncGenerator<SourceLine[]>;
}

class SourceError extends Error {}

const LIST_SEPARATOR = ';';
const BATCH = 500;

function formatOf(file: string): SourceFormat {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.ndjson' || extension === '.jsonl') return 'ndjson';
  throw new SourceError(`${file}: unknown format (use a .csv, .ndjson or .jsonl file)`);
}

/** A CSV column: an input field reachable without a list of objects on the way. */
interface CsvColumn {
  name: string;
  path: string[];
  list: boolean;
  required: boolean;
}

/** Every column a CSV file of this input type may have, in the input type's field order. */
function csvColumns(type: GraphQLInputObjectType, prefix: string[] = [], required = true): CsvColumn[] {
  const columns: CsvColumn[] = [];
  for (const field of Object.values(type.getFields())) {
    const fieldType: GraphQLInputType = field.type;
    const path = [...prefix, field.name];
    const nullable = getNullableType(fieldType);
    const named = getNamedType(fieldType);
    const fieldRequired = required && isNonNullType(fieldType) && field.defaultValue === undefined;
    if (isListType(nullable)) {
      // Lists of objects (a notice's aliases, warrants...) do not fit in a cell: NDJSON carries them.
      if (!isInputObjectType(named))
        columns.push({ name: path.join('.'), path, list: true, required: false });
    } else if (isInputObjectType(named)) {
      columns.push(...csvColumns(named, path, fieldRequired));
    } else {
      columns.push({ name: path.join('.'), path, list: false, required: fieldRequired });
    }
  }
  return columns;
}

export async function openSource(file: string, inputType: GraphQLInputObjectType): Promise<Source> {
  const format = formatOf(file);
  let size: number;
  try {
    size = (await fs.promises.stat(file)).size;
  } catch {
    throw new SourceError(`${file}: no such file`);
  }
  const stream = fs.createReadStream(file);
  const bytesRead = () => stream.bytesRead;
  if (format === 'ndjson') {
    return {
      format,
      size,
      bytesRead,
      fields: Object.keys(inputType.getFields()),
      batches: () => ndjsonBatches(stream),
    };
  }
  const columns = csvColumns(inputType);
  const parser = stream.pipe(
    parse({
      info: true,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      skip_records_with_error: true,
      on_skip: (error) => {
        skipped.push({
          line: parser.info.lines,
          problems: [{ field: '(line)', reason: error?.message ?? 'is not valid CSV' }],
        });
        return undefined;
      },
    }),
  );
  const skipped: SourceLine[] = [];
  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<{
    record: string[];
    info: { lines: number };
  }>;
  const first = await iterator.next();
  if (first.done) throw new SourceError(`${file}: empty file (a header line is expected)`);
  const header = first.value.record.map((name) => name.trim());
  const byName = new Map(columns.map((c) => [c.name, c]));
  const unknown = header.filter((name) => !byName.has(name));
  const missing = columns.filter((c) => c.required && !header.includes(c.name)).map((c) => c.name);
  const repeated = header.filter((name, i) => header.indexOf(name) !== i);
  if (unknown.length || missing.length || repeated.length) {
    stream.destroy();
    throw new SourceError(
      [
        `${file}: the header line does not fit`,
        unknown.length ? `unknown columns: ${unknown.join(', ')}` : '',
        missing.length ? `missing required columns: ${missing.join(', ')}` : '',
        repeated.length ? `repeated columns: ${repeated.join(', ')}` : '',
        `known columns: ${columns.map((c) => c.name).join(', ')}`,
      ]
        .filter(Boolean)
        .join('\n  '),
    );
  }
  const used = header.map((name) => byName.get(name) as CsvColumn);
  return {
    format,
    size,
    bytesRead,
    fields: [...new Set(used.map((c) => c.path[0]))],
    batches: () => csvBatches(iterator, used, skipped),
  };
}

async function* csvBatches(
  iterator: AsyncIterator<{ record: string[]; info: { lines: number } }>,
  columns: readonly CsvColumn[],
  skipped: SourceLine[],
): AsyncGenerator<SourceLine[]> {
  let batch: SourceLine[] = [];
  for (;;) {
    const next = await iterator.next();
    if (skipped.length) batch.push(...skipped.splice(0));
    if (next.done) break;
    const { record, info } = next.value;
    if (record.length !== columns.length) {
      batch.push({
        line: info.lines,
        problems: [{ field: '(line)', reason: `has ${record.length} cells, the header ${columns.length}` }],
      });
    } else {
      batch.push({ line: info.lines, value: csvObject(record, columns) });
    }
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/** The input object of one CSV line: empty cells are left out, as a mutation's caller leaves out a field. */
function csvObject(record: readonly string[], columns: readonly CsvColumn[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (let i = 0; i < columns.length; i++) {
    // Trimmed here rather than by the parser, which trims character by character.
    const cell = record[i].trim();
    if (cell === '') continue;
    const column = columns[i];
    const value = column.list
      ? cell
          .split(LIST_SEPARATOR)
          .map((item) => item.trim())
          .filter(Boolean)
      : cell;
    let target = object;
    for (let depth = 0; depth < column.path.length - 1; depth++) {
      const key = column.path[depth];
      target = (target[key] ??= {}) as Record<string, unknown>;
    }
    target[column.path[column.path.length - 1]] = value;
  }
  return object;
}

async function* ndjsonBatches(stream: fs.ReadStream): AsyncGenerator<SourceLine[]> {
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  let batch: SourceLine[] = [];
  let line = 0;
  for await (const text of lines) {
    line++;
    if (line === 1 && text.charCodeAt(0) === 0xfeff) {
      if (text.length > 1) batch.push(ndjsonLine(line, text.slice(1)));
    } else if (text.trim() !== '') {
      batch.push(ndjsonLine(line, text));
    }
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

function ndjsonLine(line: number, text: string): SourceLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { line, problems: [{ field: '(line)', reason: `is not JSON: ${(error as Error).message}` }] };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { line, problems: [{ field: '(line)', reason: 'is not a JSON object' }] };
  }
  return { line, value: value as Record<string, unknown> };
}
