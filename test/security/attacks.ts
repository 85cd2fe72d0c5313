import pg from 'pg';
import { GATEWAY_CREDENTIAL_HEADER } from '../../shared/auth/gateway-credential';
import { metrics } from '../../shared/observability/metrics';
import { DEV_GATEWAY_CREDENTIAL } from '../../shared/subgraph/config';
import type { GraphQLResponse, TestHub } from '../hub';

/**
 * What the adversarial suite shares: the attacks' documents, the CPU the whole in-process hub spends on one
 * request, the rows a refused request must not have written, and a subgraph reached around the gateway.
 */

/** The ICAO 9303 specimen passport, reported stolen in the demo data. */
export const SPECIMEN_MRZ =
  'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10';

/** `levels` fragments, each spreading the next twice: 2^(levels-1) copies of `last` once expanded. */
export function fragmentChain(levels: number, last: string, type = 'Query'): string {
  const chain = Array.from({ length: levels - 1 }, (_, i) => {
    const next = `F${i + 2}`;
    return `fragment F${i + 1} on ${type} { ...${next} ... on ${type} { ...${next} } }`;
  });
  return `query Chain { ...F1 }\n${chain.join('\n')}\nfragment F${levels} on ${type} { ${last} }`;
}

/** `count` aliases of one selection. */
export function aliases(count: number, selection: string): string {
  return `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${selection}`).join(' ')} }`;
}

/** The CPU time (user + system, milliseconds) the process spends while `run` is awaited. */
export async function cpuOf<T>(run: () => Promise<T>): Promise<{ result: T; cpuMs: number }> {
  const before = process.cpuUsage();
  const result = await run();
  const spent = process.cpuUsage(before);
  return { result, cpuMs: (spent.user + spent.system) / 1000 };
}

/** Rows a check or a read writes: hits, their webhook events, and the audit trail. */
export async function writtenRows(databaseUrl: string): Promise<Record<string, number>> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ hits: number; events: number; audit: number }>(
      `SELECT (SELECT count(*)::int FROM sltd.hits) AS hits,
              (SELECT count(*)::int FROM outbox.events) AS events,
              (SELECT count(*)::int FROM audit.entries) AS audit`,
    );
    return rows[0];
  } finally {
    await db.end();
  }
}

/** The refusals counted so far for one service and limit (the process's one registry: the hub is in process). */
export async function refusalsCounted(service: string, limit: string): Promise<number> {
  const metric = await metrics().registry.getSingleMetric('hub_operation_limit_refusals_total')?.get();
  const sample = metric?.values.find(
    (value) => value.labels.service === service && value.labels.limit === limit,
  );
  return sample?.value ?? 0;
}

/** POSTs straight to a subgraph with the gateway's credential and the client's token, as the gateway would. */
export async function direct(
  hub: TestHub,
  subgraph: string,
  clientId: string | null,
  body: { query: string; variables?: Record<string, unknown> },
): Promise<GraphQLResponse> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    [GATEWAY_CREDENTIAL_HEADER]: DEV_GATEWAY_CREDENTIAL,
  };
  if (clientId) headers.authorization = `Bearer ${await hub.token(clientId)}`;
  const response = await fetch(hub.hub.subgraphs[subgraph].url, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse['body'] };
}
