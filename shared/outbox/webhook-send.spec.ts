import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { postWebhook } from './webhook-send';

/** Deliveries connect to the checked address only, follow no redirect and give up in time. Loopback only. */
interface Seen {
  host: string | undefined;
  path: string | undefined;
  body: string;
}

async function receiver(answer: (res: http.ServerResponse) => void) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ host: req.headers.host, path: req.url, body });
      answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    seen,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const limits = { connectTimeoutMs: 2000, timeoutMs: 300 };

test('the connection goes to the checked address, never to a second look-up of the name', async () => {
  const r = await receiver((res) => res.writeHead(204).end());
  try {
    // The name resolves nowhere: only the pinned address can have been used.
    const target = {
      url: new URL(`http://hooks.partner.invalid:${r.port}/in?x=1`),
      address: '127.0.0.1',
      family: 4 as const,
    };
    expect(await postWebhook(target, { 'content-type': 'application/json' }, '{"a":1}', limits)).toBe(204);
    expect(r.seen).toEqual([{ host: `hooks.partner.invalid:${r.port}`, path: '/in?x=1', body: '{"a":1}' }]);
  } finally {
    await r.close();
  }
});

test('a redirect is answered as its status, not followed', async () => {
  const r = await receiver((res) => res.writeHead(302, { location: '/elsewhere' }).end());
  try {
    const target = {
      url: new URL(`http://127.0.0.1:${r.port}/in`),
      address: '127.0.0.1',
      family: 4 as const,
    };
    expect(await postWebhook(target, {}, '{}', limits)).toBe(302);
    expect(r.seen.map((s) => s.path)).toEqual(['/in']);
  } finally {
    await r.close();
  }
});

test('a receiver that never answers costs the timeout, then the delivery fails', async () => {
  const r = await receiver(() => undefined);
  try {
    const target = {
      url: new URL(`http://127.0.0.1:${r.port}/in`),
      address: '127.0.0.1',
      family: 4 as const,
    };
    await expect(postWebhook(target, {}, '{}', limits)).rejects.toThrow('no answer within 300 ms');
  } finally {
    await r.close();
  }
});
