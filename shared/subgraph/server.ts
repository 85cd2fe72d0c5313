import type { IncomingMessage } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginCacheControlDisabled,
} from '@apollo/server/plugin/disabled';
import type { DataSource } from 'typeorm';
import { requestReads, type ReadRouter } from '../../db/read-router';
import type { Logger } from 'pino';
import { safeErrorFields } from '../logger';
import { GATEWAY_CREDENTIAL_HEADER, isGatewayCredential } from '../auth/gateway-credential';
import type { TokenVerifier } from '../auth/token-verifier';
import { callerOfRequest } from '../auth/request-caller';
import type { Caller } from '../auth/caller';
import { RequestAudit } from '../audit/audit-trail';
import type { SubgraphContext } from '../context';
import { ErrorCode } from '../errors';
import {
  graphqlHandler,
  HttpError,
  listen,
  sendJson,
  type Route,
  type RunningHttpServer,
} from '../http/server';
import type { BuiltSubgraphSchema } from '../schema/build-subgraph-schema';
import { metrics } from '../observability/metrics';
import { acceptRequestId, REQUEST_ID_HEADER, RequestObserver } from '../observability/request-log';
import { OperationLimiter, type OperationLimits } from '../limits';
import { inputHygiene } from '../input/hygiene';
import { logUnexpectedErrors, maskUnexpectedErrors } from '../schema/format-error';
import { hideSchemaSuggestions } from '../schema/hide-suggestions';
import { operationScopes } from '../schema/access';
import { serviceUnavailableAsHttp } from '../schema/service-unavailable';
import { databaseErrorAsGraphQL } from '../database-errors';

/**
 * Runs one subgraph over HTTP: `/graphql` (only for requests that carry the gateway's credential, with the
 * caller's token verified again here), `/health` and `/ready`, plus any routes of the subgraph's own.
 */
export interface SubgraphServerOptions<Loaders> {
  name: string;
  port: number;
  host?: string;
  db: DataSource;
  /** Where reads go (db/replication/read-router.ts); absent: the primary, `db`. */
  reads?: ReadRouter;
  built: BuiltSubgraphSchema;
  createLoaders(db: DataSource, caller: Caller | null): Loaders;
  gatewayCredential: string;
  verifyToken: TokenVerifier;
  /** The same limits as the gateway's: a request with the gateway's credential is refused as it would be there. */
  limits: OperationLimits;
  log: Logger;
  routes?: Route[];
  /** The hub's clock (default: the system clock); tests move it. */
  clock?: () => Date;
}

export interface RunningSubgraph {
  name: string;
  db: DataSource;
  /** Where its reads go (a replica when DATABASE_READ_URL is set). */
  reads?: ReadRouter;
  url: string;
  port: number;
  http: RunningHttpServer;
  stop(): Promise<void>;
}

