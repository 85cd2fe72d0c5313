import http from 'node:http';
import https from 'node:https';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import {
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  isBrokenCircuitError,
} from 'cockatiel';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import nodeFetch, { FetchError, Response } from 'node-fetch';
import type { Logger } from 'pino';
import { GATEWAY_CREDENTIAL_HEADER } from '../shared/auth/gateway-credential';
import { metrics, type CircuitReading } from '../shared/observability/metrics';
import { SUBGRAPH_RESILIENCE_DEFAULTS, type SubgraphResilienceEnvironment } from './config';
import type { GatewayContext } from './context';
import { postToSubgraph } from './subgraph-post';
import { unavailableErrors, type UnavailableReason } from './subgraph-unavailable';

/**
 * How long the gateway keeps an idle connection to a subgraph: well under the subgraphs' keep-alive (65 s,
 * shared/http/server.ts), so the gateway closes an idle connection before the subgraph does. Without it Node's
 * agent keeps idle connections until the server closes them, and a request the gateway writes as the server closes
 * (the gateway's event loop busy across that moment) is reset: its fields come back SUBGRAPH_UNAVAILABLE
 * (UNREACHABLE) and the failure counts towards opening the circuit. With a timeout set, the agent also honours a
 * server's shorter `Keep-Alive: timeout=N` hint (it closes 1 s before it), e.g. a proxy in front of a subgraph.
 */
export const IDLE_CONNECTION_TIMEOUT_MS = 30_000;

/** Connections to the subgraphs stay open between calls, and the gateway is the one that closes idle ones. */
export const SUBGRAPH_AGENTS = {
  http: new http.Agent({ keepAlive: true, timeout: IDLE_CONNECTION_TIMEOUT_MS }),
  https: new https.Agent({ keepAlive: true, timeout: IDLE_CONNECTION_TIMEOUT_MS }),
};

/** How long the gateway waits for one subgraph, and when it stops calling one that keeps failing. */
export interface SubgraphResilience {
  /** The whole call (connect, send, answer, body) must finish within this, or its fields come back null. */
  timeoutMs: number;
  /** Consecutive unavailability failures (timeouts, refused connections) that open the circuit. */
  breakerFailures: number;
  /** How long an open circuit fails calls at once before it lets one call through to test the subgraph. */
  breakerHalfOpenMs: number;
}

/** Each subgraph's settings from the environment (missing values take the documented defaults). */
export function subgraphResilience(env: Partial<SubgraphResilienceEnvironment>) {
  const settings = { ...SUBGRAPH_RESILIENCE_DEFAULTS, ...env };
  return {
    readyTimeoutMs: settings.READY_TIMEOUT_MS,
    tokenTimeoutMs: settings.TOKEN_TIMEOUT_MS,
    refusalAuditTimeoutMs: settings.REFUSAL_AUDIT_TIMEOUT_MS,
    of: (subgraph: string): SubgraphResilience => ({
      timeoutMs:
        settings.SUBGRAPH_TIMEOUTS[subgraph as keyof typeof settings.SUBGRAPH_TIMEOUTS] ??
        settings.SUBGRAPH_TIMEOUT_MS,
      breakerFailures: settings.SUBGRAPH_BREAKER_FAILURES,
      breakerHalfOpenMs: settings.SUBGRAPH_BREAKER_HALF_OPEN_MS,
    }),
  };
}

