import { GraphQLError } from 'graphql';

/**
 * Every error the hub returns on purpose carries one of these codes in `extensions.code`, so partners can
 * branch on the code and never on the message. Unexpected errors are logged and masked as INTERNAL_SERVER_ERROR.
 */
export const ErrorCode = {
  BadUserInput: 'BAD_USER_INPUT',
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  UnauthorizedField: 'UNAUTHORIZED_FIELD_OR_TYPE',
  NotFound: 'NOT_FOUND',
  Conflict: 'CONFLICT',
  Internal: 'INTERNAL_SERVER_ERROR',
  /** The operation's shape, size or estimated cost is above a configured limit (shared/limits). */
  OperationLimitExceeded: 'OPERATION_LIMIT_EXCEEDED',
  /** Gateway: a subgraph did not answer in time or could not be reached; the fields it owns are null. */
  SubgraphUnavailable: 'SUBGRAPH_UNAVAILABLE',
  /**
   * The database could not serve the request now (no free connection in time, statement timeout, restart):
   * nothing was written; ask again after `Retry-After` (shared/database-errors.ts).
   */
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const UNAUTHORIZED_FIELD_MESSAGE = 'Unauthorized field or type';

/** One problem with one input field: `field` is the path inside the input, e.g. `input.documents.3.mrz`. */
export interface FieldProblem {
  field: string;
  reason: string;
}

export class BadUserInputError extends GraphQLError {
  /** `httpStatus`: for a refusal before execution (nothing ran), e.g. 400; a resolver's refusal stays a 200. */
  constructor(problems: FieldProblem[], options: { httpStatus?: number } = {}) {
    const summary = problems.map((p) => `${p.field}: ${p.reason}`).join('; ');
    super(`Invalid input: ${summary}`, {
      extensions: {
        code: ErrorCode.BadUserInput,
        problems,
        ...(options.httpStatus ? { http: { status: options.httpStatus } } : {}),
      },
    });
  }
}

export class UnauthenticatedError extends GraphQLError {
  constructor(reason = 'A valid access token is required') {
    super(reason, { extensions: { code: ErrorCode.Unauthenticated } });
  }
}

export class ForbiddenError extends GraphQLError {
  constructor(reason: string) {
    super(reason, { extensions: { code: ErrorCode.Forbidden } });
  }
}

export class UnauthorizedFieldError extends GraphQLError {
  constructor() {
    super(UNAUTHORIZED_FIELD_MESSAGE, { extensions: { code: ErrorCode.UnauthorizedField } });
  }
}

export class NotFoundError extends GraphQLError {
  constructor(what: string) {
    super(`${what} not found`, { extensions: { code: ErrorCode.NotFound } });
  }
}

export class ConflictError extends GraphQLError {
  constructor(reason: string, field?: string) {
    super(reason, { extensions: { code: ErrorCode.Conflict, ...(field ? { field } : {}) } });
  }
}

export class ServiceUnavailableError extends GraphQLError {
  constructor(reason: string, retryAfterSeconds: number) {
    super(reason, { extensions: { code: ErrorCode.ServiceUnavailable, retryAfterSeconds } });
  }
}
