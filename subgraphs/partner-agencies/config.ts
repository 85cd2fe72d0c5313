import { z } from 'zod';

/** What partner-agencies reads beyond every subgraph's variables: how it signs access tokens. */
const partnerAgenciesFields = z.object({
  AUTH_SIGNING_KEY: z.string({ error: 'is required: a private EC P-256 JWK in JSON' }),
  AUTH_ISSUER: z.string().default('http://localhost:4000'),
  AUTH_AUDIENCE: z.string().default('border-data-hub'),
  TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(900).default(300),
});

export const PARTNER_AGENCIES_VARIABLES = Object.keys(partnerAgenciesFields.shape);
export const partnerAgenciesEnvironment = partnerAgenciesFields;

/** How partner-agencies delivers webhooks (hit notifications) from the outbox. */
const webhookFields = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  WEBHOOK_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(600_000).default(2000),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(20),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /** Plain http:// webhooks to this machine only, for development and tests; never in production. */
  WEBHOOK_ALLOW_LOCAL_HTTP: z.preprocess(
    (v) => (v === undefined || v === '' ? undefined : String(v) === 'true'),
    z.boolean().optional(),
  ),
});

export const WEBHOOK_VARIABLES = Object.keys(webhookFields.shape).filter((name) => name !== 'NODE_ENV');
export const webhookEnvironment = webhookFields.transform((env) => ({
  ...env,
  WEBHOOK_ALLOW_LOCAL_HTTP: env.WEBHOOK_ALLOW_LOCAL_HTTP ?? env.NODE_ENV !== 'production',
}));
