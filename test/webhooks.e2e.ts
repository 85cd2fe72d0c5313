import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { startTestHub, type TestHub } from './hub';
import { verifiesBySpec } from './standard-webhooks';

/**
 * Owners are told of new hits without polling: a signed webhook delivery from the outbox, retried with backoff,
 * surviving a restart of the hub, arriving once.
 */
process.env.WEBHOOK_POLL_MS = '100';
process.env.WEBHOOK_RETRY_BASE_MS = '100';

const SPECIMEN_MRZ =
  'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10';
const CHECK = 'query($d: [DocumentCheckInput!]!) { checkDocuments(input: $d) { verdict hit { id } } }';

interface Delivery {
  headers: http.IncomingHttpHeaders;
  body: string;
  answered: number;
}

/** A real HTTP receiver that fails the first `failures` attempts of each event, then accepts. */
function startReceiver(failures: number) {
  const deliveries: Delivery[] = [];
  const attemptsById = new Map<string, number>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const id = String(req.headers['webhook-id']);
      const attempt = (attemptsById.get(id) ?? 0) + 1;
      attemptsById.set(id, attempt);
      const answered = attempt <= failures ? 503 : 200;
      deliveries.push({ headers: req.headers, body, answered });
      res.writeHead(answered).end();
    });
  });
  return new Promise<{ url: string; deliveries: Delivery[]; close(): Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/hits`,
        deliveries,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

async function until<T>(probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let db: pg.Client;
beforeAll(async () => {
  db = new pg.Client({ connectionString: process.env.HUB_TEST_DATABASE_URL });
  await db.connect();
});
afterAll(() => db.end());

test('a hit reaches its owner’s webhook once, signed, despite two failures and a restart', async () => {
  const receiver = await startReceiver(2);
  let hub: TestHub = await startTestHub();
  try {
    const registered = await hub.graphql(
      'ncb-uto',
      'mutation($u: String!) { setWebhook(url: $u) { url secret } }',
      { u: receiver.url },
    );
    const { secret } = registered.body.data?.setWebhook as { url: string; secret: string };
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const check = await hub.graphql('bp-fra', CHECK, {
      d: [{ mrz: SPECIMEN_MRZ, location: 'CDG T2 gate 34' }],
    });
    const hitId = (check.body.data?.checkDocuments as { hit: { id: string } }[])[0].hit.id;
    const ofThisHit = () => receiver.deliveries.filter((d) => JSON.parse(d.body).data.hitId === hitId);

    // The first attempt fails; the hub stops before the next one: the event waits in PostgreSQL.
    await until(() => (ofThisHit().length >= 1 ? true : undefined));
    await hub.stop();
    hub = await startTestHub();

    const accepted = await until(() => ofThisHit().find((d) => d.answered === 200));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const attempts = ofThisHit();
    expect(attempts.map((d) => d.answered)).toEqual([503, 503, 200]);
    expect(new Set(attempts.map((d) => d.headers['webhook-id'])).size).toBe(1);

    // As a partner would: the reference library, given the secret exactly as setWebhook returned it, and the
    // raw body and headers as received. Then a verifier written from the specification.
    const received = {
      'webhook-id': String(accepted.headers['webhook-id']),
      'webhook-timestamp': String(accepted.headers['webhook-timestamp']),
      'webhook-signature': String(accepted.headers['webhook-signature']),
    };
    expect(new Webhook(secret).verify(accepted.body, received)).toEqual(JSON.parse(accepted.body));
    expect(() =>
      new Webhook(`whsec_${Buffer.from('x'.repeat(32)).toString('base64')}`).verify(accepted.body, received),
    ).toThrow('No matching signature found');
    const signature = {
      id: received['webhook-id'],
      timestamp: received['webhook-timestamp'],
      signature: received['webhook-signature'],
    };
    expect(verifiesBySpec(secret, signature, accepted.body)).toBe(true);
    expect(verifiesBySpec(secret, signature, accepted.body.replace('UTO', 'FRA'))).toBe(false);
    const record = (await db.query(`SELECT id FROM sltd.records WHERE document_number = 'L898902C3'`))
      .rows[0];
    expect(JSON.parse(accepted.body)).toEqual({
      id: signature.id,
      type: 'hit.created',
      createdAt: expect.any(String),
      data: {
        hitId,
        recordId: record.id,
        issuingCountry: 'UTO',
        documentNumber: 'L898902C3',
        recordStatus: 'STOLEN',
        checkedAt: expect.any(String),
        checkedByAgencyId: expect.any(String),
        checkedByCountry: 'FRA',
        location: 'CDG T2 gate 34',
        checkerWasTold: 'HIT',
      },
    });
    const row = await db.query(
      'SELECT attempts, delivered_at IS NOT NULL AS delivered FROM outbox.events WHERE id = $1',
      [signature.id],
    );
    expect(row.rows).toEqual([{ attempts: 3, delivered: true }]);
  } finally {
    await hub.stop();
    await receiver.close();
  }
});

test('a webhook must be HTTPS to a public address (plain HTTP and loopback only outside production)', async () => {
  const hub = await startTestHub();
  try {
    const refused = async (url: string) =>
      (await hub.graphql('ncb-fra', 'mutation($u: String!) { setWebhook(url: $u) { url } }', { u: url }))
        .body;
    // Literal addresses: judged without any look-up or connection.
    expect(await refused('https://10.1.2.3/hooks')).toEqual({
      data: { setWebhook: null },
      errors: [
        {
          message:
            'Invalid input: url: resolves to 10.1.2.3, in the private range, which webhooks may not reach',
          path: ['setWebhook'],
          extensions: {
            code: 'BAD_USER_INPUT',
            problems: [
              {
                field: 'url',
                reason: 'resolves to 10.1.2.3, in the private range, which webhooks may not reach',
              },
            ],
            serviceName: 'partner-agencies',
          },
        },
      ],
    });
    for (const [url, reason] of [
      [
        'https://[::ffff:169.254.169.254]/latest',
        'resolves to 169.254.169.254, in the link-local range, which webhooks may not reach',
      ],
      [
        'https://[fd00::1]/hooks',
        'resolves to fd00::1, in the unique-local range, which webhooks may not reach',
      ],
      [
        'https://100.64.1.1/hooks',
        'resolves to 100.64.1.1, in the carrier-grade NAT range, which webhooks may not reach',
      ],
      ['http://93.184.215.14/hooks', 'must be an https:// URL'],
    ]) {
      expect((await refused(url)).errors?.[0]).toMatchObject({
        path: ['setWebhook'],
        extensions: { code: 'BAD_USER_INPUT', problems: [{ field: 'url', reason }] },
      });
    }
    const stored = await db.query(`SELECT webhook_url FROM partners.agencies WHERE code = 'NCB-FRA'`);
    expect(stored.rows).toEqual([{ webhook_url: null }]);
    const denied = await hub.graphql(
      'bp-fra',
      'mutation { setWebhook(url: "https://example.org/hooks") { url } }',
    );
    expect(denied.body).toEqual({
      data: null,
      errors: [
        {
          message: 'Unauthorized field or type',
          path: ['setWebhook'],
          extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
        },
      ],
    });
  } finally {
    await hub.stop();
  }
});
