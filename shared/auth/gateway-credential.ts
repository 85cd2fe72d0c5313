import { createHash, timingSafeEqual } from 'node:crypto';

/** The header through which the gateway proves to a subgraph that a request went through it. */
export const GATEWAY_CREDENTIAL_HEADER = 'x-gateway-credential';

/** Compares in constant time; hashing first makes the lengths equal so the length does not leak either. */
export function isGatewayCredential(presented: string | undefined, expected: string): boolean {
  if (!presented) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
