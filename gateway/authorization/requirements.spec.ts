import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import {
  buildSchema,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  parse,
  type GraphQLSchema,
} from 'graphql';
import {
  ANONYMOUS,
  BORDER_API_SDL,
  BORDER_SUBGRAPH_SDL,
  borderSupergraphSdl,
} from './__fixtures__/border-domain';
import { isSatisfied } from './caller';
import { createOperationFilter } from './filter-operation';
import { type AccessRequirement, readAccessRequirements } from './requirements';

const scopes = (...groups: string[][]): AccessRequirement => ({
  authenticated: false,
  scopes: groups,
  policies: null,
});
const policies = (...groups: string[][]): AccessRequirement => ({
  authenticated: false,
  scopes: null,
  policies: groups,
});
const AUTHENTICATED: AccessRequirement = { authenticated: true, scopes: null, policies: null };

const BORDER_REQUIREMENTS = new Map<string, AccessRequirement>([
  ['Query.me', AUTHENTICATED],
  ['Query.watchlistMatches', scopes(['watchlist:read', 'border:officer'], ['watchlist:admin'])],
  ['Query.biometricDossier', policies(['same-agency'], ['supervisor', 'audit-logged'])],
  ['Notice.charges', scopes(['notices:read'])],
  ['Person.dateOfBirth', scopes(['pii:read'])],
  ['TravelDocument.notices', scopes(['notices:read'])],
  ['SltdRecord', scopes(['sltd:summary'])],
  ['SltdRecord.holder', scopes(['sltd:read'])],
  ['RiskLevel', AUTHENTICATED],
  ['BiometricTemplate', scopes(['biometric:read'])],
  ['Alert', AUTHENTICATED],
  ['Alert.summary', scopes(['sltd:read'])],
  ['DocumentAlert.summary', scopes(['sltd:read'])],
  ['PersonAlert', AUTHENTICATED],
]);

describe('readAccessRequirements', () => {
  test('reads fields and types of a hand-written API schema (no @link: spec names as they are)', () => {
    expect(readAccessRequirements(BORDER_API_SDL)).toEqual(BORDER_REQUIREMENTS);
  });

  test('reads the supergraph form, linked for SECURITY', () => {
    expect(readAccessRequirements(borderSupergraphSdl())).toEqual(BORDER_REQUIREMENTS);
  });

  test('follows `as:` renames on the spec links', () => {
    const renamed = borderSupergraphSdl({
      authenticated: 'signedIn',
      requiresScopes: 'scopes',
      policy: 'accessPolicy',
    });
    expect(renamed).toContain(
      '@link(url: "https://specs.apollo.dev/requiresScopes/v0.1", as: "scopes", for: SECURITY)',
    );
    expect(renamed).toContain('charges: [String!]! @scopes(scopes: [["notices:read"]])');
    expect(readAccessRequirements(renamed)).toEqual(BORDER_REQUIREMENTS);
  });

  test('reads a supergraph that @apollo/composition composed from the subgraph', () => {
    const composed = composeServices([
      {
        name: 'border-records',
        typeDefs: parse(BORDER_SUBGRAPH_SDL),
        url: 'http://border-records:4001/graphql',
      },
    ]);
    expect(composed.errors).toBeUndefined();
    expect(readAccessRequirements(composed.supergraphSdl ?? '')).toEqual(BORDER_REQUIREMENTS);
  });

  test('accepts an already parsed document', () => {
    expect(readAccessRequirements(parse(borderSupergraphSdl()))).toEqual(BORDER_REQUIREMENTS);
  });

  test('once @link is in use, a same-named directive no link brings in is not an authorization rule', () => {
    const sdl = `
      schema
        @link(url: "https://specs.apollo.dev/link/v1.0")
        @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", as: "scopes", for: SECURITY)
      { query: Query }
      directive @policy(policies: [[String!]!]!) on FIELD_DEFINITION
      directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION
      directive @scopes(scopes: [[String!]!]!) on FIELD_DEFINITION
      type Query {
        linked: String @scopes(scopes: [["a"]])
        notLinked: String @requiresScopes(scopes: [["b"]]) @policy(policies: [["p"]])
      }
    `;
    expect(readAccessRequirements(sdl)).toEqual(new Map([['Query.linked', scopes(['a'])]]));
  });

  test('reads a Federation 2 subgraph: imports (renamed or not) and the namespaced spelling', () => {
    const sdl = `
      extend schema @link(
        url: "https://specs.apollo.dev/federation/v2.9"
        import: [{ name: "@requiresScopes", as: "@needs" }, "@authenticated"]
      )
      type Query {
        a: String @needs(scopes: [["x"]])
        b: String @authenticated
        c: String @federation__policy(policies: [["p"]])
      }
    `;
    expect(readAccessRequirements(sdl)).toEqual(
      new Map([
        ['Query.a', scopes(['x'])],
        ['Query.b', AUTHENTICATED],
        ['Query.c', policies(['p'])],
      ]),
    );
  });

  test('applies list input coercion to single values', () => {
    const sdl = `
      type Query {
        single: String @requiresScopes(scopes: "a")
        flat: String @requiresScopes(scopes: ["a", "b"])
        none: String @requiresScopes(scopes: [])
      }
    `;
    expect(readAccessRequirements(sdl)).toEqual(
      new Map([
        ['Query.single', scopes(['a'])],
        ['Query.flat', scopes(['a'], ['b'])],
        ['Query.none', scopes()],
      ]),
    );
  });

  test('combines a type definition and its extension with AND, and several directives on one element', () => {
    const sdl = `
      type Notice @requiresScopes(scopes: [["a"], ["b"]]) { id: ID! }
      extend type Notice @requiresScopes(scopes: [["c"]]) @authenticated
      type Query { notice: Notice @authenticated @policy(policies: [["p"]]) @requiresScopes(scopes: [["s"]]) }
    `;
    expect(readAccessRequirements(sdl)).toEqual(
      new Map([
        [
          'Notice',
          {
            authenticated: true,
            scopes: [
              ['a', 'c'],
              ['b', 'c'],
            ],
            policies: null,
          },
        ],
        ['Query.notice', { authenticated: true, scopes: [['s']], policies: [['p']] }],
      ]),
    );
  });
});

