import {
  type ASTVisitor,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getOperationAST,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type InlineFragmentNode,
  isAbstractType,
  isCompositeType,
  Kind,
  type NamedTypeNode,
  type OperationDefinitionNode,
  print,
  type SelectionNode,
  type SelectionSetNode,
  visit,
} from 'graphql';
import { AccessRules } from './access-rules';
import { type AuthorizationSubject, isSatisfied, permissionSignature } from './caller';
import { LruCache } from './lru-cache';
import { type AccessRequirement, namesInRequirements } from './requirements';

/** Router's marker for "every element of the list at this level". */
export const LIST_MARKER = '@';

export interface RemovedSelection {
  /** Response-key path (aliases, not field names) from the root, with "@" for every list level. */
  path: string[];
  /**
   * 'field': the response key at `path` comes back as null.
   * 'fragment': a fragment whose type condition the caller may not see; `path` is the enclosing field, and
   * nothing is put back since a fragment has no response key of its own.
   * 'operation': the root operation type itself is guarded; `path` is empty and nothing runs.
   */
  kind: 'field' | 'fragment' | 'operation';
  /**
   * Set when the field was removed inside a fragment that narrows the runtime type: null is put back only on
   * objects whose __typename is listed (the filter makes sure __typename is fetched there).
   */
  onlyForTypenames?: string[];
}

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
const TYPENAME = '__typename';
const INTROSPECTION_SCOPE = 'schema:read';

