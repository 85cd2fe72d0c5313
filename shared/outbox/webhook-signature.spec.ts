import { signWebhook, verifyWebhook } from './webhook-signature';

describe('webhook signatures', () => {
  const now = 1_800_000_000_000;
  const timestamp = now / 1000;
  const signature = signWebhook('secret', 'evt-1', timestamp, '{"a":1}');

  test('verify what was signed', () => {
    expect(signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(
      verifyWebhook('secret', { id: 'evt-1', timestamp: String(timestamp), signature }, '{"a":1}', now),
    ).toBe(true);
  });

  test.each([
    ['another body', 'secret', 'evt-1', timestamp, '{"a":2}'],
    ['another id', 'secret', 'evt-2', timestamp, '{"a":1}'],
    ['another secret', 'other', 'evt-1', timestamp, '{"a":1}'],
    ['an old timestamp (replay)', 'secret', 'evt-1', timestamp - 600, '{"a":1}'],
  ])('refuse %s', (_what, secret, id, ts, body) => {
    const sig = ts === timestamp ? signature : signWebhook('secret', id, ts, body);
    expect(verifyWebhook(secret, { id, timestamp: String(ts), signature: sig }, body, now)).toBe(false);
  });
});
