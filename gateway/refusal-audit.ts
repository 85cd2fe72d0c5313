import type { Logger } from 'pino';
import type { Caller } from '../shared/auth/caller';
import { GATEWAY_CREDENTIAL_HEADER } from '../shared/auth/gateway-credential';
import { metrics, type HubMetrics, type RefusalAuditFailure } from '../shared/observability/metrics';
import { REQUEST_ID_HEADER } from '../shared/observability/request-log';
import { MAX_REFUSED_FIELDS, REFUSALS_PATH } from '../shared/audit/field-refusals';
import { SUBGRAPH_AGENTS } from './subgraph-data-source';
import { postToSubgraph } from './subgraph-post';

/**
 * The gateway's field refusals (UNAUTHORIZED_FIELD_OR_TYPE), as audit rows. The gateway has no database: it sends
 * one report per request to partner-agencies (`POST /internal/refusals`, gateway credential only), which verifies
 * the forwarded token again and writes the row with the shared audit writer.
 *
 * Before the response, bounded (docs/security.md, "What is audited"): the report starts as soon as the filter has
 * decided, runs while the rest of the operation executes, and the answer waits for it at most `timeoutMs` — so it
 * costs the caller nothing when partner-agencies answers in time, and never more than the bound when it does not.
 * A report that fails or runs out of time is logged (warn, with the request id, client and coordinates), never
 * turned into an error for the caller: the refused fields released nothing, unlike a read whose row cannot be
 * written (shared/subgraph/server.ts withholds that data). It is also counted, by reason, in
 * `hub_refusal_audit_failures_total`: a log line is one request's row, the counter is what an alert watches.
 */
export interface RefusalAuditOptions {
  /** partner-agencies' base URL (its /graphql URL will do: only the origin is used). */
  partnerAgenciesUrl: string;
  credential: string;
  timeoutMs: number;
  log: Logger;
  /** Where failures are counted (default: the process's registry). */
  metrics?: Pick<HubMetrics, 'recordRefusalAuditFailure'>;
}

interface FieldRefusal {
  requestId: string;
  caller: Caller;
  /** The operation's name as the caller gave it (null: an anonymous operation). */
  operationName: string | null;
  /** The refused schema coordinates (`Type.field`), duplicates allowed. */
  coordinates: readonly string[];
}

export type ReportRefusal = (refusal: FieldRefusal) => Promise<void>;

export function refusalAudit(options: RefusalAuditOptions): ReportRefusal {
  const target = new URL(REFUSALS_PATH, options.partnerAgenciesUrl);
  const counted = options.metrics ?? metrics();
  return async (refusal) => {
    const unique = [...new Set(refusal.coordinates)].sort();
    const fields = unique.slice(0, MAX_REFUSED_FIELDS);
    const body = JSON.stringify({
      operation: refusal.operationName,
      fields,
      omitted: unique.length - fields.length,
    });
    const failed = (kind: RefusalAuditFailure, reason: string) => {
      counted.recordRefusalAuditFailure(kind);
      options.log.warn(
        {
          requestId: refusal.requestId,
          clientId: refusal.caller.clientId,
          operation: refusal.operationName,
          fields,
          reason,
        },
        'refusal not audited',
      );
    };
    try {
      // Node's http client on the gateway's keep-alive agents, as its subgraph calls (gateway/subgraph-post.ts):
      // Node's global fetch (undici) cost about 1 ms of CPU per call (bench/README.md, "Where the time goes" 1, 2).
      const answer = await postToSubgraph(
        target,
        SUBGRAPH_AGENTS,
        {
          'content-type': 'application/json',
          authorization: `Bearer ${refusal.caller.token}`,
          [GATEWAY_CREDENTIAL_HEADER]: options.credential,
          [REQUEST_ID_HEADER]: refusal.requestId,
        },
        body,
        options.timeoutMs,
      );
      if (answer.status < 200 || answer.status >= 300)
        failed('rejected', `partner-agencies answered ${answer.status}`);
    } catch (error) {
      // An AbortError when the deadline passes, before or while the body is read; a FetchError for a socket error.
      const name = (error as { name?: unknown } | null)?.name;
      if (name === 'TimeoutError' || name === 'AbortError')
        failed('timeout', `no answer within ${options.timeoutMs} ms`);
      else failed('unreachable', 'partner-agencies unreachable');
    }
  };
}
