import { GraphQLError, Lexer, Source, TokenKind } from 'graphql';
import type { OperationLimits } from './config';
import type { LimitRefusal } from './errors';

/**
 * The document's size in bytes and tokens, checked before it is parsed: a megabyte of aliases is refused
 * after one pass of the lexer, never handed to the parser, the validator or the planner. (Apollo Server also
 * parses with graphql-js's `maxTokens`, the same limit, in case a document ever reaches it another way.)
 */
export function measureDocumentSize(
  query: string,
  limits: Pick<OperationLimits, 'maxBytes' | 'maxTokens'>,
): LimitRefusal | null {
  const bytes = Buffer.byteLength(query, 'utf8');
  if (bytes > limits.maxBytes) return { limit: 'maxBytes', maximum: limits.maxBytes, measured: bytes };
  const tokens = countTokens(query);
  if (tokens !== null && tokens > limits.maxTokens)
    return { limit: 'maxTokens', maximum: limits.maxTokens, measured: tokens };
  return null;
}

/** Tokens as graphql-js's parser counts them (comments and the end excluded); null for a syntax error. */
function countTokens(query: string): number | null {
  const lexer = new Lexer(new Source(query));
  let tokens = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) tokens += 1;
  } catch (error) {
    // The parser reports syntax errors, with their position.
    if (error instanceof GraphQLError) return null;
    throw error;
  }
  return tokens;
}
