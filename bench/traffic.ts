import { runHttpLoad, runSqlLoad, type LoadResult, type RequestItem } from './load';
import type { LookupStatement } from './sql-floor';
import type { CheckDocument } from './workload';

/**
 * How a row's requests are sent: a timed HTTP load (autocannon), one request at a time (statement counting),
 * or the SQL look-up replayed over node-postgres. Each returns what a {@link MeasuredRow} takes.
 */
export type Headers = Record<string, string>;

/** The timed load: `connections` connections taking `items` in turn for the given number of seconds. */
export const httpLoad =
  (url: string, headers: Headers, items: RequestItem[], connections: number) =>
  (durationSec: number): Promise<LoadResult> =>
    runHttpLoad({ url, headers, items, connections, durationSec });

/** Request `i` alone, its answer read to the end. */
export const sendOne = (url: string, headers: Headers, items: RequestItem[]) => async (i: number) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: items[i % items.length].body,
  });
  await response.text();
};

/** How the gateway calls a subgraph on a caller's behalf: its credential and the caller's token. */
export const subgraphHeaders = (bearer: string, gatewayCredential: string): Headers => ({
  authorization: `Bearer ${bearer}`,
  'x-gateway-credential': gatewayCredential,
});

/** The look-up statement travel-documents sends for each check, replayed with these documents' keys. */
export function sqlLoad(
  databaseUrl: string,
  lookup: LookupStatement,
  documents: CheckDocument[][],
  concurrency: number,
) {
  let next = 0;
  const statements = documents.map((docs) => ({
    name: lookup.name,
    text: lookup.text,
    values: lookup.values(uniqueKeys(docs)),
  }));
  return (durationSec: number): Promise<LoadResult> =>
    runSqlLoad({
      url: databaseUrl,
      concurrency,
      durationSec,
      next: () => statements[next++ % statements.length],
    });
}

function uniqueKeys(documents: readonly CheckDocument[]) {
  const seen = new Map<string, { issuingCountry: string; documentNumber: string }>();
  for (const d of documents) seen.set(`${d.issuingCountry}/${d.documentNumber}`, d);
  return [...seen.values()].map((d) => ({
    issuingCountry: d.issuingCountry,
    documentNumber: d.documentNumber,
  }));
}
