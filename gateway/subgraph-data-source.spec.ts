import type { IncomingHttpHeaders } from 'node:http';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import pino from 'pino';
import { listen, readBody, type RunningHttpServer } from '../shared/http/server';
import type { GatewayContext } from './context';
import { SubgraphDataSource } from './subgraph-data-source';

/**
 * A client's operation goes to the subgraph through SubgraphDataSource's own send (Node's http client, no
 * node-fetch Request, Headers or AbortSignal); everything else (health checks, schema loads) through
 * RemoteGraphQLDataSource.process over node-fetch. Both must send the same request and read the answer alike, and
 * a call that fails must fail for the same reason.
 */
describe('SubgraphDataSource: a client operation is sent as RemoteGraphQLDataSource sends it', () => {
  let running: RunningHttpServer;
  const seen: { method: string; headers: IncomingHttpHeaders; body: string }[] = [];
  let answer: { status: number; contentType: string; body: string; hang?: boolean };

  beforeAll(async () => {
    running = await listen(
      [
        {
          method: '*',
          path: '/graphql',
          handler: async (req, res) => {
            seen.push({ method: req.method ?? '', headers: req.headers, body: await readBody(req) });
            if (answer.hang) return;
            res.writeHead(answer.status, { 'content-type': answer.contentType });
            res.end(answer.body);
          },
        },
      ],
      0,
      '127.0.0.1',
    );
  });
  afterAll(async () => {
    running.forceClose();
    await running.close();
  });
  beforeEach(() => (seen.length = 0));

  const context: GatewayContext = {
    requestId: 'req-1',
    caller: { token: 'tok' } as GatewayContext['caller'],
  };
  const request = () => ({
    query: 'query Q($n: String!) { a(n: $n) }',
    variables: { n: 'x' },
    operationName: 'Q',
  });
  const dataSource = (url = `${running.url}/graphql`, timeoutMs = 5000) =>
    new SubgraphDataSource(
      url,
      'gateway-secret',
      'travel-documents',
      { timeoutMs, breakerFailures: 5, breakerHalfOpenMs: 3000 },
      pino({ level: 'silent' }),
    );
  // The enum of these kinds is not exported by @apollo/gateway; its values are these strings.
  type Options = GraphQLDataSourceProcessOptions<GatewayContext>;
  /** Both paths, in turn: the gateway's own send, then the parent's process. */
  const both = async () => {
    const own = await operation(dataSource());
    const parent = await dataSource()
      .process({ kind: 'loading schema', request: request(), context } as unknown as Options)
      .then(
        (r) => ({ data: r.data, errors: r.errors }),
        (e: Error) => ({ thrown: e.message, extensions: (e as { extensions?: unknown }).extensions }),
      );
    return { own, parent };
  };
  const operation = (source: SubgraphDataSource) =>
    source
      .process({
        kind: 'incoming operation',
        request: request(),
        context,
        incomingRequestContext: { context },
      } as unknown as Options)
      .then(
        (r) => ({ data: r.data, errors: r.errors }),
        (e: Error) => ({ thrown: e.message, extensions: (e as { extensions?: unknown }).extensions }),
      );

  test('same method, headers and body; same answer', async () => {
    answer = { status: 200, contentType: 'application/json', body: '{"data":{"a":"b"}}' };
    const { own, parent } = await both();
    expect(own).toEqual({ data: { a: 'b' }, errors: undefined });
    expect(parent).toEqual(own);
    expect(seen).toHaveLength(2);
    // node-fetch's own defaults, which the gateway's http client does not send (the subgraphs never compress).
    const { 'user-agent': _agent, 'accept-encoding': _encoding, ...parentHeaders } = seen[1].headers;
    expect(seen[0]).toEqual({ ...seen[1], headers: parentHeaders });
    expect(seen[0].method).toBe('POST');
    expect(JSON.parse(seen[0].body)).toEqual(request());
    expect(seen[0].body).toBe(JSON.stringify(request()));
    expect(seen[0].headers).toMatchObject({
      'content-type': 'application/json',
      'x-gateway-credential': 'gateway-secret',
      'x-request-id': 'req-1',
      authorization: 'Bearer tok',
    });
  });

  test("an HTTP error with a GraphQL body is the subgraph's answer; without one, the same error", async () => {
    answer = {
      status: 400,
      contentType: 'application/json',
      body: '{"errors":[{"message":"bad","extensions":{"code":"BAD_USER_INPUT"}}]}',
    };
    const withBody = await both();
    expect(withBody.own).toEqual({
      data: undefined,
      errors: [{ message: 'bad', extensions: { code: 'BAD_USER_INPUT' } }],
    });
    answer = { status: 500, contentType: 'text/plain', body: 'oops' };
    const plain = await both();
    expect(plain.own).toMatchObject({ thrown: '500: Internal Server Error' });
    expect(plain.parent).toEqual(plain.own);
    answer = { status: 200, contentType: 'text/plain', body: 'not json' };
    const text = await both();
    expect(text.own).toMatchObject({ thrown: 'Expected JSON response body, but received: not json' });
    expect(text.parent).toEqual(text.own);
  });

  test('a subgraph that does not answer in time, or cannot be reached: its fields unavailable, by reason', async () => {
    answer = { status: 200, contentType: 'application/json', body: '{}', hang: true };
    const late = await operation(dataSource(undefined, 150));
    expect(late).toMatchObject({ data: undefined });
    expect((late as unknown as { errors: { extensions: unknown }[] }).errors[0].extensions).toMatchObject({
      code: 'SUBGRAPH_UNAVAILABLE',
      reason: 'TIMEOUT',
    });
    const closed = await listen([], 0, '127.0.0.1');
    const gone = `${closed.url}/graphql`;
    await closed.close();
    const unreachable = await operation(dataSource(gone));
    expect(
      (unreachable as unknown as { errors: { extensions: unknown }[] }).errors[0].extensions,
    ).toMatchObject({
      code: 'SUBGRAPH_UNAVAILABLE',
      reason: 'UNREACHABLE',
    });
  });

  test("a JSON body that does not parse is node-fetch's invalid-json error, not unavailability", async () => {
    answer = { status: 200, contentType: 'application/json', body: '{"data":' };
    const { own, parent } = await both();
    expect(own).toMatchObject({ thrown: expect.stringMatching(/^invalid json response body at /) });
    expect(parent).toEqual(own);
  });
});
