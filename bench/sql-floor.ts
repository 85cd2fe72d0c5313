import pg from 'pg';
import { DataSource, type Logger } from 'typeorm';
import type { Caller } from '../shared/auth/caller';
import { SUBGRAPHS } from '../subgraphs';
import type { DocumentKey } from '../shared/documents/document-key';
import { findRecordsForCheck } from '../subgraphs/travel-documents/sltd-record.repository';
import type { CheckDocument, DocumentPools } from './workload';

/**
 * The database floor of a border check: the very statement travel-documents sends for the look-up
 * (sltd-record.repository.ts, findRecordsForCheck). Rather than a copy that could drift from the code, the
 * statement is captured once, by running findRecordsForCheck on a data source whose logger keeps what it is asked
 * to send (shared/prepared-statement.ts logs its statements there as TypeORM does); the bench then replays that text with other
 * keys over plain node-postgres, as a named prepared statement like the hub's.
 */
export interface LookupStatement {
  /** The prepared statement's name on the bench's own connections. */
  name: string;
  text: string;
  /** The statement's parameters for given keys (the caller's restriction parameters stay as captured). */
  values(keys: readonly DocumentKey[]): unknown[];
}

class CapturingLogger implements Logger {
  readonly queries: { query: string; parameters: unknown[] }[] = [];

  logQuery(query: string, parameters?: unknown[]): void {
    this.queries.push({ query, parameters: parameters ?? [] });
  }

  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

/** The caller a demo client's token would describe (its agency's kind and country), for the restriction SQL. */
export async function demoCaller(client: pg.ClientBase, clientId: string): Promise<Caller> {
  const { rows } = await client.query<{ id: string; kind: Caller['agencyKind']; country: string | null }>(
    `SELECT a.id, a.kind, a.country FROM partners.api_clients c JOIN partners.agencies a ON a.id = c.agency_id
      WHERE c.client_id = $1`,
    [clientId],
  );
  if (rows.length === 0) throw new Error(`no API client ${clientId}`);
  return {
    clientId,
    agencyId: rows[0].id,
    agencyKind: rows[0].kind,
    country: rows[0].country,
    scopes: new Set(['sltd:check']),
    operations: [],
    tokenId: 'bench',
    token: '',
  };
}

export async function captureLookupStatement(url: string, caller: Caller): Promise<LookupStatement> {
  const module = SUBGRAPHS.find((s) => s.module.name === 'travel-documents')?.module;
  if (!module) throw new Error('no travel-documents subgraph');
  const logger = new CapturingLogger();
  const db = new DataSource({
    type: 'postgres',
    url,
    schema: module.schema,
    entities: module.entities,
    logger,
    extra: { max: 1 },
  });
  await db.initialize();
  // Marker keys, found again among the captured parameters to know which ones carry the documents.
  const markers: DocumentKey[] = [
    { issuingCountry: 'ZZA', documentNumber: 'MARKER1' },
    { issuingCountry: 'ZZB', documentNumber: 'MARKER2' },
  ];
  try {
    logger.queries.length = 0;
    await findRecordsForCheck(db, caller, markers);
  } finally {
    await db.destroy();
  }
  const lookup = logger.queries.find((q) => q.parameters.some((p) => Array.isArray(p)));
  if (!lookup) throw new Error(`findRecordsForCheck sent no look-up: ${JSON.stringify(logger.queries)}`);
  const template = lookup.parameters;
  const isMarkers = (p: unknown, field: keyof DocumentKey) =>
    Array.isArray(p) && p.length === markers.length && p.every((v, i) => v === markers[i][field]);
  const countriesAt = template.findIndex((p) => isMarkers(p, 'issuingCountry'));
  const numbersAt = template.findIndex((p) => isMarkers(p, 'documentNumber'));
  if (countriesAt < 0 || numbersAt < 0) throw new Error('the look-up does not take the keys as two arrays');
  return {
    name: 'bench_sql_floor_lookup',
    text: lookup.query,
    values: (keys) => {
      const values = [...template];
      values[countriesAt] = keys.map((k) => k.issuingCountry);
      values[numbersAt] = keys.map((k) => k.documentNumber);
      return values;
    },
  };
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the look-up for some keys, as text: the plan made for these values, then the
 * generic plan, made without them (the hub sends a named prepared statement, and PostgreSQL's plan cache settles on
 * the generic plan after five executions when it costs no more), so a change of plan once prepared shows here.
 */
export async function explainLookup(
  client: pg.ClientBase,
  statement: LookupStatement,
  keys: readonly DocumentKey[],
): Promise<string> {
  const values = statement.values(keys);
  // Twice: the first run may read pages from disk into shared buffers; the second is the steady state.
  await client.query(statement.text, values);
  const plan = async (text: string) => {
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, BUFFERS) ${text}`,
      values,
    );
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  };
  const custom = await plan(statement.text);
  // EXECUTE takes its arguments as literals (a bind parameter there would be the outer statement's).
  const literal = (value: unknown): string => {
    if (Array.isArray(value))
      return literal(`{${value.map((v) => `"${String(v).replace(/["\\]/g, '\\$&')}"`).join(',')}}`);
    return client.escapeLiteral(String(value));
  };
  await client.query(`PREPARE bench_explain AS ${statement.text}`);
  await client.query('SET plan_cache_mode = force_generic_plan');
  try {
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, BUFFERS) EXECUTE bench_explain (${values.map(literal).join(', ')})`,
    );
    const generic = rows.map((r) => r['QUERY PLAN']).join('\n');
    return `${custom}\n\ngeneric plan (prepared):\n${generic}`;
  } finally {
    await client.query('RESET plan_cache_mode');
    await client.query('DEALLOCATE bench_explain');
  }
}

/** The plans of the look-up the report shows: one document off file, one on file, a manifest of 300. */
export async function explainPlans(client: pg.ClientBase, lookup: LookupStatement, pools: DocumentPools) {
  const key = (d: CheckDocument) => ({ issuingCountry: d.issuingCountry, documentNumber: d.documentNumber });
  const manifest = [...pools.hits.slice(0, 3), ...pools.noHits.slice(0, 297)].map(key);
  return [
    {
      title: '1 document, not on file (NO_HIT)',
      plan: await explainLookup(client, lookup, [key(pools.noHits[0])]),
    },
    { title: '1 document on file (HIT)', plan: await explainLookup(client, lookup, [key(pools.hits[0])]) },
    { title: '300 documents, 3 on file', plan: await explainLookup(client, lookup, manifest) },
  ];
}
