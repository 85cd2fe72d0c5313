import { z } from 'zod';

/** A configuration value that stops the process, naming every variable that is wrong. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Validates the environment against one zod schema per process; fails fast with every problem at once. */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
  );
}

/** Treats an empty variable like a missing one, as shells and compose files often set `X=`. */
export const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

export const port = (fallback: number) =>
  z.preprocess(
    (v) => (v === '' || v === undefined ? fallback : v),
    z.coerce.number().int().min(0).max(65535),
  );

export const nodeEnv = z.enum(['development', 'test', 'production']).default('development');
export const logLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info');

const isTrue = (v: unknown) => ['1', 'true', 'yes', 'on'].includes(String(v).toLowerCase());

/** A flag whose default depends on other variables: unset (or empty) stays undefined for the schema to decide. */
export const optionalFlag = z.preprocess(
  (v) => (v === undefined || v === '' ? undefined : isTrue(v)),
  z.boolean().optional(),
);