/**
 * How the gateway calls a subgraph: it adds its own credential (subgraphs refuse requests without it) and
 * forwards the caller's token and the request id, so each subgraph verifies the caller itself and its logs
 * join the gateway's. Each fetch made for a client's operation is timed (hub_subgraph_fetch_duration_seconds).
 *
 * Every call is bounded by the subgraph's timeout and goes through its circuit breaker (cockatiel): a subgraph
 * that is frozen, dead or unreachable costs only the fields it owns, each null with a SUBGRAPH_UNAVAILABLE error at
 * its path (gateway/subgraph-unavailable.ts), and after a few such failures calls fail at once instead of each
 * waiting for the timeout, until a test call finds the subgraph answering again.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly breaker: CircuitBreakerPolicy;
  /** The subgraph's URL, parsed once (on first use: node-fetch refused an unusable one at call time too). */
  private target: URL | null = null;

  constructor(
    url: string,
    private readonly credential: string,
    private readonly subgraphName: string,
    private readonly resilience: SubgraphResilience,
    log: Logger,
  ) {
    // node-fetch over keep-alive agents instead of the default make-fetch-happen, whose agent captures a stack
    // trace on every request (source-mapped under swc) and whose fetch pipeline costs ~4x the CPU per call
    // (bench/README.md, "Gateway to subgraph calls"). The timeout covers the body too: node-fetch aborts it.
    super({
      url,
      fetcher: (input, init) =>
        nodeFetch(input, {
          ...init,
          agent: (target) => (target.protocol === 'https:' ? SUBGRAPH_AGENTS.https : SUBGRAPH_AGENTS.http),
          signal: AbortSignal.timeout(resilience.timeoutMs),
        }),
    });
    // Only unavailability counts against the subgraph: a GraphQL error it answers with means it is alive.
    this.breaker = circuitBreaker(
      handleWhen((error) => unavailableReason(error) !== null),
      {
        halfOpenAfter: resilience.breakerHalfOpenMs,
        breaker: new ConsecutiveBreaker(resilience.breakerFailures),
      },
    );
    // One warn line when the subgraph goes, one when it is back; each failed test call in between is debug.
    const subgraph = subgraphName;
    let down = false;
    this.breaker.onBreak(() => {
      if (down) return log.debug({ subgraph }, 'subgraph still unavailable: circuit open again');
      down = true;
      log.warn({ subgraph }, 'subgraph unavailable: circuit open, its fields come back null at once');
    });
    this.breaker.onHalfOpen(() =>
      log.debug({ subgraph }, 'subgraph circuit half-open: testing with one call'),
    );
    this.breaker.onReset(() => {
      down = false;
      log.warn({ subgraph }, 'subgraph answering again: circuit closed');
    });
  }

  get circuit(): CircuitReading {
    switch (this.breaker.state) {
      case CircuitState.Closed:
        return 'closed';
      case CircuitState.HalfOpen:
        return 'half-open';
      default:
        return 'open';
    }
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http?.headers;
    if (!headers) return;
    for (const [name, value] of Object.entries(this.headersFor(context))) headers.set(name, value);
  }

  /** What the gateway adds to every call: its credential; for a client's operation, its request id and token. */
  private headersFor(
    context: GraphQLDataSourceProcessOptions<GatewayContext>['context'],
  ): Record<string, string> {
    const headers: Record<string, string> = { [GATEWAY_CREDENTIAL_HEADER]: this.credential };
    // Health checks and schema loads run without a request context.
    if (context && 'requestId' in context) {
      headers['x-request-id'] = context.requestId;
      if (context.caller) headers.authorization = `Bearer ${context.caller.token}`;
    }
    return headers;
  }

  override async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    // Only fetches made for a client's operation are timed, not health checks or schema loads.
    if (!('incomingRequestContext' in options)) return super.process(options);
    const done = metrics().startSubgraphFetch(this.subgraphName);
    // While one test call finds out whether the subgraph is back, the others fail at once rather than queue
    // behind it (cockatiel would make them wait for its outcome).
    if (this.breaker.state === CircuitState.HalfOpen) {
      done('circuit_open');
      return this.unavailable(options, 'CIRCUIT_OPEN');
    }
    try {
      const response = await this.breaker.execute(() => this.send(options));
      done('ok');
      return response;
    } catch (error) {
      const reason = unavailableReason(error);
      if (reason) {
        done(reason === 'CIRCUIT_OPEN' ? 'circuit_open' : reason === 'TIMEOUT' ? 'timeout' : 'unreachable');
        return this.unavailable(options, reason);
      }
      done('error');
      // A subgraph that answered an HTTP error with a GraphQL body (503 SERVICE_UNAVAILABLE when its database is
      // down, 400 BAD_USER_INPUT for input the gateway let through) is heard: its errors, with their codes and
      // paths, go to the client like those of a 200, instead of one INTERNAL_SERVER_ERROR.
      const answered = graphqlBodyOf(error);
      if (answered && responseOf(error)?.status !== undefined) return answered;
      throw error;
    }
  }

  /**
   * RemoteGraphQLDataSource.process for a client's operation, without what the gateway does not use: the parent
   * builds node-fetch `Headers`, converts them to an object, and builds a node-fetch `Request` it hands only to
   * `didEncounterError` and `parseBody` (neither overridden: they ignore it); then node-fetch builds its own from the
   * same URL and headers, a body stream, and the timeout's `AbortSignal`. Here the call goes out on Node's http client
   * (`postToSubgraph`, same agents, same deadline, the same errors), with the same body
   * (`{ query, variables, operationName }`) and the same headers the gateway sets, and the answer is read as the
   * parent reads it: a non-2xx through `errorFromResponse`, a JSON body parsed (node-fetch's `invalid-json`
   * FetchError when it is not JSON), anything but an object refused. Not done: the parent's
   * `overallCachePolicy.restrict` from the subgraph's `cache-control`, which only Apollo's cache-control plugin
   * reads, and the gateway installs it disabled (gateway/server.ts). `subgraph-data-source.spec.ts` holds the
   * request and the answers equal to the parent's.
   */
  private async send(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    const { request, context } = options;
    if (!request.query) throw new Error('Missing query');
    // node-fetch sent these two by default; the subgraphs answer JSON either way and never compress.
    const headers: Record<string, string> = { accept: '*/*' };
    // Headers the planner's fetch asked for (apollo-federation-include-trace, when tracing), as the parent copies.
    if (request.http?.headers)
      for (const [name, value] of request.http.headers) headers[name.toLowerCase()] = value;
    headers['content-type'] = 'application/json';
    Object.assign(headers, this.headersFor(context));
    const { query, http: _http, ...rest } = request;
    this.target ??= new URL(this.url);
    const answer = await postToSubgraph(
      this.target,
      SUBGRAPH_AGENTS,
      headers,
      JSON.stringify({ query, ...rest }),
      this.resilience.timeoutMs,
    );
    if (answer.status < 200 || answer.status >= 300) {
      // Rare (a subgraph's error answer): the parent's own error, from a node-fetch Response of the same answer.
      throw await this.errorFromResponse(
        new Response(answer.text, {
          status: answer.status,
          statusText: answer.statusText,
          headers: answer.contentType ? { 'content-type': answer.contentType } : {},
          url: this.url,
        }),
      );
    }
    const type = answer.contentType;
    let body: unknown = answer.text;
    if (type?.startsWith('application/json') || type?.startsWith('application/graphql-response+json')) {
      try {
        body = JSON.parse(answer.text);
      } catch (error) {
        throw new FetchError(
          `invalid json response body at ${this.url} reason: ${(error as Error).message}`,
          'invalid-json',
        );
      }
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new Error(`Expected JSON response body, but received: ${String(body)}`);
    }
    return body as GatewayGraphQLResponse;
  }

  private unavailable(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
    reason: UnavailableReason,
  ): GatewayGraphQLResponse {
    return {
      errors: unavailableErrors({
        subgraph: this.subgraphName,
        reason,
        timeoutMs: this.resilience.timeoutMs,
        query: options.request.query ?? '',
        variables: options.request.variables,
      }),
    };
  }
}

