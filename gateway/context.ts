import type { Caller } from '../shared/auth/caller';

/** The gateway's request context, built in one place (gateway/server.ts) from the verified token. */
export interface GatewayContext {
  requestId: string;
  caller: Caller | null;
}
