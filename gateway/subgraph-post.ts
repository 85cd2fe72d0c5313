import http from 'node:http';
import https from 'node:https';
import { AbortError, FetchError } from 'node-fetch';

/** What a subgraph answered: the status line, the content type and the whole body as text. */
export interface SubgraphAnswer {
  status: number;
  statusText: string;
  contentType: string | undefined;
  text: string;
}

/**
 * One POST of a client's operation (or of a refusal report) to a subgraph, on Node's http client and the gateway's keep-alive agents:
 * node-fetch built a `Request`, `Headers` (validated one by one), an `AbortSignal.timeout` and a body stream for
 * each call, about a tenth of the gateway's CPU in a check (bench/README.md, "Where the time goes" 2).
 *
 * It fails as node-fetch did, so `unavailableReason` and the circuit breaker read it alike: the whole call (connect,
 * send, answer, body) must finish within `timeoutMs`, or it rejects with node-fetch's `AbortError`; a socket error,
 * before or during the answer, is node-fetch's `FetchError` of type `system`. Redirects are not followed (a subgraph
 * never answers one; its 3xx is an HTTP error like any other non-2xx).
 */
export function postToSubgraph(
  url: URL,
  agents: { http: http.Agent; https: https.Agent },
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<SubgraphAnswer> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
      request.destroy();
    };
    const secure = url.protocol === 'https:';
    const request = (secure ? https : http).request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: secure ? agents.https : agents.http,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) =>
          fail(
            new FetchError(
              `Invalid response body while trying to fetch ${url.href}: ${error.message}`,
              'system',
              error,
            ),
          ),
        );
        response.on('close', () => {
          if (!response.complete)
            fail(
              new FetchError(
                `Invalid response body while trying to fetch ${url.href}: Premature close`,
                'system',
              ),
            );
        });
        response.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({
            status: response.statusCode ?? 0,
            statusText: response.statusMessage ?? '',
            contentType: response.headers['content-type'],
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
      },
    );
    request.on('error', (error) =>
      fail(new FetchError(`request to ${url.href} failed, reason: ${error.message}`, 'system', error)),
    );
    const timer = setTimeout(() => fail(new AbortError('The user aborted a request.')), timeoutMs);
    timer.unref();
    request.end(body);
  });
}
