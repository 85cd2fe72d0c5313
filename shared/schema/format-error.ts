import { ApolloServerErrorCode, unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { ErrorCode } from '../errors';

const EXPECTED_CODES = new Set<string>([
  ...Object.values(ErrorCode),
  ...Object.values(ApolloServerErrorCode),
]);
EXPECTED_CODES.delete(ErrorCode.Internal);

/**
 * Errors raised on purpose (with one of our codes, or Apollo's request errors) go to the client as they are;
 * anything else is a bug: it is logged with its stack and masked, so no SQL or internals reach a partner.
 */
export function maskUnexpectedErrors(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && EXPECTED_CODES.has(code)) {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    const original = unwrapResolverError(error);
    log.error({ err: original, path: formatted.path }, 'unexpected error while resolving');
    return {
      message: 'Internal server error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.Internal },
    };
  };
}
