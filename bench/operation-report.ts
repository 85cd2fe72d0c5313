import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import type { Caller } from '../shared/auth/caller';
import { reportKey, type OperationReportView } from '../shared/schema/operation-report-key';
import {
  operationCheckDays,
  operationHitFigures,
} from '../subgraphs/travel-documents/operation-report.repository';
import type { GraphQLBody, RequestItem } from './load';

/**
 * The operation report over a large operation (scenario `operation-report`): `checks` check calls loaded into the
 * demo's ACTIVE operation STOP-2026-CDG (both its border points, over its window), with a hit for every 500th,
 * then the report asked for as its coordinator (ncb-fra) through the gateway — `operation(code).report`, which
 * partner-agencies answers and travel-documents (and notices, where its figures are in the supergraph) complete —
 * and as the gateway asks travel-documents (`_entities`). The statements travel-documents sends are explained.
 */
export const REPORT_OPERATION = 'STOP-2026-CDG';
export const REPORT_BORDER_POINTS = ['FRCDG-T1', 'FRCDG-T2'];
const HIT_EVERY = 500;

export interface LoadedOperation {
  view: OperationReportView;
  documents: number;
  hits: number;
  loadMs: number;
}

/**
 * Rows made by PostgreSQL itself (generate_series), in one statement per table: a million check rows take seconds,
 * not the minutes a million checks through the hub would, and their days' counts (sltd.operation_check_days) as the
 * checks' statement adds to them. Then VACUUM ANALYZE, as autovacuum would after such inserts.
 */
export async function loadOperationChecks(client: pg.ClientBase, checks: number): Promise<LoadedOperation> {
  const started = performance.now();
  const { rows: agencies } = await client.query<{ code: string; id: string }>(
    `SELECT code, id::text FROM partners.agencies WHERE code IN ('FRONTEX', 'BP-FRA')`,
  );
  const frontex = agencies.find((a) => a.code === 'FRONTEX')?.id;
  const bpFra = agencies.find((a) => a.code === 'BP-FRA')?.id;
  if (!frontex || !bpFra) throw new Error('the demo seed has no FRONTEX or BP-FRA agency');
  const { rows: last } = await client.query<{ id: string }>(
    'SELECT coalesce(max(id), 0) AS id FROM sltd.operation_checks',
  );
  const lastId = Number(last[0].id);
  // 60 days ending now, every call 1 to 4 documents.
  await client.query(
    `INSERT INTO sltd.operation_checks (operation_code, border_point_code, checked_at, documents, checked_by_agency_id, checked_by_client)
     SELECT $1, ($2::text[])[1 + i % 2], now() - (i * (interval '60 days' / $3)), 1 + (i * 7) % 4,
            CASE WHEN i % 3 = 0 THEN $4::uuid ELSE $5::uuid END, CASE WHEN i % 3 = 0 THEN 'bp-fra' ELSE 'frontex' END
       FROM generate_series(1, $3) AS i`,
    [REPORT_OPERATION, REPORT_BORDER_POINTS, checks, bpFra, frontex],
  );
  // Hits on demo records, by status and outcome as a working operation has them.
  const hits = Math.max(1, Math.floor(checks / HIT_EVERY));
  await client.query(
    `WITH records AS (
       SELECT id, owner_agency_id, row_number() OVER (ORDER BY id) AS n FROM sltd.records
        WHERE withdrawn_at IS NULL ORDER BY id LIMIT $3)
     INSERT INTO sltd.hits (record_id, owner_agency_id, checked_by_client, checked_by_agency_id, checked_at, location,
                            operation_code, border_point_code, status, decided_at, outcome, outcome_at)
     SELECT r.id, r.owner_agency_id, 'frontex', $4::uuid, now() - (r.n * (interval '60 days' / $3)), 'bench',
            $1, ($2::text[])[1 + r.n % 2],
            (ARRAY['PENDING', 'CONFIRMED', 'CONFIRMED', 'FALSE_POSITIVE'])[1 + r.n % 4],
            CASE WHEN r.n % 4 = 0 THEN NULL ELSE now() END,
            CASE WHEN r.n % 4 IN (1, 2)
                 THEN (ARRAY['ARRESTED', 'DETAINED', 'REFUSED_ENTRY', 'DOCUMENT_SEIZED', 'NO_ACTION'])[1 + r.n % 5] END,
            CASE WHEN r.n % 4 IN (1, 2) THEN now() END
       FROM records r`,
    [REPORT_OPERATION, REPORT_BORDER_POINTS, hits, frontex],
  );
  // What the checks' own statement adds to, one day at a time (document-check.service.ts), in one pass here.
  await client.query(
    `INSERT INTO sltd.operation_check_days AS d (operation_code, border_point_code, day, shard, checks, documents)
     SELECT operation_code, border_point_code, (checked_at AT TIME ZONE 'UTC')::date, id % 16, count(*), sum(documents)
       FROM sltd.operation_checks WHERE operation_code = $1 AND id > $2
      GROUP BY 1, 2, 3, 4
     ON CONFLICT (operation_code, border_point_code, day, shard)
     DO UPDATE SET checks = d.checks + EXCLUDED.checks, documents = d.documents + EXCLUDED.documents`,
    [REPORT_OPERATION, lastId],
  );
  await client.query('VACUUM ANALYZE sltd.operation_checks');
  await client.query('VACUUM ANALYZE sltd.operation_check_days');
  await client.query('VACUUM ANALYZE sltd.hits');
  const { rows } = await client.query<{ documents: string; hits: string }>(
    `SELECT (SELECT sum(documents) FROM sltd.operation_checks WHERE operation_code = $1) AS documents,
            (SELECT count(*) FROM sltd.hits WHERE operation_code = $1) AS hits`,
    [REPORT_OPERATION],
  );
  return {
    view: { operation: REPORT_OPERATION, borderPoints: REPORT_BORDER_POINTS },
    documents: Number(rows[0].documents),
    hits: Number(rows[0].hits),
    loadMs: Math.round(performance.now() - started),
  };
}

