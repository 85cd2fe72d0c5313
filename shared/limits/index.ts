import type { ApolloServerPlugin } from '@apollo/server';
import {
  type FragmentDefinitionNode,
  type GraphQLError,
  Kind,
  type ParseOptions,
  type ValidationRule,
} from 'graphql';
import type { Logger } from 'pino';
import type { Caller } from '../auth/caller';
import type { HubMetrics } from '../observability/metrics';
import type { OperationLimits } from './config';
import { estimateDemand } from './demand';
import { measureDocumentSize } from './document-size';
import { type LimitRefusal, operationLimitError, refusalOf } from './errors';
import { operationShapeRules } from './shape';

export { DEFAULT_OPERATION_LIMITS, type OperationLimits, operationLimitsOf } from './config';
export { operationLimitError, type LimitRefusal } from './errors';

/** What a refusal's log line says about the request (never the query or its variables). */
export interface RequestOrigin {
  requestId?: string;
  clientId?: string | null;
}

/**
 * The operation limits of one service (the gateway or a subgraph), applied before anything is planned or
 * resolved: the document's size (before parsing), its shape (validation rules, cached with the document) and
 * the demand it makes with this request's variables (once the operation is known). Each refusal is one error
 * with the limit, its maximum and the measured value in `extensions`, answered with HTTP 400, logged without
 * the query and counted in `hub_operation_limit_refusals_total`.
 */
export class OperationLimiter {
  readonly validationRules: ValidationRule[];
  readonly parseOptions: ParseOptions;

  constructor(
    readonly limits: OperationLimits,
    private readonly service: string,
    private readonly log: Logger,
    private readonly hubMetrics: HubMetrics,
  ) {
    this.validationRules = operationShapeRules(limits);
    this.parseOptions = { maxTokens: limits.maxTokens };
  }

  /** The size check of a document about to be parsed; the refusal (already logged and counted) or null. */
  checkDocument(query: string, origin: RequestOrigin): GraphQLError | null {
    const refusal = measureDocumentSize(query, this.limits);
    if (!refusal) return null;
    this.refused(refusal, origin);
    return operationLimitError(refusal);
  }

  /** Demand and checked documents per request (they depend on the variables), and the refusals' log and count. */
  plugin<C extends { requestId: string; caller: Caller | null }>(): ApolloServerPlugin<C> {
    const limits = this.limits;
    return {
      requestDidStart: async () => ({
        didResolveOperation: async ({ schema, document, operation, request }) => {
          if (!operation) return;
          const fragments = new Map<string, FragmentDefinitionNode>();
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION)
              fragments.set(definition.name.value, definition);
          }
          const { demand, checkedDocuments } = estimateDemand(
            schema,
            operation,
            fragments,
            request.variables ?? {},
          );
          if (checkedDocuments > limits.maxCheckedDocuments) {
            throw operationLimitError({
              limit: 'maxCheckedDocuments',
              maximum: limits.maxCheckedDocuments,
              measured: checkedDocuments,
            });
          }
          if (demand > limits.maxDemand) {
            throw operationLimitError({ limit: 'maxDemand', maximum: limits.maxDemand, measured: demand });
          }
        },
        didEncounterErrors: async ({ errors, contextValue }) => {
          for (const error of errors) {
            const refusal = refusalOf(error);
            if (refusal)
              this.refused(refusal, {
                requestId: contextValue.requestId,
                clientId: contextValue.caller?.clientId,
              });
          }
        },
      }),
    };
  }

  private refused(refusal: LimitRefusal, origin: RequestOrigin): void {
    this.hubMetrics.recordLimitRefusal(this.service, refusal.limit);
    this.log.warn({ ...origin, ...refusal }, 'operation refused: limit exceeded');
  }
}
