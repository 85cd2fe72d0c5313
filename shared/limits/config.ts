import { z } from 'zod';

/**
 * The operation limits, read by the gateway, every subgraph and `npm start` (see .env.example and
 * docs/security.md). The defaults leave the contract operations and the explorer's examples far below every
 * limit (test/security/operation-limits.e2e.ts measures them) while refusing query-shape attacks in
 * milliseconds.
 */
const limit = (fallback: number, max: number) =>
  z.preprocess((v) => (v === '' || v === undefined ? fallback : v), z.coerce.number().int().min(1).max(max));

export const operationLimitFields = {
  /** Size of the GraphQL document (the `query` string), in UTF-8 bytes; checked before it is parsed. */
  OPERATION_MAX_BYTES: limit(128 * 1024, 16 * 1024 * 1024),
  /** Tokens of the document (graphql-js `maxTokens`); checked before it is parsed. */
  OPERATION_MAX_TOKENS: limit(15_000, 1_000_000),
  /** Deepest nesting of fields, fragments not counting as a level (Apollo Router `max_depth`). */
  OPERATION_MAX_DEPTH: limit(20, 1_000),
  /** Fields of the operation, each fragment spread counting its fields again (Apollo Router `max_height`). */
  OPERATION_MAX_HEIGHT: limit(300, 100_000),
  /** Aliased fields, each fragment spread counting its aliases again (Apollo Router `max_aliases`). */
  OPERATION_MAX_ALIASES: limit(30, 100_000),
  /** Fields of the root selection, fragments included (Apollo Router `max_root_fields`). */
  OPERATION_MAX_ROOT_FIELDS: limit(20, 10_000),
  /** Documents checked by one request: the `input` of every `checkDocuments` of the operation, summed. */
  OPERATION_MAX_CHECKED_DOCUMENTS: limit(500, 100_000),
  /** Estimated objects in the answer: each object field counts 1, multiplied by the sizes of the lists above it. */
  OPERATION_MAX_DEMAND: limit(50_000, 100_000_000),
};

export interface OperationLimits {
  maxBytes: number;
  maxTokens: number;
  maxDepth: number;
  maxHeight: number;
  maxAliases: number;
  maxRootFields: number;
  maxCheckedDocuments: number;
  maxDemand: number;
}

type LimitEnvironment = { [K in keyof typeof operationLimitFields]: number };

export function operationLimitsOf(env: LimitEnvironment): OperationLimits {
  return {
    maxBytes: env.OPERATION_MAX_BYTES,
    maxTokens: env.OPERATION_MAX_TOKENS,
    maxDepth: env.OPERATION_MAX_DEPTH,
    maxHeight: env.OPERATION_MAX_HEIGHT,
    maxAliases: env.OPERATION_MAX_ALIASES,
    maxRootFields: env.OPERATION_MAX_ROOT_FIELDS,
    maxCheckedDocuments: env.OPERATION_MAX_CHECKED_DOCUMENTS,
    maxDemand: env.OPERATION_MAX_DEMAND,
  };
}

/** The documented defaults, for the processes' own tests and the hub in tests. */
export const DEFAULT_OPERATION_LIMITS: OperationLimits = operationLimitsOf(
  z.object(operationLimitFields).parse({}),
);
