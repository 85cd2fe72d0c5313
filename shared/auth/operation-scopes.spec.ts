import { getOperationAST, parse } from 'graphql';
import type { Caller } from './caller';
import { quotedOperationOf, withOperationScopes } from './operation-scopes';

const NOW = new Date('2026-12-01T00:00:00Z');
const caller: Caller = {
  clientId: 'device',
  agencyId: 'a',
  agencyKind: 'INTERNATIONAL_PARTNER',
  country: null,
  scopes: new Set(['schema:read']),
  operations: [
    {
      code: 'STOP-2026-CDG',
      scopes: ['sltd:check', 'notices:screen'],
      borderPoints: ['FRCDG-T2'],
      until: new Date('2026-12-02T00:00:00Z'),
    },
    { code: 'OLD-2026-X', scopes: ['sltd:check'], borderPoints: ['FRORY'], until: NOW },
  ],
  tokenId: 't',
  token: 'x',
};

const operationOf = (query: string) => getOperationAST(parse(query));
const scopesFor = (query: string, variables?: Record<string, unknown>, now = NOW) =>
  [...(withOperationScopes(caller, operationOf(query), variables, now)?.scopes ?? [])].sort();

describe('operation-bound scopes of a request', () => {
  test('a check quoting an operation the caller has an open grant for gets its scopes', () => {
    expect(
      scopesFor(
        '{ checkDocuments(input: [], context: { operation: "STOP-2026-CDG", borderPoint: "FRCDG-T2" }) { verdict } }',
      ),
    ).toEqual(['notices:screen', 'schema:read', 'sltd:check']);
  });

  test('through variables, a whole context or its operation alone, and for every root field of the three', () => {
    const query = `query($c: CheckContextInput!, $o: String!, $i: NoticeMatchInput!) {
      a: checkDocuments(input: [], context: $c) { verdict }
      screenPerson(input: {}, context: { operation: $o, borderPoint: "FRCDG-T2" }) { score }
      reportNoticeMatch(input: $i) { id } }`;
    const variables = {
      c: { operation: 'STOP-2026-CDG', borderPoint: 'FRCDG-T2' },
      o: 'STOP-2026-CDG',
      i: { operation: 'STOP-2026-CDG', borderPoint: 'FRCDG-T2', noticeId: 'n' },
    };
    expect(quotedOperationOf(operationOf(query)!, variables)).toBe('STOP-2026-CDG');
    expect(scopesFor(query, variables)).toContain('sltd:check');
  });

  test('anything else keeps the caller’s own scopes', () => {
    const own = ['schema:read'];
    // Another root field beside the check.
    expect(
      scopesFor(
        '{ me { clientId } checkDocuments(input: [], context: { operation: "STOP-2026-CDG", borderPoint: "X" }) { verdict } }',
      ),
    ).toEqual(own);
    // No context, a fragment at the root, two operations, an unknown one, a grant whose window has ended.
    expect(scopesFor('{ checkDocuments(input: []) { verdict } }')).toEqual(own);
    expect(
      scopesFor(
        '{ ...F } fragment F on Query { checkDocuments(input: [], context: { operation: "STOP-2026-CDG", borderPoint: "X" }) { verdict } }',
      ),
    ).toEqual(own);
    expect(
      scopesFor(`{ a: checkDocuments(input: [], context: { operation: "STOP-2026-CDG", borderPoint: "X" }) { verdict }
                   b: checkDocuments(input: [], context: { operation: "OLD-2026-X", borderPoint: "X" }) { verdict } }`),
    ).toEqual(own);
    expect(
      scopesFor(
        '{ checkDocuments(input: [], context: { operation: "NOPE-2026-X", borderPoint: "X" }) { verdict } }',
      ),
    ).toEqual(own);
    expect(
      scopesFor(
        '{ checkDocuments(input: [], context: { operation: "OLD-2026-X", borderPoint: "FRORY" }) { verdict } }',
      ),
    ).toEqual(own);
    expect(
      scopesFor(
        '{ checkDocuments(input: [], context: { operation: "STOP-2026-CDG", borderPoint: "X" }) { verdict } }',
        {},
        new Date('2026-12-02T00:00:00Z'),
      ),
    ).toEqual(own);
    // A field named like an Object.prototype member is no check field.
    expect(scopesFor('{ constructor(context: { operation: "STOP-2026-CDG" }) }')).toEqual(own);
    // A variable that is not there, or not a string.
    expect(
      scopesFor(
        'query($o: String) { checkDocuments(input: [], context: { operation: $o, borderPoint: "X" }) { verdict } }',
        { o: 5 },
      ),
    ).toEqual(own);
  });

  test('an anonymous caller stays anonymous', () => {
    expect(
      withOperationScopes(null, operationOf('{ checkDocuments(input: []) { verdict } }'), {}, NOW),
    ).toBeNull();
  });
});
