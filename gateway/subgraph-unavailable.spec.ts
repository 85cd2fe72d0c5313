import { GraphQLError } from 'graphql';
import { BrokenCircuitError } from 'cockatiel';
import { FetchError } from 'node-fetch';
import { unavailableReason } from './subgraph-data-source';
import { unavailableErrors } from './subgraph-unavailable';

const extensions = (reason: string, subgraph = 'document-alerts') => ({
  code: 'SUBGRAPH_UNAVAILABLE',
  subgraph,
  reason,
});

describe('unavailableErrors', () => {
  test('an entity fetch gets one error per representation and field, at the path the gateway maps', () => {
    const errors = unavailableErrors({
      subgraph: 'document-alerts',
      reason: 'TIMEOUT',
      timeoutMs: 1500,
      query:
        'query BorderCheck__document_alerts__1($representations:[_Any!]!){_entities(representations:$representations){...on TravelDocument{alerts{id alertNumber} __typename risk:alertCount}}}',
      variables: {
        representations: [
          { __typename: 'TravelDocument', issuingCountry: 'UTO', documentNumber: 'L898902C3' },
          { __typename: 'TravelDocument', issuingCountry: 'FRA', documentNumber: '00AA00000' },
        ],
      },
    });
    const message = 'Subgraph "document-alerts" is unavailable: it did not answer within 1500 ms';
    expect(errors).toEqual([
      { message, path: ['_entities', 0, 'alerts'], extensions: extensions('TIMEOUT') },
      { message, path: ['_entities', 0, 'risk'], extensions: extensions('TIMEOUT') },
      { message, path: ['_entities', 1, 'alerts'], extensions: extensions('TIMEOUT') },
      { message, path: ['_entities', 1, 'risk'], extensions: extensions('TIMEOUT') },
    ]);
  });

  test('fields of named fragments count, for the representation’s own type only', () => {
    const errors = unavailableErrors({
      subgraph: 'partner-agencies',
      reason: 'UNREACHABLE',
      timeoutMs: 1000,
      query:
        'query Q__partner_agencies__2($representations:[_Any!]!){_entities(representations:$representations){...A ...on BorderPoint{code}}} fragment A on Agency{name country}',
      variables: {
        representations: [
          { __typename: 'Agency', id: 'a1' },
          { __typename: 'BorderPoint', code: 'FRCDG' },
        ],
      },
    });
    expect(errors.map((e) => e.path)).toEqual([
      ['_entities', 0, 'name'],
      ['_entities', 0, 'country'],
      ['_entities', 1, 'code'],
    ]);
    expect(errors[0].message).toBe('Subgraph "partner-agencies" is unavailable: it could not be reached');
  });

  test('a root fetch gets one error per root field, under its alias', () => {
    const errors = unavailableErrors({
      subgraph: 'travel-documents',
      reason: 'CIRCUIT_OPEN',
      timeoutMs: 1000,
      query:
        'query BorderCheck__travel_documents__0($d:[DocumentCheckInput!]!){checks:checkDocuments(input:$d){verdict} __typename}',
      variables: { d: [] },
    });
    expect(errors).toEqual([
      {
        message:
          'Subgraph "travel-documents" is unavailable: its recent calls failed, so calls are held back for a moment',
        path: ['checks'],
        extensions: extensions('CIRCUIT_OPEN', 'travel-documents'),
      },
    ]);
  });

  test('a change that timed out is said to be of unknown outcome; one held back, not sent', () => {
    const mutation = 'mutation R__travel_documents__0{reportTravelDocument(input:{}){id}}';
    const [timedOut] = unavailableErrors({
      subgraph: 'travel-documents',
      reason: 'TIMEOUT',
      timeoutMs: 2000,
      query: mutation,
    });
    expect(timedOut.message).toMatch(/may or may not have been applied/);
    expect(timedOut.path).toEqual(['reportTravelDocument']);
    const [heldBack] = unavailableErrors({
      subgraph: 'travel-documents',
      reason: 'CIRCUIT_OPEN',
      timeoutMs: 2000,
      query: mutation,
    });
    expect(heldBack.message).toMatch(/the change was not sent$/);
  });
});

describe('unavailableReason', () => {
  const httpError = (status: number, body: unknown) =>
    new GraphQLError(`${status}: error`, { extensions: { response: { status, body } } });

  test('timeouts, refused connections, an open circuit and a proxy error are unavailability', () => {
    const abort = Object.assign(new Error('The user aborted a request.'), { name: 'AbortError' });
    expect(unavailableReason(abort)).toBe('TIMEOUT');
    expect(unavailableReason(new FetchError('connect ECONNREFUSED 127.0.0.1:1', 'system'))).toBe(
      'UNREACHABLE',
    );
    expect(unavailableReason(new BrokenCircuitError())).toBe('CIRCUIT_OPEN');
    expect(unavailableReason(httpError(502, '<html>Bad gateway</html>'))).toBe('BAD_GATEWAY');
    expect(unavailableReason(httpError(504, ''))).toBe('BAD_GATEWAY');
  });

  test('a subgraph that answered, even with an error, is not unavailable', () => {
    expect(
      unavailableReason(httpError(503, { data: null, errors: [{ message: 'database down' }] })),
    ).toBeNull();
    expect(unavailableReason(httpError(500, 'oops'))).toBeNull();
    expect(unavailableReason(httpError(400, { errors: [{ message: 'bad variable' }] }))).toBeNull();
    expect(unavailableReason(new FetchError('invalid json response body', 'invalid-json'))).toBeNull();
    expect(unavailableReason(new Error('Cannot read properties of null'))).toBeNull();
  });
});
