import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServer } from '@apollo/server';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import type { Logger } from 'pino';
import { callerOfRequest } from '../shared/auth/request-caller';
import type { Caller } from '../shared/auth/caller';
import { GATEWAY_CREDENTIAL_HEADER } from '../shared/auth/gateway-credential';
import type { TokenVerifier } from '../shared/auth/token-verifier';
import { ErrorCode } from '../shared/errors';
import {
  graphqlHandler,
  HttpError,
  listen,
  readBody,
  sendJson,
  type Route,
  type RunningHttpServer,
} from '../shared/http/server';
import { metrics } from '../shared/observability/metrics';
import { acceptRequestId, REQUEST_ID_HEADER, RequestObserver } from '../shared/observability/request-log';
import { OperationLimiter, type OperationLimits } from '../shared/limits';
import { inputHygiene } from '../shared/input/hygiene';
import { logUnexpectedErrors, maskUnexpectedErrors } from '../shared/schema/format-error';
import { hideSchemaSuggestions } from '../shared/schema/hide-suggestions';
import { serviceUnavailableAsHttp } from '../shared/schema/service-unavailable';
import type { GatewayEnvironment, SubgraphResilienceEnvironment } from './config';
import type { GatewayContext } from './context';
import { FieldAccessEnforcer } from './enforcement';
import { planningErrorsAsBadRequests } from './planning-errors';
import { refusalAudit } from './refusal-audit';
import { explorerRoutes } from './explorer/routes';
import { SubgraphDataSource, subgraphResilience } from './subgraph-data-source';
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
  > &
    Partial<SubgraphResilienceEnvironment> &
    // Production hides the explorer's schema and rules from callers without a token; absent: development.
    Partial<Pick<GatewayEnvironment, 'NODE_ENV'>>;
  supergraphSdl: string;
  verifyToken: TokenVerifier;
  log: Logger;
  limits: OperationLimits;
  /** The hub's clock (default: the system clock): operation grants end with their window (tests move it). */
  clock?: () => Date;
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
  const resilience = subgraphResilience(env);
  const dataSources = new Map<string, SubgraphDataSource>();
  const untrackCircuits: (() => void)[] = [];
  // @apollo/gateway starts an OpenTelemetry metrics exporter to Apollo's servers (usage-reporting.api.apollographql.com,
  // hourly, after probing cloud metadata addresses) when it is constructed, unless this is set. The hub sends nothing
  // out of the network it serves (docs/security.md, "What leaves the hub"), whatever the environment says.
  // eslint-disable-next-line no-restricted-properties -- written for @apollo/gateway, which reads it there; not read here
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphForGateway(options.supergraphSdl),
    buildService: ({ name, url }) => {
      const dataSource = new SubgraphDataSource(
        subgraphUrls[name] ?? url ?? '',
        env.GATEWAY_CREDENTIAL,
        name,
        resilience.of(name),
        log,
      );
      dataSources.set(name, dataSource);
      untrackCircuits.push(metrics().trackCircuit(name, () => dataSource.circuit));
      return dataSource;
    },
    logger: log,
  });
  const enforcer = new FieldAccessEnforcer({
    mode: env.AUTHORIZATION_MODE,
    clock: options.clock,
    reportRefusal: refusalAudit({
      partnerAgenciesUrl: env.PARTNER_AGENCIES_URL,
      credential: env.GATEWAY_CREDENTIAL,
      timeoutMs: resilience.refusalAuditTimeoutMs,
      log,
    }),
  });
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => enforcer.onSchema(apiSchema, options.supergraphSdl));

  // @apollo/gateway is typed against an older gateway interface; this adapter is where the executor gets the
  // field-level enforcement wrapped around it.
  const enforcedGateway: GatewayInterface = {
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    load: async (loadOptions) => {
      const { executor } = await gateway.load(loadOptions);
      return {
        executor: executor
          ? planningErrorsAsBadRequests(enforcer.wrap(executor as Parameters<FieldAccessEnforcer['wrap']>[0]))
          : null,
      };
    },
    stop: () => gateway.stop(),
  };

  // One access log line and one metrics sample per request; the request id goes to every subgraph and back out.
  const observer = new RequestObserver('gateway', log, metrics());
  // Before the access filter and the planner: a query-shape attack is refused in milliseconds.
  const limiter = new OperationLimiter(options.limits, 'gateway', log, metrics());
  const apollo = new ApolloServer<GatewayContext>({
    gateway: enforcedGateway,
    // Introspection is open at the HTTP level and guarded per field: __schema and __type need schema:read.
    introspection: true,
    includeStacktraceInErrorResponses: false,
    formatError: maskUnexpectedErrors(),
    validationRules: limiter.validationRules,
    parseOptions: limiter.parseOptions,
    // Apollo's default landing page on GET /graphql loads Sandbox from a CDN: closed networks get the explorer at /.
    plugins: [
      observer.plugin<GatewayContext>(),
      logUnexpectedErrors<GatewayContext>(log),
      limiter.plugin<GatewayContext>(),
      inputHygiene<GatewayContext>({ normalize: false }),
      hideSchemaSuggestions<GatewayContext>(),
      serviceUnavailableAsHttp<GatewayContext>(),
      ApolloServerPluginLandingPageDisabled(),
      // No HTTP caching of answers about people and documents, and no per-field cache-hint work on the hot path.
      ApolloServerPluginCacheControlDisabled(),
    ],
    // The process stops its servers itself, in order, after the requests in flight (shared/observability/shutdown.ts).
    stopOnTerminationSignals: false,
  });
  await apollo.start();

  const callers = new WeakMap<IncomingMessage, Caller | null>();
  const graphql = graphqlHandler(
    apollo,
    async ({ req }) => {
      const record = observer.recordOf(req);
      const context: GatewayContext = {
        requestId: record?.requestId ?? acceptRequestId(req.headers[REQUEST_ID_HEADER]),
        caller: callers.get(req) ?? null,
      };
      observer.bindContext(context, record);
      return context;
    },
    (query, req) =>
      limiter.checkDocument(query, {
        requestId: observer.recordOf(req)?.requestId,
        clientId: callers.get(req)?.clientId,
      }),
  );
  const partnerAgenciesBase = new URL(env.PARTNER_AGENCIES_URL);

  const routes: Route[] = [
    {
      method: '*',
      path: '/graphql',
      handler: observer.observe(
        async (req, res) => {
          const caller = await callerOfRequest(req, options.verifyToken);
          callers.set(req, caller);
          const record = observer.recordOf(req);
          if (record && caller) record.clientId = caller.clientId;
          await graphql(req, res);
        },
        { graphql: true, path: '/graphql' },
      ),
    },
    ...['/oauth/token', '/.well-known/jwks.json'].map((path): Route => ({
      method: path === '/oauth/token' ? 'POST' : 'GET',
      path,
      handler: observer.observe(
        (req, res) =>
          forward(req, res, {
            target: new URL(path, partnerAgenciesBase),
            credential: env.GATEWAY_CREDENTIAL,
            requestId: observer.recordOf(req)?.requestId,
            timeoutMs: resilience.tokenTimeoutMs,
          }),
        { graphql: false, path },
      ),
    })),
    {
      method: 'GET',
      path: '/health',
      handler: (_req, res) => sendJson(res, 200, { status: 'ok', service: 'gateway' }),
    },
    {
      method: 'GET',
      path: '/ready',
      // Every subgraph is asked in parallel, each for at most READY_TIMEOUT_MS: the answer names the one that is
      // down (unready: it answered that its database is not; unreachable: no answer in time) and each circuit.
      handler: async (_req, res) => {
        const checks = await Promise.all(
          Object.entries(subgraphUrls).map(
            async ([name, url]) =>
              [name, await readiness(new URL('/ready', url), resilience.readyTimeoutMs)] as const,
          ),
        );
        const ready = checks.every(([, state]) => state === 'ready');
        sendJson(res, ready ? 200 : 503, {
          status: ready ? 'ready' : 'unready',
          service: 'gateway',
          subgraphs: Object.fromEntries(checks),
          circuits: Object.fromEntries(
            Object.keys(subgraphUrls).map((name) => [name, dataSources.get(name)?.circuit ?? 'closed']),
          ),
        });
      },
    },
    // In production the schema and its rules are for signed-in clients only, as introspection is.
    ...explorerRoutes(options.supergraphSdl, {
      authorize: env.NODE_ENV === 'production' ? (req) => requireToken(req, options.verifyToken) : undefined,
    }),
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
      for (const untrack of untrackCircuits) untrack();
    },
  };
}