// SUPERGRAPH_PATH points the check at another composed file (a CI artefact, a staging supergraph).
const SUPERGRAPH_PATH = process.env.SUPERGRAPH_PATH ?? join(__dirname, '..', '..', 'supergraph.graphql');

// Registered only where a composed supergraph exists, so the suite stays green before the first composition.
if (existsSync(SUPERGRAPH_PATH)) {
  describe(`the real composed supergraph (${SUPERGRAPH_PATH})`, () => {
    const sdl = readFileSync(SUPERGRAPH_PATH, 'utf8');
    const requirements = readAccessRequirements(sdl);
    const schema = buildSchema(sdl, { assumeValidSDL: true });

    test('every requirement names a type or a field that exists', () => {
      const dangling = [...requirements.keys()].filter((key) => !resolves(schema, key));
      expect(dangling).toEqual([]);
    });

    test('an anonymous caller loses every guarded root field it selects', () => {
      const queryType = schema.getQueryType();
      const guarded = Object.values(queryType?.getFields() ?? {}).filter(
        (field) =>
          field.args.every((arg) => !isNonNullType(arg.type) || arg.defaultValue !== undefined) &&
          [
            requirements.get(`${queryType?.name}.${field.name}`),
            requirements.get(getNamedType(field.type).name),
          ].some((requirement) => requirement !== undefined && !isSatisfied(requirement, ANONYMOUS)),
      );
      const selections = guarded.map((field) =>
        isCompositeType(getNamedType(field.type)) ? `${field.name} { __typename }` : field.name,
      );
      const document = parse(`{ __typename ${selections.join(' ')} }`);
      const result = createOperationFilter(schema, requirements).filter(document, undefined, ANONYMOUS);
      expect(result.removed.map((removal) => removal.path)).toEqual(
        expect.arrayContaining(guarded.map((field) => [field.name])),
      );
    });
  });
}

function resolves(schema: GraphQLSchema, key: string): boolean {
  const [typeName, fieldName] = key.split('.');
  const type = schema.getType(typeName);
  if (type === undefined) return false;
  if (fieldName === undefined) return true;
  return (isObjectType(type) || isInterfaceType(type)) && fieldName in type.getFields();
}