export async function startSubgraphServer<Loaders>(
  options: SubgraphServerOptions<Loaders>,
): Promise<RunningSubgraph> {
  const { db, log } = options;
  const clock = options.clock ?? (() => new Date());
  const hubMetrics = metrics();
  const untrackPool = hubMetrics.trackDataSource(options.name, db);
  // The replica's pool apart (`<name>-replica`), and where the reads went.
  const replica = options.reads?.replica;
  const untrackReplica = replica ? hubMetrics.trackDataSource(`${options.name}-replica`, replica) : () => {};
  const untrackReads = options.reads?.replica
    ? hubMetrics.trackReadRouter(options.name, options.reads)
    : () => {};
  const observer = new RequestObserver(options.name, log, hubMetrics);
  const countAuditRows = (rows: number) => hubMetrics.recordAuditRows(options.name, rows);
  const limiter = new OperationLimiter(options.limits, options.name, log, hubMetrics);
  const apollo = new ApolloServer<SubgraphContext<Loaders>>({
    schema: options.built.schema,
    // Reachable only with the gateway's credential, and the gateway composes from these SDLs.
    introspection: true,
    includeStacktraceInErrorResponses: false,
    formatError: maskUnexpectedErrors(),
    validationRules: limiter.validationRules,
    parseOptions: limiter.parseOptions,
    // Federated tracing (ftv1) is for Apollo's hosted reporting, which a closed police network does not use.
    plugins: [
      observer.plugin<SubgraphContext<Loaders>>(),
      logUnexpectedErrors<SubgraphContext<Loaders>>(log),
      limiter.plugin<SubgraphContext<Loaders>>(),
      operationScopes<SubgraphContext<Loaders>>(),
      inputHygiene<SubgraphContext<Loaders>>({ normalize: true }),
      hideSchemaSuggestions<SubgraphContext<Loaders>>(),
      auditBeforeResponse(db, log),
      ...(options.reads ? [markAgencyWrites(options.reads, log)] : []),
      serviceUnavailableAsHttp<SubgraphContext<Loaders>>(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      // No HTTP caching of answers about people and documents, and no per-field cache-hint work on the hot path.
      ApolloServerPluginCacheControlDisabled(),
    ],
    // The process stops its servers itself, in order, after the requests in flight (shared/observability/shutdown.ts).
    stopOnTerminationSignals: false,
  });
  await apollo.start();

  // The caller is verified before Apollo runs, so a bad token is a plain 401 with no GraphQL execution at all.
  const callers = new WeakMap<IncomingMessage, Caller | null>();
  const buildContext = async ({ req }: { req: IncomingMessage }): Promise<SubgraphContext<Loaders>> => {
    const record = observer.recordOf(req);
    const requestId = record?.requestId ?? acceptRequestId(req.headers[REQUEST_ID_HEADER]);
    const caller = callers.get(req) ?? null;
    const audit = new RequestAudit(options.name, requestId, caller);
    // Every flush counts: the one before the response and those inside a change's transaction.
    audit.onFlushed = countAuditRows;
    const decided = options.reads ? await options.reads.readerFor(caller?.agencyId ?? null) : db;
    const reads = requestReads(db, decided, () => audit.changed);
    let requestLog: Logger | undefined;
    const context: SubgraphContext<Loaders> = {
      requestId,
      caller,
      db,
      reads,
      loaders: options.createLoaders(reads, caller),
      // Made when first used (no resolver logs on the hot paths): a pino child with the redaction paths was
      // about 1% of a check's samples when every request made one (bench/README.md, "Where the time goes").
      get log() {
        return (requestLog ??= log.child({ requestId }));
      },
      audit,
      now: clock,
    };
    observer.bindContext(context, record);
    return context;
  };
  const graphql = graphqlHandler(apollo, buildContext, (query, req) =>
    limiter.checkDocument(query, {
      requestId: observer.recordOf(req)?.requestId,
      clientId: callers.get(req)?.clientId,
    }),
  );

  const routes: Route[] = [
    {
      method: '*',
      path: '/graphql',
      handler: observer.observe(
        async (req, res) => {
          if (!isGatewayCredential(headerValue(req, GATEWAY_CREDENTIAL_HEADER), options.gatewayCredential)) {
            throw new HttpError(401, 'Requests must come through the gateway', {
              errors: [
                {
                  message: 'Requests must come through the gateway',
                  extensions: { code: 'UNAUTHENTICATED' },
                },
              ],
            });
          }
          const caller = await callerOfRequest(req, options.verifyToken);
          callers.set(req, caller);
          const record = observer.recordOf(req);
          if (record && caller) record.clientId = caller.clientId;
          await graphql(req, res);
        },
        { graphql: true, path: '/graphql' },
      ),
    },
    {
      method: 'GET',
      path: '/health',
      handler: (_req, res) => sendJson(res, 200, { status: 'ok', service: options.name }),
    },
    {
      method: 'GET',
      path: '/ready',
      handler: async (_req, res) => {
        try {
          await db.query('SELECT 1');
          sendJson(res, 200, { status: 'ready', service: options.name, database: 'ok' });
        } catch {
          sendJson(res, 503, { status: 'unready', service: options.name, database: 'unreachable' });
        }
      },
    },
    // The subgraph's own routes (partner-agencies: the token endpoint and its keys) are logged and counted too.
    ...(options.routes ?? []).map((route) => ({
      ...route,
      handler: observer.observe(route.handler, { graphql: false, path: route.path }),
    })),
  ];
  const http = await listen(routes, options.port, options.host);
  log.info({ url: `${http.url}/graphql` }, `${options.name} subgraph listening`);
  return {
    name: options.name,
    db,
    reads: options.reads,
    url: `${http.url}/graphql`,
    port: http.port,
    http,
    stop: async () => {
      await http.close();
      await apollo.stop();
      untrackPool();
      untrackReplica();
      untrackReads();
    },
  };
}

/**
 * Read-your-writes with a replica: once a request's changes have committed, and before its response leaves, the
 * caller's agency is marked as having written at the primary's current WAL position (db/replication/read-router.ts).
 */
function markAgencyWrites(router: ReadRouter, log: Logger): ApolloServerPlugin<SubgraphContext<unknown>> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue }) {
          const agencyId = contextValue.caller?.agencyId;
          if (!contextValue.audit.changed || !agencyId) return;
          try {
            await router.noteWrite(agencyId);
          } catch (error) {
            // The change is committed; the agency's next reads may miss it until the replica replays it.
            log.error(
              { err: safeErrorFields(error), requestId: contextValue.requestId },
              'read-your-writes marker not written',
            );
          }
        },
      };
    },
  };
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Writes the request's audit rows (one INSERT) before its response is sent. If the trail cannot be written, the
 * data is not sent either: no access to personal data goes unrecorded.
 */
function auditBeforeResponse(db: DataSource, log: Logger): ApolloServerPlugin<SubgraphContext<unknown>> {
  return {
    async requestDidStart() {
      return {
        // Known before any resolver runs, so changes audited inside their own transaction carry it too.
        async didResolveOperation({ contextValue, operationName }) {
          contextValue.audit.operationName = operationName ?? null;
        },
        async willSendResponse({ contextValue, response }) {
          if (contextValue.audit.isEmpty) return;
          try {
            await contextValue.audit.flush(db);
          } catch (error) {
            log.error(
              { err: safeErrorFields(error), requestId: contextValue.requestId },
              'audit trail write failed; response withheld',
            );
            if (response.body.kind === 'single') {
              // A busy or restarting database is SERVICE_UNAVAILABLE (retry); anything else is a fault.
              const unavailable = databaseErrorAsGraphQL(error);
              response.body.singleResult.data = null;
              response.body.singleResult.errors = [
                {
                  message: 'The audit trail is unavailable; no data was released',
                  extensions: unavailable?.extensions ?? { code: ErrorCode.Internal },
                },
              ];
            }
          }
        },
      };
    },
  };
}