/** Any valid access token: the explorer serves partners without schema:read too, once they are signed in. */
async function requireToken(req: IncomingMessage, verifyToken: TokenVerifier): Promise<void> {
  if (await callerOfRequest(req, verifyToken)) return;
  const message = 'Sign in: the schema is shown to clients with a valid access token (POST /oauth/token)';
  throw new HttpError(401, message, {
    errors: [{ message, extensions: { code: ErrorCode.Unauthenticated } }],
  });
}

type Readiness = 'ready' | 'unready' | 'unreachable';

async function readiness(url: URL, timeoutMs: number): Promise<Readiness> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.ok ? 'ready' : 'unready';
  } catch {
    return 'unreachable';
  }
}

interface Forwarding {
  target: URL;
  credential: string;
  requestId: string | undefined;
  timeoutMs: number;
}

/**
 * The token endpoint and keys belong to partner-agencies; the gateway is their public address. The wait is
 * bounded: no answer in time is a 504, no connection a 503, each with an OAuth-style error body and Retry-After.
 */
async function forward(req: IncomingMessage, res: ServerResponse, forwarding: Forwarding) {
  const body = req.method === 'POST' ? await readBody(req, 16 * 1024) : undefined;
  const headers: Record<string, string> = { [GATEWAY_CREDENTIAL_HEADER]: forwarding.credential };
  for (const name of ['content-type', 'authorization']) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  if (forwarding.requestId) headers[REQUEST_ID_HEADER] = forwarding.requestId;
  // The token endpoint throttles per source address: it trusts this header only with the gateway's credential,
  // and the gateway sets it to the address it was called from, replacing whatever the caller sent.
  if (req.socket.remoteAddress) headers['x-forwarded-for'] = req.socket.remoteAddress;
  let upstream: Response;
  let text: string;
  try {
    // One deadline for the answer and its body.
    const signal = AbortSignal.timeout(forwarding.timeoutMs);
    upstream = await fetch(forwarding.target, { method: req.method, headers, body, signal });
    text = await upstream.text();
  } catch (error) {
    // fetch rejects with the signal's reason, a DOMException named TimeoutError (not an Error subclass in Node 20).
    const name = (error as { name?: unknown } | null)?.name;
    const timedOut = name === 'TimeoutError' || name === 'AbortError';
    sendJson(
      res,
      timedOut ? 504 : 503,
      {
        error: 'temporarily_unavailable',
        error_description: timedOut
          ? `The token service did not answer within ${forwarding.timeoutMs} ms; try again shortly`
          : 'The token service cannot be reached; try again shortly',
      },
      { 'retry-after': '5', 'cache-control': 'no-store' },
    );
    return;
  }
  const passHeaders: Record<string, string> = {};
  for (const name of ['content-type', 'cache-control', 'pragma', 'www-authenticate', 'retry-after']) {
    const value = upstream.headers.get(name);
    if (value) passHeaders[name] = value;
  }
  res.writeHead(upstream.status, passHeaders);
  res.end(text);
}
