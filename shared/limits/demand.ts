import {
  type ArgumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getNamedType,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  isCompositeType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  type ValueNode,
  type GraphQLOutputType,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../schema/page-size';

/**
 * A static estimate of what an operation asks for, before anything runs, in the spirit of Apollo Router's
 * demand control: every field returning an object counts 1, scalars 0, and everything under a list is
 * multiplied by the list's size. A list's size is its `first` argument (at most 100, or the default page size), for a
 * connection the `first` of the field returning it; the result list of `checkDocuments` is as long as its
 * `input`; other lists are assumed to hold {@link ASSUMED_LIST_SIZE} items.
 *
 * Each named fragment is measured once per list size it is spread under, so the estimate costs the
 * document's size, never its expansion.
 */
export interface Demand {
  /** Estimated objects in the answer. */
  demand: number;
  /** Documents checked: the length of the `input` of every `checkDocuments`, summed over the operation. */
  checkedDocuments: number;
}

/** Lists without a size argument (a notice's documents, an alert's indicators...). */
export const ASSUMED_LIST_SIZE = 10;
const SLICING_ARGUMENT = 'first';
/**
 * Fields whose result list is as long as one of their list arguments. In a subgraph, `_entities` answers one
 * entity per representation the gateway sends.
 */
const SIZED_BY_ARGUMENT: Readonly<Record<string, string>> = {
  'Query.checkDocuments': 'input',
  'Query._entities': 'representations',
};
const CHECKED_DOCUMENTS_FIELD = 'Query.checkDocuments';

export function estimateDemand(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Readonly<Record<string, unknown>>,
): Demand {
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return { demand: 0, checkedDocuments: 0 };
  const defaults = new Map<string, ValueNode>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) defaults.set(definition.variable.name.value, definition.defaultValue);
  }
  const variable = (name: string): ArgumentValue => {
    if (Object.hasOwn(variables, name)) return { json: variables[name] };
    const fallback = defaults.get(name);
    return fallback ? { node: fallback } : null;
  };
  const memo = new Map<string, Demand | 'in progress'>();

  /** `sliceSize`: the `first` of the field returning this connection, for its list fields. */
  const measure = (
    selectionSet: SelectionSetNode,
    parentType: GraphQLCompositeType,
    sliceSize: number | null,
  ): Demand => {
    const total: Demand = { demand: 0, checkedDocuments: 0 };
    const add = (part: Demand, times = 1) => {
      total.demand += part.demand * times;
      total.checkedDocuments += part.checkedDocuments * times;
    };
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        add(measureField(selection, parentType, sliceSize));
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition && schema.getType(selection.typeCondition.name.value);
        const type = condition && isCompositeType(condition) ? condition : parentType;
        add(measure(selection.selectionSet, type, sliceSize));
        continue;
      }
      const definition = fragments.get(selection.name.value);
      const fragmentType = definition && schema.getType(definition.typeCondition.name.value);
      if (!definition || !fragmentType || !isCompositeType(fragmentType)) continue;
      const key = `${selection.name.value}\u0000${sliceSize ?? ''}`;
      const known = memo.get(key);
      // A cycle: the document is invalid and validation reports it.
      if (known === 'in progress') continue;
      if (known !== undefined) {
        add(known);
        continue;
      }
      memo.set(key, 'in progress');
      const measured = measure(definition.selectionSet, fragmentType, sliceSize);
      memo.set(key, measured);
      add(measured);
    }
    return total;
  };

  const measureField = (
    node: FieldNode,
    parentType: GraphQLCompositeType,
    sliceSize: number | null,
  ): Demand => {
    const definition = fieldOf(schema, parentType, node.name.value);
    if (!definition) return { demand: 0, checkedDocuments: 0 };
    const coordinate = `${parentType.name}.${node.name.value}`;
    const returnType = getNamedType(definition.type);
    const sizedBy = SIZED_BY_ARGUMENT[coordinate];
    const first = argumentValue(node.arguments, SLICING_ARGUMENT, variable);
    const hasSlicingArgument = definition.args.some((arg) => arg.name === SLICING_ARGUMENT);
    const ownSize = sizedBy
      ? listLength(argumentValue(node.arguments, sizedBy, variable))
      : hasSlicingArgument
        ? pageSize(first)
        : (sliceSize ?? ASSUMED_LIST_SIZE);
    const lists = listLevels(definition.type);
    // A list's size is its own; the levels of a list of lists beyond the first are assumed.
    const multiplier = lists === 0 ? 1 : ownSize * ASSUMED_LIST_SIZE ** (lists - 1);
    const checked = coordinate === CHECKED_DOCUMENTS_FIELD ? ownSize : 0;
    if (!node.selectionSet || !isCompositeType(returnType)) return { demand: 0, checkedDocuments: checked };
    // A connection (not a list itself, but sliced by `first`) hands its size to its list fields.
    const childSlice = lists === 0 && hasSlicingArgument ? pageSize(first) : null;
    const inner = measure(node.selectionSet, returnType, childSlice);
    return {
      demand: multiplier * (1 + inner.demand),
      checkedDocuments: checked + multiplier * inner.checkedDocuments,
    };
  };

  return measure(operation.selectionSet, rootType, null);
}

function fieldOf(
  schema: GraphQLSchema,
  parentType: GraphQLCompositeType,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  if (parentType === schema.getQueryType()) {
    if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
    if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
  }
  if (!isObjectType(parentType) && !isInterfaceType(parentType)) return undefined;
  return parentType.getFields()[name];
}

function listLevels(type: GraphQLOutputType): number {
  let levels = 0;
  let current: GraphQLOutputType = type;
  for (;;) {
    if (isNonNullType(current)) current = current.ofType;
    else if (isListType(current)) {
      levels += 1;
      current = current.ofType as GraphQLOutputType;
    } else return levels;
  }
}

/** An argument as written in the document, or the JSON value of the variable it names. */
type ArgumentValue = { readonly node: ValueNode } | { readonly json: unknown } | null;

function argumentValue(
  args: readonly ArgumentNode[] | undefined,
  name: string,
  variable: (name: string) => ArgumentValue,
): ArgumentValue {
  const argument = args?.find((arg) => arg.name.value === name);
  if (!argument) return null;
  return argument.value.kind === Kind.VARIABLE
    ? variable(argument.value.name.value)
    : { node: argument.value };
}

/**
 * `first` as the resolvers read it: absent or unusable means the default page size. Above the largest page the
 * resolvers refuse it themselves, with an error naming the argument: it is estimated as the largest page, so
 * that clearer error is the one the caller gets.
 */
function pageSize(value: ArgumentValue): number {
  let number = NaN;
  if (value && 'json' in value && typeof value.json === 'number') number = value.json;
  if (value && 'node' in value && value.node.kind === Kind.INT) number = Number(value.node.value);
  return Number.isInteger(number) && number >= 0 ? Math.min(number, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
}

/** Items of a list argument; a single value stands for a list of one (GraphQL's input coercion). */
function listLength(value: ArgumentValue): number {
  if (value === null) return 0;
  if ('json' in value) {
    if (value.json === undefined || value.json === null) return 0;
    return Array.isArray(value.json) ? value.json.length : 1;
  }
  if (value.node.kind === Kind.LIST) return value.node.values.length;
  return value.node.kind === Kind.NULL ? 0 : 1;
}
