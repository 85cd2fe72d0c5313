/**
 * Tracing costs nothing when OTEL_EXPORTER_OTLP_ENDPOINT is unset: not one OpenTelemetry module is loaded. Set, it
 * starts the SDK with the OTLP/HTTP exporter and the HTTP and PostgreSQL instrumentations (mocked here: there is
 * no collector on the build machines).
 */
const OTEL_PACKAGES = [
  '@opentelemetry/sdk-node',
  '@opentelemetry/exporter-trace-otlp-http',
  '@opentelemetry/instrumentation-http',
  '@opentelemetry/instrumentation-pg',
];

let loaded: string[];
let started: { options: Record<string, unknown> }[];

beforeEach(() => {
  jest.resetModules();
  loaded = [];
  started = [];
  const record = (name: string, exports: Record<string, unknown>) => () => {
    loaded.push(name);
    return exports;
  };
  jest.doMock(
    '@opentelemetry/sdk-node',
    record('@opentelemetry/sdk-node', {
      NodeSDK: class {
        constructor(readonly options: Record<string, unknown>) {}
        start() {
          started.push(this);
        }
        async shutdown() {}
      },
    }),
  );
  jest.doMock(
    '@opentelemetry/exporter-trace-otlp-http',
    record('@opentelemetry/exporter-trace-otlp-http', {
      OTLPTraceExporter: class {
        constructor(readonly config: { url: string }) {}
      },
    }),
  );
  for (const [name, exported] of [
    ['@opentelemetry/instrumentation-http', 'HttpInstrumentation'],
    ['@opentelemetry/instrumentation-pg', 'PgInstrumentation'],
  ]) {
    jest.doMock(name, record(name, { [exported]: class {} }));
  }
});

test('unset: nothing is loaded and nothing starts', async () => {
  const { startTracing } = jest.requireActual<typeof import('./tracing')>('./tracing');
  await expect(startTracing('gateway', undefined)).resolves.toBeNull();
  expect(loaded).toEqual([]);
  expect(started).toEqual([]);
});

test('set: the SDK starts with the OTLP/HTTP exporter on <endpoint>/v1/traces, traces only', async () => {
  const { startTracing } = jest.requireActual<typeof import('./tracing')>('./tracing');
  const tracing = await startTracing('gateway', 'http://collector:4318/');
  expect(tracing).not.toBeNull();
  expect([...loaded].sort()).toEqual([...OTEL_PACKAGES].sort());
  expect(started).toHaveLength(1);
  const options = started[0].options as {
    serviceName: string;
    traceExporter: { config: { url: string } };
    instrumentations: unknown[];
    metricReaders: unknown[];
    logRecordProcessors: unknown[];
  };
  expect(options.serviceName).toBe('gateway');
  expect(options.traceExporter.config.url).toBe('http://collector:4318/v1/traces');
  expect(options.instrumentations).toHaveLength(2);
  expect(options.metricReaders).toEqual([]);
  expect(options.logRecordProcessors).toEqual([]);
  await tracing?.shutdown();
});
