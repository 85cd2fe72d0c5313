import autocannon from 'autocannon';
import pg from 'pg';

/**
 * The two load drivers: autocannon posting GraphQL bodies (a pool of prepared bodies, taken in turn by every
 * connection) and a plain loop of SQL statements over node-postgres at the same concurrency (the database floor).
 * Both time every request themselves, so p50 / p95 / p99 are exact, not autocannon's fixed percentiles.
 */
export interface RequestItem {
  body: string;
  /** Checks a parsed response; returns what is wrong with it, or null. */
  verify?: (response: GraphQLBody) => string | null;
  /**
   * `verify` judges the `errors` array itself: the right answer has errors (a field refused at its path). Otherwise
   * any error makes an answer wrong, and every answer with errors is parsed.
   */
  expectsErrors?: boolean;
}

export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

export interface LoadResult {
  requests: number;
  durationSec: number;
  requestsPerSec: number;
  latencyMs: Latency;
  /** HTTP responses outside 2xx. */
  non2xx: number;
  /** Connection errors and timeouts. */
  transportErrors: number;
  /** Responses whose body carries a GraphQL `errors` array (every response is looked at). */
  graphqlErrors: number;
  /** Responses parsed and verified (every `sampleEvery`-th one), and how many of them were not as expected. */
  sampled: number;
  unexpected: number;
  /** A few of the bodies that were wrong, shortened. */
  examples: string[];
}

export function summarize(latencies: ArrayLike<number>, count: number): Latency {
  if (count === 0) return { p50: 0, p95: 0, p99: 0, mean: 0, max: 0 };
  const sorted = Float64Array.from({ length: count }, (_, i) => latencies[i]).sort();
  const at = (q: number) => sorted[Math.min(count - 1, Math.floor(q * count))];
  let sum = 0;
  for (let i = 0; i < count; i++) sum += sorted[i];
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    mean: round(sum / count),
    max: round(sorted[count - 1]),
  };
}

class LatencyRecorder {
  private values = new Float64Array(1 << 16);
  count = 0;

  add(ms: number): void {
    if (this.count === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.count++] = ms;
  }

  summary(): Latency {
    return summarize(this.values, this.count);
  }
}

export interface HttpLoadOptions {
  url: string;
  headers: Record<string, string>;
  items: readonly RequestItem[];
  connections: number;
  durationSec: number;
  /** Parse and verify one response in this many (JSON parsing costs the load generator CPU). */
  sampleEvery?: number;
}

const MAX_EXAMPLES = 3;

export async function runHttpLoad(options: HttpLoadOptions): Promise<LoadResult> {
  const { items } = options;
  const sampleEvery = options.sampleEvery ?? 10;
  const latencies = new LatencyRecorder();
  let next = 0;
  let responses = 0;
  let graphqlErrors = 0;
  let sampled = 0;
  let unexpected = 0;
  const examples: string[] = [];
  const note = (text: string) => {
    if (examples.length < MAX_EXAMPLES) examples.push(text.length > 400 ? `${text.slice(0, 400)}…` : text);
  };
  const url = new URL(options.url);
  // Without a callback autocannon returns its event emitter, which is also a promise of the result.
  const instance = autocannon({
    url: url.origin,
    connections: options.connections,
    duration: options.durationSec,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: url.pathname,
        headers: { 'content-type': 'application/json', ...options.headers },
        setupRequest: (request, context: object) => {
          const item = items[next++ % items.length];
          (context as { item?: RequestItem }).item = item;
          return { ...request, body: item.body };
        },
        onResponse: (status: number, body: string, context: object) => {
          responses++;
          const item = (context as { item?: RequestItem }).item;
          const hasErrors = body.includes('"errors":');
          if (hasErrors) graphqlErrors++;
          if (status < 200 || status > 299) {
            note(`HTTP ${status}: ${body}`);
            return;
          }
          const errorsExpected = item?.expectsErrors === true;
          if ((!hasErrors || errorsExpected) && responses % sampleEvery !== 0) return;
          sampled++;
          let parsed: GraphQLBody;
          try {
            parsed = JSON.parse(body) as GraphQLBody;
          } catch {
            unexpected++;
            note(`not JSON: ${body}`);
            return;
          }
          const problem =
            parsed.errors?.length && !errorsExpected
              ? `errors: ${JSON.stringify(parsed.errors)}`
              : (item?.verify?.(parsed) ?? null);
          if (problem) {
            unexpected++;
            note(problem);
          }
        },
      },
    ],
  }) as unknown as autocannon.Instance & Promise<autocannon.Result>;
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) =>
    latencies.add(responseTime),
  );
  const result = await instance;
  const durationSec = result.duration;
  return {
    requests: latencies.count,
    durationSec,
    requestsPerSec: Math.round((latencies.count / durationSec) * 10) / 10,
    latencyMs: latencies.summary(),
    non2xx: result.non2xx,
    transportErrors: result.errors + result.timeouts,
    graphqlErrors,
    sampled,
    unexpected,
    examples,
  };
}

export interface SqlLoadOptions {
  url: string;
  /**
   * One statement and its parameters per call, e.g. taken in turn from a prepared pool; with a `name`, sent as
   * that named prepared statement (parsed and planned once per connection), as the hub sends its hot look-ups.
   */
  next: () => { name?: string; text: string; values: unknown[] };
  concurrency: number;
  durationSec: number;
}

/** `concurrency` loops, each on its own connection, sending statements back to back for `durationSec`. */
export async function runSqlLoad(options: SqlLoadOptions): Promise<LoadResult> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.concurrency,
    application_name: 'bench-sql-floor',
  });
  const latencies = new LatencyRecorder();
  let errors = 0;
  const examples: string[] = [];
  try {
    const clients = await Promise.all(Array.from({ length: options.concurrency }, () => pool.connect()));
    const started = performance.now();
    const deadline = started + options.durationSec * 1000;
    await Promise.all(
      clients.map(async (client) => {
        try {
          while (performance.now() < deadline) {
            const { name, text, values } = options.next();
            const t0 = performance.now();
            try {
              await client.query({ name, text, values });
            } catch (error) {
              errors++;
              if (examples.length < MAX_EXAMPLES) examples.push(String(error));
            }
            latencies.add(performance.now() - t0);
          }
        } finally {
          client.release();
        }
      }),
    );
    const durationSec = (performance.now() - started) / 1000;
    return {
      requests: latencies.count,
      durationSec: Math.round(durationSec * 10) / 10,
      requestsPerSec: Math.round((latencies.count / durationSec) * 10) / 10,
      latencyMs: latencies.summary(),
      non2xx: 0,
      transportErrors: errors,
      graphqlErrors: 0,
      sampled: 0,
      unexpected: 0,
      examples,
    };
  } finally {
    await pool.end();
  }
}
