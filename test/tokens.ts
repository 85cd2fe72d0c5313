import { importJWK, SignJWT } from 'jose';
import type { AgencyKind } from '../shared/auth/caller';
import { OPERATIONS_CLAIM, operationsClaim, type OperationGrant } from '../shared/auth/operation-grants';
import { TEST_AUDIENCE, TEST_ISSUER, testSigningKey, type GraphQLResponse, type TestHub } from './hub';

/**
 * Access tokens for any scope set, signed with the test hub's own key (the token endpoint only issues what an
 * agency's agreements grant; these let a test try every combination an agency kind could be granted).
 */
export interface TokenClaims {
  clientId: string;
  agencyId: string;
  agencyKind: AgencyKind;
  country: string | null;
  scopes: readonly string[];
  /** Grants of operations the agency takes part in (the `ops` claim partner-agencies signs). */
  operations?: readonly OperationGrant[];
}

let signingKey: ReturnType<typeof importJWK> | null = null;

export async function mintToken(claims: TokenClaims): Promise<string> {
  const jwk = testSigningKey();
  signingKey ??= importJWK(jwk, 'ES256');
  return new SignJWT({
    agency_id: claims.agencyId,
    agency_kind: claims.agencyKind,
    country: claims.country,
    scope: [...claims.scopes].sort().join(' '),
    ...(claims.operations ? { [OPERATIONS_CLAIM]: operationsClaim(claims.operations) } : {}),
  })
    .setProtectedHeader({ alg: 'ES256', kid: jwk.kid, typ: 'at+jwt' })
    .setSubject(claims.clientId)
    .setIssuer(TEST_ISSUER)
    .setAudience(TEST_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(await signingKey);
}

/** POSTs a GraphQL operation through the gateway with `token`. */
export async function graphqlWithToken(
  hub: TestHub,
  token: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse> {
  const response = await fetch(hub.hub.gatewayUrl, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse['body'] };
}

/** The token endpoint, as a partner calls it with its own credentials (`scope`: to ask for fewer). */
export async function requestToken(
  hub: { hub: { gatewayUrl: string } },
  clientId: string,
  clientSecret: string,
  scope?: string,
): Promise<{ status: number; body: Record<string, string> }> {
  const fields: Record<string, string> = {
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: clientSecret,
  };
  if (scope !== undefined) fields.scope = scope;
  const response = await fetch(hub.hub.gatewayUrl.replace(/\/graphql$/, '/oauth/token'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}
