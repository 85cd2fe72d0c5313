import type { IncomingMessage } from 'node:http';
import { HttpError } from '../http/server';
import type { Caller } from './caller';
import { bearerToken, type TokenVerifier } from './token-verifier';

/**
 * The caller of an HTTP request, from its bearer token (gateway and subgraphs alike). No token: an anonymous
 * caller. A token that is present must be valid: expired, forged or malformed tokens get 401 and no data.
 */
export async function callerOfRequest(
  req: IncomingMessage,
  verifyToken: TokenVerifier,
): Promise<Caller | null> {
  try {
    const header = req.headers.authorization;
    const token = bearerToken(Array.isArray(header) ? header[0] : header);
    return token ? await verifyToken(token) : null;
  } catch (error) {
    const message = error instanceof Error ? error.message : 'Invalid access token';
    throw new HttpError(401, message, { errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });
  }
}
