import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * One home for each table's SQL (docs/architecture.md, "Where each concern lives"): every raw statement of the
 * code that runs (subgraphs, shared, gateway, the bulk import) is found by reading its string literals, and each
 * table a statement names must be one the file is a home of. Migrations are not read: they make the tables.
 * Statements through TypeORM's repositories and query builders are not raw SQL and are not checked here.
 */
const ROOTS = ['subgraphs', 'shared', 'gateway', 'db/import'];

/** Each table and the files (or folders, ending in `/`) where statements on it live. */
const HOMES: Record<string, string[]> = {
  // The operation report counts hits by their records' status and restrictions, in one statement of its own file.
  'sltd.records': [
    'subgraphs/travel-documents/sltd-record.repository.ts',
    'subgraphs/travel-documents/operation-report.repository.ts',
  ],
  'sltd.hits': [
    'subgraphs/travel-documents/hit.repository.ts',
    'subgraphs/travel-documents/operation-report.repository.ts',
  ],
  'sltd.operation_checks': ['subgraphs/travel-documents/operation-report.repository.ts'],
  'sltd.operation_check_days': ['subgraphs/travel-documents/operation-report.repository.ts'],
  'notices.notices': ['subgraphs/notices/notice.repository.ts', 'subgraphs/notices/screening.repository.ts'],
  // A notice's children: read through TypeORM, replaced in SQL by the bulk import's merge.
  'notices.aliases': ['subgraphs/notices/notice.repository.ts'],
  'notices.arrest_warrants': ['subgraphs/notices/notice.repository.ts'],
  'notices.documents': ['subgraphs/notices/notice.repository.ts'],
  // Written by the notice-hit mutations; counted for operation reports.
  'notices.notice_hits': [
    'subgraphs/notices/notice-hit.repository.ts',
    'subgraphs/notices/operation-report.repository.ts',
  ],
  // Written beside a screening's audit rows; counted for operation reports.
  'notices.operation_screenings': [
    'subgraphs/notices/screening.repository.ts',
    'subgraphs/notices/operation-report.repository.ts',
  ],
  'alerts.alerts': ['subgraphs/document-alerts/document-alert.repository.ts'],
  // Read in SQL only for the bulk import's owner (findClientAgency); the token endpoint reads them through TypeORM.
  'partners.agencies': ['subgraphs/partner-agencies/agency.repository.ts'],
  'partners.agreements': ['subgraphs/partner-agencies/agency.repository.ts'],
  'partners.api_clients': ['subgraphs/partner-agencies/agency.repository.ts'],
  'partners.token_throttle': ['subgraphs/partner-agencies/oauth/throttle.ts'],
  'partners.operations': ['subgraphs/partner-agencies/operation.repository.ts'],
  'partners.operation_participants': ['subgraphs/partner-agencies/operation.repository.ts'],
  'partners.operation_border_points': ['subgraphs/partner-agencies/operation.repository.ts'],
  'partners.border_points': ['subgraphs/partner-agencies/operation.repository.ts'],
  // Written and sealed by shared/audit; read for partners by partner-agencies' audit repository.
  'audit.entries': ['shared/audit/', 'subgraphs/partner-agencies/audit.repository.ts'],
  'audit.seals': ['shared/audit/'],
  'outbox.events': ['shared/outbox/'],
};

/**
 * Files outside every home whose statements name no table of their own (the table comes from their caller, or is
 * a temporary one), each with why. They are the only files whose statements may name a table through `${…}`.
 */
const GENERIC: Record<string, string> = {
  'shared/record-gate.ts': "reads a record's owner from the table its repository's gate names",
  'shared/retention/retention.ts': "deletes from the table its subgraph's retention policy names",
  'shared/numbering.ts': 'the counter tables of both numbered series, named by the caller',
  'shared/bulk-merge.ts':
    "counts the rows a repository's merge step changed (a WITH around the caller's statement)",
  'db/import/import.ts': 'the import’s temporary tables and locks; the merges are the repositories’',
};

const SQL =
  /\b(SELECT\b[\s\S]*\bFROM|INSERT\s+INTO|UPDATE\s+\S+\s+(?:AS\s+\w+\s+)?SET|DELETE\s+FROM|TRUNCATE)\b/;
const TABLE = /\b(?:FROM|INTO|UPDATE|JOIN|TABLE)\s+(?:ONLY\s+)?([a-z_]+\.[a-z_]+)/g;
/** A table named through an interpolation (`FROM ${…}`): the scan cannot tell which. */
const DYNAMIC_TABLE = /\b(?:FROM|INTO|UPDATE|JOIN|TABLE)\s+(?:ONLY\s+)?\$\{\}/;

