import { LRUCache } from 'lru-cache';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
} from 'jose';
import { UnauthenticatedError } from '../errors';
import { withinPolicy } from './agency-policy';
import { AgencyKinds, type AgencyKind, type Caller } from './caller';
import { DEFAULT_TOKEN_VERIFICATION, type TokenVerificationLimits } from './config';
import { operationGrantsFromClaims } from './operation-grants';

/**
 * Only asymmetric algorithms are accepted: this rules out `alg: none` and the HMAC-with-the-public-key confusion,
 * whatever the token header claims.
 */
const ACCEPTED_ALGORITHMS = ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'];

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  /** A JWKS URL (ours, or an external OIDC issuer's) or a key set already in memory. */
  jwks: URL | JSONWebKeySet;
  /** Longest lifetime (`exp - iat`) and clock skew accepted; default: 900 s and 30 s. */
  limits?: TokenVerificationLimits;
  /** The hub's clock (default: the system clock): tests move it to see tokens and operation grants expire. */
  clock?: () => Date;
}

export type TokenVerifier = (token: string) => Promise<Caller>;

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const keys =
    options.jwks instanceof URL
      ? createRemoteJWKSet(options.jwks, { cooldownDuration: 30_000, cacheMaxAge: 600_000 })
      : createLocalJWKSet(options.jwks);
  // A border gate sends the same token with every check for minutes: its ES256 signature is verified once, then
  // the caller is served from memory until the token expires. Only tokens that verified are remembered, the
  // least recently used forgotten first past VERIFIED_TOKENS_KEPT.
  const verified = new LRUCache<string, { caller: Caller; expiresAt: number }>({ max: VERIFIED_TOKENS_KEPT });
  const { maxLifetimeSeconds, clockSkewSeconds } = options.limits ?? DEFAULT_TOKEN_VERIFICATION;
  const clock = options.clock ?? (() => new Date());
  return async (token) => {
    const currentDate = clock();
    const now = currentDate.getTime();
    const known = verified.get(token);
    if (known && known.expiresAt > now) return known.caller;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ACCEPTED_ALGORITHMS,
        requiredClaims: ['sub', 'exp', 'iat'],
        clockTolerance: clockSkewSeconds,
        // With maxTokenAge jose also refuses an `iat` in the future (beyond the skew): a token minted ahead of
        // time, or by an issuer whose clock runs fast, would otherwise live longer than its lifetime says.
        maxTokenAge: maxLifetimeSeconds,
        currentDate,
      }));
    } catch (error) {
      throw new UnauthenticatedError(describeTokenError(error));
    }
    // A stolen signing key (or a careless external issuer) could mint tokens valid for years: refused whoever
    // signed them, so a token is never worth more than the configured lifetime.
    if ((payload.exp as number) - (payload.iat as number) > maxLifetimeSeconds) {
      throw new UnauthenticatedError(
        `The access token's lifetime exceeds ${maxLifetimeSeconds} seconds (claims "iat" and "exp")`,
      );
    }
    const caller = callerFromClaims(payload, token);
    verified.set(token, { caller, expiresAt: (payload.exp as number) * 1000 });
    return caller;
  };
}

/** Enough for every client of a large deployment; past it the least recently used token is verified again. */
const VERIFIED_TOKENS_KEPT = 10_000;

function describeTokenError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The access token has expired';
  if (error instanceof errors.JOSEAlgNotAllowed)
    return 'The access token is signed with an algorithm that is not accepted';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'The access token signature is invalid';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `The access token claim "${error.claim}" is invalid`;
  return 'The access token is malformed or not signed by a trusted issuer';
}

function callerFromClaims(payload: JWTPayload, token: string): Caller {
  const agencyKind = payload.agency_kind;
  if (typeof payload.agency_id !== 'string' || !AgencyKinds.includes(agencyKind as AgencyKind)) {
    throw new UnauthenticatedError('The access token lacks the agency claims');
  }
  const scope = typeof payload.scope === 'string' ? payload.scope : '';
  return {
    clientId: String(payload.sub),
    agencyId: payload.agency_id,
    agencyKind: agencyKind as AgencyKind,
    country: typeof payload.country === 'string' ? payload.country : null,
    // A token of an external issuer (or one issued before the policy changed) gets no scope its kind may not hold.
    scopes: new Set(withinPolicy(agencyKind as AgencyKind, scope.split(' ').filter(Boolean))),
    operations: operationGrantsFromClaims(payload, (scopes) =>
      withinPolicy(agencyKind as AgencyKind, scopes),
    ),
    tokenId: typeof payload.jti === 'string' ? payload.jti : '',
    token,
  };
}

/** Reads `Authorization: Bearer <token>`; anything else in that header is malformed. */
export function bearerToken(header: string | undefined | null): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new UnauthenticatedError('The Authorization header must be "Bearer <token>"');
  return match[1];
}
