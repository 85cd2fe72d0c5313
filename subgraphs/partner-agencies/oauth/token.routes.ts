import type { IncomingMessage } from 'node:http';
import type { DataSource } from 'typeorm';
import { HttpError, readBody, sendJson, type Route } from '../../../shared/http/server';
import type { SigningKey } from './signing-key';
import { issueClientToken, OAuthError, type TokenSettings } from './token.service';

/** `POST /oauth/token` (form or JSON body, or HTTP Basic client authentication) and the public keys. */
export function tokenRoutes(db: DataSource, key: SigningKey, settings: TokenSettings): Route[] {
  return [
    {
      method: 'POST',
      path: '/oauth/token',
      handler: async (req, res) => {
        const noStore = { 'cache-control': 'no-store', pragma: 'no-cache' };
        try {
          const params = await readTokenRequest(req);
          if (params.grant_type !== 'client_credentials') {
            throw params.grant_type
              ? new OAuthError('unsupported_grant_type', 'Only grant_type=client_credentials is supported')
              : new OAuthError('invalid_request', 'grant_type is required');
          }
          if (!params.client_id || !params.client_secret) {
            throw new OAuthError('invalid_client', 'client_id and client_secret are required');
          }
          const token = await issueClientToken(db, key, settings, {
            clientId: params.client_id,
            clientSecret: params.client_secret,
            scope: params.scope,
          });
          sendJson(res, 200, token, noStore);
        } catch (error) {
          if (!(error instanceof OAuthError)) throw error;
          const headers: Record<string, string> =
            error.status === 401 ? { 'www-authenticate': 'Basic realm="hub"' } : {};
          sendJson(
            res,
            error.status,
            { error: error.code, error_description: error.description },
            { ...noStore, ...headers },
          );
        }
      },
    },
    {
      method: 'GET',
      path: '/.well-known/jwks.json',
      handler: (_req, res) => sendJson(res, 200, key.jwks, { 'cache-control': 'public, max-age=300' }),
    },
  ];
}

async function readTokenRequest(req: IncomingMessage): Promise<Record<string, string | undefined>> {
  const text = await readBody(req, 16 * 1024);
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  let params: Record<string, string | undefined>;
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new OAuthError('invalid_request', 'The body is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null)
      throw new OAuthError('invalid_request', 'The body must be an object');
    params = Object.fromEntries(
      Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]),
    );
  } else if (type === 'application/x-www-form-urlencoded' || type === '') {
    params = Object.fromEntries(new URLSearchParams(text));
  } else {
    throw new HttpError(415, 'Unsupported content type', {
      error: 'invalid_request',
      error_description: 'Send application/x-www-form-urlencoded or application/json',
    });
  }
  // RFC 6749 section 2.3.1: clients may authenticate with HTTP Basic instead of body parameters.
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (basic) {
    const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    params.client_id ??= decodeURIComponent(id ?? '');
    params.client_secret ??= decodeURIComponent(secret ?? '');
  }
  return params;
}
