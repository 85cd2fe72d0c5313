import {
  Kind,
  OperationTypeNode,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { ErrorCode } from '../shared/errors';
import { LRUCache } from 'lru-cache';

/**
 * What the gateway answers for the fields of a subgraph that could not answer: one SUBGRAPH_UNAVAILABLE error per
 * field the fetch would have filled, at that field's path, so a client knows exactly which fields are missing.
 *
 * The errors are written in the subgraph's own terms (`["_entities", 3, "alerts"]`, or `["checkDocuments"]` for a
 * root fetch) and handed to @apollo/gateway as the subgraph's response: the gateway then maps each path to the
 * client's (`["checkDocuments", 3, "document", "alerts"]`) exactly as it does for errors a subgraph returns, adds
 * `serviceName`, and leaves the fields null. An exception thrown instead would reach the client with no path.
 */
export type UnavailableReason =
  /** No complete answer within the subgraph's timeout (e.g. the process is frozen or overloaded). */
  | 'TIMEOUT'
  /** The connection was refused or broken (e.g. the process is dead). */
  | 'UNREACHABLE'
  /** Recent calls failed: the circuit breaker holds calls back for a moment instead of letting each one wait. */
  | 'CIRCUIT_OPEN'
  /** A proxy in front of the subgraph answered 502/503/504 without a GraphQL body. */
  | 'BAD_GATEWAY';

export interface UnavailableFetch {
  subgraph: string;
  reason: UnavailableReason;
  timeoutMs: number;
  /** The operation the gateway sent to the subgraph, and its variables (`representations` for entity fetches). */
  query: string;
  variables?: Record<string, unknown>;
}

type Path = (string | number)[];

/** Fetch operations are generated per query plan, so the same few texts come back: parse each once. */
const parsedFetches = new LRUCache<string, DocumentNode>({ max: 500 });

export function unavailableErrors(fetch: UnavailableFetch): GraphQLFormattedError[] {
  let document = parsedFetches.get(fetch.query);
  if (!document) {
    document = parse(fetch.query);
    parsedFetches.set(fetch.query, document);
  }
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const message = messageFor(fetch, operation?.operation === OperationTypeNode.MUTATION);
  const extensions = { code: ErrorCode.SubgraphUnavailable, subgraph: fetch.subgraph, reason: fetch.reason };
  const paths = operation ? missingFieldPaths(operation, document, fetch.variables) : [];
  // Without any field to point at (a fetch of nothing but __typename), one error still says what happened.
  if (paths.length === 0) return [{ message, extensions }];
  return paths.map((path) => ({ message, path, extensions }));
}

function messageFor(fetch: UnavailableFetch, isMutation: boolean): string {
  const why: Record<UnavailableReason, string> = {
    TIMEOUT: `it did not answer within ${fetch.timeoutMs} ms`,
    UNREACHABLE: 'it could not be reached',
    CIRCUIT_OPEN: 'its recent calls failed, so calls are held back for a moment',
    BAD_GATEWAY: 'the network in front of it answered with an error',
  };
  // A change held back by the breaker was never sent; any other failure may have come after the subgraph committed.
  const outcome = isMutation
    ? fetch.reason === 'CIRCUIT_OPEN'
      ? '; the change was not sent'
      : '; the change may or may not have been applied: look before repeating it'
    : '';
  return `Subgraph "${fetch.subgraph}" is unavailable: ${why[fetch.reason]}${outcome}`;
}

/**
 * The path, in the subgraph's response, of every field this fetch asked for: `[responseKey]` for each root field,
 * or `["_entities", i, responseKey]` for each field asked of the i-th representation of an entity fetch.
 */
function missingFieldPaths(
  operation: OperationDefinitionNode,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
): Path[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const entities = operation.selectionSet.selections.find(
    (s) => s.kind === Kind.FIELD && s.name.value === '_entities',
  );
  const representations = variables?.representations;
  if (entities?.kind === Kind.FIELD && entities.selectionSet && Array.isArray(representations)) {
    const entityKey = entities.alias?.value ?? '_entities';
    const paths: Path[] = [];
    representations.forEach((representation, index) => {
      const typename = (representation as { __typename?: unknown } | null)?.__typename;
      let keys = responseKeys(
        entities.selectionSet!,
        fragments,
        typeof typename === 'string' ? typename : null,
      );
      // A type condition on an interface or union never equals the typename: then every key may be missing.
      if (keys.size === 0) keys = responseKeys(entities.selectionSet!, fragments, null);
      for (const key of keys) paths.push([entityKey, index, key]);
    });
    return paths;
  }
  return [...responseKeys(operation.selectionSet, fragments, null)].map((key) => [key]);
}

/** The response keys a selection set yields at its own level for an object of `typename` (null: any type). */
function responseKeys(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  typename: string | null,
  keys = new Set<string>(),
): Set<string> {
  const applies = (condition: string | undefined) =>
    !condition || typename === null || condition === typename;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      // The gateway knows every object's __typename already; only data fields go missing.
      if (selection.name.value !== '__typename') keys.add(selection.alias?.value ?? selection.name.value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (applies(selection.typeCondition?.name.value))
        responseKeys(selection.selectionSet, fragments, typename, keys);
    } else {
      const fragment = fragments.get(selection.name.value);
      if (fragment && applies(fragment.typeCondition.name.value))
        responseKeys(fragment.selectionSet, fragments, typename, keys);
    }
  }
  return keys;
}
