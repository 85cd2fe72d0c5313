import { demoSecret } from '../db/seed/agencies';

/** What the token endpoint answers (RFC 6749 5.1, 5.2). */
export interface TokenAnswer {
  status: number;
  access_token?: string;
  scope?: string;
  error?: string;
  error_description?: string;
}

/**
 * Asks a running hub's token endpoint for a demo client's token (secret `demo-<client id>`, outside production
 * only): the one request `npm run token`, the benchmark and the tests make.
 */
export async function requestDemoToken(baseUrl: string, clientId: string): Promise<TokenAnswer> {
  const response = await fetch(`${baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: demoSecret(clientId),
    }),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, ...((await response.json()) as Omit<TokenAnswer, 'status'>) };
}

/** The demo client's access token, or an error naming the client and the endpoint's answer. */
export async function demoToken(baseUrl: string, clientId: string): Promise<string> {
  const answer = await requestDemoToken(baseUrl, clientId);
  if (answer.status !== 200 || !answer.access_token)
    throw new Error(`no token for ${clientId}: ${JSON.stringify(answer)}`);
  return answer.access_token;
}
