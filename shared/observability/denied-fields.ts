import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getNamedType,
  getOperationAST,
  type GraphQLCompositeType,
  type GraphQLSchema,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import { metrics } from './metrics';

/**
 * The schema coordinates (`Type.field`) of the selections the gateway removed, for the access-denial metric.
 * Removed paths are response keys (aliases: the caller's words), so they are mapped back to the schema, whose
 * coordinates are a bounded set. Runs only for operations where something was denied.
 */
export interface RemovedPath {
  path: readonly string[];
  kind: 'field' | 'fragment' | 'operation';
}

const LIST_MARKER = '@';

export function deniedCoordinates(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  removed: readonly RemovedPath[],
): string[] {
  const operation = getOperationAST(document, operationName);
  const root = operation ? schema.getRootType(operation.operation) : undefined;
  if (!operation || !root) return removed.map(() => 'unknown');
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return removed.map(({ path, kind }) => {
    if (kind === 'operation') return root.name;
    let parent: GraphQLCompositeType = root;
    let selectionSets: SelectionSetNode[] = [operation.selectionSet];
    let coordinate = 'unknown';
    for (const key of path) {
      if (key === LIST_MARKER) continue;
      const match = findField(schema, parent, selectionSets, key, fragments);
      if (!match) return 'unknown';
      coordinate = `${match.parent.name}.${match.fields[0].name.value}`;
      const definition = (
        isObjectType(match.parent) || isInterfaceType(match.parent) ? match.parent.getFields() : {}
      )[match.fields[0].name.value];
      const next = definition ? getNamedType(definition.type) : undefined;
      if (!next || !isCompositeType(next)) {
        parent = root;
        selectionSets = [];
        continue;
      }
      parent = next;
      selectionSets = match.fields.flatMap((field) => (field.selectionSet ? [field.selectionSet] : []));
    }
    return coordinate;
  });
}

/** The fields answering to `responseKey` under these selection sets, with the type they are selected on. */
function findField(
  schema: GraphQLSchema,
  parent: GraphQLCompositeType,
  selectionSets: readonly SelectionSetNode[],
  responseKey: string,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): { parent: GraphQLCompositeType; fields: FieldNode[] } | null {
  let found: { parent: GraphQLCompositeType; fields: FieldNode[] } | null = null;
  // A named fragment spread again at the same level adds the same fields: each is read once, so a chain of
  // fragments spreading the next one twice costs its length, not 2^length.
  const spread = new Set<string>();
  const visit = (type: GraphQLCompositeType, set: SelectionSetNode, depth: number) => {
    if (depth > 20) return;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if ((selection.alias ?? selection.name).value !== responseKey) continue;
        if (!found) found = { parent: type, fields: [] };
        found.fields.push(selection);
      } else {
        if (selection.kind === Kind.FRAGMENT_SPREAD) {
          if (spread.has(selection.name.value)) continue;
          spread.add(selection.name.value);
        }
        const fragment =
          selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
        if (!fragment) continue;
        const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : type;
        visit(condition && isCompositeType(condition) ? condition : type, fragment.selectionSet, depth + 1);
      }
    }
  };
  for (const set of selectionSets) visit(parent, set, 0);
  return found;
}

const coordinatesOf = new WeakMap<object, string[]>();

/**
 * The schema coordinates of one operation's denials, worked out once per cached filter result (the gateway's
 * filter caches its results per document and permissions): the metric and the refusal's audit row share them.
 */
function deniedCoordinatesOf(
  request: { schema: GraphQLSchema; document: DocumentNode; operationName: string | null },
  filtered: { removed: readonly RemovedPath[] },
): string[] {
  let coordinates = coordinatesOf.get(filtered);
  if (!coordinates) {
    coordinates = deniedCoordinates(
      request.schema,
      request.document,
      request.operationName,
      filtered.removed,
    );
    coordinatesOf.set(filtered, coordinates);
  }
  return coordinates;
}

/** Counts the denials of one operation in the process's metrics; returns their coordinates. */
export function countDenials(
  request: { schema: GraphQLSchema; document: DocumentNode; operationName: string | null },
  filtered: { removed: readonly RemovedPath[] },
): string[] {
  const coordinates = deniedCoordinatesOf(request, filtered);
  metrics().recordDenials(coordinates);
  return coordinates;
}
