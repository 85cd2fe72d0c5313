import { callerFromToken, type ExplorerCaller } from './access';

/**
 * The signed-in client. The access token lives in this module's memory only: never in localStorage,
 * sessionStorage or a cookie, so closing or reloading the tab signs out, and no other page of the origin can
 * read it back. GraphiQL's own storage (tabs, history) never sees it either: the fetcher adds the header.
 */
export interface Session {
  clientId: string;
  token: string;
  caller: ExplorerCaller;
  /** Epoch milliseconds. */
  expiresAt: number;
}

let current: Session | null = null;
const listeners = new Set<() => void>();

export function currentSession(): Session | null {
  return current;
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function setSession(session: Session | null): void {
  current = session;
  for (const listener of listeners) listener();
}

export function signOut(): void {
  setSession(null);
}

/** OAuth2 client credentials against the gateway's own token endpoint (a form body, as RFC 6749 says). */
export async function signIn(clientId: string, clientSecret: string): Promise<Session> {
  const response = await fetch('/oauth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    }).toString(),
    credentials: 'omit',
    cache: 'no-store',
  });
  let body: { access_token?: string; expires_in?: number; error?: string; error_description?: string };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new Error(`The token endpoint answered ${response.status} without JSON`);
  }
  if (!response.ok || !body.access_token)
    throw new Error(body.error_description ?? body.error ?? `The token endpoint answered ${response.status}`);
  const caller = callerFromToken(body.access_token) ?? { clientId, scopes: [] };
  const session: Session = {
    clientId,
    token: body.access_token,
    caller,
    expiresAt: Date.now() + (body.expires_in ?? 300) * 1000,
  };
  setSession(session);
  return session;
}
