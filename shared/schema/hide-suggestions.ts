import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import type { Caller } from '../auth/caller';

/** Whoever may introspect (schema:read) may also be told what a misspelt name was meant to be. */
const SCHEMA_SCOPE = 'schema:read';

/**
 * graphql-js ends some messages with a "Did you mean …?" suggestion: field, argument, type and input-field
 * names, enum values ("Did you mean the enum value …?") and fragment types ("Did you mean to use an inline
 * fragment on …?"). Each suggestion is a list of quoted names, and names never contain "?".
 */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

export function withoutSuggestions(message: string): string {
  return message.replace(SUGGESTION, '');
}

/**
 * Takes the suggestions out of every error of a request whose caller lacks schema:read, so the schema cannot be
 * guessed name by name without introspection rights (OWASP's GraphQL advice). GraphQL Armor's
 * block-field-suggestions plugin does this for field suggestions only and for every caller: it leaves enum
 * values and types, and cannot tell a developer from a partner.
 */
export function hideSchemaSuggestions<C extends { caller: Caller | null }>(): ApolloServerPlugin<C> {
  return {
    requestDidStart: async () => ({
      didEncounterErrors: async ({ errors, contextValue }) => {
        if (contextValue.caller?.scopes.has(SCHEMA_SCOPE)) return;
        for (const error of errors) hideIn(error);
      },
    }),
  };
}

function hideIn(error: GraphQLError): void {
  const message = withoutSuggestions(error.message);
  if (message === error.message) return;
  // Apollo Server formats the error objects it passed to this hook: the message is rewritten in place.
  error.message = message;
  const original = error.originalError as GraphQLError | undefined;
  if (original && 'message' in original) original.message = withoutSuggestions(original.message);
}
