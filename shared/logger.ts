import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Structured JSON logs. Personal data (names, document numbers, dates of birth) never goes into a log line: log
 * record ids, codes and counts instead. Errors are logged through `safeErrorFields` (also pino's `err`
 * serializer here), never whole: a failed statement's error carries its SQL, its parameters (the caller's input)
 * and the driver's detail (`Key (document_number)=(…) already exists`).
 */
export function createLogger(
  name: string,
  level = process.env.LOG_LEVEL ?? 'info',
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      name,
      level,
      serializers: { err: (value: unknown) => (isSafe(value) ? value : safeErrorFields(value)) },
      redact: {
        // The headers a request to the hub carries that are secrets: the caller's token, the gateway's credential
        // to the subgraphs (shared/auth/gateway-credential.ts), cookies; and a token request's client secret.
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-gateway-credential"]',
          'headers.authorization',
          'headers.cookie',
          'headers["x-gateway-credential"]',
          '*.client_secret',
        ],
        remove: true,
      },
    },
    destination,
  );
}

/** Marks what `safeErrorFields` made (not enumerable, so never logged), so the serializer does not redo it. */
const SAFE = Symbol('safe error fields');
const isSafe = (value: unknown) => typeof value === 'object' && value !== null && SAFE in value;

/** Engine errors about the code itself ("Cannot read properties of undefined"): their message names no input. */
const CODE_ERRORS = new Set(['TypeError', 'RangeError', 'ReferenceError']);
const CODE_LIKE = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * What may be logged of an error: its class, its code (PostgreSQL's SQLSTATE or the GraphQL code), the
 * constraint and table a failed statement names, and the stack's frames. Not its message (a driver's message can
 * quote the value: `invalid input syntax for type date: "…"`), its SQL, parameters or detail.
 */
export function safeErrorFields(error: unknown): Record<string, unknown> {
  if (isSafe(error)) return error as Record<string, unknown>;
  // graphql-js wraps a thrown non-Error (a driver's plain object) in NonErrorThrown: describe what was thrown.
  if (error instanceof Error && error.name === 'NonErrorThrown')
    return safeErrorFields((error as { thrownValue?: unknown }).thrownValue);
  if (!(error instanceof Error)) {
    const code = (error as { code?: unknown } | null)?.code;
    return typeof code === 'string' && CODE_LIKE.test(code)
      ? { type: typeof error, code }
      : { type: typeof error };
  }
  const driver = (error as { driverError?: unknown }).driverError ?? error;
  const fields = driver as {
    code?: unknown;
    constraint?: unknown;
    table?: unknown;
    schema?: unknown;
    routine?: unknown;
  };
  const extensions = (error as { extensions?: { code?: unknown } }).extensions;
  const code = fields.code ?? extensions?.code;
  const safe: Record<string, unknown> = { type: error.constructor?.name ?? error.name };
  if (typeof code === 'string' && CODE_LIKE.test(code)) safe.code = code;
  for (const key of ['constraint', 'table', 'schema', 'routine'] as const) {
    const value = fields[key];
    if (typeof value === 'string' && CODE_LIKE.test(value)) safe[key] = value;
  }
  if (CODE_ERRORS.has(error.name)) safe.message = error.message.slice(0, 200);
  const frames = (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
  if (frames.length > 0) safe.stack = frames.slice(0, 15).join('\n');
  Object.defineProperty(safe, SAFE, { value: true });
  return safe;
}

export type { Logger };
