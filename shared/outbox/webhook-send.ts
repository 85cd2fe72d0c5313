import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { CheckedTarget } from './webhook-target';

export interface SendLimits {
  /** From the start of the request until the TCP (and TLS) connection is up. */
  connectTimeoutMs: number;
  /** From the start of the request until the status line has arrived. */
  timeoutMs: number;
}

/**
 * POSTs one webhook to the address that was checked and answers the HTTP status. node:http rather than fetch:
 * its `lookup` option lets the connection be pinned to the checked address (the host name still goes into
 * `Host` and TLS SNI and is what the certificate is verified against), and it never follows redirects. Every
 * wait is bounded: connecting by `connectTimeoutMs`, the whole exchange by `timeoutMs`. Rejects with the reason
 * on any failure, including a timeout.
 */
export function postWebhook(
  target: CheckedTarget,
  headers: Record<string, string>,
  body: string,
  limits: SendLimits,
): Promise<number> {
  const pinned: LookupFunction = (_hostname, options, callback) => {
    // Node asks for every address (`all`) when it tries several in turn; either way it gets only ours.
    const done = callback as (...args: unknown[]) => void;
    if (options.all) done(null, [{ address: target.address, family: target.family }]);
    else done(null, target.address, target.family);
  };
  const client = target.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(target.url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup: pinned,
      // One connection per delivery: a pooled socket could have been opened to another address.
      agent: false,
    });
    const fail = (reason: string) => request.destroy(new Error(reason));
    const total = setTimeout(() => fail(`no answer within ${limits.timeoutMs} ms`), limits.timeoutMs);
    const connect = setTimeout(
      () => fail(`could not connect within ${limits.connectTimeoutMs} ms`),
      limits.connectTimeoutMs,
    );
    request.on('socket', (socket) => {
      socket.once(target.url.protocol === 'https:' ? 'secureConnect' : 'connect', () =>
        clearTimeout(connect),
      );
    });
    request.on('response', (response) => {
      clearTimeout(total);
      clearTimeout(connect);
      // Only the status matters; the body is not read (a receiver cannot make us hold on by sending one).
      response.destroy();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', (error) => {
      clearTimeout(total);
      clearTimeout(connect);
      reject(error);
    });
    request.end(body);
  });
}
