import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  type GraphQLInputType,
  type GraphQLSchema,
  type ValueNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  Kind,
  TypeInfo,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  isUnionType,
  visit,
  visitWithTypeInfo,
  type GraphQLScalarType,
} from 'graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { BadUserInputError, type FieldProblem } from '../errors';
import { allowsLines, normalizeText, textProblem } from './text';

/**
 * The real parsers of the custom scalars, by name. The gateway builds its schema from the supergraph's SDL, whose
 * scalars accept anything: without this, an invalid DateTimeISO passed the gateway and the subgraph's refusal came
 * back as a 500. A test checks that every custom scalar of the supergraph is listed here.
 */
export const SCALAR_PARSERS: Readonly<Record<string, GraphQLScalarType>> = {
  DateTimeISO: GraphQLDateTimeISO,
};

const TEXT_SCALARS = new Set(['String', 'ID']);
const BUILT_IN_SCALARS = new Set(['String', 'ID', 'Int', 'Float', 'Boolean']);

/** At most this many problems are named: a list of 500 bad strings makes one error, not a 500-line one. */
const MAX_PROBLEMS = 20;

/**
 * Every argument value of the operation (literals, variables, nested input objects and lists), checked by its
 * type: text by `textProblem`, custom scalars by their real parser, federation's `_Any` representations by
 * their `__typename`. Fragments are read once each. Returns the problems, each naming its field path.
 */
function inputProblems(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  // The path of the value being walked, as a stack (pushed on the way down, popped on the way up): it is joined
  // only for a problem, so a manifest's 300 inputs cost no array or string per value.
  const path: string[] = [];
  const add = (reason: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ field: path.join('.'), reason });
  };
  const entityTypes = entityTypeNames(schema);

  // `lines`: the value's field (its last name that is not a list index) may hold lines (`allowsLines`).
  const checkLeaf = (type: GraphQLScalarType, value: unknown, lines: boolean, literal?: ValueNode) => {
    if (TEXT_SCALARS.has(type.name)) {
      if (typeof value !== 'string') return;
      const problem = textProblem(value, lines);
      if (problem) add(problem);
      return;
    }
    if (BUILT_IN_SCALARS.has(type.name)) return;
    if (type.name === '_Any') return checkRepresentation(value);
    const parser = SCALAR_PARSERS[type.name] ?? type;
    try {
      if (literal) parser.parseLiteral(literal, variables);
      else parser.parseValue(value);
    } catch {
      // The parser's own message repeats the value: a caller's 100,000 characters do not come back in the error.
      add(`is not a valid ${type.name}`);
    }
  };

  // A representation names an entity type of this subgraph and holds its key fields: plain JSON, so every string in
  // it is one line of text.
  const checkRepresentation = (value: unknown) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return add('must be an object with __typename');
    const typename = (value as { __typename?: unknown }).__typename;
    if (typeof typename !== 'string' || !entityTypes.has(typename)) {
      path.push('__typename');
      add('is not an entity type of this subgraph');
      path.pop();
      return;
    }
    const walkJson = (json: unknown): void => {
      if (typeof json === 'string') {
        const problem = textProblem(json, false);
        if (problem) add(problem);
      } else if (Array.isArray(json))
        for (let i = 0; i < json.length; i++) {
          path.push(String(i));
          walkJson(json[i]);
          path.pop();
        }
      else if (typeof json === 'object' && json !== null)
        for (const key of Object.keys(json)) {
          path.push(key);
          walkJson((json as Record<string, unknown>)[key]);
          path.pop();
        }
    };
    walkJson(value);
  };

  const walkValue = (type: GraphQLInputType, value: unknown, lines: boolean): void => {
    if (value === null || value === undefined) return;
    if (isNonNullType(type)) return walkValue(type.ofType, value, lines);
    if (isListType(type)) {
      if (Array.isArray(value))
        for (let i = 0; i < value.length; i++) {
          path.push(String(i));
          walkValue(type.ofType, value[i], lines);
          path.pop();
        }
      else walkValue(type.ofType, value, lines);
      return;
    }
    if (isInputObjectType(type)) {
      if (typeof value !== 'object' || Array.isArray(value)) return;
      const fields = type.getFields();
      for (const name of Object.keys(value)) {
        const field = fields[name];
        if (!field) continue;
        path.push(name);
        walkValue(field.type, (value as Record<string, unknown>)[name], allowsLines(name));
        path.pop();
      }
      return;
    }
    if (isScalarType(type)) checkLeaf(type, value, lines);
  };

  const walkLiteral = (type: GraphQLInputType, node: ValueNode, lines: boolean): void => {
    if (node.kind === Kind.VARIABLE) return walkValue(type, variables[node.name.value], lines);
    if (node.kind === Kind.NULL) return;
    if (isNonNullType(type)) return walkLiteral(type.ofType, node, lines);
    if (isListType(type)) {
      if (node.kind === Kind.LIST)
        node.values.forEach((item, i) => {
          path.push(String(i));
          walkLiteral(type.ofType, item, lines);
          path.pop();
        });
      else walkLiteral(type.ofType, node, lines);
      return;
    }
    if (isInputObjectType(type)) {
      if (node.kind !== Kind.OBJECT) return;
      const fields = type.getFields();
      for (const field of node.fields) {
        const definition = fields[field.name.value];
        if (!definition) continue;
        path.push(field.name.value);
        walkLiteral(definition.type, field.value, allowsLines(field.name.value));
        path.pop();
      }
      return;
    }
    if (!isScalarType(type)) return;
    if (node.kind === Kind.STRING) checkLeaf(type, node.value, lines, node);
    else if (!BUILT_IN_SCALARS.has(type.name)) checkLeaf(type, undefined, lines, node);
  };

  for (const site of argumentSites(schema, document, operation)) {
    path.push(site.name);
    walkLiteral(site.type, site.value, allowsLines(site.name));
    path.pop();
  }
  return problems;
}

