import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { HubMetrics } from './metrics';
import { safeErrorFields } from '../logger';

/**
 * `/metrics` on a port of its own, bound to 127.0.0.1 unless METRICS_HOST says otherwise: operation names and
 * error rates are for the operators' Prometheus, never for the callers of the API port.
 */
export interface MetricsServerOptions {
  /** 0 picks a free port (tests); the configuration turns METRICS_PORT=0 into no server at all. */
  port: number;
  host?: string;
}

export interface RunningMetricsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function serveMetrics(
  hubMetrics: HubMetrics,
  options: MetricsServerOptions,
  log: Logger,
): Promise<RunningMetricsServer> {
  hubMetrics.enableDefaultMetrics();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    hubMetrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': hubMetrics.registry.contentType }).end(text),
      (error: unknown) => {
        log.error({ err: safeErrorFields(error) }, 'metrics collection failed');
        res.writeHead(500, { 'content-type': 'text/plain' }).end('Metrics collection failed\n');
      },
    );
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/metrics`;
  log.info({ url }, 'metrics listening');
  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
