/**
 * The constructs of the Router's authorization directives that the hub's graph does not declare today, on a
 * miniature graph built around them (__fixtures__/border-domain.ts): rules on types (objects, enums, scalars, the
 * Mutation root), interfaces and their implementations, unions, and @policy. Composition accepts each of them from
 * any subgraph, so the filter must already treat them as the Router would; how the filter treats the hub's own
 * graph is checked on the committed supergraph in filter-operation.spec.ts.
 */
import { buildSchema, parse } from 'graphql';
import { ANONYMOUS, borderGraph, subject, SUPERVISOR } from './__fixtures__/border-domain';
import { changedTo, field, fragment, operationRunner, unchanged } from './__fixtures__/filter-expectations';
import type { AuthorizationSubject } from './caller';
import { createOperationFilter, type RemovedSelection } from './filter-operation';
import { readAccessRequirements } from './requirements';

const { schema, requirements } = borderGraph();

const SIGNED_IN = subject({ authenticated: true });

const run = operationRunner(schema, createOperationFilter(schema, requirements));

describe("createOperationFilter: constructs the hub's graph does not use", () => {
  describe('fragments on types and their members', () => {
    test('a fragment on a type the caller may not see goes, with an error at the enclosing field', () => {
      const { result } = run(
        `query Records {
          stolen: search(term: "P1234567") { ...Hit }
          lost: search(term: "P7654321") { ...Hit }
        }
        fragment Hit on SearchResult { ... on TravelDocument { documentNumber } ...Record }
        fragment Record on SltdRecord { status }`,
        ANONYMOUS,
      );
      expect(result).toEqual(
        changedTo(
          `query Records {
            stolen: search(term: "P1234567") { ...Hit }
            lost: search(term: "P7654321") { ...Hit }
          }
          fragment Hit on SearchResult { ... on TravelDocument { documentNumber } }`,
          [fragment('stolen'), fragment('lost')],
        ),
      );
    });

    test('a fragment emptied by removals disappears without an error of its own', () => {
      const { result } = run(
        `{ search(term: "P1") { ... on Notice { controlNumber } ... on SltdRecord { holder { surname } } } }`,
        subject({ scopes: ['sltd:summary'] }),
      );
      expect(result).toEqual(
        changedTo(
          `{ search(term: "P1") { ... on Notice { controlNumber } __typename } }`,
          [{ kind: 'field', path: ['search', '@', 'holder'], onlyForTypenames: ['SltdRecord'] }],
          [['search', '@']],
        ),
      );
    });

    test('a fragment replayed at another spread brings its removals and __typename placeholder along', () => {
      const { result } = run(
        `{ first: alerts { ...DocumentParts } second: alerts { ...DocumentParts } }
        fragment DocumentParts on DocumentAlert { id summary }`,
        SIGNED_IN,
      );
      const summary = (key: string): RemovedSelection => ({
        kind: 'field',
        path: [key, '@', 'summary'],
        onlyForTypenames: ['DocumentAlert'],
      });
      expect(result).toEqual(
        changedTo(
          `{
            first: alerts { ...DocumentParts __typename }
            second: alerts { ...DocumentParts __typename }
          }
          fragment DocumentParts on DocumentAlert { id }`,
          [summary('first'), summary('second')],
          [
            ['first', '@'],
            ['second', '@'],
          ],
        ),
      );
    });
  });

  test('applies type-level rules to fields returning the type: object, enum and scalar', () => {
    const { result } = run(
      `{
        notice(controlNumber: "A-1") {
          controlNumber
          riskLevel
          documents { documentNumber sltdRecord { status } }
        }
        biometricDossier(personId: "P-1") { personId template }
      }`,
      subject({ policies: ['same-agency'] }),
    );
    expect(result).toEqual(
      changedTo(
        `{
          notice(controlNumber: "A-1") { controlNumber documents { documentNumber } }
          biometricDossier(personId: "P-1") { personId }
        }`,
        [
          field('notice', 'riskLevel'),
          field('notice', 'documents', '@', 'sltdRecord'),
          field('biometricDossier', 'template'),
        ],
      ),
    );
  });

  describe('interfaces', () => {
    const ALERTS = `{
      alerts {
        __typename
        ... on DocumentAlert { id summary document { documentNumber } }
        ... on PersonAlert { id subject { surname } }
      }
    }`;

    test('a field removed in an implementation fragment only applies to that implementation', () => {
      const { result } = run(ALERTS, SIGNED_IN);
      expect(result).toEqual(
        changedTo(
          `{
            alerts {
              __typename
              ... on DocumentAlert { id document { documentNumber } }
              ... on PersonAlert { id subject { surname } }
            }
          }`,
          [{ kind: 'field', path: ['alerts', '@', 'summary'], onlyForTypenames: ['DocumentAlert'] }],
        ),
      );
    });

    test('__typename is fetched as a placeholder when the client did not ask for it', () => {
      const { result } = run(
        `{ alerts { ... on DocumentAlert { id summary } ... on PersonAlert { id } } }`,
        SIGNED_IN,
      );
      expect(result).toEqual(
        changedTo(
          `{ alerts { ... on DocumentAlert { id } ... on PersonAlert { id } __typename } }`,
          [{ kind: 'field', path: ['alerts', '@', 'summary'], onlyForTypenames: ['DocumentAlert'] }],
          [['alerts', '@']],
        ),
      );
    });

    test('like Router, plain fields on an interface with differing implementations are refused', () => {
      const { result } = run(`{ alerts { id raisedAt } me { badgeNumber } }`, SUPERVISOR);
      expect(result).toEqual(changedTo(`{ me { badgeNumber } }`, [field('alerts')]));
    });

    test('like Router, an interface field its implementations guard differently is refused to all', () => {
      const { result } = run(`{ alerts { __typename ... on Alert { id summary } } }`, SUPERVISOR);
      expect(result).toEqual(
        changedTo(`{ alerts { __typename ... on Alert { id } } }`, [field('alerts', '@', 'summary')]),
      );
    });

    test('the rules composition propagated to the interface apply to fields returning it', () => {
      const { result } = run(`{ alerts { __typename } notices { totalCount } }`, ANONYMOUS);
      expect(result).toEqual(changedTo(`{ notices { totalCount } }`, [field('alerts')]));
    });

    test('union members: a guarded member fragment goes, its visible siblings stay', () => {
      const { result } = run(
        `{ search(term: "P1") { __typename ... on Notice { controlNumber } ... on SltdRecord { status } } }`,
        SIGNED_IN,
      );
      expect(result).toEqual(
        changedTo(`{ search(term: "P1") { __typename ... on Notice { controlNumber } } }`, [
          fragment('search'),
        ]),
      );
    });
  });

  describe('policies', () => {
    const DOSSIER = `{ notices { totalCount } biometricDossier(personId: "P-1") { personId template } }`;

    test.each<[string, AuthorizationSubject, string, RemovedSelection[]]>([
      [
        'one granted alternative is enough for the field; the scalar type still needs its scope',
        subject({ policies: ['same-agency'] }),
        `{ notices { totalCount } biometricDossier(personId: "P-1") { personId } }`,
        [field('biometricDossier', 'template')],
      ],
      [
        'half of an AND-group is not enough',
        subject({ policies: ['supervisor'] }),
        `{ notices { totalCount } }`,
        [field('biometricDossier')],
      ],
    ])('%s', (_case, caller, expected, removed) => {
      expect(run(DOSSIER, caller).result).toEqual(changedTo(expected, removed));
    });

    test('the complete AND-group grants the field', () => {
      const { input, result } = run(
        DOSSIER,
        subject({ policies: ['supervisor', 'audit-logged'], scopes: ['biometric:read'] }),
      );
      expect(result).toEqual(unchanged(input));
    });
  });

  test('a guarded root operation type stops the whole operation', () => {
    const sdl = `
      directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT
      type Query { ping: String }
      type Mutation @requiresScopes(scopes: [["notices:write"]]) { cancelNotice(id: ID!): Boolean }
    `;
    const filter = createOperationFilter(buildSchema(sdl), readAccessRequirements(sdl));
    const cancel = parse(`mutation Cancel($id: ID!) { cancelNotice(id: $id) }`);
    expect(filter.filter(cancel, undefined, ANONYMOUS)).toEqual(
      changedTo(`mutation Cancel { __typename }`, [{ kind: 'operation', path: [] }], [[]], true),
    );
    expect(filter.filter(cancel, undefined, subject({ scopes: ['notices:write'] }))).toEqual(
      unchanged(cancel),
    );
  });
});
