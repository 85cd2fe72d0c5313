import { randomUUID } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { SignJWT } from 'jose';
import type { DataSource } from 'typeorm';
import { withinPolicy } from '../../../shared/auth/agency-policy';
import {
  OPERATIONS_CLAIM,
  operationsClaim,
  type OperationGrant,
} from '../../../shared/auth/operation-grants';
import { Agency } from '../agency.entity';
import { DataSharingAgreement, scopesInForce } from '../agreement.entity';
import { ApiClient } from '../api-client.entity';
import { activeGrantsOf } from '../operation.repository';
import type { SigningKey } from './signing-key';

/** Errors of the token endpoint, with the codes and statuses RFC 6749 section 5.2 defines. */
export class OAuthError extends Error {
  constructor(
    readonly code:
      | 'invalid_request'
      | 'invalid_client'
      | 'invalid_grant'
      | 'unsupported_grant_type'
      | 'invalid_scope'
      // Registered in the OAuth errors registry; answered with 429 (locked out) or 503 (too busy to verify).
      | 'temporarily_unavailable',
    readonly description: string,
    readonly status = code === 'invalid_client' ? 401 : 400,
    /** Seconds, for the Retry-After header of a 429 or 503. */
    readonly retryAfter?: number,
  ) {
    super(description);
  }
}

export interface TokenSettings {
  issuer: string;
  audience: string;
  /** Short, so that a revoked agreement stops working within minutes. At most 15 minutes. */
  ttlSeconds: number;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

/** Checks a secret against its argon2 hash; the tests put a controllable one in its place. */
export type SecretVerifier = (hash: string, secret: string) => Promise<boolean>;

export const verifySecret: SecretVerifier = (secretHash, secret) => verify(secretHash, secret);

// A hash made once, with the same parameters as every client's, for ids that do not exist: an unknown id costs
// one verification like a wrong secret does, so timing tells nothing about which ids exist.
let decoyHash: Promise<string> | null = null;

export async function hashSecret(secret: string): Promise<string> {
  return hash(secret);
}

/**
 * The client whose id and secret these are, or null (unknown id, wrong secret, disabled client: one answer for
 * all three, each after one verification).
 */
export async function authenticateClient(
  db: DataSource,
  request: { clientId: string; clientSecret: string },
  verifier: SecretVerifier = verifySecret,
): Promise<ApiClient | null> {
  const client = await db.getRepository(ApiClient).findOneBy({ clientId: request.clientId });
  decoyHash ??= hashSecret(randomUUID());
  const secretOk = await verifier(client?.secretHash ?? (await decoyHash), request.clientSecret);
  return client && secretOk && client.disabledAt === null ? client : null;
}

/**
 * OAuth2 client credentials grant (RFC 6749 section 4.4), for a client that authenticated.
 *
 * Besides the scopes of the agency's agreements in force, the token carries the grants of the ACTIVE operations the
 * agency takes part in whose window contains `now` (claim `ops`, shared/auth/operation-grants.ts): each with the
 * agency's border points and the window's end, its scopes cut to what the agency's kind may hold. An agency whose
 * only access is an operation gets a token with no permanent scope and the grant.
 *
 * A client bound to an operation (a deployed team's device) gets that operation's grant only: no agreement scope,
 * a token that expires no later than the window's end, and `invalid_grant` once the operation is not ACTIVE, its
 * window not open, or its agency no longer a participant (docs/architecture.md, "Operation-bound API clients").
 */
export async function issueClientToken(
  db: DataSource,
  key: SigningKey,
  settings: TokenSettings,
  client: ApiClient,
  scope: string | undefined,
  now = new Date(),
): Promise<{ token: TokenResponse; tokenId: string }> {
  const agency = await db.getRepository(Agency).findOneByOrFail({ id: client.agencyId });
  const cutToPolicy = (grant: OperationGrant): OperationGrant => ({
    ...grant,
    scopes: withinPolicy(agency.kind, grant.scopes),
  });
  let scopes: string[];
  let grants: OperationGrant[];
  if (client.operationCode) {
    grants = (await activeGrantsOf(db, agency.id, now, client.operationCode)).map(cutToPolicy);
    if (grants.length === 0)
      throw new OAuthError(
        'invalid_grant',
        `The operation this client is bound to (${client.operationCode}) is not ACTIVE with its window open, or its agency no longer takes part in it`,
      );
    if (scope)
      throw new OAuthError(
        'invalid_scope',
        'An operation-bound client asks for no scope: it holds the operation’s grant only',
      );
    scopes = [];
  } else {
    const agreements = await db.getRepository(DataSharingAgreement).findBy({ agencyId: agency.id });
    const granted = scopesInForce(agency.kind, agreements, now);
    grants = (await activeGrantsOf(db, agency.id, now)).map(cutToPolicy);
    if (granted.size === 0 && grants.length === 0)
      throw new OAuthError('invalid_scope', 'The agency has no active data-sharing agreement');
    scopes = scope ? narrowScopes(scope, granted) : [...granted].sort();
  }
  const issuedAt = Math.floor(now.getTime() / 1000);
  // An operation-bound client's token ends with its operation's window, whatever the configured lifetime.
  const expiresAt = client.operationCode
    ? Math.min(issuedAt + settings.ttlSeconds, Math.floor(grants[0].until.getTime() / 1000))
    : issuedAt + settings.ttlSeconds;
  const jti = randomUUID();
  const claims: Record<string, unknown> = {
    agency_id: agency.id,
    agency_kind: agency.kind,
    country: agency.country,
    scope: scopes.join(' '),
  };
  if (grants.length > 0) claims[OPERATIONS_CLAIM] = operationsClaim(grants);
  const accessToken = await new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
    .setSubject(client.clientId)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .setJti(jti)
    .sign(key.privateKey);
  return {
    token: {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: expiresAt - issuedAt,
      scope: scopes.join(' '),
    },
    tokenId: jti,
  };
}

function narrowScopes(requested: string, granted: Set<string>): string[] {
  const wanted = requested.split(' ').filter(Boolean);
  const missing = wanted.filter((s) => !granted.has(s));
  if (missing.length)
    throw new OAuthError('invalid_scope', `Scopes not granted to this client: ${missing.join(' ')}`);
  return [...new Set(wanted)].sort();
}
