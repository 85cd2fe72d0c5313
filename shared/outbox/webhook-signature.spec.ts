import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { verifiesBySpec } from '../../test/standard-webhooks';
import { newWebhookSecret, signWebhook } from './webhook-signature';

/** Deliveries verify with the reference library and with a verifier written from the specification. */
describe('webhook signatures', () => {
  const secret = newWebhookSecret();
  const timestamp = Math.floor(Date.now() / 1000);
  const body = '{"id":"evt-1","type":"hit.created"}';
  const signature = signWebhook(secret, 'evt-1', timestamp, body);
  const headers = {
    'webhook-id': 'evt-1',
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signature,
  };

  test('a secret is whsec_ + base64 of 32 random bytes, new each time', () => {
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  test('the reference library verifies a signature given the secret as issued', () => {
    expect(signature).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual({ id: 'evt-1', type: 'hit.created' });
  });

  test('the specification, implemented apart, agrees', () => {
    expect(verifiesBySpec(secret, { id: 'evt-1', timestamp: String(timestamp), signature }, body)).toBe(true);
  });

  test.each([
    ['another body', { body: '{"id":"evt-2"}' }],
    ['another id', { headers: { ...headers, 'webhook-id': 'evt-2' } }],
    ['another secret', { secret: newWebhookSecret() }],
    ['the secret’s text used as the key', { secret: `whsec_${Buffer.from(secret).toString('base64')}` }],
  ])('refuse %s', (_what, change: { body?: string; headers?: typeof headers; secret?: string }) => {
    const h = change.headers ?? headers;
    const b = change.body ?? body;
    const s = change.secret ?? secret;
    expect(() => new Webhook(s).verify(b, h)).toThrow(WebhookVerificationError);
    expect(
      verifiesBySpec(
        s,
        { id: h['webhook-id'], timestamp: h['webhook-timestamp'], signature: h['webhook-signature'] },
        b,
      ),
    ).toBe(false);
  });

  test('an old timestamp is refused (replay)', () => {
    const old = timestamp - 600;
    const replayed = {
      ...headers,
      'webhook-timestamp': String(old),
      'webhook-signature': signWebhook(secret, 'evt-1', old, body),
    };
    expect(() => new Webhook(secret).verify(body, replayed)).toThrow('Message timestamp too old');
  });
});
