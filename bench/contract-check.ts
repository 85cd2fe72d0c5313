import fs from 'node:fs';
import path from 'node:path';
import type { GraphQLBody, RequestItem } from './load';
import { FastRandom } from './sltd-bulk';
import { drawDocuments, type CheckDocument, type DocumentPools } from './workload';

/**
 * Scenario 1-full: the contract's own BorderCheck (test/contract/border-check.graphql, read from the file so it
 * cannot drift from the contract), whose selection reaches all four subgraphs: the record (travel-documents), its
 * owner agency (partner-agencies), the alerts on the document (document-alerts) and the notices about its holder
 * (notices). A right answer says so for every document.
 */
export const CONTRACT_BORDER_CHECK = fs
  .readFileSync(path.join(__dirname, '..', 'test', 'contract', 'border-check.graphql'), 'utf8')
  .split('\n')
  .filter((line) => !line.startsWith('#'))
  .join('\n')
  .trim();

interface FullCheckResult {
  verdict: string;
  document: {
    sltdRecord: { status: string; owner: { id: string } | null } | null;
    alerts: unknown[] | null;
    notices: unknown[] | null;
  } | null;
  hit: { id: string } | null;
}

/**
 * What a caller must get: scenario 1's verdicts, hit and record, plus the owner agency of every record, the alerts
 * list of every document, and the notices list (ncb-fra, notices:read) or, for a caller without notices:read
 * (bp-fra), `notices: null` with one UNAUTHORIZED_FIELD_OR_TYPE error at its path and no other error.
 */
function verifyFullChecks(documents: readonly CheckDocument[], seesNotices: boolean) {
  return (response: GraphQLBody): string | null => {
    const results = response.data?.checkDocuments as FullCheckResult[] | undefined;
    if (!Array.isArray(results) || results.length !== documents.length)
      return `expected ${documents.length} results, got ${JSON.stringify(response).slice(0, 200)}`;
    const errors = response.errors ?? [];
    if (seesNotices && errors.length > 0) return `errors: ${JSON.stringify(errors).slice(0, 300)}`;
    if (
      !seesNotices &&
      (errors.length !== 1 ||
        errors[0].extensions?.code !== 'UNAUTHORIZED_FIELD_OR_TYPE' ||
        errors[0].path?.at(-1) !== 'notices')
    )
      return `expected one UNAUTHORIZED_FIELD_OR_TYPE at notices, got ${JSON.stringify(errors).slice(0, 300)}`;
    for (let i = 0; i < results.length; i++) {
      const { verdict, hit, document } = results[i];
      const doc = documents[i];
      const at = `document ${i} (${doc.issuingCountry} ${doc.documentNumber})`;
      if (verdict !== doc.expected) return `${at}: ${verdict}, expected ${doc.expected}`;
      if (!document || !Array.isArray(document.alerts)) return `${at}: no document or no alerts list`;
      if (seesNotices !== Array.isArray(document.notices))
        return `${at}: notices ${JSON.stringify(document.notices)}`;
      if (verdict === 'HIT' && (!hit?.id || !document.sltdRecord?.status || !document.sltdRecord.owner?.id))
        return `${at}: HIT without its hit id, record status or owner agency`;
      if (verdict === 'NO_HIT' && (hit || document.sltdRecord)) return `${at}: NO_HIT with a hit or a record`;
    }
    return null;
  };
}

/** `count` contract BorderChecks of `perRequest` documents each (scenario 1's mix), as `client` must see them. */
export function contractCheckItems(
  pools: DocumentPools,
  count: number,
  perRequest: number,
  seesNotices: boolean,
  seed: number,
): RequestItem[] {
  const random = new FastRandom(seed);
  return Array.from({ length: count }, () => {
    const documents = drawDocuments(pools, perRequest, random);
    return {
      body: JSON.stringify({
        operationName: 'BorderCheck',
        query: CONTRACT_BORDER_CHECK,
        variables: { documents: documents.map((d) => ({ mrz: d.mrz })) },
      }),
      verify: verifyFullChecks(documents, seesNotices),
      expectsErrors: !seesNotices,
    };
  });
}
