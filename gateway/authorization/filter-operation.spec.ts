import { buildSchema, type DocumentNode, getIntrospectionQuery, Kind, parse, print, validate } from 'graphql';
import {
  ANONYMOUS,
  BORDER_API_SDL,
  borderSupergraphSdl,
  subject,
  SUPERVISOR,
} from './__fixtures__/border-domain';
import type { AuthorizationSubject } from './caller';
import {
  createOperationFilter,
  type FilteredOperation,
  type OperationFilter,
  type RemovedSelection,
} from './filter-operation';
import { readAccessRequirements } from './requirements';
import { AccessRules } from './access-rules';

const schema = buildSchema(BORDER_API_SDL);
const requirements = readAccessRequirements(borderSupergraphSdl());
const borderFilter = createOperationFilter(schema, requirements);

const SIGNED_IN = subject({ authenticated: true });

function run(
  query: string,
  caller: AuthorizationSubject,
  { operationName, filter = borderFilter }: { operationName?: string; filter?: OperationFilter } = {},
): { input: DocumentNode; result: FilteredOperation } {
  const input = parse(query);
  expect(validate(schema, input)).toEqual([]);
  const result = filter.filter(input, operationName, caller);
  // Whatever was removed, what goes on to the planner must still be a valid operation.
  expect(validate(schema, result.document)).toEqual([]);
  expect(result.text).toBe(print(result.document));
  return { input, result };
}

function changedTo(
  query: string,
  removed: RemovedSelection[],
  typenamePlaceholders: string[][] = [],
  nothingLeft = false,
): FilteredOperation {
  return {
    document: expect.objectContaining({ kind: Kind.DOCUMENT }),
    text: print(parse(query)),
    changed: true,
    nothingLeft,
    rejected: false,
    removed,
    typenamePlaceholders,
  };
}

function unchanged(input: DocumentNode): FilteredOperation {
  return {
    document: input,
    text: print(input),
    changed: false,
    nothingLeft: false,
    rejected: false,
    removed: [],
    typenamePlaceholders: [],
  };
}

const field = (...path: string[]): RemovedSelection => ({ kind: 'field', path });
const fragment = (...path: string[]): RemovedSelection => ({ kind: 'fragment', path });

