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
      'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type' | 'invalid_scope',
    readonly description: string,
    readonly status = code === 'invalid_client' ? 401 : 400,
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

// A hash computed once for unknown client ids, so that a wrong id costs as much time as a wrong secret.
let decoyHash: Promise<string> | null = null;

export async function hashSecret(secret: string): Promise<string> {
  return hash(secret);
}

/** OAuth2 client credentials grant (RFC 6749 section 4.4). */
export async function issueClientToken(
  db: DataSource,
  key: SigningKey,
  settings: TokenSettings,
  request: { clientId: string; clientSecret: string; scope?: string },
  now = new Date(),
): Promise<TokenResponse> {
  const client = await db.getRepository(ApiClient).findOneBy({ clientId: request.clientId });
  decoyHash ??= hashSecret('decoy secret');
  const secretOk = await verify(client?.secretHash ?? (await decoyHash), request.clientSecret);
  if (!client || !secretOk || client.disabledAt !== null) {
    throw new OAuthError('invalid_client', 'Unknown client, wrong secret, or disabled client');
  }
  const agency = await db.getRepository(Agency).findOneByOrFail({ id: client.agencyId });
  const agreements = await db.getRepository(DataSharingAgreement).findBy({ agencyId: agency.id });
  const granted = scopesInForce(agency.kind, agreements, now);
  if (granted.size === 0)
    throw new OAuthError('invalid_scope', 'The agency has no active data-sharing agreement');
  const scopes = request.scope ? narrowScopes(request.scope, granted) : [...granted].sort();
  const issuedAt = Math.floor(now.getTime() / 1000);
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
    .setJti(randomUUID())
    .sign(key.privateKey);
  return {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: settings.ttlSeconds,
    scope: scopes.join(' '),
  };
}

function narrowScopes(requested: string, granted: Set<string>): string[] {
  const wanted = requested.split(' ').filter(Boolean);
  const missing = wanted.filter((s) => !granted.has(s));
  if (missing.length)
    throw new OAuthError('invalid_scope', `Scopes not granted to this client: ${missing.join(' ')}`);
  return [...new Set(wanted)].sort();
}
