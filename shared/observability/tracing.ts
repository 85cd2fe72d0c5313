import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';

/**
 * OpenTelemetry traces across the gateway and the subgraphs, exported over OTLP/HTTP when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set (e.g. http://otel-collector:4318). HTTP (incoming and the gateway's calls to
 * the subgraphs, which carry the `traceparent` header) and PostgreSQL queries (statement text only, never the
 * parameters) are instrumented. Unset, nothing is loaded: the OpenTelemetry packages are imported only here, only
 * when tracing is on.
 *
 * Start it before the application's modules create their database pools (the entry points do).
 */
export interface Tracing {
  shutdown(): Promise<void>;
}

/** Requests that would only add noise to the traces. */
const UNTRACED_PATHS = new Set(['/health', '/ready', '/metrics']);

export async function startTracing(
  serviceName: string,
  endpoint: string | undefined,
): Promise<Tracing | null> {
  if (!endpoint) return null;
  const [{ NodeSDK }, { OTLPTraceExporter }, { HttpInstrumentation }, { PgInstrumentation }] =
    await Promise.all([
      import('@opentelemetry/sdk-node'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/instrumentation-http'),
      import('@opentelemetry/instrumentation-pg'),
    ]);
  const sdk = new NodeSDK({
    serviceName,
    traceExporter: new OTLPTraceExporter({ url: tracesUrl(endpoint) }),
    // Traces only: metrics are Prometheus' (/metrics) and logs are pino's JSON lines.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req: IncomingMessage) =>
          UNTRACED_PATHS.has((req.url ?? '').split('?')[0]),
      }),
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  instrumentLoadedModules();
  return { shutdown: () => sdk.shutdown() };
}

/**
 * The instrumentations patch a module when it is required; `http` and `pg` may have been loaded before the SDK
 * started (by the entry point's own imports), so they are required once more. The patches go on the modules'
 * shared exports and prototypes, which reach the code that imported them earlier too. `pg` is required again only
 * where it is already loaded (not in the gateway, which has no database).
 */
function instrumentLoadedModules(): void {
  const load = createRequire(__filename);
  load('http');
  load('https');
  try {
    const pg = load.resolve('pg');
    if (load.cache[pg]) load('pg');
  } catch {
    // pg is not installed where this runs: nothing to patch.
  }
}

/** OTLP/HTTP's traces path under the collector's base endpoint, as the OTEL_EXPORTER_OTLP_ENDPOINT spec says. */
export function tracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}
