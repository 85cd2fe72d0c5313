import { buildSchema, executeSync, parse } from 'graphql';
import {
  ANONYMOUS,
  BORDER_API_SDL,
  borderSupergraphSdl,
  subject,
  SUPERVISOR,
} from './__fixtures__/border-domain';
import type { AuthorizationSubject } from './caller';
import { createOperationFilter, type FilteredOperation, type OperationFilter } from './filter-operation';
import { readAccessRequirements } from './requirements';
import { restoreUnauthorized, UNAUTHORIZED_CODE, UNAUTHORIZED_MESSAGE } from './restore-response';

const schema = buildSchema(BORDER_API_SDL);
const requirements = readAccessRequirements(borderSupergraphSdl());
const borderFilter = createOperationFilter(schema, requirements);

const passport = (documentNumber: string) => ({
  issuingCountry: 'FR',
  documentNumber,
  sltdRecord: { status: 'STOLEN', reportedAt: '2024-05-01', holder: { surname: 'Moreau' } },
  notices: [],
});
const notice = (id: string) => ({
  id,
  controlNumber: `A-${id}`,
  charges: ['fraud'],
  subject: { surname: `Surname${id}`, forename: 'Jo', dateOfBirth: '1980-01-01' },
  documents: [passport(`P${id}1`), passport(`P${id}2`)],
  riskLevel: 'HIGH',
});

/** What the subgraphs would answer, shaped as the API schema's default resolvers read it. */
const BORDER_DATA = {
  notices: {
    totalCount: 2,
    pageInfo: { hasNextPage: false, endCursor: 'c2' },
    edges: [
      { cursor: 'c1', node: notice('1') },
      { cursor: 'c2', node: notice('2') },
    ],
  },
  notice: () => null,
  alerts: [
    {
      __typename: 'DocumentAlert',
      id: 'al-1',
      raisedAt: '2024-05-02',
      summary: 'P11 reported stolen',
      document: passport('P11'),
    },
    {
      __typename: 'PersonAlert',
      id: 'al-2',
      raisedAt: '2024-05-03',
      summary: 'match',
      subject: { surname: 'Moreau' },
    },
  ],
  search: [
    { __typename: 'Notice', ...notice('3') },
    { __typename: 'SltdRecord', status: 'LOST', holder: { surname: 'Dupont' } },
  ],
};

/** Filter, execute what is left against BORDER_DATA as the gateway would, then restore. */
function respond(
  query: string,
  caller: AuthorizationSubject,
  filter: OperationFilter = borderFilter,
): { filtered: FilteredOperation; response: ReturnType<typeof restoreUnauthorized> } {
  const filtered = filter.filter(parse(query), undefined, caller);
  const executed = filtered.nothingLeft
    ? { data: null }
    : executeSync({ schema, document: filtered.document, rootValue: BORDER_DATA });
  expect(executed).not.toHaveProperty('errors');
  const data = executed.data === undefined || executed.data === null ? null : { ...executed.data };
  return { filtered, response: restoreUnauthorized(data, filtered) };
}

const unauthorized = (...path: string[]) => ({
  message: UNAUTHORIZED_MESSAGE,
  path,
  extensions: { code: UNAUTHORIZED_CODE },
});

