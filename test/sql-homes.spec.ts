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
 * Files outside every home whose statements name no table (the table comes from their caller), each with why.
 */
const GENERIC: Record<string, string> = {
  'shared/record-gate.ts': "reads a record's owner from the table its repository's gate names",
  'shared/retention/retention.ts': "deletes from the table its subgraph's retention policy names",
  'shared/numbering.ts': 'the counter tables of both numbered series, named by the caller',
};

/**
 * Statements still outside their table's home, each with why; an entry is removed when its file is fixed (the
 * test fails on an entry that no longer matches).
 */
const NOT_YET_HOME: Record<string, { tables: string[]; why: string }> = {
  'db/import/sltd.ts': {
    tables: ['sltd.records'],
    why: 'the bulk import merges from a COPY-filled temporary table; its rules are the mutations’ validators, its statements its own',
  },
  'db/import/notices.ts': { tables: ['notices.notices'], why: 'as db/import/sltd.ts' },
  'db/import/alerts.ts': { tables: ['alerts.alerts'], why: 'as db/import/sltd.ts' },
  'db/import/owner.ts': {
    tables: ['partners.agencies', 'partners.agreements', 'partners.api_clients'],
    why: 'the import resolves its owner (an agency with an agreement and an API client) in one read',
  },
  'db/import/import.ts': { tables: [], why: 'the import’s temporary tables and locks' },
  'db/import/kind.ts': { tables: [], why: 'the import’s temporary tables' },
};

const SQL =
  /\b(SELECT\b[\s\S]*\bFROM|INSERT\s+INTO|UPDATE\s+\S+\s+(?:AS\s+\w+\s+)?SET|DELETE\s+FROM|TRUNCATE)\b/;
const TABLE = /\b(?:FROM|INTO|UPDATE|JOIN|TABLE)\s+(?:ONLY\s+)?([a-z_]+\.[a-z_]+)/g;

interface Statement {
  file: string;
  tables: string[];
}

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
    if (text !== null && SQL.test(text)) {
      found.push({ file, tables: [...new Set([...text.matchAll(TABLE)].map((m) => m[1]))] });
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

test('every raw SQL statement on a table sits in that table’s home (or is listed as not yet moved)', () => {
  const misplaced = statements.flatMap(({ file, tables }) => {
    if (tables.length === 0) {
      return isHomeOfAny(file) || file in GENERIC || file in NOT_YET_HOME
        ? []
        : [`${file}: (no table named)`];
    }
    return tables
      .filter((table) => !isHome(file, table) && !NOT_YET_HOME[file]?.tables.includes(table))
      .map((table) => `${file}: ${table}${table in HOMES ? '' : ' (a table with no home: add it to HOMES)'}`);
  });
  expect([...new Set(misplaced)]).toEqual([]);
});

test('the not-yet-moved list holds no stale entry: each file still has statements on exactly those tables', () => {
  const actual = Object.fromEntries(
    Object.keys(NOT_YET_HOME).map((file) => [
      file,
      [...new Set(statements.filter((s) => s.file === file).flatMap((s) => s.tables))]
        .filter((table) => !isHome(file, table))
        .sort(),
    ]),
  );
  const listed = Object.fromEntries(
    Object.entries(NOT_YET_HOME).map(([file, entry]) => [file, [...entry.tables].sort()]),
  );
  expect(actual).toEqual(listed);
  for (const file of Object.keys(NOT_YET_HOME)) {
    expect({ file, statements: statements.some((s) => s.file === file) }).toEqual({ file, statements: true });
  }
});

test('the scan finds known statements: the outbox’s, and the hit repository’s', () => {
  expect(statements).toEqual(
    expect.arrayContaining([
      { file: 'shared/outbox/outbox.ts', tables: ['outbox.events'] },
      { file: 'subgraphs/travel-documents/hit.repository.ts', tables: ['sltd.hits'] },
    ]),
  );
});
