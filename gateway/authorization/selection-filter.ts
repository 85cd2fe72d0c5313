import {
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type InlineFragmentNode,
  isAbstractType,
  isCompositeType,
  Kind,
  type NamedTypeNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  visit,
} from 'graphql';
import type { AccessRules } from './access-rules';
import { type AuthorizationSubject, isSatisfied } from './caller';
import type { AccessRequirement } from './requirements';

/**
 * The walk behind the operation filter (filter-operation.ts): one depth-first pass over an operation that drops
 * what the caller may not see and notes every removal, so the response can be restored around it.
 */

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

const TYPENAME = '__typename';

export const TYPENAME_FIELD: FieldNode = Object.freeze({
  kind: Kind.FIELD,
  name: Object.freeze({ kind: Kind.NAME, value: TYPENAME }),
});

/** The selection set of one field, shared by the fragments nested in it. */
interface FieldScope {
  /** Length of the enclosing field's path (its response key included, its "@" markers not). */
  readonly fieldPathLength: number;
  readonly possibleTypes: readonly GraphQLObjectType[];
  /** A field was removed under a narrowing fragment, so restore needs __typename on these objects. */
  needsTypename: boolean;
}

type RuntimeTypes = readonly GraphQLObjectType[] | null;

/**
 * Where something noted while walking a named fragment happened, relative to the place the fragment is
 * spread at: at the field enclosing the spread (a fragment's error path, a response position), or below it.
 */
type Location =
  { readonly enclosing: true } | { readonly enclosing: false; readonly below: readonly string[] };

/** What the walk notes on its way: removals, __typename placeholders, and where the client asked __typename. */
type Note =
  | { readonly type: 'removal'; readonly kind: 'field' | 'fragment'; readonly onlyForTypenames?: string[] }
  | { readonly type: 'placeholder' | 'clientTypename' };

type WalkEvent = Note & { readonly location: Location };

/** Events noted while walking one named fragment in one context, to be replayed at each of its spreads. */
interface FragmentSummary {
  /** The fragment's filtered selection set; null when nothing authorized is left in it. */
  readonly selectionSet: SelectionSetNode | null;
  readonly events: readonly WalkEvent[];
  /** A removal at the fragment's top level narrowed the runtime type: the enclosing field needs __typename. */
  readonly needsTypename: boolean;
}

/** Collects the events of the named fragment being walked. */
interface FragmentRecorder {
  /** this.path.length at the spread. */
  readonly base: number;
  /** The scope the fragment is spread in. */
  readonly scope: FieldScope;
  readonly events: WalkEvent[];
  readonly seen: Set<string>;
  needsTypename: boolean;
}

/**
 * A single depth-first pass over the selected operation. Each named fragment is walked once per context (the
 * runtime types it can narrow to) and its filtered body, removals and placeholders are remembered: every
 * further spread of it costs a replay of what it noted, with the spread's path in front. The cost therefore
 * grows with the document, not with its expansion (a chain of fragments each spreading the next twice stays
 * linear), and the output keeps the (filtered) fragment definitions instead of inlining them. New AST nodes
 * are only allocated along the branches that changed.
 */
export class SelectionFilter {
  readonly removed: RemovedSelection[] = [];
  private readonly path: string[] = [];
  private readonly placeholders: string[][] = [];
  private readonly clientTypenamePositions = new Set<string>();
  private readonly recorded = new Set<string>();
  private readonly recorders: FragmentRecorder[] = [];
  /** Keyed by fragment name and the runtime types it was walked for. */
  private readonly summaries = new Map<string, FragmentSummary>();
  /** The filtered body of each fragment walked (it does not depend on where the fragment is spread). */
  private readonly filteredBodies = new Map<string, SelectionSetNode | null>();
  private readonly inProgress = new Set<string>();

  constructor(
    private readonly rules: AccessRules,
    private readonly subject: AuthorizationSubject,
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  ) {}

  /** Returns the filtered root selection set, or null when nothing authorized is left. */
  operation(operation: OperationDefinitionNode, rootType: GraphQLObjectType): SelectionSetNode | null {
    const scope: FieldScope = { fieldPathLength: 0, possibleTypes: [rootType], needsTypename: false };
    if (!this.allows(this.rules.typeRequirement(rootType))) {
      this.recordRemoval({ path: [], kind: 'operation' });
      return null;
    }
    return this.selectionSet(operation.selectionSet, rootType, scope, null);
  }

  /** A placeholder where the client also asked for __typename at the same position stays in the response. */
  typenamePlaceholders(): string[][] {
    const seen = new Set<string>();
    const paths: string[][] = [];
    for (const path of this.placeholders) {
      const position = positionOf(path);
      if (this.clientTypenamePositions.has(position) || seen.has(position)) continue;
      seen.add(position);
      paths.push(path);
    }
    return paths;
  }

