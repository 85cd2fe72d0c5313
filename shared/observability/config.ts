import { z } from 'zod';
import { port } from '../config';

/**
 * The operating variables every process reads (gateway, subgraphs, `npm start`); see .env.example and the
 * README's "Operating" section.
 */
export const observabilityFields = (defaultMetricsPort: number) => ({
  /** Prometheus `/metrics` on its own port; 0 turns it off. */
  METRICS_PORT: port(defaultMetricsPort),
  /** Loopback by default: only a scraper on the same host (or, in a container, the same network) reaches it. */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** How long requests in flight may take to finish after SIGTERM. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** OTLP/HTTP collector (e.g. http://otel-collector:4318); empty: no tracing, no OpenTelemetry loaded. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().url('must be an http(s) URL').optional(),
  ),
});

/** The metrics server settings, or null when METRICS_PORT=0. */
export function metricsListen(env: { METRICS_PORT: number; METRICS_HOST: string }) {
  return env.METRICS_PORT === 0 ? null : { port: env.METRICS_PORT, host: env.METRICS_HOST };
}
