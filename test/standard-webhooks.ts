import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A second verifier of Standard Webhooks signatures, written from the specification with node:crypto only and
 * independent of the `standardwebhooks` library the hub signs with: the key is the base64 after `whsec_`, the
 * signed content `id.timestamp.body`, the header a space-separated list of `v1,<base64 HMAC-SHA256>`.
 */
export function verifiesBySpec(
  secret: string,
  headers: { id: string; timestamp: string; signature: string },
  body: string,
): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${headers.id}.${headers.timestamp}.${body}`).digest();
  return headers.signature.split(' ').some((entry) => {
    const [version, signature] = entry.split(',');
    const given = Buffer.from(signature ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}
