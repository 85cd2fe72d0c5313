import { createHmac } from 'node:crypto';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import type { QueryRunner } from 'typeorm';
import { signWebhook } from '../../shared/outbox/webhook-signature';
import { testDatabaseUrl } from '../../test/hub';
import { StandardWebhookSecrets1764100000041 } from './migrations/1764100000041-StandardWebhookSecrets';

/**
 * Secrets issued before the standard form keep their signatures: the migration rewrites the stored text as
 * `whsec_` + base64 of its bytes, so the hub's HMAC key, and the partner's, stay the same bytes.
 */
test('an old secret becomes whsec_ + base64 of its text, and signatures do not change', async () => {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    await client.query('BEGIN');
    const old = 'Zx3_kP0-old-random-text-of-43-characters-aa';
    const current = 'whsec_MfGgIvI1Y0Z4ZGp3bW0xS2F3b2p3aW1hZ2luZTE=';
    await client.query(`UPDATE partners.agencies SET webhook_secret = $1 WHERE code = 'NCB-USA'`, [old]);
    await client.query(`UPDATE partners.agencies SET webhook_secret = $1 WHERE code = 'NCB-FRA'`, [current]);
    const runner = { query: (sql: string) => client.query(sql) } as unknown as QueryRunner;
    await new StandardWebhookSecrets1764100000041().up(runner);
    const rows = await client.query<{ code: string; webhook_secret: string }>(
      `SELECT code, webhook_secret FROM partners.agencies WHERE code IN ('NCB-USA', 'NCB-FRA') ORDER BY code`,
    );
    const migrated = `whsec_${Buffer.from(old).toString('base64')}`;
    expect(rows.rows).toEqual([
      { code: 'NCB-FRA', webhook_secret: current },
      { code: 'NCB-USA', webhook_secret: migrated },
    ]);
    const body = '{"id":"evt"}';
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = signWebhook(migrated, 'evt', timestamp, body);
    const before = createHmac('sha256', old).update(`evt.${timestamp}.${body}`).digest('base64');
    expect(signature).toBe(`v1,${before}`);
    const headers = {
      'webhook-id': 'evt',
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signature,
    };
    expect(new Webhook(migrated).verify(body, headers)).toEqual({ id: 'evt' });
  } finally {
    await client.query('ROLLBACK');
    await client.end();
  }
});
