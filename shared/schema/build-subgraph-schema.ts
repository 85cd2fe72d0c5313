import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { enforceFieldRules } from './access';
import { buildSchema, createResolversMap, type ContainerType, type NonEmptyArray } from 'type-graphql';

/**
 * The one place a subgraph schema is built: type-graphql classes are printed with their directives, wrapped in
 * the Federation 2 `@link` (v2.9, which defines the authorization directives), and merged with the reference
 * resolvers that answer `_entities`.
 */
const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: [
  "@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible",
  "@authenticated", "@requiresScopes", "@policy"
])`;

export interface SubgraphSchemaOptions {
  // type-graphql accepts any class decorated with @Resolver.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolvers: NonEmptyArray<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  orphanedTypes?: Function[];
  /** `{ TypeName: { __resolveReference } }` for each entity this subgraph resolves by key. */
  referenceResolvers?: GraphQLResolverMap<unknown>;
  /** Makes the resolver instances, when a resolver is built with the subgraph's settings (default: `new R()`). */
  container?: ContainerType;
}

export interface BuiltSubgraphSchema {
  schema: GraphQLSchema;
  /** The subgraph SDL, as composition reads it. */
  typeDefs: DocumentNode;
}

export async function buildFederatedSchema(options: SubgraphSchemaOptions): Promise<BuiltSubgraphSchema> {
  const typeGraphQLSchema = await buildSchema({
    resolvers: options.resolvers,
    orphanedTypes: options.orphanedTypes,
    container: options.container,
    // A subgraph may have no Query of its own; composition checks the whole graph instead.
    skipCheck: true,
    validate: false,
  });
  describeRootTypes(typeGraphQLSchema);
  // Before the resolvers are taken from it: the field rules wrap them (shared/schema/access.ts).
  enforceFieldRules(typeGraphQLSchema);
  const typeDefs = parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(typeGraphQLSchema)}`);
  const resolvers = mergeResolverMaps(
    createResolversMap(typeGraphQLSchema) as GraphQLResolverMap<unknown>,
    options.referenceResolvers ?? {},
  );
  const schema = buildSubgraphSchema([{ typeDefs, resolvers }]);
  return { schema, typeDefs };
}

/**
 * Makes each resolver once, with its factory where one is given (a resolver built with the subgraph's settings),
 * else with `new R()` as type-graphql does.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function resolverContainer(factories: ReadonlyMap<Function, () => object>): ContainerType {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  const instances = new Map<Function, object>();
  return {
    get(resolverClass: new () => object) {
      let instance = instances.get(resolverClass);
      if (!instance) {
        instance = factories.get(resolverClass)?.() ?? new resolverClass();
        instances.set(resolverClass, instance);
      }
      return instance;
    },
  };
}

function mergeResolverMaps(
  base: GraphQLResolverMap<unknown>,
  extra: GraphQLResolverMap<unknown>,
): GraphQLResolverMap<unknown> {
  const merged: GraphQLResolverMap<unknown> = { ...base };
  for (const [typeName, fields] of Object.entries(extra)) {
    merged[typeName] = {
      ...(base[typeName] as object),
      ...(fields as object),
    } as GraphQLResolverMap<unknown>[string];
  }
  return merged;
}

/** type-graphql cannot describe the root types; every subgraph gives them the same text so composition agrees. */
const ROOT_DESCRIPTIONS = {
  query:
    'Reads: border checks, records, notices, alerts and agencies, each field guarded by its access rule.',
  mutation: 'Changes: each one transaction, audited, and limited to the records the caller owns.',
};

function describeRootTypes(schema: GraphQLSchema): void {
  const query = schema.getQueryType();
  if (query && !query.description) query.description = ROOT_DESCRIPTIONS.query;
  const mutation = schema.getMutationType();
  if (mutation && !mutation.description) mutation.description = ROOT_DESCRIPTIONS.mutation;
}