/** Why a call failed for want of the subgraph, or null when the subgraph answered (even with an error). */
export function unavailableReason(error: unknown): UnavailableReason | null {
  if (isBrokenCircuitError(error)) return 'CIRCUIT_OPEN';
  if (!(error instanceof Error)) return null;
  // node-fetch's AbortError: the timeout's signal is the only one the gateway gives it.
  if (error.name === 'AbortError' || error.name === 'TimeoutError') return 'TIMEOUT';
  // node-fetch's FetchError: 'system' is a socket error (refused, reset, unreachable host, DNS).
  if (error.name === 'FetchError') {
    const type = (error as Error & { type?: string }).type;
    return type === 'system' ? 'UNREACHABLE' : type?.endsWith('timeout') ? 'TIMEOUT' : null;
  }
  if (isServerError(error) && !graphqlBodyOf(error)) {
    const status = responseOf(error)?.status;
    if (status === 502 || status === 503 || status === 504) return 'BAD_GATEWAY';
  }
  return null;
}

/** RemoteGraphQLDataSource throws a GraphQLError with `extensions.response` for a non-2xx answer. */
function responseOf(error: unknown): { status?: number; body?: unknown } | undefined {
  if (!(error instanceof GraphQLError)) return undefined;
  return error.extensions.response as { status?: number; body?: unknown } | undefined;
}

function isServerError(error: unknown): boolean {
  const status = responseOf(error)?.status;
  return typeof status === 'number' && status >= 500;
}

function graphqlBodyOf(error: unknown): GatewayGraphQLResponse | null {
  const body = responseOf(error)?.body;
  if (typeof body !== 'object' || body === null) return null;
  const { data, errors } = body as { data?: unknown; errors?: unknown };
  if (!Array.isArray(errors) || errors.length === 0) return null;
  return {
    data: typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : undefined,
    errors: errors as GraphQLFormattedError[],
  };
}
