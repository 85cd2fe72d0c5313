import { createHash } from 'node:crypto';
import type { GatewayExecutor, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { getOperationAST, GraphQLError, type GraphQLSchema } from 'graphql';
import type { Caller } from '../shared/auth/caller';
import { withOperationScopes } from '../shared/auth/operation-scopes';
import { ErrorCode } from '../shared/errors';
import { countDenials } from '../shared/observability/denied-fields';
import {
  createOperationFilter,
  readAccessRequirements,
  restoreUnauthorized,
  type AuthorizationSubject,
  type OperationFilter,
} from './authorization';
import type { GatewayContext } from './context';
import type { ReportRefusal } from './refusal-audit';

/**
 * Field-level access control at the gateway, with Apollo Router's semantics: fields the caller may not see are
 * removed from the operation before it is planned (their subgraph never hears of them), then come back as null
 * with an UNAUTHORIZED_FIELD_OR_TYPE error at their path. The rules are the @authenticated / @requiresScopes /
 * @policy applications of the supergraph, declared once in the subgraphs' code.
 */
export interface EnforcementOptions {
  mode: 'filter' | 'reject';
  /** Evaluates a `@policy` name for a caller; no policy is declared yet, so by default none is granted. */
  policy?: (name: string, caller: Caller | null) => boolean;
  /** The hub's clock: an operation's grant counts until its window ends (default: the system clock). */
  clock?: () => Date;
  /** Audits a signed-in caller's refused fields (gateway/refusal-audit.ts); the answer waits for it (bounded). */
  reportRefusal?: ReportRefusal;
}

function subjectOf(caller: Caller | null, policy: EnforcementOptions['policy']): AuthorizationSubject {
  return {
    authenticated: caller !== null,
    scopes: caller?.scopes ?? new Set<string>(),
    policy: (name) => (policy ? policy(name, caller) : false),
  };
}

export class FieldAccessEnforcer {
  private filter: OperationFilter | null = null;

  constructor(private readonly options: EnforcementOptions) {}

  /** Called on every schema load: the rules and the API schema always come from the same supergraph. */
  onSchema(apiSchema: GraphQLSchema, supergraphSdl: string): void {
    this.filter = createOperationFilter(apiSchema, readAccessRequirements(supergraphSdl), {
      mode: this.options.mode,
    });
  }

  wrap(execute: GatewayExecutor): GatewayExecutor {
    return async (requestContext) => {
      const filter = this.filter;
      if (!filter) throw new Error('The supergraph is not loaded yet');
      const context = requestContext.context as GatewayContext;
      // A check quoting an operation the caller has an open grant for gets that grant's scopes, for this request
      // only (shared/auth/operation-scopes.ts); the subgraphs apply the same rule again.
      const caller = withOperationScopes(
        context.caller,
        getOperationAST(requestContext.document, requestContext.operationName),
        requestContext.request.variables,
        this.options.clock?.() ?? new Date(),
      );
      const filtered = filter.filter(
        requestContext.document,
        requestContext.operationName,
        subjectOf(caller, this.options.policy),
        requestContext.queryHash,
      );
      if (!filtered.changed) return execute(requestContext);
      const coordinates = countDenials(requestContext, filtered);

      // An anonymous caller asking for anything protected is told to authenticate, not given a partial answer.
      if (!context.caller) return unauthenticated(requestContext);
      // Runs while the operation executes; awaited before the answer (it never rejects, and is time-bounded).
      const audited = this.options.reportRefusal?.({
        requestId: context.requestId,
        caller: context.caller,
        operationName: requestContext.operationName,
        coordinates,
      });

      const errors = (data: Record<string, unknown> | null) => restoreUnauthorized(data, filtered);
      if (filtered.nothingLeft) {
        const restored = errors(null);
        await audited;
        return { data: null, errors: restored.errors.map(toGraphQLError) };
      }
      const operation = getOperationAST(filtered.document, requestContext.operationName);
      if (!operation) throw new Error('The filtered document lost its operation');
      // The gateway caches query plans by queryHash: the filtered document must get its own, or a plan made
      // for one caller's document would be served for another's.
      const filteredContext: GatewayGraphQLRequestContext = {
        ...requestContext,
        document: filtered.document,
        source: filtered.text,
        operation,
        queryHash: createHash('sha256').update(filtered.text).digest('hex'),
      };
      const [result] = await Promise.all([execute(filteredContext), audited]);
      const restored = errors((result.data ?? null) as Record<string, unknown> | null);
      return {
        ...result,
        data: result.data === undefined ? undefined : restored.data,
        errors: [...(result.errors ?? []), ...restored.errors.map(toGraphQLError)],
      };
    };
  }
}

function toGraphQLError(error: {
  message: string;
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}) {
  return new GraphQLError(error.message, { path: error.path, extensions: error.extensions });
}

function unauthenticated(requestContext: GatewayGraphQLRequestContext) {
  if (requestContext.response?.http) requestContext.response.http.status = 401;
  return {
    data: null,
    errors: [
      new GraphQLError('This operation needs an access token: get one at POST /oauth/token', {
        extensions: { code: ErrorCode.Unauthenticated },
      }),
    ],
  };
}
