import fs from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK, type JSONWebKeySet } from 'jose';

/**
 * The key that signs access tokens (ES256). In production it comes from configuration (a private JWK), shared by
 * every replica; in development one is generated once and kept under the data folder so tokens survive restarts.
 */
export interface SigningKey {
  kid: string;
  alg: 'ES256';
  privateKey: CryptoKey;
  /** Public half, as served at /.well-known/jwks.json. */
  jwks: JSONWebKeySet;
}

export async function loadSigningKey(privateJwk: JWK): Promise<SigningKey> {
  const kid = privateJwk.kid ?? 'hub-1';
  const privateKey = (await importJWK({ ...privateJwk, alg: 'ES256' }, 'ES256')) as CryptoKey;
  const { d: _private, ...publicJwk } = privateJwk;
  return { kid, alg: 'ES256', privateKey, jwks: { keys: [{ ...publicJwk, kid, alg: 'ES256', use: 'sig' }] } };
}

export async function generateSigningJwk(kid = `hub-${Date.now().toString(36)}`): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: 'ES256' };
}

/** Development only: reuse the key stored in `file`, or create it. */
export async function developmentSigningJwk(file: string): Promise<JWK> {
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as JWK;
  const jwk = await generateSigningJwk();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(jwk), { mode: 0o600 });
  return jwk;
}