/** Whether partner-agencies' `Operation.report` (and notices' figures) are in the committed supergraph. */
export function reportFields(): { gateway: boolean; notices: boolean } {
  const sdl = fs.readFileSync(path.join(__dirname, '..', 'supergraph.graphql'), 'utf8');
  return { gateway: /^\s+report: OperationReport/m.test(sdl), notices: /^\s+personsScreened:/m.test(sdl) };
}

const DOCUMENT_FIGURES =
  'documentsChecked documentHits { total byStatus { status count } byBorderPoint { borderPoint { code } count } }';

/** The OperationReport contract operation (its report part: notices' figures where the supergraph has them). */
export function gatewayReportItem(loaded: LoadedOperation, withNotices: boolean): RequestItem {
  const notices = withNotices
    ? 'personsScreened noticeMatches { total byType { type count } } outcomes { outcome count } byDay { day documentsChecked documentHits noticeMatches }'
    : '';
  const query = `query OperationReport($code: String!) {
    operation(code: $code) { code name status borderPoints { code name } report { ${DOCUMENT_FIGURES} ${notices} } }
  }`;
  return {
    body: JSON.stringify({ query, variables: { code: loaded.view.operation } }),
    verify: (response) =>
      verifyDocuments(
        (response.data?.operation as { report?: Record<string, unknown> } | null)?.report,
        response,
        loaded,
      ),
  };
}

/** The same figures as the gateway asks travel-documents for them (the entity key partner-agencies builds). */
export function subgraphReportItem(loaded: LoadedOperation): RequestItem {
  const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on OperationReport {
    ${DOCUMENT_FIGURES} documentOutcomes { outcome count } documentDays { day documentsChecked documentHits } } } }`;
  return {
    body: JSON.stringify({
      query,
      variables: { r: [{ __typename: 'OperationReport', id: reportKey(loaded.view) }] },
    }),
    verify: (response) =>
      verifyDocuments(
        (response.data?._entities as Record<string, unknown>[] | undefined)?.[0],
        response,
        loaded,
      ),
  };
}

function verifyDocuments(
  report: Record<string, unknown> | undefined | null,
  response: GraphQLBody,
  loaded: LoadedOperation,
): string | null {
  if (response.errors?.length) return `errors: ${JSON.stringify(response.errors).slice(0, 300)}`;
  // The loaded rows and the demo seed's few checks: at least what was loaded.
  const documents = report?.documentsChecked as number | undefined;
  if (documents === undefined || documents < loaded.documents)
    return `documentsChecked ${documents} < ${loaded.documents}`;
  return null;
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the statements travel-documents sends for one report, captured from the repository
 * functions themselves (operation-report.repository.ts) rather than copied, so the plans are of the code that runs.
 */
export async function explainReport(
  client: pg.ClientBase,
  url: string,
  view: OperationReportView,
  caller: Caller,
): Promise<{ title: string; plan: string }[]> {
  const source = new DataSource({ type: 'postgres', url });
  const captured: { sql: string; params: unknown[] }[] = [];
  const capturing = {
    driver: source.driver,
    query: (sql: string, params: unknown[] = []) => {
      captured.push({ sql, params });
      return Promise.resolve([]);
    },
  } as unknown as DataSource;
  await operationCheckDays(capturing, view);
  await operationHitFigures(capturing, caller, view);
  const titles = [
    'OperationReport: documents checked per day (sltd.operation_check_days)',
    `OperationReport: hits by status, border point, outcome and day, as ${caller.clientId} may count them`,
  ];
  const plans: { title: string; plan: string }[] = [];
  for (const [i, statement] of captured.entries()) {
    // Twice: the first run may read pages from disk; the second is the steady state.
    await client.query(statement.sql, statement.params);
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`,
      statement.params,
    );
    plans.push({
      title: titles[i] ?? `statement ${i + 1}`,
      plan: rows.map((r) => r['QUERY PLAN']).join('\n'),
    });
  }
  return plans;
}
