import { z } from 'zod';
import { loadConfig, nodeEnv, optionalString } from '../config';

/**
 * The keys of the audit chain (docs/security.md, "Audit chain"): the sealer links each audit row to the one
 * before with HMAC-SHA256 under a key the database does not hold, so whoever can write the database (a DBA, a
 * stolen backup restored elsewhere) cannot rewrite a row and recompute the links.
 *
 * `AUDIT_CHAIN_KEYS` is `id=secret,id=secret…`: every key that ever signed stays listed so old links still
 * verify, and the LAST one signs new links. A list (not a JSON object) because its order is the point, and
 * JavaScript objects reorder keys that look like numbers.
 */
export interface AuditChainKeys {
  /** The key id new links are signed with (stored with each link). */
  signing: string;
  /** Every known key, by id. */
  secrets: ReadonlyMap<string, Buffer>;
}

/** Development and tests only: a fixed key, refused in production. */
export const DEV_AUDIT_CHAIN_KEYS = 'dev=development-only-audit-chain-key-do-not-use';

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const MIN_SECRET_LENGTH = 32;

/** Parses `id=secret,…`; every problem is named (the key id and the reason, never the secret). */
export function parseAuditChainKeys(text: string): AuditChainKeys {
  const problems: string[] = [];
  const secrets = new Map<string, Buffer>();
  let signing = '';
  for (const [index, entry] of text.split(',').entries()) {
    const equals = entry.indexOf('=');
    const id = (equals < 0 ? entry : entry.slice(0, equals)).trim();
    const secret = equals < 0 ? '' : entry.slice(equals + 1).trim();
    const label = id ? `key "${id}"` : `entry ${index + 1}`;
    if (!KEY_ID.test(id)) problems.push(`${label}: the id must be 1-64 of A-Z a-z 0-9 . _ -`);
    else if (secrets.has(id)) problems.push(`${label}: listed twice`);
    if (secret.length < MIN_SECRET_LENGTH)
      problems.push(`${label}: the secret must be at least ${MIN_SECRET_LENGTH} characters`);
    secrets.set(id, Buffer.from(secret, 'utf8'));
    signing = id;
  }
  if (problems.length) throw new Error(problems.join('; '));
  return { signing, secrets };
}

export const DEV_AUDIT_CHAIN = parseAuditChainKeys(DEV_AUDIT_CHAIN_KEYS);

/** The variables of every process that seals or verifies the chain (each subgraph, `npm start`). */
export const auditChainFields = {
  /** `id=secret,…`, the last signs (required in production; development and tests use a fixed key). */
  AUDIT_CHAIN_KEYS: optionalString,
  /** How often the sealer links the rows committed since its last run. */
  AUDIT_SEAL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  /** Rows linked per sealing transaction. */
  AUDIT_SEAL_BATCH: z.coerce.number().int().min(1).max(100_000).default(2000),
};

export interface AuditChainSettings {
  keys: AuditChainKeys;
  intervalMs: number;
  batchSize: number;
}

export const DEFAULT_AUDIT_SEALING = { intervalMs: 250, batchSize: 2000 };

type AuditChainEnv = {
  NODE_ENV: string;
  AUDIT_CHAIN_KEYS?: string;
  AUDIT_SEAL_INTERVAL_MS: number;
  AUDIT_SEAL_BATCH: number;
};

/**
 * The zod refinement shared by the processes' schemas: the keys parse, and production has keys of its own (a
 * chain keyed with the development key, which is in this repository, proves nothing).
 */
export function checkAuditChainKeys(env: AuditChainEnv, ctx: z.RefinementCtx): void {
  const path = ['AUDIT_CHAIN_KEYS'];
  if (env.AUDIT_CHAIN_KEYS === undefined) {
    if (env.NODE_ENV === 'production')
      ctx.addIssue({ code: 'custom', path, message: 'is required in production (id=secret,…)' });
    return;
  }
  try {
    const keys = parseAuditChainKeys(env.AUDIT_CHAIN_KEYS);
    const dev = DEV_AUDIT_CHAIN.secrets.get('dev') as Buffer;
    if (env.NODE_ENV === 'production' && [...keys.secrets.values()].some((secret) => secret.equals(dev)))
      ctx.addIssue({ code: 'custom', path, message: 'the development key is refused in production' });
  } catch (error) {
    ctx.addIssue({ code: 'custom', path, message: (error as Error).message });
  }
}

/** The settings of a validated environment (see checkAuditChainKeys). */
export function auditChainOf(env: AuditChainEnv): AuditChainSettings {
  return {
    keys: env.AUDIT_CHAIN_KEYS ? parseAuditChainKeys(env.AUDIT_CHAIN_KEYS) : DEV_AUDIT_CHAIN,
    intervalMs: env.AUDIT_SEAL_INTERVAL_MS,
    batchSize: env.AUDIT_SEAL_BATCH,
  };
}

const auditChainEnvironment = z
  .object({
    NODE_ENV: nodeEnv,
    ...auditChainFields,
  })
  .superRefine(checkAuditChainKeys);

/**
 * The keys of this process's environment, for code that verifies without a configuration object of its own
 * (`auditChainStatus`, `npm run audit:verify`). The processes validated the same variables at start.
 */
export function auditChainKeysFromEnvironment(env: NodeJS.ProcessEnv = process.env): AuditChainKeys {
  return auditChainOf(loadConfig(auditChainEnvironment, env)).keys;
}
