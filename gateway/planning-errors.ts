import { ApolloServerErrorCode } from '@apollo/server/errors';
import type { GatewayExecutor } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import { operationLimitError } from '../shared/limits';

/**
 * What the query planner's own limits throw, as plain Errors (@apollo/query-planner, @apollo/query-graphs).
 * Both count the selections the planner would have to consider; the operation limits refuse such operations
 * first, so these only show when the limits are raised far beyond their defaults.
 */
const PLANNER_LIMITS: { pattern: RegExp; maximum: number }[] = [
  { pattern: /^Number of non-local selections exceeds limit of (\d+)/, maximum: 100_000 },
  { pattern: /^Exceeded maximum recursive selections in this operation/, maximum: 10_000_000 },
];

/**
 * @apollo/gateway's executor throws only before any subgraph is called (building the operation, planning it):
 * failures of fetches come back as errors in the result. Apollo Server answers a thrown error with HTTP 500,
 * so the planner's refusals become what they are, a 400 OPERATION_LIMIT_EXCEEDED, and an error that already
 * carries a code keeps it with a 400. Anything else stays a 500 (logged and masked: it is a bug).
 */
/**
 * Federation's codes for a client's mistake, as Apollo Server names the same mistake for a plain schema. The
 * gateway throws INVALID_GRAPHQL only while it picks the operation to run (an `operationName` the document does
 * not hold, several operations and no name): Apollo Server's OPERATION_RESOLUTION_FAILURE.
 */
const PUBLIC_CODES: Record<string, string> = {
  INVALID_GRAPHQL: ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
};

export function planningErrorsAsBadRequests(execute: GatewayExecutor): GatewayExecutor {
  return async (requestContext) => {
    try {
      return await execute(requestContext);
    } catch (error) {
      throw asBadRequest(error) ?? error;
    }
  };
}

export function asBadRequest(error: unknown): GraphQLError | null {
  if (error instanceof GraphQLError) {
    const code = error.extensions.code;
    if (typeof code !== 'string' || code === 'INTERNAL_SERVER_ERROR') return null;
    return new GraphQLError(error.message, {
      nodes: error.nodes,
      originalError: error,
      extensions: { ...error.extensions, code: PUBLIC_CODES[code] ?? code, http: { status: 400 } },
    });
  }
  if (!(error instanceof Error)) return null;
  for (const { pattern, maximum } of PLANNER_LIMITS) {
    const match = pattern.exec(error.message);
    if (!match) continue;
    const limit = match[1] ? Number(match[1]) : maximum;
    return operationLimitError({ limit: 'queryPlannerSelections', maximum: limit, measured: limit + 1 });
  }
  return null;
}
