import path from 'node:path';
import { getIntrospectionQuery, Kind, parse, print } from 'graphql';
import { DEMO_CLIENTS } from '../../db/seed/agencies';
import { buildSupergraphApiSchema, readSupergraph } from '../supergraph';
import { AccessRules } from './access-rules';
import { changedTo, field, operationRunner, unchanged } from './__fixtures__/filter-expectations';
import type { AuthorizationSubject } from './caller';
import { createOperationFilter } from './filter-operation';
import { readAccessRequirements } from './requirements';

/**
 * The operation filter on the hub's own graph: the committed supergraph (what the gateway loads), its API schema
 * and the rules its subgraphs declare — @authenticated and @requiresScopes on fields; the graph declares no @policy
 * and no rule on a type. The constructs it does not use are checked in filter-operation-constructs.spec.ts.
 * Callers hold the scope sets of the demo clients.
 */
const SUPERGRAPH = readSupergraph(path.join(__dirname, '..', '..', 'supergraph.graphql'));
const schema = buildSupergraphApiSchema(SUPERGRAPH);
const requirements = readAccessRequirements(SUPERGRAPH);

function caller(...scopes: string[]): AuthorizationSubject {
  return { authenticated: true, scopes: new Set(scopes), policy: () => false };
}

const ANONYMOUS: AuthorizationSubject = { authenticated: false, scopes: new Set(), policy: () => false };
/** A demo client's scopes (db/seed/agencies.ts, docs/access-matrix.md). */
const demo = (clientId: string): AuthorizationSubject =>
  caller(...(DEMO_CLIENTS.find((client) => client.clientId === clientId)?.scopes ?? []));
/** Every NCB scope. */
const NCB = demo('ncb-fra');
/** A border point screens and checks, and sees records in summary. */
const BORDER_POINT = demo('bp-fra');
/** Checks documents, sees nothing of the records. */
const AIRLINE = demo('airline-demo');

const run = operationRunner(schema, createOperationFilter(schema, requirements));

