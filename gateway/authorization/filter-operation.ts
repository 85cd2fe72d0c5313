import { LRUCache } from 'lru-cache';
import {
  type ASTVisitor,
  type DocumentNode,
  type FragmentDefinitionNode,
  getOperationAST,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  print,
  visit,
} from 'graphql';
import { AccessRules } from './access-rules';
import { type AuthorizationSubject, permissionSignature } from './caller';
import { type AccessRequirement, namesInRequirements } from './requirements';
import { type RemovedSelection, SelectionFilter, TYPENAME_FIELD } from './selection-filter';

export { LIST_MARKER, type RemovedSelection } from './selection-filter';

export interface FilteredOperation {
  /** The document to plan and run (the same object as the input when unchanged or rejected). */
  document: DocumentNode;
  /** print(document): the caller hashes it for the query-plan cache key. */
  text: string;
  /** false only when the input may run exactly as it is: nothing was removed and nothing was refused. */
  changed: boolean;
  /** The operation must not run: nothing authorized is left, or reject mode refused it. */
  nothingLeft: boolean;
  /** Reject mode refused the operation because of at least one unauthorized selection. */
  rejected: boolean;
  removed: RemovedSelection[];
  /** Object paths ("@" for list levels) where a __typename the client did not ask for was inserted. */
  typenamePlaceholders: string[][];
}

export interface OperationFilterOptions {
  /** 'filter' (default) removes what the caller may not see; 'reject' refuses the whole operation instead. */
  mode?: 'filter' | 'reject';
  /** Entries of the result cache; 0 disables it. Default 1000. */
  cacheSize?: number;
}

export interface OperationFilter {
  filter(
    document: DocumentNode,
    operationName: string | null | undefined,
    subject: AuthorizationSubject,
    cacheKey?: string,
  ): FilteredOperation;
}

const DEFAULT_CACHE_SIZE = 1000;
const INTROSPECTION_SCOPE = 'schema:read';

/**
 * Builds the authorization step for one API schema. Results are cached by cacheKey + operationName + the
 * subject's permission signature, so a repeated operation costs a map lookup; without a cacheKey nothing is
 * cached. Create a new filter whenever the schema or the requirements change.
 */
export function createOperationFilter(
  schema: GraphQLSchema,
  requirements: Map<string, AccessRequirement>,
  options: OperationFilterOptions = {},
): OperationFilter {
  const rules = new AccessRules(schema, requirements);
  const reject = options.mode === 'reject';
  const cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
  const cache = cacheSize > 0 ? new LRUCache<string, FilteredOperation>({ max: cacheSize }) : null;
  const names = namesInRequirements(requirements.values());
  const relevantScopes = [...new Set([...names.scopes, INTROSPECTION_SCOPE])].sort();

  return {
    filter(document, operationName, subject, cacheKey) {
      if (cacheKey === undefined || !cache)
        return filterDocument(rules, document, operationName, subject, reject);
      const signature = permissionSignature(subject, relevantScopes, names.policies);
      const key = `${cacheKey}\u0000${operationName ?? ''}\u0000${signature}`;
      const cached = cache.get(key);
      if (cached !== undefined) return cached;
      const result = filterDocument(rules, document, operationName, subject, reject);
      cache.set(key, result);
      return result;
    },
  };
}

function filterDocument(
  rules: AccessRules,
  document: DocumentNode,
  operationName: string | null | undefined,
  subject: AuthorizationSubject,
  reject: boolean,
): FilteredOperation {
  const operation = getOperationAST(document, operationName);
  const rootType = operation ? rules.schema.getRootType(operation.operation) : undefined;
  // An unknown or ambiguous operation is left for execution to report, as it would without this step.
  if (!operation || !rootType) return unchanged(document);

  const definitions = fragmentsOf(document);
  const walk = new SelectionFilter(rules, subject, definitions);
  const selectionSet = walk.operation(operation, rootType);
  if (walk.removed.length === 0) return unchanged(document);
  if (reject) {
    // changed is true although the document is the input: a caller that runs unchanged operations as they
    // are must never run a refused one.
    return {
      ...unchanged(document),
      changed: true,
      nothingLeft: true,
      rejected: true,
      removed: walk.removed,
    };
  }

  const nothingLeft = selectionSet === null;
  const filteredOperation: OperationDefinitionNode = {
    ...operation,
    selectionSet: selectionSet ?? { kind: Kind.SELECTION_SET, selections: [TYPENAME_FIELD] },
  };
  const fragments = nothingLeft ? [] : walk.fragmentsUsedBy(filteredOperation, definitions);
  const output: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [withUsedVariablesOnly(filteredOperation, fragments), ...fragments],
  };
  return {
    document: output,
    text: print(output),
    changed: true,
    nothingLeft,
    rejected: false,
    removed: walk.removed,
    typenamePlaceholders: nothingLeft ? [[]] : walk.typenamePlaceholders(),
  };
}

function unchanged(document: DocumentNode): FilteredOperation {
  return {
    document,
    text: print(document),
    changed: false,
    nothingLeft: false,
    rejected: false,
    removed: [],
    typenamePlaceholders: [],
  };
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

/** Removing fields can orphan variables, and an unused variable definition fails validation. */
function withUsedVariablesOnly(
  operation: OperationDefinitionNode,
  fragments: readonly FragmentDefinitionNode[],
): OperationDefinitionNode {
  const definitions = operation.variableDefinitions ?? [];
  if (definitions.length === 0) return operation;
  const used = new Set<string>();
  const collect: ASTVisitor = {
    Variable(node) {
      used.add(node.name.value);
    },
  };
  visit(operation.selectionSet, collect);
  for (const directive of operation.directives ?? []) visit(directive, collect);
  for (const fragment of fragments) visit(fragment, collect);
  const kept = definitions.filter((definition) => used.has(definition.variable.name.value));
  return kept.length === definitions.length ? operation : { ...operation, variableDefinitions: kept };
}