describe('restoreUnauthorized', () => {
  test('puts null at every list element, with one error for the removed selection', () => {
    const { response } = respond(`{ notices { edges { node { controlNumber charges } } } }`, ANONYMOUS);
    expect(response).toEqual({
      data: {
        notices: {
          edges: [
            { node: { controlNumber: 'A-1', charges: null } },
            { node: { controlNumber: 'A-2', charges: null } },
          ],
        },
      },
      errors: [unauthorized('notices', 'edges', '@', 'node', 'charges')],
    });
  });

  test('uses aliases and nested lists, and keeps errors in document order', () => {
    const { response } = respond(
      `{
        list: notices {
          edges { node { id docs: documents { number: documentNumber record: sltdRecord { status } } } }
        }
        me { badgeNumber }
      }`,
      ANONYMOUS,
    );
    const docs = (id: string) => [
      { number: `P${id}1`, record: null },
      { number: `P${id}2`, record: null },
    ];
    expect(response).toEqual({
      data: {
        list: { edges: [{ node: { id: '1', docs: docs('1') } }, { node: { id: '2', docs: docs('2') } }] },
        me: null,
      },
      errors: [unauthorized('list', 'edges', '@', 'node', 'docs', '@', 'record'), unauthorized('me')],
    });
  });

  test('does not create objects below a null parent, nor touch null list elements', () => {
    const filtered = borderFilter.filter(
      parse(`{ notice(controlNumber: "A-9") { charges } notices { edges { node { id charges } } } }`),
      undefined,
      ANONYMOUS,
    );
    const data = { notice: null, notices: { edges: [{ node: { id: '1' } }, null, { node: null }] } };
    expect(restoreUnauthorized(data, filtered)).toEqual({
      data: {
        notice: null,
        notices: { edges: [{ node: { id: '1', charges: null } }, null, { node: null }] },
      },
      errors: [unauthorized('notice', 'charges'), unauthorized('notices', 'edges', '@', 'node', 'charges')],
    });
  });

  test('strips the __typename placeholder but keeps the __typename the client asked for', () => {
    const { filtered, response } = respond(
      `{ notices { edges { __typename node { controlNumber documents { sltdRecord { status } } } } } }`,
      ANONYMOUS,
    );
    expect(filtered.typenamePlaceholders).toEqual([['notices', 'edges', '@', 'node', 'documents', '@']]);
    const edge = (id: string) => ({
      __typename: 'NoticeEdge',
      node: { controlNumber: `A-${id}`, documents: [{ sltdRecord: null }, { sltdRecord: null }] },
    });
    expect(response).toEqual({
      data: { notices: { edges: [edge('1'), edge('2')] } },
      errors: [unauthorized('notices', 'edges', '@', 'node', 'documents', '@', 'sltdRecord')],
    });
  });

  test('a field removed from one implementation comes back as null on that implementation only', () => {
    const { response } = respond(
      `{ alerts { ... on DocumentAlert { id summary } ... on PersonAlert { id subject { surname } } } }`,
      subject({ authenticated: true }),
    );
    expect(response).toEqual({
      data: {
        alerts: [
          { id: 'al-1', summary: null },
          { id: 'al-2', subject: { surname: 'Moreau' } },
        ],
      },
      errors: [unauthorized('alerts', '@', 'summary')],
    });
  });

  test('a removed fragment reports an error at its enclosing field and puts nothing back', () => {
    const { response } = respond(
      `{ search(term: "P1") { __typename ... on Notice { controlNumber } ... on SltdRecord { status } } }`,
      ANONYMOUS,
    );
    expect(response).toEqual({
      data: { search: [{ __typename: 'Notice', controlNumber: 'A-3' }, { __typename: 'SltdRecord' }] },
      errors: [unauthorized('search')],
    });
  });

  test('nothing left: data is null and every error is reported', () => {
    const { response } = respond(
      `{ me { badgeNumber } watchlistMatches(surname: "Moreau") { score } }`,
      ANONYMOUS,
    );
    expect(response).toEqual({ data: null, errors: [unauthorized('me'), unauthorized('watchlistMatches')] });
  });

  test('reject mode: data is null and every error is reported', () => {
    const rejecting = createOperationFilter(schema, requirements, { mode: 'reject' });
    const { response } = respond(
      `{ notices { totalCount edges { node { charges riskLevel } } } }`,
      ANONYMOUS,
      rejecting,
    );
    expect(response).toEqual({
      data: null,
      errors: [
        unauthorized('notices', 'edges', '@', 'node', 'charges'),
        unauthorized('notices', 'edges', '@', 'node', 'riskLevel'),
      ],
    });
  });

  test('an unfiltered operation passes through as it is', () => {
    const filtered = borderFilter.filter(parse(`{ notices { totalCount } }`), undefined, SUPERVISOR);
    const data = { notices: { totalCount: 2 } };
    const restored = restoreUnauthorized(data, filtered);
    expect(restored).toEqual({ data: { notices: { totalCount: 2 } }, errors: [] });
    expect(restored.data).toBe(data);
  });

  test('a failed execution (data null or absent) stays null but still gets the errors', () => {
    const filtered = borderFilter.filter(
      parse(`{ notice(controlNumber: "A-1") { charges id } }`),
      undefined,
      ANONYMOUS,
    );
    expect(restoreUnauthorized(undefined, filtered)).toEqual({
      data: null,
      errors: [unauthorized('notice', 'charges')],
    });
  });
});
