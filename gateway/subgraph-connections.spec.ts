import type { Socket } from 'node:net';
import nodeFetch from 'node-fetch';
import { listen, sendJson, type RunningHttpServer } from '../shared/http/server';
import { IDLE_CONNECTION_TIMEOUT_MS, SUBGRAPH_AGENTS } from './subgraph-data-source';

/**
 * The gateway's connections to the subgraphs (gateway/subgraph-data-source.ts) against the subgraphs' own HTTP
 * server (shared/http/server.ts): an idle connection is closed by the gateway before the subgraph closes it, so no
 * request is ever written on a connection the subgraph is closing at that moment (it would be reset, and its
 * fields answered SUBGRAPH_UNAVAILABLE).
 */
describe('idle connections to a subgraph', () => {
  let running: RunningHttpServer;
  let url: string;
  /** Server side of each connection: whether the gateway closed it (the server saw its FIN) or the server did. */
  let closes: { closedByGateway: boolean }[] = [];

  beforeEach(async () => {
    running = await listen(
      [
        {
          method: 'POST',
          path: '/graphql',
          handler: (_req, res) => sendJson(res, 200, { data: { ok: true } }),
        },
      ],
      0,
      '127.0.0.1',
    );
    url = `${running.url}/graphql`;
    const closed: typeof closes = [];
    closes = closed;
    running.server.on('connection', (socket: Socket) => {
      let peerEnded = false;
      socket.once('end', () => (peerEnded = true));
      socket.once('close', () => closed.push({ closedByGateway: peerEnded }));
    });
  });

  afterEach(async () => {
    running.forceClose();
    await running.close();
  });

  /** One call as the gateway makes it; resolves to the socket it went out on. */
  const call = async (): Promise<Socket> => {
    const agent = SUBGRAPH_AGENTS.http;
    const response = await nodeFetch(url, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
      agent,
    });
    expect(await response.json()).toEqual({ data: { ok: true } });
    const free = Object.values(agent.freeSockets).flat() as Socket[];
    const socket = free.find((s) => s.remotePort === running.port);
    if (!socket) throw new Error('the connection was not kept for the next call');
    return socket;
  };

  test('the gateway keeps an idle connection for less time than the subgraph does', async () => {
    const socket = await call();
    expect(socket.timeout).toBe(IDLE_CONNECTION_TIMEOUT_MS);
    expect(socket.timeout).toBeLessThan(running.server.keepAliveTimeout);
  });

  test('a subgraph announcing a shorter keep-alive gets its connection closed by the gateway first', async () => {
    // As a proxy in front of a subgraph might: `Keep-Alive: timeout=2` (the server closes after 2 s and more).
    running.server.keepAliveTimeout = 2000;
    const socket = await call();
    expect(socket.timeout).toBeLessThan(running.server.keepAliveTimeout);
    await new Promise((resolve) => socket.once('close', resolve));
    // The server saw the gateway's FIN before its own keep-alive expired: the gateway closed it.
    await new Promise((resolve) => setImmediate(resolve));
    expect(closes).toEqual([{ closedByGateway: true }]);
    // The next call goes out on a new connection and is answered.
    const next = await call();
    expect(next).not.toBe(socket);
  });
});
