import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { DataSource } from 'typeorm';
import { RequestAudit } from '../../../shared/audit';
import { GATEWAY_CREDENTIAL_HEADER, isGatewayCredential } from '../../../shared/auth/gateway-credential';
import { HttpError, sendJson, type Route } from '../../../shared/http/server';
import { acceptRequestId, REQUEST_ID_HEADER } from '../../../shared/observability/request-log';
import type { TokenEndpointSettings } from '../config';
import { printableClientId, readTokenRequest } from './client-credentials';
import type { SigningKey } from './signing-key';
import { throttleKeys, TokenThrottle } from './throttle';
import {
  authenticateClient,
  issueClientToken,
  OAuthError,
  verifySecret,
  type SecretVerifier,
  type TokenSettings,
} from './token.service';
import { createVerificationGate, VerificationBusyError, type VerificationGate } from './verification-gate';

export interface TokenEndpointOptions {
  token: TokenSettings;
  endpoint: TokenEndpointSettings;
  /** Requests that carry it come from the gateway, whose `x-forwarded-for` then names the caller's address. */
  gatewayCredential: string;
  /** The time the throttle and the tokens use (tests move it instead of waiting). */
  clock?: () => Date;
  /** Checks a secret against its hash (tests hold verifications to count them). */
  verifier?: SecretVerifier;
  /** Receives the endpoint's verification gate (tests read how many verifications run). */
  onGate?: (gate: VerificationGate) => void;
}

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** `POST /oauth/token` (form or JSON body, or HTTP Basic client authentication) and the public keys. */
export function tokenRoutes(db: DataSource, key: SigningKey, options: TokenEndpointOptions): Route[] {
  const clock = options.clock ?? (() => new Date());
  const verifier = options.verifier ?? verifySecret;
  const throttle = new TokenThrottle(db, options.endpoint.throttle);
  const gate = createVerificationGate(options.endpoint.verification);
  options.onGate?.(gate);
  return [
    {
      method: 'POST',
      path: '/oauth/token',
      handler: async (req, res) => {
        const now = clock();
        const attempt: TokenAttempt = {
          requestId: acceptRequestId(req.headers[REQUEST_ID_HEADER]),
          sourceAddress: sourceAddressOf(req, options.gatewayCredential),
          clientId: undefined,
          agencyId: null,
        };
        try {
          const request = await readTokenRequest(req, attempt);
          if (request.grantType !== 'client_credentials') {
            throw request.grantType
              ? new OAuthError('unsupported_grant_type', 'Only grant_type=client_credentials is supported')
              : new OAuthError('invalid_request', 'grant_type is required');
          }
          const { clientId, clientSecret } = request;
          if (!clientId || !clientSecret)
            throw new OAuthError('invalid_client', 'client_id and client_secret are required');
          const keys = throttleKeys(clientId, attempt.sourceAddress);
          const lockedUntil = await throttle.lockedUntil(keys, now);
          if (lockedUntil) throw lockedOut(lockedUntil, now);
          const client = await gate
            .run(() => authenticateClient(db, { clientId, clientSecret }, verifier))
            .catch((error: unknown) => {
              if (!(error instanceof VerificationBusyError)) throw error;
              throw new OAuthError(
                'temporarily_unavailable',
                'Too many token requests are being verified; try again shortly',
                503,
                1,
              );
            });
          if (!client) {
            await throttle.recordFailure(keys, now);
            throw new OAuthError('invalid_client', 'Unknown client, wrong secret, or disabled client');
          }
          attempt.agencyId = client.agencyId;
          await throttle.recordSuccess(keys);
          const issued = await issueClientToken(db, key, options.token, client, request.scope, now);
          // Written before the token leaves: if the audit cannot be written, no token is given.
          await auditTokenRequest(db, attempt, { outcome: 'granted', tokenId: issued.tokenId });
          sendJson(res, 200, issued.token, NO_STORE);
        } catch (error) {
          if (error instanceof HttpError) {
            await auditTokenRequest(db, attempt, { outcome: 'refused', status: error.status });
            throw error;
          }
          if (!(error instanceof OAuthError)) throw error;
          await auditTokenRequest(db, attempt, {
            outcome: 'refused',
            status: error.status,
            error: error.code,
          });
          const headers: Record<string, string> = { ...NO_STORE };
          if (error.status === 401) headers['www-authenticate'] = 'Basic realm="hub"';
          if (error.retryAfter !== undefined) headers['retry-after'] = String(error.retryAfter);
          sendJson(res, error.status, { error: error.code, error_description: error.description }, headers);
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

function lockedOut(until: Date, now: Date): OAuthError {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  return new OAuthError(
    'temporarily_unavailable',
    `Too many failed attempts for this client or from this address; try again in ${seconds} s`,
    429,
    seconds,
  );
}

/**
 * The caller's address: the gateway's `x-forwarded-for` (it sets the address it was called from, replacing any
 * the caller sent) when the request carries the gateway's credential; otherwise the connection's own.
 */
function sourceAddressOf(req: IncomingMessage, gatewayCredential: string): string {
  const forwarded = req.headers['x-forwarded-for'];
  const credential = req.headers[GATEWAY_CREDENTIAL_HEADER];
  if (
    typeof forwarded === 'string' &&
    isIP(forwarded.trim()) !== 0 &&
    isGatewayCredential(typeof credential === 'string' ? credential : undefined, gatewayCredential)
  ) {
    return forwarded.trim();
  }
  return req.socket.remoteAddress ?? 'unknown';
}

interface TokenAttempt {
  requestId: string;
  sourceAddress: string;
  /** The client id tried, as sent (unknown ids too); never the secret. */
  clientId: string | undefined;
  /** The agency of a client that authenticated. */
  agencyId: string | null;
}

/**
 * Every token request, granted or refused, is one audit row: the client id tried and the source address, for the
 * General Secretariat (the row names no owner). The secret is never written.
 */
async function auditTokenRequest(
  db: DataSource,
  attempt: TokenAttempt,
  result: { outcome: 'granted' | 'refused'; status?: number; error?: string; tokenId?: string },
): Promise<void> {
  const clientId = printableClientId(attempt.clientId);
  const audit = new RequestAudit('partner-agencies', attempt.requestId, {
    clientId,
    agencyId: attempt.agencyId,
  });
  audit.operationName = 'POST /oauth/token';
  // The record is the token issued, if any; the client tried is the row's client id.
  const { tokenId, ...outcome } = result;
  await audit.write(db, {
    action: 'TOKEN',
    recordType: 'AccessToken',
    recordId: tokenId,
    details: { sourceAddress: attempt.sourceAddress, ...outcome },
  });
}