interface Statement {
  file: string;
  tables: string[];
  dynamic: boolean;
}

/** The schemas of the tables in HOMES: a string literal `schema.table` (alias allowed) names one of their tables. */
const SCHEMAS = new Set(Object.keys(HOMES).map((table) => table.split('.')[0]));
const TABLE_NAME = /^([a-z_]+)\.([a-z_]+)(?:\s+[a-z_]+)?$/;
/** Every string literal of the scanned files that is a table's name alone (one a statement may interpolate). */
const tableNames: { file: string; table: string }[] = [];

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'migrations' && entry.name !== '__fixtures__') yield* sourceFiles(file);
    } else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.spec.ts')) yield file;
  }
}

function statementsIn(file: string): Statement[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: Statement[] = [];
  const visit = (node: ts.Node): void => {
    let text: string | null = null;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
    else if (ts.isTemplateExpression(node))
      text = node.head.text + node.templateSpans.map((span) => ' ${} ' + span.literal.text).join('');
    const name = text === null ? null : TABLE_NAME.exec(text);
    if (name && SCHEMAS.has(name[1])) tableNames.push({ file, table: `${name[1]}.${name[2]}` });
    if (text !== null && SQL.test(text)) {
      found.push({
        file,
        tables: [...new Set([...text.matchAll(TABLE)].map((m) => m[1]))],
        dynamic: DYNAMIC_TABLE.test(text),
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const isHome = (file: string, table: string) =>
  (HOMES[table] ?? []).some((home) => (home.endsWith('/') ? file.startsWith(home) : file === home));
const isHomeOfAny = (file: string) => Object.keys(HOMES).some((table) => isHome(file, table));

const statements = ROOTS.flatMap((root) => [...sourceFiles(root)].flatMap(statementsIn));

test('every raw SQL statement on a table sits in that table’s home', () => {
  const misplaced = statements.flatMap(({ file, tables }) => {
    if (tables.length === 0) return isHomeOfAny(file) || file in GENERIC ? [] : [`${file}: (no table named)`];
    return tables
      .filter((table) => !isHome(file, table))
      .map((table) => `${file}: ${table}${table in HOMES ? '' : ' (a table with no home: add it to HOMES)'}`);
  });
  expect([...new Set(misplaced)]).toEqual([]);
});

test('a statement naming its table through an interpolation is in a generic file, or its file names only tables it is home of', () => {
  // The scan cannot read `FROM ${table}`: outside the generic files the table must be spelled in the same file, as
  // a string of its own (screening passes `'notices.notices sn'` to the statement it builds), and that file must be
  // its home.
  const problems = [
    ...new Set(statements.filter((s) => s.dynamic && !(s.file in GENERIC)).map((s) => s.file)),
  ].flatMap((file) => {
    const named = tableNames.filter((n) => n.file === file).map((n) => n.table);
    if (named.length === 0) return [`${file}: interpolates a table it does not name`];
    return named.filter((table) => !isHome(file, table)).map((table) => `${file}: ${table}`);
  });
  expect(problems).toEqual([]);
});

test('each generic file still has statements, and names no table of its own', () => {
  for (const file of Object.keys(GENERIC)) {
    const own = statements.filter((s) => s.file === file);
    expect({ file, statements: own.length > 0, tables: own.flatMap((s) => s.tables) }).toEqual({
      file,
      statements: true,
      tables: [],
    });
  }
});

test('the scan finds known statements: the outbox’s, the hit repository’s and the import’s merges', () => {
  const files = new Set(statements.map((s) => s.file));
  for (const file of [
    'shared/outbox/outbox.ts',
    'subgraphs/travel-documents/hit.repository.ts',
    'subgraphs/travel-documents/sltd-record.repository.ts',
    'subgraphs/notices/notice.repository.ts',
    'subgraphs/document-alerts/document-alert.repository.ts',
  ])
    expect({ file, found: files.has(file) }).toEqual({ file, found: true });
  expect(statements).toEqual(
    expect.arrayContaining([
      { file: 'shared/outbox/outbox.ts', tables: ['outbox.events'], dynamic: false },
      { file: 'subgraphs/travel-documents/hit.repository.ts', tables: ['sltd.hits'], dynamic: false },
    ]),
  );
});
