import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import type { Logger } from 'pino';
import type { Caller } from '../shared/auth/caller';
import { GATEWAY_CREDENTIAL_HEADER } from '../shared/auth/gateway-credential';
import { bearerToken, type TokenVerifier } from '../shared/auth/token-verifier';
import {
  graphqlHandler,
  HttpError,
  listen,
  readBody,
  sendJson,
  type Route,
  type RunningHttpServer,
} from '../shared/http/server';
import { maskUnexpectedErrors } from '../shared/schema/format-error';
import type { GatewayEnvironment } from './config';
import type { GatewayContext } from './context';
import { FieldAccessEnforcer } from './enforcement';
import { SubgraphDataSource } from './subgraph-data-source';
import { supergraphForGateway } from './supergraph';

export interface GatewayOptions {
  env: Pick<
    GatewayEnvironment,
    | 'PORT'
    | 'HOST'
    | 'NOTICES_URL'
    | 'TRAVEL_DOCUMENTS_URL'
    | 'DOCUMENT_ALERTS_URL'
    | 'PARTNER_AGENCIES_URL'
    | 'GATEWAY_CREDENTIAL'
    | 'AUTHORIZATION_MODE'
  >;
  supergraphSdl: string;
  verifyToken: TokenVerifier;
  log: Logger;
}

export interface RunningGateway {
  url: string;
  port: number;
  http: RunningHttpServer;
  stop(): Promise<void>;
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { env, log } = options;
  const subgraphUrls: Record<string, string> = {
    notices: env.NOTICES_URL,
    'travel-documents': env.TRAVEL_DOCUMENTS_URL,
    'document-alerts': env.DOCUMENT_ALERTS_URL,
    'partner-agencies': env.PARTNER_AGENCIES_URL,
  };
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphForGateway(options.supergraphSdl),
    buildService: ({ name, url }) =>
      new SubgraphDataSource(subgraphUrls[name] ?? url ?? '', env.GATEWAY_CREDENTIAL),
    logger: log,
  });
  const enforcer = new FieldAccessEnforcer({ mode: env.AUTHORIZATION_MODE });
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => enforcer.onSchema(apiSchema, options.supergraphSdl));

  // @apollo/gateway is typed against an older gateway interface; this adapter is where the executor gets the
  // field-level enforcement wrapped around it.
  const enforcedGateway: GatewayInterface = {
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    load: async (loadOptions) => {
      const { executor } = await gateway.load(loadOptions);
      return {
        executor: executor ? enforcer.wrap(executor as Parameters<FieldAccessEnforcer['wrap']>[0]) : null,
      };
    },
    stop: () => gateway.stop(),
  };

  const apollo = new ApolloServer<GatewayContext>({
    gateway: enforcedGateway,
    // Introspection is open at the HTTP level and guarded per field: __schema and __type need schema:read.
    introspection: true,
    includeStacktraceInErrorResponses: false,
    formatError: maskUnexpectedErrors(log),
  });
  await apollo.start();

  const callers = new WeakMap<IncomingMessage, Caller | null>();
  const graphql = graphqlHandler(apollo, async ({ req }) => ({
    requestId: (req.headers['x-request-id'] as string | undefined) ?? randomUUID(),
    caller: callers.get(req) ?? null,
  }));
  const partnerAgenciesBase = new URL(env.PARTNER_AGENCIES_URL);

  const routes: Route[] = [
    {
      method: '*',
      path: '/graphql',
      handler: async (req, res) => {
        // A token that is present must be valid: expired, forged or malformed tokens get 401 and no data.
        try {
          const token = bearerToken(req.headers.authorization);
          callers.set(req, token ? await options.verifyToken(token) : null);
        } catch (error) {
          const message = error instanceof Error ? error.message : 'Invalid access token';
          throw new HttpError(401, message, {
            errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }],
          });
        }
        await graphql(req, res);
      },
    },
    {
      method: 'POST',
      path: '/oauth/token',
      handler: (req, res) =>
        forward(req, res, new URL('/oauth/token', partnerAgenciesBase), env.GATEWAY_CREDENTIAL),
    },
    {
      method: 'GET',
      path: '/.well-known/jwks.json',
      handler: (req, res) =>
        forward(req, res, new URL('/.well-known/jwks.json', partnerAgenciesBase), env.GATEWAY_CREDENTIAL),
    },
    {
      method: 'GET',
      path: '/health',
      handler: (_req, res) => sendJson(res, 200, { status: 'ok', service: 'gateway' }),
    },
    {
      method: 'GET',
      path: '/ready',
      handler: async (_req, res) => {
        const checks = await Promise.all(
          Object.entries(subgraphUrls).map(
            async ([name, url]) => [name, await isReady(new URL('/ready', url))] as const,
          ),
        );
        const ready = checks.every(([, ok]) => ok);
        sendJson(res, ready ? 200 : 503, {
          status: ready ? 'ready' : 'unready',
          service: 'gateway',
          subgraphs: Object.fromEntries(checks.map(([name, ok]) => [name, ok ? 'ready' : 'unready'])),
        });
      },
    },
  ];
  const http = await listen(routes, env.PORT, env.HOST);
  log.info({ url: `${http.url}/graphql` }, 'gateway listening');
  return {
    url: `${http.url}/graphql`,
    port: http.port,
    http,
    stop: async () => {
      await http.close();
      await apollo.stop();
    },
  };
}

async function isReady(url: URL): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return response.ok;
  } catch {
    return false;
  }
}

/** The token endpoint and keys belong to partner-agencies; the gateway is their public address. */
async function forward(
  req: IncomingMessage,
  res: import('node:http').ServerResponse,
  target: URL,
  credential: string,
) {
  const body = req.method === 'POST' ? await readBody(req, 16 * 1024) : undefined;
  const headers: Record<string, string> = { [GATEWAY_CREDENTIAL_HEADER]: credential };
  for (const name of ['content-type', 'authorization', 'x-request-id']) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const upstream = await fetch(target, {
    method: req.method,
    headers,
    body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await upstream.text();
  const passHeaders: Record<string, string> = {};
  for (const name of ['content-type', 'cache-control', 'pragma', 'www-authenticate']) {
    const value = upstream.headers.get(name);
    if (value) passHeaders[name] = value;
  }
  res.writeHead(upstream.status, passHeaders);
  res.end(text);
}
