import { z } from 'zod';
import { logLevel, nodeEnv, optionalString, port } from '../shared/config';
import { tokenVerificationFields } from '../shared/auth/config';
import { operationLimitFields } from '../shared/limits/config';
import { observabilityFields } from '../shared/observability/config';
import { DEV_GATEWAY_CREDENTIAL } from '../shared/subgraph/config';

const SUBGRAPH_NAMES = ['notices', 'travel-documents', 'document-alerts', 'partner-agencies'] as const;
type SubgraphName = (typeof SUBGRAPH_NAMES)[number];
const isSubgraphName = (name: string | undefined): name is SubgraphName =>
  (SUBGRAPH_NAMES as readonly (string | undefined)[]).includes(name);

/**
 * How long the gateway waits for each subgraph and when it stops calling one that fails (gateway and `npm start`;
 * README "Operating"). A border check should answer within a few seconds even when a subgraph hangs.
 */
export const subgraphResilienceFields = {
  /** Every call to a subgraph, body included, ends within this; its fields are then null with an error. */
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /** Per-subgraph exceptions, e.g. `travel-documents=8000,document-alerts=2000`. */
  SUBGRAPH_TIMEOUTS: z
    .string()
    .default('')
    .transform((text, ctx) => {
      const timeouts: Partial<Record<SubgraphName, number>> = {};
      for (const entry of text
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean)) {
        const [name, value] = entry.split('=').map((part) => part.trim());
        const ms = Number(value);
        if (!isSubgraphName(name)) {
          ctx.addIssue({
            code: 'custom',
            message: `unknown subgraph "${name}" (${SUBGRAPH_NAMES.join(', ')})`,
          });
        } else if (!Number.isInteger(ms) || ms < 100 || ms > 60_000) {
          ctx.addIssue({ code: 'custom', message: `${name}: must be 100..60000 ms, not "${value}"` });
        } else {
          timeouts[name] = ms;
        }
      }
      return timeouts;
    }),
  /** Consecutive timeouts or refused connections after which a subgraph's calls fail at once. */
  SUBGRAPH_BREAKER_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  /** How long calls fail at once before one test call is let through to see whether the subgraph is back. */
  SUBGRAPH_BREAKER_HALF_OPEN_MS: z.coerce.number().int().min(100).max(600_000).default(3000),
  /**
   * `POST /oauth/token` and the key set, forwarded to partner-agencies: longer than a GraphQL call, because
   * checking a client secret is slow on purpose (argon2).
   */
  TOKEN_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /**
   * The longest an answer waits for the audit row of the fields the gateway refused its caller (written by
   * partner-agencies, while the operation runs: docs/security.md, "What is audited"); past it, the answer goes
   * and the missing row is logged.
   */
  REFUSAL_AUDIT_TIMEOUT_MS: z.coerce.number().int().min(50).max(30_000).default(500),
  /** The gateway's /ready asks every subgraph's /ready and waits at most this for each (in parallel). */
  READY_TIMEOUT_MS: z.coerce.number().int().min(50).max(30_000).default(1000),
};

const subgraphResilienceEnvironment = z.object(subgraphResilienceFields);
export type SubgraphResilienceEnvironment = z.infer<typeof subgraphResilienceEnvironment>;
/** Only the resilience settings of a larger environment (e.g. `npm start`'s), so nothing else leaks through. */
export function pickSubgraphResilience(
  env: Partial<SubgraphResilienceEnvironment>,
): Partial<SubgraphResilienceEnvironment> {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(subgraphResilienceFields)) {
    const value = (env as Record<string, unknown>)[key];
    if (value !== undefined) picked[key] = value;
  }
  return picked as Partial<SubgraphResilienceEnvironment>;
}

/** The documented defaults, for callers (tests, `npm start`) that set only some of the values. */
export const SUBGRAPH_RESILIENCE_DEFAULTS: SubgraphResilienceEnvironment =
  subgraphResilienceEnvironment.parse({});

/** Environment of the gateway process (validated at start; see .env.example). */
const gatewayEnvironmentFields = z.object({
  NODE_ENV: nodeEnv,
  LOG_LEVEL: logLevel,
  PORT: port(4000),
  HOST: z.string().default('0.0.0.0'),
  SUPERGRAPH_PATH: z.string().default('supergraph.graphql'),
  NOTICES_URL: z.string().url().default('http://localhost:4001/graphql'),
  TRAVEL_DOCUMENTS_URL: z.string().url().default('http://localhost:4002/graphql'),
  DOCUMENT_ALERTS_URL: z.string().url().default('http://localhost:4003/graphql'),
  PARTNER_AGENCIES_URL: z.string().url().default('http://localhost:4004/graphql'),
  GATEWAY_CREDENTIAL: optionalString,
  AUTH_ISSUER: z.string().default('http://localhost:4000'),
  AUTH_AUDIENCE: z.string().default('border-data-hub'),
  AUTH_JWKS_URL: z.string().url().default('http://localhost:4004/.well-known/jwks.json'),
  ...tokenVerificationFields,
  AUTHORIZATION_MODE: z.enum(['filter', 'reject']).default('filter'),
  ...operationLimitFields,
  ...subgraphResilienceFields,
  ...observabilityFields(9400),
});

/** Every variable this process reads, for .env.example and the docker-compose check. */
export const GATEWAY_VARIABLES = Object.keys(gatewayEnvironmentFields.shape);

export const gatewayEnvironment = gatewayEnvironmentFields
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && (!env.GATEWAY_CREDENTIAL || env.GATEWAY_CREDENTIAL.length < 32)) {
      ctx.addIssue({
        code: 'custom',
        path: ['GATEWAY_CREDENTIAL'],
        message: 'is required in production (32+ characters)',
      });
    }
  })
  .transform((env) => ({ ...env, GATEWAY_CREDENTIAL: env.GATEWAY_CREDENTIAL ?? DEV_GATEWAY_CREDENTIAL }));

export type GatewayEnvironment = z.infer<typeof gatewayEnvironment>;