  /** The filtered definitions of the fragments the filtered operation still spreads, in document order. */
  fragmentsUsedBy(
    operation: OperationDefinitionNode,
    definitions: ReadonlyMap<string, FragmentDefinitionNode>,
  ): FragmentDefinitionNode[] {
    const used = new Set<string>();
    const pending: SelectionSetNode[] = [operation.selectionSet];
    const collect: ASTVisitor = {
      FragmentSpread: (node) => {
        const name = node.name.value;
        const body = this.filteredBodies.get(name);
        if (used.has(name) || !body) return;
        used.add(name);
        pending.push(body);
      },
    };
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) visit(next, collect);
    const kept: FragmentDefinitionNode[] = [];
    for (const [name, definition] of definitions) {
      const body = this.filteredBodies.get(name);
      if (!used.has(name) || !body) continue;
      kept.push(body === definition.selectionSet ? definition : { ...definition, selectionSet: body });
    }
    return kept;
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
        return this.inlineFragment(node, parentType, scope, runtimeTypes);
      case Kind.FRAGMENT_SPREAD:
        return this.fragmentSpread(node, parentType, scope, runtimeTypes);
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
      if (responseKey === TYPENAME) this.note({ type: 'clientTypename' }, scope, 'enclosing');
      return node;
    }
    const rule = this.rules.field(parentType, node.name.value);
    if (rule === null) return node;

    const authorized =
      rule.checks.every((check) => this.allows(check)) &&
      !rule.implementationsDisagree &&
      !(rule.returnedImplementationsDisagree && selectsFieldsOutsideFragments(node.selectionSet));
    if (!authorized) {
      const removal: Note = {
        type: 'removal',
        kind: 'field',
        ...(runtimeTypes !== null && { onlyForTypenames: runtimeTypes.map((type) => type.name) }),
      };
      if (runtimeTypes !== null) this.needsTypename(scope);
      this.note(removal, scope, [...this.path, responseKey]);
      return null;
    }
    if (node.selectionSet === undefined || !isCompositeType(rule.returnType)) return node;

    const base = this.path.length;
    this.path.push(responseKey);
    for (let level = 0; level < rule.listDepth; level += 1) this.path.push(LIST_MARKER);
    const inner: FieldScope = {
      fieldPathLength: base + 1,
      possibleTypes: rule.possibleTypes,
      needsTypename: false,
    };
    let selectionSet = this.selectionSet(node.selectionSet, rule.returnType, inner, null);
    if (selectionSet === null || (inner.needsTypename && !hasUnconditionalTypename(selectionSet))) {
      // An empty selection is invalid and dropping the parent would hide an authorized field.
      selectionSet = withTypename(selectionSet);
      this.note({ type: 'placeholder' }, inner, this.path.slice());
    }
    this.path.length = base;
    return selectionSet === node.selectionSet ? node : { ...node, selectionSet };
  }

  /** Returns the fragment itself when nothing in it changed, null when it is removed or has nothing left. */
  private inlineFragment(
    node: InlineFragmentNode,
    parentType: GraphQLCompositeType,
    scope: FieldScope,
    runtimeTypes: RuntimeTypes,
  ): InlineFragmentNode | null {
    const conditionType = node.typeCondition ? this.conditionType(node.typeCondition) : parentType;
    if (conditionType === undefined) return node;
    // Without a type condition the fragment stays on the parent type, already checked on the way in.
    if (node.typeCondition !== undefined && !this.allowsFragmentOn(conditionType, scope)) return null;
    const narrowed = this.narrowed(conditionType, parentType, scope, runtimeTypes);
    const inner = this.selectionSet(node.selectionSet, conditionType, scope, narrowed);
    if (inner === null) return null;
    return inner === node.selectionSet ? node : { ...node, selectionSet: inner };
  }

  /**
   * A spread stays a spread (its definition is filtered once, in fragmentsUsedBy's output); it goes when its
   * type is not visible to the caller or nothing authorized is left in the fragment.
   */
  private fragmentSpread(
    node: FragmentSpreadNode,
    parentType: GraphQLCompositeType,
    scope: FieldScope,
    runtimeTypes: RuntimeTypes,
  ): FragmentSpreadNode | null {
    const name = node.name.value;
    const definition = this.fragments.get(name);
    // Unknown fragments (and cycles) only exist in documents that failed validation; leave them for it to report.
    if (definition === undefined || this.inProgress.has(name)) return node;
    const conditionType = this.conditionType(definition.typeCondition);
    if (conditionType === undefined) return node;
    if (!this.allowsFragmentOn(conditionType, scope)) return null;
    const narrowed = this.narrowed(conditionType, parentType, scope, runtimeTypes);
    const key = `${name}\u0000${narrowed === null ? '*' : narrowed.map((type) => type.name).join(',')}`;
    let summary = this.summaries.get(key);
    if (summary === undefined) {
      summary = this.summarize(name, definition, conditionType, scope, narrowed);
      this.summaries.set(key, summary);
    }
    this.replay(summary, scope);
    return summary.selectionSet === null ? null : node;
  }

  private summarize(
    name: string,
    definition: FragmentDefinitionNode,
    conditionType: GraphQLCompositeType,
    scope: FieldScope,
    narrowed: RuntimeTypes,
  ): FragmentSummary {
    const recorder: FragmentRecorder = {
      base: this.path.length,
      scope,
      events: [],
      seen: new Set(),
      needsTypename: false,
    };
    this.inProgress.add(name);
    this.recorders.push(recorder);
    const selectionSet = this.selectionSet(definition.selectionSet, conditionType, scope, narrowed);
    this.recorders.pop();
    this.inProgress.delete(name);
    if (!this.filteredBodies.has(name)) this.filteredBodies.set(name, selectionSet);
    return { selectionSet, events: recorder.events, needsTypename: recorder.needsTypename };
  }

  /** Notes a fragment's events again at this spread, as if its body had been walked here. */
  private replay(summary: FragmentSummary, scope: FieldScope): void {
    for (const { location, ...note } of summary.events) {
      this.note(note, scope, location.enclosing ? 'enclosing' : [...this.path, ...location.below]);
    }
    if (summary.needsTypename) this.needsTypename(scope);
  }

  /**
   * Records an event at `at` (an absolute path, or the field enclosing `scope`): into the named fragment being
   * walked, relative to its spread, or, outside fragments, into the result.
   */
  private note(note: Note, scope: FieldScope, at: readonly string[] | 'enclosing'): void {
    const recorder = this.recorders[this.recorders.length - 1];
    if (recorder !== undefined) {
      const location: Location =
        at === 'enclosing' && scope === recorder.scope
          ? { enclosing: true }
          : { enclosing: false, below: this.absolute(at, scope).slice(recorder.base) };
      const key = `${eventKey(note)}\u0000${location.enclosing ? '' : `>${location.below.join('\u0000')}`}`;
      if (recorder.seen.has(key)) return;
      recorder.seen.add(key);
      recorder.events.push({ ...note, location });
      return;
    }
    const path = this.absolute(at, scope);
    if (note.type === 'removal') {
      const { kind, onlyForTypenames } = note;
      this.recordRemoval({ path, kind, ...(onlyForTypenames && { onlyForTypenames }) });
    } else if (note.type === 'placeholder') this.placeholders.push(path);
    else this.clientTypenamePositions.add(positionOf(path));
  }

  private absolute(at: readonly string[] | 'enclosing', scope: FieldScope): string[] {
    return at === 'enclosing' ? this.path.slice(0, scope.fieldPathLength) : [...at];
  }

  private needsTypename(scope: FieldScope): void {
    scope.needsTypename = true;
    const recorder = this.recorders[this.recorders.length - 1];
    if (recorder !== undefined && recorder.scope === scope) recorder.needsTypename = true;
  }

  private conditionType(typeCondition: NamedTypeNode): GraphQLCompositeType | undefined {
    const type = this.rules.schema.getType(typeCondition.name.value);
    return isCompositeType(type) ? type : undefined;
  }

  /** A fragment on a type the caller may not see goes, with an error at the enclosing field. */
  private allowsFragmentOn(conditionType: GraphQLCompositeType, scope: FieldScope): boolean {
    if (this.allows(this.rules.typeRequirement(conditionType))) return true;
    this.note({ type: 'removal', kind: 'fragment' }, scope, 'enclosing');
    return false;
  }

  private narrowed(
    conditionType: GraphQLCompositeType,
    parentType: GraphQLCompositeType,
    scope: FieldScope,
    runtimeTypes: RuntimeTypes,
  ): RuntimeTypes {
    return conditionType === parentType ? runtimeTypes : this.narrow(scope, runtimeTypes, conditionType);
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
  private recordRemoval(removal: RemovedSelection): void {
    const typenames = removal.onlyForTypenames?.join(',') ?? '';
    const key = `${removal.kind}\u0000${removal.path.join('\u0000')}\u0000${typenames}`;
    if (this.recorded.has(key)) return;
    this.recorded.add(key);
    this.removed.push(removal);
  }
}

function eventKey(note: Note): string {
  return note.type === 'removal'
    ? `${note.type}\u0000${note.kind}\u0000${note.onlyForTypenames?.join(',') ?? ''}`
    : note.type;
}

/** A response position is its path of response keys; list levels do not make a position of their own. */
function positionOf(path: readonly string[]): string {
  return path.filter((segment) => segment !== LIST_MARKER).join('\u0000');
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
