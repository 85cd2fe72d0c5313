import { z } from 'zod';

/**
 * How every process that verifies access tokens (gateway, each subgraph, `npm start`) bounds their times:
 * the hub's own tokens and an external issuer's alike.
 */
export const tokenVerificationFields = {
  /** A token whose `exp - iat` exceeds this is refused, whoever issued it (the hub issues at most 900 s). */
  AUTH_MAX_TOKEN_LIFETIME_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  /** Clock difference tolerated between the issuer and this process, for `iat`, `nbf` and `exp`. */
  AUTH_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
};

export interface TokenVerificationLimits {
  maxLifetimeSeconds: number;
  clockSkewSeconds: number;
}

export const DEFAULT_TOKEN_VERIFICATION: TokenVerificationLimits = {
  maxLifetimeSeconds: 900,
  clockSkewSeconds: 30,
};

export function tokenVerificationOf(env: {
  AUTH_MAX_TOKEN_LIFETIME_SECONDS: number;
  AUTH_CLOCK_SKEW_SECONDS: number;
}): TokenVerificationLimits {
  return {
    maxLifetimeSeconds: env.AUTH_MAX_TOKEN_LIFETIME_SECONDS,
    clockSkewSeconds: env.AUTH_CLOCK_SKEW_SECONDS,
  };
}
