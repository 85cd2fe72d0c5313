import { z } from 'zod';
import { optionalFlag, optionalString } from '../../shared/config';
import { LOOPBACK_CIDRS, parseCidrs, type OutboundPolicy } from '../../shared/outbox/webhook-target';
import type { ThrottleSettings } from './oauth/throttle';
import type { VerificationGateSettings } from './oauth/verification-gate';

/**
 * How the token endpoint resists guessing (partner-agencies and `npm start`; docs/security.md, "Token endpoint").
 * Failures are counted per client id and per source address in PostgreSQL, so every replica sees them.
 */
export const tokenEndpointFields = {
  /** Failed attempts on one client id before each further one locks it out, for exponentially longer. */
  TOKEN_CLIENT_FREE_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  /** The same per source address (an IPv6 address counts by its /64): many client ids tried from one place. */
  TOKEN_ADDRESS_FREE_FAILURES: z.coerce.number().int().min(1).max(10_000).default(20),
  /** The first lockout; each further failure doubles it. */
  TOKEN_BACKOFF_BASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(1),
  /** The longest lockout. */
  TOKEN_LOCKOUT_MAX_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** Failures are forgotten this long after the last one (or after the lockout ends). */
  TOKEN_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** Secret verifications (argon2) running at once in one process; the rest wait in a bounded queue. */
  TOKEN_VERIFY_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  TOKEN_VERIFY_QUEUE: z.coerce.number().int().min(0).max(10_000).default(32),
  /** How long a request waits in that queue before it is answered 503 with Retry-After. */
  TOKEN_VERIFY_QUEUE_TIMEOUT_MS: z.coerce.number().int().min(10).max(60_000).default(2000),
};

const tokenEndpointEnvironment = z.object(tokenEndpointFields);
export type TokenEndpointEnvironment = z.infer<typeof tokenEndpointEnvironment>;

/** How the token endpoint resists guessing; from configuration (`tokenEndpointOf`), or the documented defaults. */
export interface TokenEndpointSettings {
  throttle: ThrottleSettings;
  verification: VerificationGateSettings;
}

export function tokenEndpointOf(env: TokenEndpointEnvironment): TokenEndpointSettings {
  return {
    throttle: {
      clientFreeFailures: env.TOKEN_CLIENT_FREE_FAILURES,
      addressFreeFailures: env.TOKEN_ADDRESS_FREE_FAILURES,
      backoffBaseSeconds: env.TOKEN_BACKOFF_BASE_SECONDS,
      lockoutMaxSeconds: env.TOKEN_LOCKOUT_MAX_SECONDS,
      failureWindowSeconds: env.TOKEN_FAILURE_WINDOW_SECONDS,
    },
    verification: {
      concurrency: env.TOKEN_VERIFY_CONCURRENCY,
      queue: env.TOKEN_VERIFY_QUEUE,
      queueTimeoutMs: env.TOKEN_VERIFY_QUEUE_TIMEOUT_MS,
    },
  };
}

/** The documented defaults (tests, and `npm start` before its environment is read). */
export const DEFAULT_TOKEN_ENDPOINT = tokenEndpointOf(tokenEndpointEnvironment.parse({}));

/** What partner-agencies reads beyond every subgraph's variables: how it signs access tokens. */
const partnerAgenciesFields = z.object({
  AUTH_SIGNING_KEY: z.string({ error: 'is required: a private EC P-256 JWK in JSON' }),
  AUTH_ISSUER: z.string().default('http://localhost:4000'),
  AUTH_AUDIENCE: z.string().default('border-data-hub'),
  TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(900).default(300),
  ...tokenEndpointFields,
});

export const PARTNER_AGENCIES_VARIABLES = Object.keys(partnerAgenciesFields.shape);
export const partnerAgenciesEnvironment = partnerAgenciesFields;

/** How partner-agencies delivers webhooks (hit notifications) from the outbox. */
const cidrList = z.string().superRefine((value, ctx) => {
  try {
    parseCidrs(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

const webhookFields = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  WEBHOOK_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(600_000).default(2000),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(20),
  /** Bound on one delivery's HTTP exchange, from connecting to the receiver's status line. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /** Bound on the DNS look-up and on connecting (TCP and TLS), each. */
  WEBHOOK_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(3000),
  /** How long a worker owns the events it claimed; another worker takes over those it left unrecorded. */
  WEBHOOK_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  /** Events one worker claims and delivers at once. */
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(10),
  /** Plain http:// webhooks to this machine only, for development and tests; never in production. */
  WEBHOOK_ALLOW_LOCAL_HTTP: optionalFlag,
  /** Host names trusted whatever they resolve to (comma-separated); empty by default. */
  WEBHOOK_ALLOWED_HOSTS: optionalString,
  /** Non-public address ranges webhooks may reach (comma-separated CIDRs); loopback only outside production. */
  WEBHOOK_ALLOWED_CIDRS: z.preprocess((v) => (v === '' ? undefined : v), cidrList.optional()),
});

export const WEBHOOK_VARIABLES = Object.keys(webhookFields.shape).filter((name) => name !== 'NODE_ENV');
/** How partner-agencies sends webhooks and which addresses they may reach (read once, at start). */
export type WebhookSettings = z.infer<typeof webhookEnvironment>;

export const webhookEnvironment = webhookFields
  .refine(
    (env) => env.WEBHOOK_LEASE_MS > 2 * env.WEBHOOK_CONNECT_TIMEOUT_MS + env.WEBHOOK_TIMEOUT_MS + 1000,
    {
      path: ['WEBHOOK_LEASE_MS'],
      message:
        'must exceed 2 × WEBHOOK_CONNECT_TIMEOUT_MS + WEBHOOK_TIMEOUT_MS by over a second: a lease outlasts the delivery it covers',
    },
  )
  .transform((env) => {
    const production = env.NODE_ENV === 'production';
    const outbound: OutboundPolicy = {
      allowLocalHttp: env.WEBHOOK_ALLOW_LOCAL_HTTP ?? !production,
      allowedHosts: (env.WEBHOOK_ALLOWED_HOSTS ?? '')
        .split(',')
        .map((host) => host.trim().toLowerCase())
        .filter((host) => host !== ''),
      allowedCidrs: parseCidrs(env.WEBHOOK_ALLOWED_CIDRS ?? (production ? '' : LOOPBACK_CIDRS)),
      resolveTimeoutMs: env.WEBHOOK_CONNECT_TIMEOUT_MS,
    };
    return { ...env, outbound };
  });
