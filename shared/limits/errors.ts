import { GraphQLError } from 'graphql';
import { ErrorCode } from '../errors';
import type { OperationLimits } from './config';

/** The name a refusal carries in `extensions.limit`: a key of {@link OperationLimits}, or the query planner's own. */
export type LimitName = keyof OperationLimits | 'queryPlannerSelections';

const WHAT: Record<LimitName, (measured: number, maximum: number) => string> = {
  maxBytes: (n, max) => `The document is ${n} bytes long; the limit is ${max}`,
  maxTokens: (n, max) => `The document has ${n} tokens; the limit is ${max}`,
  maxDepth: (n, max) => `The operation nests fields ${n} deep; the limit is ${max}`,
  maxHeight: (n, max) =>
    `The operation selects ${n} fields, each fragment spread counted; the limit is ${max}`,
  maxAliases: (n, max) => `The operation has ${n} aliases, each fragment spread counted; the limit is ${max}`,
  maxRootFields: (n, max) => `The operation has ${n} root fields; the limit is ${max}`,
  maxCheckedDocuments: (n, max) =>
    `The request checks ${n} documents (checkDocuments, every alias counted); the limit is ${max}`,
  maxDemand: (n, max) =>
    `The answer could hold about ${n} objects (list sizes multiplied); the limit is ${max}`,
  // The planner stops counting at its limit: `measured` is then the limit + 1, "more than".
  queryPlannerSelections: (_n, max) =>
    `The query planner would have to consider more than ${max} selections, its limit`,
};

export interface LimitRefusal {
  limit: LimitName;
  maximum: number;
  measured: number;
}

/**
 * The one error a refused operation gets: HTTP 400, `extensions` naming the limit, its maximum and what was
 * measured. Raised during validation, Apollo Server gives it the code GRAPHQL_VALIDATION_FAILED; everywhere
 * else it keeps OPERATION_LIMIT_EXCEEDED.
 */
export function operationLimitError({ limit, maximum, measured }: LimitRefusal): GraphQLError {
  return new GraphQLError(WHAT[limit](measured, maximum), {
    extensions: {
      code: ErrorCode.OperationLimitExceeded,
      limit,
      maximum,
      measured,
      http: { status: 400 },
    },
  });
}

/** The refusal an error stands for, when it is one of ours (whatever code Apollo Server gave it). */
export function refusalOf(error: { extensions?: Record<string, unknown> }): LimitRefusal | null {
  const { limit, maximum, measured } = error.extensions ?? {};
  if (typeof limit !== 'string' || !(limit in WHAT)) return null;
  if (typeof maximum !== 'number' || typeof measured !== 'number') return null;
  return { limit: limit as LimitName, maximum, measured };
}
