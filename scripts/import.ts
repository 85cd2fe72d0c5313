import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { importFile, ImportError, type ImportSummary } from '../db/import/import';
import { IMPORT_KINDS } from '../db/import/kinds';
import { OwnerError } from '../db/import/owner';
import { terminalProgress } from '../db/import/progress';

/**
 * `npm run import -- --kind sltd|notices|alerts --owner <client id> <file.csv|file.ndjson>`: loads a file of
 * records into DATABASE_URL for the agency of an API client, with the mutations' own validation, in one
 * transaction. Columns and formats: db/examples/README.md.
 */
const USAGE =
  'usage: npm run import -- --kind sltd|notices|alerts --owner <client id> <file.csv|file.ndjson>';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: { kind: { type: 'string' }, owner: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.error(
      'DATABASE_URL: is required (postgres://user:pass@host:5432/db): the database to import into',
    );
    return 2;
  }
  const kind = values.kind ? IMPORT_KINDS[values.kind as keyof typeof IMPORT_KINDS] : undefined;
  if (!kind || !values.owner || positionals.length !== 1) {
    if (values.kind && !kind)
      console.error(`--kind ${values.kind}: not one of ${Object.keys(IMPORT_KINDS).join(', ')}`);
    console.error(USAGE);
    return 2;
  }
  try {
    const summary = await importFile({
      databaseUrl,
      kind,
      ownerClientId: values.owner,
      file: positionals[0],
      progress: terminalProgress(),
    });
    console.log(formatSummary(summary));
    return 0;
  } catch (error) {
    if (error instanceof ImportError || error instanceof OwnerError) {
      console.error(`import refused, nothing written: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

function formatSummary(s: ImportSummary): string {
  return [
    `imported ${s.file} (${s.kind}, owner ${s.owner}) in one transaction, import id ${s.importId}`,
    `  read ${s.read}, valid ${s.valid}, inserted ${s.inserted}, updated ${s.updated}, unchanged ${s.unchanged}, rejected ${s.rejected}`,
    `  ${s.seconds} s, ${s.rowsPerSecond} rows/s; audit: ${s.audit === 'ids' ? 'record ids' : 'summary rows with counts'}`,
    s.report ? `  rejected lines: ${s.report}` : '  no line rejected',
  ].join('\n');
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('import failed, nothing written:', error);
    process.exit(1);
  },
);
