import fs from 'node:fs';
import path from 'node:path';
import { Kind, parse } from 'graphql';
import type { ExplorerExample } from './client/types';

/**
 * The contract operations (test/contract/*.graphql) as explorer examples. A file may end with its sample
 * variables in a comment: a line `# variables: {...}` (the JSON may start on that line or the next ones) and
 * every comment line after it. The example keeps the file's leading comments (who calls it, what to expect)
 * and drops the variables comment, which goes to the variables editor instead.
 */
export function parseContractExample(file: string, text: string): ExplorerExample {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const start = lines.findIndex((line) => /^#\s*variables:/.test(line));
  let variables = '';
  let body = lines;
  if (start >= 0) {
    const tail = lines.slice(start);
    const firstNonComment = tail.findIndex((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
    if (firstNonComment >= 0)
      throw new Error(`${file}: the variables comment must be the last thing in the file`);
    const json = tail
      .map((line, i) => {
        const content = line.replace(/^\s*#\s?/, '');
        return i === 0 ? content.replace(/^\s*variables:/, '') : content;
      })
      .join('\n')
      .trim();
    try {
      variables = JSON.stringify(JSON.parse(json), null, 2);
    } catch (error) {
      throw new Error(`${file}: the variables comment is not valid JSON (${(error as Error).message})`, {
        cause: error,
      });
    }
    body = lines.slice(0, start);
  }
  const query = `${body.join('\n').trimEnd()}\n`;
  const operations = parse(query, { noLocation: true })
    .definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION)
    .map((d) => d.name?.value ?? 'anonymous');
  if (operations.length === 0) throw new Error(`${file}: no operation`);
  return { file, name: operations.join(' / '), operations, query, variables };
}

/** Every contract file in `dir`, in file-name order. */
export function readContractExamples(dir: string): ExplorerExample[] {
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => parseContractExample(file, fs.readFileSync(path.join(dir, file), 'utf8')));
}
