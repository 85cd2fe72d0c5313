import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext, type ContextFunction } from '@apollo/server';
import type { GraphQLError } from 'graphql';

/**
 * A minimal HTTP layer shared by the gateway and the subgraphs: a few exact routes, JSON bodies with a size
 * limit, and Apollo Server mounted on one of them. No framework: there are five routes in all.
 */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface Route {
  method: 'GET' | 'POST' | '*';
  path: string;
  handler: RouteHandler;
}

const MAX_BODY_BYTES = 5 * 1024 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

export interface RunningHttpServer {
  server: http.Server;
  port: number;
  url: string;
  /** Requests being answered right now. */
  readonly inFlight: number;
  /**
   * Graceful stop: accepts no new connection, closes idle keep-alive connections at once and every other one as
   * soon as its response is sent; resolves when the last connection is gone. Bounded by whoever calls it:
   * {@link RunningHttpServer.forceClose} ends what is left (see shared/observability/shutdown.ts).
   */
  close(): Promise<void>;
  /** Destroys every connection, finished or not. */
  forceClose(): void;
}

export async function listen(routes: Route[], port: number, host = '0.0.0.0'): Promise<RunningHttpServer> {
  let inFlight = 0;
  let draining = false;
  const pending = new Set<ServerResponse>();
  const server = http.createServer((req, res) => {
    inFlight += 1;
    pending.add(res);
    if (draining) res.setHeader('connection', 'close');
    res.once('close', () => {
      inFlight -= 1;
      pending.delete(res);
      // While draining, a keep-alive connection goes as soon as its last response is out.
      if (draining) setImmediate(() => server.closeIdleConnections());
    });
    void dispatch(routes, req, res);
  });
  // Gateways keep connections to subgraphs alive; the server must keep them longer than the client does.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  let closed: Promise<void> | null = null;
  return {
    server,
    port: actualPort,
    url: `http://127.0.0.1:${actualPort}`,
    get inFlight() {
      return inFlight;
    },
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        draining = true;
        // Responses still being prepared tell their client that this connection ends with them.
        for (const res of pending) if (!res.headersSent) res.setHeader('connection', 'close');
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      return closed;
    },
    forceClose: () => server.closeAllConnections(),
  };
}

async function dispatch(routes: Route[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  const route = routes.find((r) => r.path === path && (r.method === '*' || r.method === req.method));
  try {
    if (!route) throw new HttpError(routes.some((r) => r.path === path) ? 405 : 404, 'Not found');
    await route.handler(req, res);
  } catch (error) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof HttpError) {
      sendJson(res, error.status, error.body ?? { error: error.message });
    } else {
      sendJson(res, 500, { error: 'Internal server error' });
    }
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, `Request body exceeds ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'The request body is not valid JSON');
  }
}

function headerMapOf(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/**
 * Looks at the GraphQL document before Apollo Server parses it; an error it returns is the answer (HTTP 400),
 * the document is not parsed.
 */
export type DocumentCheck = (query: string, req: IncomingMessage) => GraphQLError | null;

/** Mounts Apollo Server (gateway or subgraph) as a route handler. */
export function graphqlHandler<C extends BaseContext>(
  apollo: ApolloServer<C>,
  context: ContextFunction<[{ req: IncomingMessage }], C>,
  checkDocument?: DocumentCheck,
): RouteHandler {
  return async (req, res) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const body = method === 'POST' ? await readJsonBody(req) : undefined;
    const search = new URL(req.url ?? '/', 'http://x').search;
    const query =
      method === 'POST'
        ? (body as { query?: unknown } | undefined)?.query
        : new URLSearchParams(search).get('query');
    const refusal = checkDocument && typeof query === 'string' ? checkDocument(query, req) : null;
    if (refusal) {
      const { http: _http, ...extensions } = refusal.extensions;
      throw new HttpError(400, refusal.message, { errors: [{ message: refusal.message, extensions }] });
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method,
        headers: headerMapOf(req),
        search,
        body,
      },
      context: () => context({ req }),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
}