const TYPENAME_FIELD: FieldNode = Object.freeze({
  kind: Kind.FIELD,
  name: Object.freeze({ kind: Kind.NAME, value: TYPENAME }),
});

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
  const cache = new LruCache<string, FilteredOperation>(options.cacheSize ?? DEFAULT_CACHE_SIZE);
  const names = namesInRequirements(requirements.values());
  const relevantScopes = [...new Set([...names.scopes, INTROSPECTION_SCOPE])].sort();

  return {
    filter(document, operationName, subject, cacheKey) {
      if (cacheKey === undefined) return filterDocument(rules, document, operationName, subject, reject);
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

  const walk = new SelectionFilter(rules, subject, fragmentsOf(document));
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
  const filtered = withUsedVariablesOnly({
    ...operation,
    selectionSet: selectionSet ?? { kind: Kind.SELECTION_SET, selections: [TYPENAME_FIELD] },
  });
  const output: DocumentNode = { kind: Kind.DOCUMENT, definitions: [filtered] };
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
function withUsedVariablesOnly(operation: OperationDefinitionNode): OperationDefinitionNode {
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
  const kept = definitions.filter((definition) => used.has(definition.variable.name.value));
  return kept.length === definitions.length ? operation : { ...operation, variableDefinitions: kept };
}

/**
 * One node per response position (same path of response keys). Sibling selections with the same response key
 * merge into one position, which is how we know whether the client asked for __typename "there".
 */
class ResponsePosition {
  clientTypename = false;
  private children: Map<string, ResponsePosition> | undefined;

  child(responseKey: string): ResponsePosition {
    this.children ??= new Map();
    let child = this.children.get(responseKey);
    if (child === undefined) {
      child = new ResponsePosition();
      this.children.set(responseKey, child);
    }
    return child;
  }
}

/** The selection set of one field, shared by the fragments nested in it. */
interface FieldScope {
  readonly position: ResponsePosition;
  /** Length of the enclosing field's path (its response key included, its "@" markers not). */
  readonly fieldPathLength: number;
  readonly possibleTypes: readonly GraphQLObjectType[];
  /** A field was removed under a narrowing fragment, so restore needs __typename on these objects. */
  needsTypename: boolean;
}

type RuntimeTypes = readonly GraphQLObjectType[] | null;

/**
 * A single depth-first pass over the selected operation. Fragment spreads are inlined as it goes (so each
 * removal gets the path of the spread it came through, and no fragment definition is left to go stale), and
 * new AST nodes are only allocated along the branches that changed.
 */
class SelectionFilter {
  readonly removed: RemovedSelection[] = [];
  private readonly path: string[] = [];
  private readonly placeholders: { position: ResponsePosition; path: string[] }[] = [];
  private readonly recorded = new Set<string>();

  constructor(
    private readonly rules: AccessRules,
    private readonly subject: AuthorizationSubject,
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  ) {}

  /** Returns the filtered root selection set, or null when nothing authorized is left. */
  operation(operation: OperationDefinitionNode, rootType: GraphQLObjectType): SelectionSetNode | null {
    if (!this.allows(this.rules.typeRequirement(rootType))) {
      this.record({ path: [], kind: 'operation' });
      return null;
    }
    const scope: FieldScope = {
      position: new ResponsePosition(),
      fieldPathLength: 0,
      possibleTypes: [rootType],
      needsTypename: false,
    };
    return this.selectionSet(operation.selectionSet, rootType, scope, null);
  }

  /** A placeholder where the client also asked for __typename at the same position stays in the response. */
  typenamePlaceholders(): string[][] {
    const seen = new Set<ResponsePosition>();
    const paths: string[][] = [];
    for (const { position, path } of this.placeholders) {
      if (position.clientTypename || seen.has(position)) continue;
      seen.add(position);
      paths.push(path);
    }
    return paths;
  }

  private selectionSet(
    node: SelectionSetNode,
    parentType: GraphQLCompositeType,
    scope: FieldScope,
    runtimeTypes: RuntimeTypes,
  ): SelectionSetNode | null {
    const selections: SelectionNode[] = [];
    let changed = false;
    for (const selection of node.selections) {
      const kept = this.selection(selection, parentType, scope, runtimeTypes);
      if (kept !== selection) changed = true;
      if (kept !== null) selections.push(kept);
    }
    if (selections.length === 0) return null;
    return changed ? { ...node, selections } : node;
  }

  private selection(
    node: SelectionNode,
    parentType: GraphQLCompositeType,
    scope: FieldScope,
    runtimeTypes: RuntimeTypes,
  ): SelectionNode | null {
    switch (node.kind) {
      case Kind.FIELD:
        return this.field(node, parentType, scope, runtimeTypes);
      case Kind.INLINE_FRAGMENT:
        return this.fragment(
          node,
          node.typeCondition,
          node.selectionSet,
          node.directives,
          parentType,
          scope,
          runtimeTypes,
        );
      case Kind.FRAGMENT_SPREAD: {
        const definition = this.fragments.get(node.name.value);
        // Unknown fragments only exist in documents that failed validation; leave them for it to report.
        if (definition === undefined) return node;
        return this.fragment(
          node,
          definition.typeCondition,
          definition.selectionSet,
          node.directives,
          parentType,
          scope,
          runtimeTypes,
        );
      }
    }
  }

  private field(
    node: FieldNode,
    parentType: GraphQLCompositeType,
    scope: FieldScope,
    runtimeTypes: RuntimeTypes,
  ): FieldNode | null {
    const responseKey = node.alias?.value ?? node.name.value;
    if (node.name.value === TYPENAME) {
      if (responseKey === TYPENAME) scope.position.clientTypename = true;
      return node;
    }
    const rule = this.rules.field(parentType, node.name.value);
    if (rule === null) return node;

    const authorized =
      rule.checks.every((check) => this.allows(check)) &&
      !rule.implementationsDisagree &&
      !(rule.returnedImplementationsDisagree && selectsFieldsOutsideFragments(node.selectionSet));
    if (!authorized) {
      const removal: RemovedSelection = { path: [...this.path, responseKey], kind: 'field' };
      if (runtimeTypes !== null) {
        removal.onlyForTypenames = runtimeTypes.map((type) => type.name);
        scope.needsTypename = true;
      }
      this.record(removal);
      return null;
    }
    if (node.selectionSet === undefined || !isCompositeType(rule.returnType)) return node;

    const base = this.path.length;
    this.path.push(responseKey);
    for (let level = 0; level < rule.listDepth; level += 1) this.path.push(LIST_MARKER);
    const inner: FieldScope = {
      position: scope.position.child(responseKey),
      fieldPathLength: base + 1,
      possibleTypes: rule.possibleTypes,
      needsTypename: false,
    };
    let selectionSet = this.selectionSet(node.selectionSet, rule.returnType, inner, null);
    if (selectionSet === null || (inner.needsTypename && !hasUnconditionalTypename(selectionSet))) {
      // An empty selection is invalid and dropping the parent would hide an authorized field.
      selectionSet = withTypename(selectionSet);
      this.placeholders.push({ position: inner.position, path: this.path.slice() });
    }
    this.path.length = base;
    return selectionSet === node.selectionSet ? node : { ...node, selectionSet };
  }

  /**
   * Returns `origin` itself when it is an inline fragment that needed no change, a new inline fragment
   * otherwise, and null when the fragment is removed or has nothing left.
   */
  private fragment(
    origin: SelectionNode,
    typeCondition: NamedTypeNode | undefined,
    selectionSet: SelectionSetNode,
    directives: readonly DirectiveNode[] | undefined,
    parentType: GraphQLCompositeType,
    scope: FieldScope,
    runtimeTypes: RuntimeTypes,
  ): SelectionNode | null {
    const conditionType = typeCondition ? this.rules.schema.getType(typeCondition.name.value) : parentType;
    if (!isCompositeType(conditionType)) return origin;
    // Without a type condition the fragment stays on the parent type, already checked on the way in.
    if (typeCondition !== undefined && !this.allows(this.rules.typeRequirement(conditionType))) {
      this.record({ path: this.path.slice(0, scope.fieldPathLength), kind: 'fragment' });
      return null;
    }
    const narrowed =
      conditionType === parentType ? runtimeTypes : this.narrow(scope, runtimeTypes, conditionType);
    const inner = this.selectionSet(selectionSet, conditionType, scope, narrowed);
    if (inner === null) return null;
    if (origin.kind === Kind.INLINE_FRAGMENT && inner === selectionSet) return origin;
    const inlined: InlineFragmentNode = {
      kind: Kind.INLINE_FRAGMENT,
      typeCondition,
      directives,
      selectionSet: inner,
    };
    return inlined;
  }

  /** The concrete types still possible inside a fragment; null while that is every type of the position. */
  private narrow(
    scope: FieldScope,
    runtimeTypes: RuntimeTypes,
    condition: GraphQLCompositeType,
  ): RuntimeTypes {
    const schema = this.rules.schema;
    const kept = (runtimeTypes ?? scope.possibleTypes).filter(
      (type) => type === condition || (isAbstractType(condition) && schema.isSubType(condition, type)),
    );
    return kept.length === scope.possibleTypes.length ? null : kept;
  }

  private allows(requirement: AccessRequirement | undefined): boolean {
    return requirement === undefined || isSatisfied(requirement, this.subject);
  }

  /** The same selection reached twice at the same place (a repeated spread or field) reports once. */
  private record(removal: RemovedSelection): void {
    const typenames = removal.onlyForTypenames?.join(',') ?? '';
    const key = `${removal.kind}\u0000${removal.path.join('\u0000')}\u0000${typenames}`;
    if (this.recorded.has(key)) return;
    this.recorded.add(key);
    this.removed.push(removal);
  }
}

function selectsFieldsOutsideFragments(selectionSet: SelectionSetNode | undefined): boolean {
  return (selectionSet?.selections ?? []).some(
    (selection) => selection.kind === Kind.FIELD && selection.name.value !== TYPENAME,
  );
}

function hasUnconditionalTypename(selectionSet: SelectionSetNode): boolean {
  return selectionSet.selections.some(
    (selection) =>
      selection.kind === Kind.FIELD &&
      selection.name.value === TYPENAME &&
      selection.alias === undefined &&
      (selection.directives ?? []).length === 0,
  );
}

function withTypename(selectionSet: SelectionSetNode | null): SelectionSetNode {
  if (selectionSet === null) return { kind: Kind.SELECTION_SET, selections: [TYPENAME_FIELD] };
  return { ...selectionSet, selections: [...selectionSet.selections, TYPENAME_FIELD] };
}
