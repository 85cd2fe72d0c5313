import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerErrorCode, unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { databaseErrorAsGraphQL } from '../database-errors';
import { ErrorCode } from '../errors';
import { safeErrorFields } from '../logger';

const EXPECTED_CODES = new Set<string>([
  ...Object.values(ErrorCode),
  ...Object.values(ApolloServerErrorCode),
]);
EXPECTED_CODES.delete(ErrorCode.Internal);

const isExpected = (code: unknown) => typeof code === 'string' && EXPECTED_CODES.has(code);

/**
 * Errors raised on purpose (with one of our codes, or Apollo's request errors) go to the client as they are;
 * database failures a client can act on (shared/database-errors.ts) become their own code; anything else is a
 * bug: it is masked, so no SQL or internals reach a partner (and logged by the plugin below).
 */
export function maskUnexpectedErrors() {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (isExpected(code)) {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    const known = databaseErrorAsGraphQL(unwrapResolverError(error));
    if (known) {
      return {
        message: known.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: known.extensions,
      };
    }
    return {
      message: 'Internal server error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.Internal },
    };
  };
}

/**
 * Logs each unexpected error once, with the request id (what a partner sends us) and only what
 * `safeErrorFields` keeps: class, code, constraint, stack frames; never the message, SQL, parameters or values.
 */
export function logUnexpectedErrors<C extends BaseContext & { requestId: string }>(
  log: Logger,
): ApolloServerPlugin<C> {
  return {
    requestDidStart: async ({ contextValue }) => ({
      didEncounterErrors: async ({ errors }) => {
        for (const error of errors) {
          if (isExpected(error.extensions?.code)) continue;
          const original = unwrapResolverError(error);
          const known = databaseErrorAsGraphQL(original);
          // A conflict is the caller's; a busy or restarting database is worth a warning, not an error per field.
          if (known?.extensions.code === ErrorCode.Conflict) continue;
          if (known) {
            log.warn(
              { requestId: contextValue.requestId, path: error.path, err: safeErrorFields(original) },
              known.message,
            );
            continue;
          }
          log.error(
            {
              requestId: contextValue.requestId,
              path: error.path,
              err: safeErrorFields(original),
            },
            'unexpected error while resolving',
          );
        }
      },
    }),
  };
}