describe('createOperationFilter on the hub’s supergraph', () => {
  test('the graph it runs on declares field rules only: no @policy, no rule on a type', () => {
    expect(SUPERGRAPH).not.toMatch(/@policy\(/);
    expect([...requirements.keys()].every((coordinate) => coordinate.includes('.'))).toBe(true);
    expect(requirements.size).toBeGreaterThan(100);
  });

  test('leaves an operation the caller may fully see untouched (same document object)', () => {
    const { input, result } = run(
      `query Notices {
        notices(first: 10) { edges { node { controlNumber charges subject { surname } } } }
        me { clientId }
      }`,
      NCB,
    );
    expect(result).toEqual(unchanged(input));
    expect(result.document).toBe(input);
  });

  test('removes a guarded field inside a list of a Relay connection, with "@" for the list level', () => {
    const { result } = run(
      `query Screening($filter: NoticeFilter) {
        notices(first: 10, filter: $filter) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges { cursor node { id controlNumber charges subject { surname } } }
        }
      }`,
      BORDER_POINT,
    );
    expect(result).toEqual(
      changedTo(
        `query Screening($filter: NoticeFilter) {
          notices(first: 10, filter: $filter) {
            totalCount
            pageInfo { hasNextPage endCursor }
            edges { cursor node { id controlNumber subject { surname } } }
          }
        }`,
        [field('notices', 'edges', '@', 'node', 'charges')],
      ),
    );
  });

  describe('emptied selections', () => {
    test('get a __typename placeholder instead of losing their parent', () => {
      const { result } = run(
        `query Check($input: [DocumentCheckInput!]!) {
          checkDocuments(input: $input) { verdict document { sltdRecord { status } } }
        }`,
        AIRLINE,
      );
      expect(result).toEqual(
        changedTo(
          `query Check($input: [DocumentCheckInput!]!) {
            checkDocuments(input: $input) { verdict document { __typename } }
          }`,
          [field('checkDocuments', '@', 'document', 'sltdRecord')],
          [['checkDocuments', '@', 'document']],
        ),
      );
    });

    test('are not placeholders where the client asked for __typename at the same response position', () => {
      const { result } = run(
        `{
          doc: travelDocument(issuingCountry: "FRA", documentNumber: "X1") { sltdRecord { status } }
          doc: travelDocument(issuingCountry: "FRA", documentNumber: "X1") { __typename documentNumber }
          other: travelDocument(issuingCountry: "FRA", documentNumber: "X2") {
            __typename
            sltdRecord { status }
          }
        }`,
        AIRLINE,
      );
      expect(result).toEqual(
        changedTo(
          `{
            doc: travelDocument(issuingCountry: "FRA", documentNumber: "X1") { __typename }
            doc: travelDocument(issuingCountry: "FRA", documentNumber: "X1") { __typename documentNumber }
            other: travelDocument(issuingCountry: "FRA", documentNumber: "X2") { __typename }
          }`,
          [field('doc', 'sltdRecord'), field('other', 'sltdRecord')],
          [],
        ),
      );
    });

    test('report nothingLeft when no authorized root field remains, and prune every variable', () => {
      const { result } = run(
        `query Screen($person: PersonScreeningInput!) { screenPerson(input: $person) { score } me { clientId } }`,
        ANONYMOUS,
      );
      expect(result).toEqual(
        changedTo(`query Screen { __typename }`, [field('screenPerson'), field('me')], [[]], true),
      );
    });

    test('keep a client __typename at the root, so the operation still runs', () => {
      const { result } = run(`{ __typename me { clientId } }`, ANONYMOUS);
      expect(result).toEqual(changedTo(`{ __typename }`, [field('me')]));
    });
  });

  describe('fragments', () => {
    test('a named fragment used twice is filtered once and reports each removal at the path it was spread at', () => {
      const { result } = run(
        `query Twice {
          notice(id: "n1") { ...NoticeParts }
          recent: notices(first: 5) { edges { node { ...NoticeParts } } }
        }
        fragment NoticeParts on Notice { controlNumber charges }`,
        BORDER_POINT,
      );
      expect(result).toEqual(
        changedTo(
          `query Twice {
            notice(id: "n1") { ...NoticeParts }
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

    test('@skip and @include stay put, on fields, inline fragments and spreads', () => {
      const { result } = run(
        `query Brief($full: Boolean!) {
          notice(id: "n1") {
            ...NoticeParts @include(if: $full)
            ... @skip(if: $full) { id charges }
          }
        }
        fragment NoticeParts on Notice { controlNumber charges }`,
        BORDER_POINT,
      );
      expect(result).toEqual(
        changedTo(
          `query Brief($full: Boolean!) {
            notice(id: "n1") {
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
        `query Records { sltdRecord(id: "r1") { ...Record } }
        fragment Record on SltdRecord { status holder { surname } }`,
        NCB,
      );
      expect(result).toEqual(unchanged(input));
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
      const last =
        'me { clientId } travelDocument(issuingCountry: "FRA", documentNumber: "X1") { sltdRecord { status } }';
      const query = fragmentChain(20, last);
      try {
        const { result } = run(query, AIRLINE);
        expect(result.removed).toEqual([field('travelDocument', 'sltdRecord')]);
        expect(result.nothingLeft).toBe(false);
        // Each field of the document is looked up at most once (five fields in all): 2^20 expansions would be
        // millions.
        expect(fieldLookups.mock.calls.length).toBeLessThanOrEqual(5);
        // The output keeps the fragment definitions: it is no bigger than the input.
        expect(result.text.length).toBeLessThan(print(parse(query)).length);
        expect(result.document.definitions).toHaveLength(21);
      } finally {
        fieldLookups.mockRestore();
      }
    });

    test("a __typename asked inside a fragment counts as the client's at every spread", () => {
      const { result } = run(
        `{
          a: travelDocument(issuingCountry: "FRA", documentNumber: "X1") { ...Doc }
          b: travelDocument(issuingCountry: "FRA", documentNumber: "X2") { ...Doc }
        }
        fragment Doc on TravelDocument { __typename sltdRecord { status } }`,
        AIRLINE,
      );
      expect(result).toEqual(
        changedTo(
          `{
            a: travelDocument(issuingCountry: "FRA", documentNumber: "X1") { ...Doc }
            b: travelDocument(issuingCountry: "FRA", documentNumber: "X2") { ...Doc }
          }
          fragment Doc on TravelDocument { __typename }`,
          [field('a', 'sltdRecord'), field('b', 'sltdRecord')],
        ),
      );
    });
  });

  test('paths use aliases, not field names', () => {
    const { result } = run(
      `{
        primary: travelDocument(issuingCountry: "FRA", documentNumber: "X1") {
          number: documentNumber
          record: sltdRecord { state: status owner: holder { name: surname } }
        }
      }`,
      BORDER_POINT,
    );
    expect(result).toEqual(
      changedTo(
        `{
          primary: travelDocument(issuingCountry: "FRA", documentNumber: "X1") {
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
      $person: PersonScreeningInput!
      $country: String!
      $number: String!
      $withCharges: Boolean!
      $brief: Boolean = false
    ) {
      screenPerson(input: $person) { score }
      travelDocument(issuingCountry: $country, documentNumber: $number) {
        documentNumber
        issuingCountry @skip(if: $brief)
        notices { controlNumber charges @include(if: $withCharges) }
      }
      notices(filter: { requestingCountry: $country }) { totalCount }
    }`;

    test('definitions only used inside removed selections are pruned, shared and kept ones stay', () => {
      const { result } = run(SCREENING, AIRLINE);
      expect(result).toEqual(
        changedTo(
          `query Screening($country: String!, $number: String!, $brief: Boolean = false) {
            travelDocument(issuingCountry: $country, documentNumber: $number) {
              documentNumber
              issuingCountry @skip(if: $brief)
            }
          }`,
          [field('screenPerson'), field('travelDocument', 'notices'), field('notices')],
        ),
      );
    });

    test('a variable still used by a kept field is not pruned', () => {
      const { result } = run(SCREENING, caller('notices:read', 'sltd:check'));
      expect(result).toEqual(
        changedTo(
          `query Screening(
            $country: String!
            $number: String!
            $withCharges: Boolean!
            $brief: Boolean = false
          ) {
            travelDocument(issuingCountry: $country, documentNumber: $number) {
              documentNumber
              issuingCountry @skip(if: $brief)
              notices { controlNumber charges @include(if: $withCharges) }
            }
            notices(filter: { requestingCountry: $country }) { totalCount }
          }`,
          [field('screenPerson')],
        ),
      );
    });
  });

  describe('introspection', () => {
    const QUERY = `{
      __typename
      __schema { queryType { name } }
      __type(name: "Notice") { name }
      me { clientId }
    }`;

    test('__schema and __type need schema:read; __typename never needs anything', () => {
      const { result } = run(QUERY, BORDER_POINT);
      expect(result).toEqual(
        changedTo(`{ __typename me { clientId } }`, [field('__schema'), field('__type')]),
      );
    });

    test('schema:read lets the full introspection query through untouched', () => {
      const { input, result } = run(getIntrospectionQuery(), caller('schema:read'));
      expect(result).toEqual(unchanged(input));
    });

    test('without schema:read nothing of the introspection query is left', () => {
      const { result } = run(getIntrospectionQuery(), BORDER_POINT);
      expect(result).toMatchObject({ nothingLeft: true, removed: [field('__schema')] });
    });
  });

  describe('reject mode', () => {
    const rejecting = createOperationFilter(schema, requirements, { mode: 'reject' });

    test('any unauthorized selection refuses the whole operation, reporting every error', () => {
      const { input, result } = run(
        `{
          notice(id: "n1") { controlNumber charges documents { sltdRecord { status } } }
          me { clientId }
        }`,
        BORDER_POINT,
        { filter: rejecting },
      );
      expect(result).toEqual({
        ...unchanged(input),
        changed: true,
        nothingLeft: true,
        rejected: true,
        removed: [field('notice', 'charges'), field('notice', 'documents')],
      });
    });

    test('an authorized operation runs as written', () => {
      const { input, result } = run(`{ notice(id: "n1") { charges } }`, NCB, { filter: rejecting });
      expect(result).toEqual(unchanged(input));
    });
  });

  describe('operation selection', () => {
    const DOCUMENT = `
      query Mine { me { clientId } notices { totalCount } }
      query Other { documentAlerts { totalCount } }
    `;

    test('only the selected operation is filtered and kept', () => {
      const { result } = run(DOCUMENT, AIRLINE, { operationName: 'Mine' });
      expect(result).toEqual(changedTo(`query Mine { me { clientId } }`, [field('notices')]));
    });

    test('an unknown operation name is left for execution to report', () => {
      const { input, result } = run(DOCUMENT, AIRLINE, { operationName: 'Missing' });
      expect(result).toEqual(unchanged(input));
    });
  });

  test('a mutation the caller may not run leaves nothing, its variables pruned', () => {
    const { result } = run(
      `mutation Decide($id: ID!) { confirmHit(id: $id, outcome: CONFIRMED) { id status } }`,
      BORDER_POINT,
    );
    expect(result).toEqual(changedTo(`mutation Decide { __typename }`, [field('confirmHit')], [[]], true));
  });

  describe('cache', () => {
    const QUERY = `{ notices { edges { node { controlNumber charges } } } }`;

    test('the same permission signature returns the same result object; another signature does not', () => {
      const filter = createOperationFilter(schema, requirements);
      const reader = filter.filter(parse(QUERY), undefined, caller('notices:read'), 'sha-1');
      const sameRights = filter.filter(
        parse(QUERY),
        undefined,
        caller('notices:read', 'profile', 'email'),
        'sha-1',
      );
      const screener = filter.filter(parse(QUERY), undefined, caller('notices:screen'), 'sha-1');

      expect(sameRights).toBe(reader);
      expect(screener).not.toBe(reader);
      expect(screener.removed).toEqual([field('notices', 'edges', '@', 'node', 'charges')]);
      expect(reader.removed).toEqual([]);
      expect(filter.filter(parse(QUERY), undefined, caller('notices:screen'), 'sha-1')).toBe(screener);
    });

    test('the cache key and the operation name are part of the key; no cache key means no caching', () => {
      const filter = createOperationFilter(schema, requirements);
      const document = parse(`query A { notices { totalCount } } query B { me { clientId } }`);
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
