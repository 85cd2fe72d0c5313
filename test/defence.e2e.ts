import { GATEWAY_CREDENTIAL_HEADER } from '../shared/auth/gateway-credential';
import { DEV_GATEWAY_CREDENTIAL } from '../shared/subgraph/config';
import { readContract } from './contract';
import { startTestHub, type TestHub } from './hub';

/**
 * Defence in depth: a subgraph answers only the gateway, verifies the caller's token itself, and applies the
 * same field rules, including inside `_entities`. And the gateway's reject mode.
 */
let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.stop());

async function direct(subgraph: string, body: unknown, headers: Record<string, string>) {
  const response = await fetch(hub.hub.subgraphs[subgraph].url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const unauthorized = (path: (string | number)[]) => ({
  message: 'Unauthorized field or type',
  path,
  locations: expect.any(Array),
  extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
});

describe('a subgraph reached around the gateway', () => {
  const query = { query: '{ sltdRecords(first: 1) { edges { node { id holder { surname } } } } }' };

  test('without the gateway credential: 401 and no data, even with a valid token', async () => {
    const token = await hub.token('ncb-fra');
    const attempts: Record<string, string>[] = [{}, { [GATEWAY_CREDENTIAL_HEADER]: 'guessed' }];
    for (const headers of attempts) {
      const response = await direct('travel-documents', query, {
        ...headers,
        authorization: `Bearer ${token}`,
      });
      expect(response).toEqual({
        status: 401,
        body: {
          errors: [
            { message: 'Requests must come through the gateway', extensions: { code: 'UNAUTHENTICATED' } },
          ],
        },
      });
    }
  });

  test('with the credential but a forged token: 401', async () => {
    const response = await direct('travel-documents', query, {
      [GATEWAY_CREDENTIAL_HEADER]: DEV_GATEWAY_CREDENTIAL,
      authorization: 'Bearer a.b.c',
    });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED' } }],
    });
  });

  test('the subgraph applies the field rules itself', async () => {
    const token = await hub.token('bp-fra');
    const response = await direct(
      'notices',
      { query: '{ notices(first: 1) { edges { node { type charges } } } }' },
      { [GATEWAY_CREDENTIAL_HEADER]: DEV_GATEWAY_CREDENTIAL, authorization: `Bearer ${token}` },
    );
    expect(response.body).toEqual({
      data: { notices: { edges: [{ node: { type: expect.any(String), charges: null } }] } },
      errors: [unauthorized(['notices', 'edges', 0, 'node', 'charges'])],
    });
  });

  test('and inside _entities: a holder asked for through a representation stays hidden', async () => {
    const owner = await hub.token('ncb-uto');
    const found = await direct(
      'travel-documents',
      {
        query: '{ travelDocument(issuingCountry: "UTO", documentNumber: "L898902C3") { sltdRecord { id } } }',
      },
      { [GATEWAY_CREDENTIAL_HEADER]: DEV_GATEWAY_CREDENTIAL, authorization: `Bearer ${owner}` },
    );
    const id = (found.body.data as { travelDocument: { sltdRecord: { id: string } } }).travelDocument
      .sltdRecord.id;
    const token = await hub.token('bp-fra');
    const response = await direct(
      'travel-documents',
      {
        query:
          'query($r: [_Any!]!) { _entities(representations: $r) { ... on SltdRecord { status holder { surname } } } }',
        variables: { r: [{ __typename: 'SltdRecord', id }] },
      },
      { [GATEWAY_CREDENTIAL_HEADER]: DEV_GATEWAY_CREDENTIAL, authorization: `Bearer ${token}` },
    );
    expect(response.body).toEqual({
      data: { _entities: [{ status: 'STOLEN', holder: null }] },
      errors: [unauthorized(['_entities', 0, 'holder'])],
    });
  });
});

describe('reject mode', () => {
  let strict: TestHub;
  beforeAll(async () => {
    strict = await startTestHub({ authorizationMode: 'reject' });
  });
  afterAll(() => strict.stop());

  test('an operation asking for any field the caller may not see is refused whole', async () => {
    const response = await strict.graphql('bp-fra', readContract('linked-records.graphql'), { first: 2 });
    expect(response.body.data).toBeNull();
    expect(response.body.errors?.map((e) => [e.extensions?.code, e.path?.join('.')])).toEqual([
      ['UNAUTHORIZED_FIELD_OR_TYPE', 'notices.edges.@.node.status'],
      ['UNAUTHORIZED_FIELD_OR_TYPE', 'notices.edges.@.node.requestedBy'],
      ['UNAUTHORIZED_FIELD_OR_TYPE', 'notices.edges.@.node.charges'],
      ['UNAUTHORIZED_FIELD_OR_TYPE', 'notices.edges.@.node.documents'],
    ]);
  });

  test('an operation within the caller’s rights runs as usual', async () => {
    const response = await strict.graphql('bp-fra', '{ notices(first: 1) { edges { node { type } } } }');
    expect(response.body.errors).toBeUndefined();
  });
});
