import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Logger } from 'pino';
import type { RouteHandler } from '../http/server';
import type { HubMetrics } from './metrics';

/**
 * One access log line and one metrics sample per request, on the gateway and on each subgraph. The line carries
 * the request id, the operation name, the HTTP status, the duration, the client id and the error codes: never the
 * query text, the variables or anything of the answer, so no personal data reaches the log at `info`.
 *
 * The gateway accepts a well-formed `x-request-id` from its client (or makes one), hands it to every subgraph it
 * calls and echoes it in its response, so one id finds a request's lines in every process.
 */
export const REQUEST_ID_HEADER = 'x-request-id';
const WELL_FORMED_REQUEST_ID = /^[A-Za-z0-9_-]{1,100}$/;

/** The client's request id when it is well formed (1-100 of [A-Za-z0-9_-]), a new UUID otherwise. */
export function acceptRequestId(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && WELL_FORMED_REQUEST_ID.test(value) ? value : randomUUID();
}

/** What the access log and the metrics learn about one request while it runs. */
export interface RequestRecord {
  readonly requestId: string;
  /** The GraphQL operation name once resolved; for other routes the route path. */
  operation: string | null;
  /** Whether a GraphQL operation was resolved (an anonymous one leaves `operation` null). */
  resolved: boolean;
  /** The route path, for routes other than /graphql (a fixed set: no cap needed). */
  readonly route: string | null;
  clientId: string | null;
  errorCodes: Set<string> | null;
}

/**
 * Where a context value carries its request's record. Apollo Server runs each operation on a shallow copy of the
 * context value, so the record travels as an (enumerable, symbol-keyed) property rather than by identity.
 */
const RECORD = Symbol('requestRecord');

function recordOfContext(context: object): RequestRecord | undefined {
  return (context as { [RECORD]?: RequestRecord })[RECORD];
}

export class RequestObserver {
  private readonly byRequest = new WeakMap<IncomingMessage, RequestRecord>();

  constructor(
    private readonly service: string,
    private readonly log: Logger,
    private readonly hubMetrics: HubMetrics,
  ) {}

  /**
   * Wraps a route: gives the request its id (echoed in `x-request-id`), and logs and counts it once its response
   * has gone. `graphql`: the operation name comes from the Apollo plugin; otherwise the route path stands for it.
   */
  observe(handler: RouteHandler, route: { graphql: boolean; path: string }): RouteHandler {
    return async (req, res) => {
      const started = process.hrtime.bigint();
      const record: RequestRecord = {
        requestId: acceptRequestId(req.headers[REQUEST_ID_HEADER]),
        operation: route.graphql ? null : route.path,
        resolved: !route.graphql,
        route: route.graphql ? null : route.path,
        clientId: null,
        errorCodes: null,
      };
      this.byRequest.set(req, record);
      res.setHeader(REQUEST_ID_HEADER, record.requestId);
      res.once('close', () => this.finish(record, res, started));
      try {
        await handler(req, res);
      } catch (error) {
        addErrorCodes(record, (error as { body?: unknown }).body);
        throw error;
      }
    };
  }

  /** The record of a request being observed (for the context builder: request id, client id). */
  recordOf(req: IncomingMessage): RequestRecord | undefined {
    return this.byRequest.get(req);
  }

  /** Links an Apollo context value to its request, so the plugin below finds the record. */
  bindContext(context: object, record: RequestRecord | undefined): void {
    if (record) Object.defineProperty(context, RECORD, { value: record, enumerable: true });
  }

  /** Notes the resolved operation name and the response's error codes. */
  plugin<C extends BaseContext>(): ApolloServerPlugin<C> {
    return {
      async requestDidStart({ contextValue }) {
        const record = recordOfContext(contextValue);
        if (!record) return;
        return {
          async didResolveOperation({ operationName }) {
            record.operation = operationName;
            record.resolved = true;
          },
          async willSendResponse({ response }) {
            if (response.body.kind === 'single') addErrorCodes(record, response.body.singleResult);
          },
        };
      },
    };
  }

  private finish(record: RequestRecord, res: ServerResponse, started: bigint): void {
    const durationSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    // A response cut off before it was complete (client gone, shutdown deadline) is logged as 499, as nginx does.
    const status = res.writableFinished ? res.statusCode : 499;
    const operation =
      record.route ?? (record.resolved ? this.hubMetrics.operationLabel(record.operation) : 'none');
    const errors = record.errorCodes ? [...record.errorCodes] : [];
    this.hubMetrics.recordRequest({
      service: this.service,
      operation,
      status,
      durationSeconds,
      errorCodes: errors,
    });
    const line = {
      requestId: record.requestId,
      operation: record.resolved ? (record.operation ?? 'anonymous').slice(0, 100) : null,
      status,
      durationMs: Math.round(durationSeconds * 1e4) / 10,
      clientId: record.clientId,
      ...(errors.length > 0 ? { errors } : {}),
    };
    if (status >= 500) this.log.warn(line, 'request');
    else this.log.info(line, 'request');
  }
}

/** Reads `errors[].extensions.code` from a GraphQL result or an error body. */
function addErrorCodes(record: RequestRecord, body: unknown): void {
  const errors = (body as { errors?: unknown } | null | undefined)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return;
  record.errorCodes ??= new Set();
  for (const error of errors as { extensions?: { code?: unknown } }[]) {
    const code = error?.extensions?.code;
    record.errorCodes.add(typeof code === 'string' ? code : 'UNKNOWN');
  }
}
