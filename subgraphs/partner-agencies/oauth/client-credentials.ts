import type { IncomingMessage } from 'node:http';
import { HttpError, readBody } from '../../../shared/http/server';
import { OAuthError } from './token.service';

/**
 * Reads a token request (RFC 6749 sections 2.3.1 and 4.4): the body as a form or JSON, the client's credentials
 * from the body or from HTTP Basic. Every malformed part is an OAuth error naming it, never an exception.
 */
export interface TokenRequest {
  grantType: string | undefined;
  /** As sent, when it could be read (for the audit and the throttle), even if the request is refused. */
  clientId: string | undefined;
  clientSecret: string | undefined;
  scope: string | undefined;
}

/** Longer ids and secrets than any client has are refused before any look-up or hash. */
const MAX_CLIENT_ID_LENGTH = 128;
const MAX_CLIENT_SECRET_LENGTH = 512;

// C0 controls, DEL and C1 controls: never part of a client id, and NUL cannot even be stored in PostgreSQL text.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const EVERY_CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/g;

/** Parses the request; `partial` receives the client id as soon as it is known, so a refusal can still name it. */
export async function readTokenRequest(
  req: IncomingMessage,
  partial: { clientId?: string },
): Promise<TokenRequest> {
  const params = await readBodyParams(req);
  const basic = readBasicCredentials(req.headers.authorization);
  if (basic) partial.clientId = basic.clientId;
  else if (params.client_id !== undefined) partial.clientId = params.client_id;
  // Section 2.3: a client MUST NOT use more than one authentication method in a request.
  if (basic && (params.client_id !== undefined || params.client_secret !== undefined)) {
    throw new OAuthError(
      'invalid_request',
      'Send the client credentials either in the Authorization header or in the body, not both',
    );
  }
  const request: TokenRequest = {
    grantType: params.grant_type,
    clientId: basic?.clientId ?? params.client_id,
    clientSecret: basic?.clientSecret ?? params.client_secret,
    scope: params.scope,
  };
  checkCredentialText(request);
  return request;
}

async function readBodyParams(req: IncomingMessage): Promise<Record<string, string | undefined>> {
  const text = await readBody(req, 16 * 1024);
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new OAuthError('invalid_request', 'The body is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new OAuthError('invalid_request', 'The body must be an object');
    return Object.fromEntries(
      Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]),
    );
  }
  if (type === 'application/x-www-form-urlencoded' || type === '') {
    const form = new URLSearchParams(text);
    // Section 3.2: a parameter sent twice is an error (which one would count?).
    for (const name of ['grant_type', 'client_id', 'client_secret', 'scope']) {
      if (form.getAll(name).length > 1)
        throw new OAuthError('invalid_request', `The parameter ${name} is repeated`);
    }
    return Object.fromEntries(form);
  }
  throw new HttpError(415, 'Unsupported content type', {
    error: 'invalid_request',
    error_description: 'Send application/x-www-form-urlencoded or application/json',
  });
}

/**
 * Section 2.3.1: the client id and the secret are each form-urlencoded, joined by a colon, then base64-encoded.
 * The id cannot hold a colon once encoded, so the first colon separates them and the secret may hold colons.
 */
function readBasicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | null {
  if (header === undefined || !/^Basic(\s|$)/i.test(header)) return null;
  const encoded = /^Basic +([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header)?.[1];
  if (!encoded || encoded.length % 4 !== 0)
    throw new OAuthError('invalid_request', 'The Basic credentials are not valid base64');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(encoded, 'base64'));
  } catch {
    throw new OAuthError('invalid_request', 'The Basic credentials are not valid UTF-8');
  }
  const colon = text.indexOf(':');
  if (colon < 0)
    throw new OAuthError('invalid_request', 'The Basic credentials must be "client_id:client_secret"');
  return {
    clientId: formDecode(text.slice(0, colon), 'client_id'),
    clientSecret: formDecode(text.slice(colon + 1), 'client_secret'),
  };
}

function formDecode(value: string, field: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw new OAuthError('invalid_request', `The Basic credentials' ${field} has invalid percent-encoding`);
  }
}

function checkCredentialText(request: TokenRequest): void {
  const { clientId, clientSecret } = request;
  if (clientId !== undefined) {
    if (CONTROL_CHARACTERS.test(clientId))
      throw new OAuthError('invalid_request', 'client_id must not contain control characters');
    if (clientId.length > MAX_CLIENT_ID_LENGTH)
      throw new OAuthError('invalid_request', `client_id is longer than ${MAX_CLIENT_ID_LENGTH} characters`);
  }
  if (clientSecret !== undefined && clientSecret.length > MAX_CLIENT_SECRET_LENGTH) {
    throw new OAuthError(
      'invalid_request',
      `client_secret is longer than ${MAX_CLIENT_SECRET_LENGTH} characters`,
    );
  }
}

/** A client id as it may be written to the audit trail and the throttle: printable, bounded. */
export function printableClientId(clientId: string | undefined): string | null {
  if (clientId === undefined) return null;
  return clientId
    .slice(0, MAX_CLIENT_ID_LENGTH)
    .replace(EVERY_CONTROL_CHARACTER, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
