/**
 * How the operation filter's specs run an operation and say what they expect of it: the filter spec on the hub's
 * supergraph and the one on the constructs the hub's graph does not use share them.
 */
import { type DocumentNode, type GraphQLSchema, Kind, parse, print, validate } from 'graphql';
import type { AuthorizationSubject } from '../caller';
import type { FilteredOperation, OperationFilter, RemovedSelection } from '../filter-operation';

/**
 * Filters `query` for `subject`, checking that the input and what goes on to the planner (whatever was removed)
 * are valid operations of `schema`, and that the text is the printed document.
 */
export function operationRunner(schema: GraphQLSchema, defaultFilter: OperationFilter) {
  return (
    query: string,
    subject: AuthorizationSubject,
    { operationName, filter = defaultFilter }: { operationName?: string; filter?: OperationFilter } = {},
  ): { input: DocumentNode; result: FilteredOperation } => {
    const input = parse(query);
    expect(validate(schema, input)).toEqual([]);
    const result = filter.filter(input, operationName, subject);
    expect(validate(schema, result.document)).toEqual([]);
    expect(result.text).toBe(print(result.document));
    return { input, result };
  };
}

/** The filter's answer when it removed `removed` and `query` is what is left. */
export function changedTo(
  query: string,
  removed: RemovedSelection[],
  typenamePlaceholders: string[][] = [],
  nothingLeft = false,
): FilteredOperation {
  return {
    document: expect.objectContaining({ kind: Kind.DOCUMENT }),
    text: print(parse(query)),
    changed: true,
    nothingLeft,
    rejected: false,
    removed,
    typenamePlaceholders,
  };
}

/** The filter's answer when the caller may see everything: the input itself. */
export function unchanged(input: DocumentNode): FilteredOperation {
  return {
    document: input,
    text: print(input),
    changed: false,
    nothingLeft: false,
    rejected: false,
    removed: [],
    typenamePlaceholders: [],
  };
}

export const field = (...path: string[]): RemovedSelection => ({ kind: 'field', path });
export const fragment = (...path: string[]): RemovedSelection => ({ kind: 'fragment', path });
