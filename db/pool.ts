import { z } from 'zod';

/**
 * How each process's PostgreSQL pool waits, and how long its connections may be held (docs/architecture.md,
 * "Database connections"). Every wait on the database is bounded, so a burst of requests, a slow statement or a
 * transaction left open costs its own request an error, never the process its pool.
 */
export interface PoolSettings {
  /** Connections per data source (per subgraph). */
  size: number;
  /**
   * How long a request waits for a free connection (pg-pool's `connectionTimeoutMillis`, which also bounds
   * opening one). Past it the request fails with SERVICE_UNAVAILABLE (HTTP 503, Retry-After). Below the
   * gateway's SUBGRAPH_TIMEOUT_MS, so the caller hears the subgraph's own answer instead of a timeout.
   */
  acquireTimeoutMs: number;
  /** PostgreSQL `statement_timeout` on every connection: the API's statements are indexed look-ups. 0 = none. */
  statementTimeoutMs: number;
  /**
   * PostgreSQL `idle_in_transaction_session_timeout`: a transaction that waits on something other than the
   * database for longer loses its connection (and its locks) instead of holding them forever. 0 = none.
   */
  idleInTransactionTimeoutMs: number;
}

export const POOL_DEFAULTS: PoolSettings = {
  size: 10,
  acquireTimeoutMs: 3_000,
  statementTimeoutMs: 30_000,
  idleInTransactionTimeoutMs: 15_000,
};

const milliseconds = (fallback: number, max: number) =>
  z.coerce.number().int().min(0).max(max).default(fallback);

/** The pool's variables, in every process that serves the API (subgraphs, npm start); see .env.example. */
export const databasePoolFields = {
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(POOL_DEFAULTS.size),
  // 0 would mean "wait forever" to pg-pool: the one thing this setting exists to prevent.
  DB_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(1).max(600_000).default(POOL_DEFAULTS.acquireTimeoutMs),
  DB_STATEMENT_TIMEOUT_MS: milliseconds(POOL_DEFAULTS.statementTimeoutMs, 3_600_000),
  DB_IDLE_IN_TX_TIMEOUT_MS: milliseconds(POOL_DEFAULTS.idleInTransactionTimeoutMs, 3_600_000),
};

export type DatabasePoolEnvironment = z.infer<z.ZodObject<typeof databasePoolFields>>;

export function poolSettingsOf(env: DatabasePoolEnvironment): PoolSettings {
  return {
    size: env.DB_POOL_SIZE,
    acquireTimeoutMs: env.DB_ACQUIRE_TIMEOUT_MS,
    statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
    idleInTransactionTimeoutMs: env.DB_IDLE_IN_TX_TIMEOUT_MS,
  };
}
