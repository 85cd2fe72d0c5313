import type { GraphQLError } from 'graphql';
import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { ConflictError, ServiceUnavailableError } from './errors';

/**
 * The one place where a database failure becomes an answer a partner can act on (docs/architecture.md,
 * "Database connections"). Everything not listed here stays an unexpected error: logged and masked.
 */

/** Seconds a client should wait before asking again: a busy pool drains within moments. */
export const RETRY_AFTER_SECONDS = 2;

// SQLSTATEs that mean "not now", not "never": the statement was cancelled or the server cannot take it yet.
const UNAVAILABLE_SQLSTATES = new Set([
  '57014', // query_canceled: statement_timeout
  '55P03', // lock_not_available: lock_timeout
  '25P03', // idle_in_transaction_session_timeout
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '53000', // insufficient_resources
  '53300', // too_many_connections
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
]);

// Node socket errors on the way to PostgreSQL.
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

// pg-pool and pg report a full pool and a dropped connection only by message.
const UNAVAILABLE_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated due to connection timeout',
  'Connection terminated unexpectedly',
];

function codeOf(error: object): unknown {
  const driverError = (error as { driverError?: unknown }).driverError;
  const source = typeof driverError === 'object' && driverError !== null ? driverError : error;
  return (source as { code?: unknown }).code;
}

/**
 * The natural keys the database keeps unique, by constraint name: races between two writers are decided by these
 * indexes, not by a check before the insert, and the loser hears which input field clashed. `values` are the
 * key's columns, in index order, from the violation's detail.
 */
const UNIQUE_KEYS: Record<string, { field: string; message: (values: string[]) => string }> = {
  // sltd.records: one live record per document and owner (docs/security.md, "No existence oracle").
  records_document_owner_key: {
    field: 'input.documentNumber',
    message: ([country, number]) => `${country} ${number} is already on file as your agency's record`,
  },
  agencies_code_key: {
    field: 'input.code',
    message: ([code]) => `An agency with code ${code} already exists`,
  },
  agencies_one_ncb_per_country: {
    field: 'input.country',
    message: ([country]) => `${country} already has an NCB`,
  },
  operations_pkey: {
    field: 'input.code',
    message: ([code]) => `An operation with code ${code} already exists`,
  },
  api_clients_pkey: { field: 'clientId', message: ([clientId]) => `The client id ${clientId} is taken` },
};

const UNIQUE_VIOLATION = '23505';

function driverFieldOf(error: object, name: 'constraint' | 'detail'): string | undefined {
  const driverError = (error as { driverError?: Record<string, unknown> }).driverError;
  const value = driverError?.[name] ?? (error as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** `Key (a, b)=(x, y) already exists.` → ['x', 'y'] (our keys hold no commas or parentheses). */
function keyValues(detail: string | undefined): string[] {
  const match = /^Key \([^)]*\)=\((.*)\) already exists\.?$/.exec(detail ?? '');
  return match ? match[1].split(', ') : [];
}

/** A unique violation of a known natural key as CONFLICT naming the field; null for anything else. */
function uniqueViolationAsConflict(error: unknown): ConflictError | null {
  if (typeof error !== 'object' || error === null || codeOf(error) !== UNIQUE_VIOLATION) return null;
  const key = UNIQUE_KEYS[driverFieldOf(error, 'constraint') ?? ''];
  if (!key) return null;
  return new ConflictError(key.message(keyValues(driverFieldOf(error, 'detail'))), key.field);
}

/** Whether `error` says the database cannot serve this request now (a retry may succeed). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  // TypeORM releases a transaction's connection when the connection fails under it (PostgreSQL stopped or
  // restarted mid-transaction); the transaction's next statement then says so with the first error, its COMMIT
  // with the second.
  if (
    error instanceof QueryRunnerProviderAlreadyReleasedError ||
    error instanceof QueryRunnerAlreadyReleasedError
  )
    return true;
  const code = codeOf(error);
  if (typeof code === 'string') {
    if (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_SOCKET_CODES.has(code) || code.startsWith('08'))
      return true;
  }
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => message.startsWith(m));
}

/** The GraphQL error a database failure becomes, or null when it is not one this module knows. */
export function databaseErrorAsGraphQL(error: unknown): GraphQLError | null {
  const conflict = uniqueViolationAsConflict(error);
  if (conflict) return conflict;
  if (isDatabaseUnavailable(error)) {
    return new ServiceUnavailableError(
      'The hub could not reach its database in time (busy or restarting); try again shortly',
      RETRY_AFTER_SECONDS,
    );
  }
  return null;
}