describe('createOperationFilter', () => {
  test('leaves an operation the caller may fully see untouched (same document object)', () => {
    const { input, result } = run(
      `query BorderCheck {
        notices(first: 10) { edges { node { controlNumber charges riskLevel } } }
        me { badgeNumber }
      }`,
      SUPERVISOR,
    );
    expect(result).toEqual(unchanged(input));
    expect(result.document).toBe(input);
  });

  test('removes a guarded field inside a list of a Relay connection, with "@" for the list level', () => {
    const { result } = run(
      `query BorderCheck($country: String) {
        notices(first: 10, issuingCountry: $country) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges { cursor node { id controlNumber charges subject { surname } } }
        }
      }`,
      SIGNED_IN,
    );
    expect(result).toEqual(
      changedTo(
        `query BorderCheck($country: String) {
          notices(first: 10, issuingCountry: $country) {
            totalCount
            pageInfo { hasNextPage endCursor }
            edges { cursor node { id controlNumber subject { surname } } }
          }
        }`,
        [field('notices', 'edges', '@', 'node', 'charges')],
      ),
    );
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

  describe('emptied selections', () => {
    test('get a __typename placeholder instead of losing their parent', () => {
      const { result } = run(
        `{ notices { edges { __typename node { controlNumber documents { sltdRecord { status } } } } } }`,
        ANONYMOUS,
      );
      expect(result).toEqual(
        changedTo(
          `{ notices { edges { __typename node { controlNumber documents { __typename } } } } }`,
          [field('notices', 'edges', '@', 'node', 'documents', '@', 'sltdRecord')],
          [['notices', 'edges', '@', 'node', 'documents', '@']],
        ),
      );
    });

    test('are not placeholders where the client asked for __typename at the same response position', () => {
      const { result } = run(
        `{
          doc: travelDocument(issuingCountry: "FR", documentNumber: "X1") { sltdRecord { status } }
          doc: travelDocument(issuingCountry: "FR", documentNumber: "X1") { __typename documentNumber }
          other: travelDocument(issuingCountry: "FR", documentNumber: "X2") {
            __typename
            sltdRecord { status }
          }
        }`,
        ANONYMOUS,
      );
      expect(result).toEqual(
        changedTo(
          `{
            doc: travelDocument(issuingCountry: "FR", documentNumber: "X1") { __typename }
            doc: travelDocument(issuingCountry: "FR", documentNumber: "X1") { __typename documentNumber }
            other: travelDocument(issuingCountry: "FR", documentNumber: "X2") { __typename }
          }`,
          [field('doc', 'sltdRecord'), field('other', 'sltdRecord')],
          [],
        ),
      );
    });

    test('report nothingLeft when no authorized root field remains, and prune every variable', () => {
      const { result } = run(
        `query Watch($surname: String!) { watchlistMatches(surname: $surname) { score } me { badgeNumber } }`,
        ANONYMOUS,
      );
      expect(result).toEqual(
        changedTo(`query Watch { __typename }`, [field('watchlistMatches'), field('me')], [[]], true),
      );
    });

    test('keep a client __typename at the root, so the operation still runs', () => {
      const { result } = run(`{ __typename me { badgeNumber } }`, ANONYMOUS);
      expect(result).toEqual(changedTo(`{ __typename }`, [field('me')]));
    });
  });

  describe('fragments', () => {
    test('a named fragment used twice is filtered once and reports each removal at the path it was spread at', () => {
      const { result } = run(
        `query Twice {
          notice(controlNumber: "A-1") { ...NoticeParts }
          recent: notices(first: 5) { edges { node { ...NoticeParts } } }
        }
        fragment NoticeParts on Notice { controlNumber charges }`,
        ANONYMOUS,
      );
      expect(result).toEqual(
        changedTo(
          `query Twice {
            notice(controlNumber: "A-1") { ...NoticeParts }
            recent: notices(first: 5) { edges { node { ...NoticeParts } } }
          }
          fragment NoticeParts on Notice { controlNumber }`,
          [field('notice', 'charges'), field('recent', 'edges', '@', 'node', 'charges')],
        ),
      );
      expect(result.document.definitions.map((definition) => definition.kind)).toEqual([
        Kind.OPERATION_DEFINITION,
        Kind.FRAGMENT_DEFINITION,
      ]);
    });

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

    test('@skip and @include stay put, on fields, inline fragments and spreads', () => {
      const { result } = run(
        `query Brief($full: Boolean!) {
          notice(controlNumber: "A-1") {
            ...NoticeParts @include(if: $full)
            ... @skip(if: $full) { id charges }
          }
        }
        fragment NoticeParts on Notice { controlNumber charges }`,
        ANONYMOUS,
      );
      expect(result).toEqual(
        changedTo(
          `query Brief($full: Boolean!) {
            notice(controlNumber: "A-1") {
              ...NoticeParts @include(if: $full)
              ... @skip(if: $full) { id }
            }
          }
          fragment NoticeParts on Notice { controlNumber }`,
          [field('notice', 'charges')],
        ),
      );
    });

    test('fragments with nothing removed are left as written', () => {
      const { input, result } = run(
        `query Records { search(term: "P1") { ...Record } }
        fragment Record on SltdRecord { status }`,
        subject({ scopes: ['sltd:summary'] }),
      );
      expect(result).toEqual(unchanged(input));
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
  });

  describe('fragments reused many times', () => {
    /** 20 fragments, each spreading the next twice: 2^20 copies of the last one once expanded. */
    function fragmentChain(levels: number, last: string): string {
      const chain = Array.from({ length: levels - 1 }, (_, i) => {
        const next = `F${i + 2}`;
        return `fragment F${i + 1} on Query { ...${next} ... on Query { ...${next} } }`;
      });
      return `query Chain { ...F1 }\n${chain.join('\n')}\nfragment F${levels} on Query { ${last} }`;
    }

    test('a chain of fragments each spreading the next twice is walked once per fragment', () => {
      const fieldLookups = jest.spyOn(AccessRules.prototype, 'field');
      const query = fragmentChain(
        20,
        'me { badgeNumber } notice(controlNumber: "A-1") { controlNumber charges }',
      );
      try {
        const { result } = run(query, ANONYMOUS);
        expect(result.removed).toEqual([field('me'), field('notice', 'charges')]);
        expect(result.nothingLeft).toBe(false);
        // Each field of the document is looked up once: 2^20 expansions would be millions.
        expect(fieldLookups.mock.calls.length).toBeLessThanOrEqual(4);
        // The output keeps the fragment definitions: it is no bigger than the input.
        expect(result.text.length).toBeLessThan(print(parse(query)).length);
        expect(result.document.definitions).toHaveLength(21);
      } finally {
        fieldLookups.mockRestore();
      }
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

    test("a __typename asked inside a fragment counts as the client's at every spread", () => {
      const { result } = run(
        `{
          a: travelDocument(issuingCountry: "FR", documentNumber: "X1") { ...Doc }
          b: travelDocument(issuingCountry: "FR", documentNumber: "X2") { ...Doc }
        }
        fragment Doc on TravelDocument { __typename sltdRecord { status } }`,
        ANONYMOUS,
      );
      expect(result).toEqual(
        changedTo(
          `{
            a: travelDocument(issuingCountry: "FR", documentNumber: "X1") { ...Doc }
            b: travelDocument(issuingCountry: "FR", documentNumber: "X2") { ...Doc }
          }
          fragment Doc on TravelDocument { __typename }`,
          [field('a', 'sltdRecord'), field('b', 'sltdRecord')],
        ),
      );
    });
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

  test('paths use aliases, not field names', () => {
    const { result } = run(
      `{
        primary: travelDocument(issuingCountry: "FR", documentNumber: "X1") {
          number: documentNumber
          record: sltdRecord { state: status owner: holder { name: surname } }
        }
      }`,
      subject({ scopes: ['sltd:summary'] }),
    );
    expect(result).toEqual(
      changedTo(
        `{
          primary: travelDocument(issuingCountry: "FR", documentNumber: "X1") {
            number: documentNumber
            record: sltdRecord { state: status }
          }
        }`,
        [field('primary', 'record', 'owner')],
      ),
    );
  });

  describe('variables', () => {
    const SCREENING = `query Screening(
      $surname: String!
      $country: String!
      $number: String!
      $status: NoticeStatus
      $withCharges: Boolean!
      $brief: Boolean = false
    ) {
      watchlistMatches(surname: $surname) { score }
      travelDocument(issuingCountry: $country, documentNumber: $number) {
        documentNumber
        issuingCountry @skip(if: $brief)
        notices(status: $status) { controlNumber charges @include(if: $withCharges) }
      }
      notices(issuingCountry: $country) { totalCount }
    }`;

    test('definitions only used inside removed selections are pruned, shared and kept ones stay', () => {
      const { result } = run(SCREENING, ANONYMOUS);
      expect(result).toEqual(
        changedTo(
          `query Screening($country: String!, $number: String!, $brief: Boolean = false) {
            travelDocument(issuingCountry: $country, documentNumber: $number) {
              documentNumber
              issuingCountry @skip(if: $brief)
            }
            notices(issuingCountry: $country) { totalCount }
          }`,
          [field('watchlistMatches'), field('travelDocument', 'notices')],
        ),
      );
    });

    test('a variable still used by a kept field is not pruned', () => {
      const { result } = run(SCREENING, subject({ scopes: ['notices:read'] }));
      expect(result).toEqual(
        changedTo(
          `query Screening(
            $country: String!
            $number: String!
            $status: NoticeStatus
            $withCharges: Boolean!
            $brief: Boolean = false
          ) {
            travelDocument(issuingCountry: $country, documentNumber: $number) {
              documentNumber
              issuingCountry @skip(if: $brief)
              notices(status: $status) { controlNumber charges @include(if: $withCharges) }
            }
            notices(issuingCountry: $country) { totalCount }
          }`,
          [field('watchlistMatches')],
        ),
      );
    });
  });

  describe('introspection', () => {
    const QUERY = `{
      __typename
      __schema { queryType { name } }
      __type(name: "Notice") { name }
      notices { totalCount }
    }`;

    test('__schema and __type need schema:read; __typename never needs anything', () => {
      const { result } = run(QUERY, SIGNED_IN);
      expect(result).toEqual(
        changedTo(`{ __typename notices { totalCount } }`, [field('__schema'), field('__type')]),
      );
    });

    test('schema:read lets the full introspection query through untouched', () => {
      const { input, result } = run(getIntrospectionQuery(), subject({ scopes: ['schema:read'] }));
      expect(result).toEqual(unchanged(input));
    });

    test('without schema:read nothing of the introspection query is left', () => {
      const { result } = run(getIntrospectionQuery(), SIGNED_IN);
      expect(result).toMatchObject({ nothingLeft: true, removed: [field('__schema')] });
    });
  });

  describe('reject mode', () => {
    const rejecting = createOperationFilter(schema, requirements, { mode: 'reject' });

    test('any unauthorized selection refuses the whole operation, reporting every error', () => {
      const { input, result } = run(
        `{
          notice(controlNumber: "A-1") { charges documents { sltdRecord { status } } }
          notices { totalCount }
        }`,
        ANONYMOUS,
        { filter: rejecting },
      );
      expect(result).toEqual({
        ...unchanged(input),
        changed: true,
        nothingLeft: true,
        rejected: true,
        removed: [field('notice', 'charges'), field('notice', 'documents', '@', 'sltdRecord')],
      });
    });

    test('an authorized operation runs as written', () => {
      const { input, result } = run(`{ notice(controlNumber: "A-1") { charges } }`, SUPERVISOR, {
        filter: rejecting,
      });
      expect(result).toEqual(unchanged(input));
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

  describe('operation selection', () => {
    const DOCUMENT = `
      query Mine { me { badgeNumber } notices { totalCount } }
      query Other { alerts { __typename } }
    `;

    test('only the selected operation is filtered and kept', () => {
      const { result } = run(DOCUMENT, ANONYMOUS, { operationName: 'Mine' });
      expect(result).toEqual(changedTo(`query Mine { notices { totalCount } }`, [field('me')]));
    });

    test('an unknown operation name is left for execution to report', () => {
      const { input, result } = run(DOCUMENT, ANONYMOUS, { operationName: 'Missing' });
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

  describe('cache', () => {
    const QUERY = `{ notices { edges { node { controlNumber charges } } } }`;

    test('the same permission signature returns the same result object; another signature does not', () => {
      const filter = createOperationFilter(schema, requirements);
      const reader = filter.filter(parse(QUERY), undefined, subject({ scopes: ['notices:read'] }), 'sha-1');
      const sameRights = filter.filter(
        parse(QUERY),
        undefined,
        subject({ scopes: ['notices:read', 'profile', 'email'] }),
        'sha-1',
      );
      const anonymous = filter.filter(parse(QUERY), undefined, ANONYMOUS, 'sha-1');
      const otherPolicy = filter.filter(
        parse(QUERY),
        undefined,
        subject({ scopes: ['notices:read'], policies: ['same-agency'] }),
        'sha-1',
      );

      expect(sameRights).toBe(reader);
      expect(anonymous).not.toBe(reader);
      expect(anonymous.removed).toEqual([field('notices', 'edges', '@', 'node', 'charges')]);
      expect(reader.removed).toEqual([]);
      expect(otherPolicy).not.toBe(reader);
      expect(filter.filter(parse(QUERY), undefined, ANONYMOUS, 'sha-1')).toBe(anonymous);
    });

    test('the cache key and the operation name are part of the key; no cache key means no caching', () => {
      const filter = createOperationFilter(schema, requirements);
      const document = parse(`query A { notices { totalCount } } query B { me { badgeNumber } }`);
      const a = filter.filter(document, 'A', ANONYMOUS, 'sha-2');
      expect(filter.filter(document, 'B', ANONYMOUS, 'sha-2')).not.toBe(a);
      expect(filter.filter(document, 'A', ANONYMOUS, 'sha-3')).not.toBe(a);
      expect(filter.filter(document, 'A', ANONYMOUS)).not.toBe(filter.filter(document, 'A', ANONYMOUS));
    });

    test('is bounded: the least recently used entry is evicted first', () => {
      const filter = createOperationFilter(schema, requirements, { cacheSize: 2 });
      const document = parse(QUERY);
      const first = filter.filter(document, undefined, ANONYMOUS, 'q1');
      const second = filter.filter(document, undefined, ANONYMOUS, 'q2');
      expect(filter.filter(document, undefined, ANONYMOUS, 'q1')).toBe(first);
      filter.filter(document, undefined, ANONYMOUS, 'q3');
      expect(filter.filter(document, undefined, ANONYMOUS, 'q1')).toBe(first);
      expect(filter.filter(document, undefined, ANONYMOUS, 'q2')).not.toBe(second);
    });
  });
});