/** An argument of the operation or of a fragment it spreads: its name, its input type, its value as written. */
interface ArgumentSite {
  name: string;
  type: GraphQLInputType;
  value: ValueNode;
}

/**
 * The operation's argument sites depend only on the schema and the document, which Apollo Server keeps parsed per
 * query text: they are found once per operation node, by a walk of the whole document with TypeInfo that was most
 * of this plugin's cost on every request (LinkedRecords: 2.9% of the hub's samples; bench/README.md "Where the
 * time goes"). Only the values (the variables) are checked per request. Weak maps: a schema or document that is
 * dropped takes its sites with it.
 */
const sitesBySchema = new WeakMap<GraphQLSchema, WeakMap<OperationDefinitionNode, ArgumentSite[]>>();

function argumentSites(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): ArgumentSite[] {
  let byOperation = sitesBySchema.get(schema);
  if (!byOperation) sitesBySchema.set(schema, (byOperation = new WeakMap()));
  const known = byOperation.get(operation);
  if (known) return known;
  const sites: ArgumentSite[] = [];
  const typeInfo = new TypeInfo(schema);
  const visitor = visitWithTypeInfo(typeInfo, {
    Argument(node) {
      const argument = typeInfo.getArgument();
      if (argument) sites.push({ name: node.name.value, type: argument.type, value: node.value });
    },
  });
  // The operation and the fragments it may spread, each once (a fragment's arguments are the same wherever it is
  // spread); other operations of the document do not run.
  visit(operation, visitor);
  for (const definition of usedFragments(document, operation)) visit(definition, visitor);
  byOperation.set(operation, sites);
  return sites;
}

/** The entity types of each schema, found once (every request asked). */
const entityTypesBySchema = new WeakMap<GraphQLSchema, ReadonlySet<string>>();

function entityTypeNames(schema: GraphQLSchema): ReadonlySet<string> {
  let names = entityTypesBySchema.get(schema);
  if (!names) {
    const entity = schema.getType('_Entity');
    names = new Set(isUnionType(entity) ? entity.getTypes().map((type) => type.name) : []);
    entityTypesBySchema.set(schema, names);
  }
  return names;
}

function usedFragments(document: DocumentNode, operation: OperationDefinitionNode): FragmentDefinitionNode[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const used = new Map<string, FragmentDefinitionNode>();
  const collect = (selectionSet: SelectionSetNode | undefined): void => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !used.has(fragment.name.value)) {
          used.set(fragment.name.value, fragment);
          collect(fragment.selectionSet);
        }
      } else collect(selection.selectionSet);
    }
  };
  collect(operation.selectionSet);
  return [...used.values()];
}

/**
 * Every string of a variables object in NFC: a new array or object only where something in it changed, the value
 * itself otherwise (a manifest's 300 inputs, already in NFC, are not copied).
 */
function normalizeJson(value: unknown): unknown {
  if (typeof value === 'string') return normalizeText(value);
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const normal = normalizeJson(item);
      if (normal !== item) (copy ??= value.slice())[i] = normal;
    }
    return copy ?? value;
  }
  if (typeof value === 'object' && value !== null) {
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object);
    for (let i = 0; i < keys.length; i++) {
      const normal = normalizeJson(object[keys[i]]);
      if (normal === object[keys[i]]) continue;
      // fromEntries defines each key as its own property, `__proto__` included (an assignment would set the
      // prototype).
      return Object.fromEntries(
        keys.map((key, j) => [key, j < i ? object[key] : j === i ? normal : normalizeJson(object[key])]),
      );
    }
    return value;
  }
  return value;
}

/** Each parsed document's normal form, made once: it depends on the document alone, which Apollo Server keeps. */
const normalizedDocuments = new WeakMap<DocumentNode, DocumentNode>();

/** Every string literal of a document in NFC; the same document when all already are. */
function normalizeDocument(document: DocumentNode): DocumentNode {
  let normalized = normalizedDocuments.get(document);
  if (!normalized) {
    normalized = visit(document, {
      StringValue(node) {
        const value = normalizeText(node.value);
        return value === node.value ? undefined : { ...node, value };
      },
    });
    normalizedDocuments.set(document, normalized);
  }
  return normalized;
}

/**
 * Applies the input rules to every operation before it is planned or resolved: a refusal is one BAD_USER_INPUT
 * error, HTTP 400, listing every problem, and nothing runs. `normalize` (the subgraphs, which store the values)
 * also rewrites every string of the request to NFC; the gateway only checks, so its query-plan cache, keyed by
 * the text the client sent, stays true to that text.
 */
export function inputHygiene<C extends BaseContext>(options: { normalize: boolean }): ApolloServerPlugin<C> {
  return {
    requestDidStart: async () => ({
      didResolveOperation: async (requestContext) => {
        const { schema, document, operation, request } = requestContext;
        if (!operation) return;
        const problems = inputProblems(schema, document, operation, request.variables ?? {});
        if (problems.length > 0) throw new BadUserInputError(problems, { httpStatus: 400 });
        if (!options.normalize) return;
        if (request.variables)
          request.variables = normalizeJson(request.variables) as Record<string, unknown>;
        // Apollo Server executes requestContext.document after this hook; its cache keeps the original.
        (requestContext as { document: DocumentNode }).document = normalizeDocument(document);
      },
    }),
  };
}
