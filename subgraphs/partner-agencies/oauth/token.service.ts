import { randomUUID } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { SignJWT } from 'jose';
import type { DataSource } from 'typeorm';
import { Agency } from '../agency.entity';
import { DataSharingAgreement, scopesInForce } from '../agreement.entity';
import { ApiClient } from '../api-client.entity';
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

/** OAuth2 client credentials grant (RFC 6749 section 4.4), for a client that authenticated. */
export async function issueClientToken(
  db: DataSource,
  key: SigningKey,
  settings: TokenSettings,
  client: ApiClient,
  scope: string | undefined,
  now = new Date(),
): Promise<{ token: TokenResponse; tokenId: string }> {
  const agency = await db.getRepository(Agency).findOneByOrFail({ id: client.agencyId });
  const agreements = await db.getRepository(DataSharingAgreement).findBy({ agencyId: agency.id });
  const granted = scopesInForce(agency.kind, agreements, now);
  if (granted.size === 0)
    throw new OAuthError('invalid_scope', 'The agency has no active data-sharing agreement');
  const scopes = scope ? narrowScopes(scope, granted) : [...granted].sort();
  const issuedAt = Math.floor(now.getTime() / 1000);
  const jti = randomUUID();
  const accessToken = await new SignJWT({
    agency_id: agency.id,
    agency_kind: agency.kind,
    country: agency.country,
    scope: scopes.join(' '),
  })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
    .setSubject(client.clientId)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + settings.ttlSeconds)
    .setJti(jti)
    .sign(key.privateKey);
  return {
    token: {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: settings.ttlSeconds,
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
