import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { Webhook } from 'standardwebhooks';
import type { DataSource } from 'typeorm';
import { createSubgraphDataSource, migrateSubgraph } from '../../db/data-source';
import { createDatabase } from '../../test/database-server';
import { startDeliveryWorker, type DeliveryOptions, type RunningWorker } from './delivery-worker';
import { enqueueEvents, OUTBOX_MIGRATIONS, OUTBOX_SCHEMA } from './outbox';
import { newWebhookSecret } from './webhook-signature';
import { stubResolver } from '../../test/stub-resolver';
import { LOOPBACK_CIDRS, parseCidrs, type Resolver } from './webhook-target';

/**
 * The delivery worker scaled out: two instances on their own pools share one outbox, claim with leases, deliver
 * outside any transaction and record under their claim. The receiver is on loopback; the names it is reached by
 * resolve through a stub, so nothing here looks up a name for real or connects anywhere else.
 */
const AGENCY = '00000000-0000-4000-8000-000000000001';
const secret = newWebhookSecret();

interface Request {
  id: string;
  attempt: number;
  answered: number | 'hung';
  host: string | undefined;
  verified: boolean;
}

/** Answers each event's attempts in turn by `script` (a status, or 'hang': never answer); 200 after the script. */
async function startReceiver(script: (number | 'hang')[]) {
  const requests: Request[] = [];
  const attempts = new Map<string, number>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const id = String(req.headers['webhook-id']);
      const attempt = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, attempt);
      const step = script[attempt - 1] ?? 200;
      let verified = true;
      try {
        new Webhook(secret).verify(body, req.headers as Record<string, string>);
      } catch {
        verified = false;
      }
      requests.push({
        id,
        attempt,
        answered: step === 'hang' ? 'hung' : step,
        host: req.headers.host,
        verified,
      });
      if (step !== 'hang') res.writeHead(step).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let url: string;
let pools: DataSource[] = [];

beforeAll(async () => {
  const adminUrl = process.env.HUB_TEST_ADMIN_URL;
  if (!adminUrl) throw new Error('HUB_TEST_ADMIN_URL is not set: run through jest');
  url = await createDatabase(adminUrl, `outbox_${process.pid}_${Math.floor(Math.random() * 1e9)}`);
  const migrate = createSubgraphDataSource({
    url,
    schema: OUTBOX_SCHEMA,
    entities: [],
    migrations: OUTBOX_MIGRATIONS,
    pool: { size: 1 },
  });
  await migrateSubgraph(migrate, OUTBOX_SCHEMA);
  await migrate.destroy();
  // Two worker instances, each with its own small pool, as two replicas would have.
  pools = [0, 1].map(() =>
    createSubgraphDataSource({ url, schema: OUTBOX_SCHEMA, entities: [], migrations: [], pool: { size: 2 } }),
  );
  await Promise.all(pools.map((pool) => pool.initialize()));
});

afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.destroy()));
});

beforeEach(() => pools[0].query('DELETE FROM outbox.events'));

function workerOptions(
  webhookUrl: string,
  resolve: Resolver,
  change: Partial<DeliveryOptions> = {},
): DeliveryOptions {
  return {
    webhookOf: () => Promise.resolve({ url: webhookUrl, secret }),
    // Passes are driven by the test (runOnce), not by the timer.
    pollMs: 3_600_000,
    retryBaseMs: 10,
    maxAttempts: 10,
    concurrency: 5,
    leaseMs: 30_000,
    timeoutMs: 1000,
    connectTimeoutMs: 2000,
    outbound: {
      allowLocalHttp: true,
      allowedHosts: [],
      allowedCidrs: parseCidrs(LOOPBACK_CIDRS),
      resolveTimeoutMs: 2000,
    },
    resolve,
    log: pino({ level: 'silent' }),
    ...change,
  };
}

async function enqueue(count: number): Promise<string[]> {
  await enqueueEvents(
    pools[0].manager,
    Array.from({ length: count }, (_, i) => ({ topic: 'hit.created', agencyId: AGENCY, payload: { n: i } })),
  );
  const rows = (await pools[0].query("SELECT id FROM outbox.events ORDER BY payload->>'n'")) as {
    id: string;
  }[];
  return rows.map((row) => row.id);
}

async function rows() {
  return (await pools[0].query(
    `SELECT id, attempts, delivered_at IS NOT NULL AS delivered, claim IS NOT NULL AS claimed, last_error
       FROM outbox.events ORDER BY id`,
  )) as { id: string; attempts: number; delivered: boolean; claimed: boolean; last_error: string | null }[];
}

/** Runs passes of every worker at once until nothing is left, within a bound on the number of rounds. */
async function drain(workers: RunningWorker[]): Promise<number[][]> {
  const rounds: number[][] = [];
  for (let round = 0; round < 200; round++) {
    const left = (await pools[0].query(
      'SELECT count(*)::int AS n FROM outbox.events WHERE delivered_at IS NULL',
    )) as { n: number }[];
    if (left[0].n === 0) return rounds;
    rounds.push(await Promise.all(workers.map((worker) => worker.runOnce())));
    // Retries are due 10 ms × 2^attempts later: wait for the next one to fall due rather than spin.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the outbox did not drain in 200 rounds');
}

test('two workers deliver each event exactly once to a receiver that fails, hangs and recovers; none is lost', async () => {
  const receiver = await startReceiver([500, 'hang']);
  const resolve = stubResolver({ 'receiver.test': ['127.0.0.1'] });
  const webhookUrl = `http://receiver.test:${receiver.port}/hooks`;
  const workers = pools.map((pool) => startDeliveryWorker(pool, workerOptions(webhookUrl, resolve)));
  try {
    const ids = await enqueue(20);
    const rounds = await drain(workers);
    // Both workers took part from the first round on, and between them made exactly three attempts per event.
    expect(rounds[0].every((attempted) => attempted > 0)).toBe(true);
    expect(rounds.flat().reduce((sum, n) => sum + n, 0)).toBe(60);

    // Per event: a failure, a hang past the timeout, then one acknowledged delivery — and nothing after it.
    for (const id of ids) {
      expect(receiver.requests.filter((r) => r.id === id).map((r) => r.answered)).toEqual([500, 'hung', 200]);
    }
    expect(receiver.requests.filter((r) => r.answered === 200)).toHaveLength(20);
    expect(receiver.requests.every((r) => r.verified && r.host === `receiver.test:${receiver.port}`)).toBe(
      true,
    );
    // One look-up per attempt, and the connection went to the address it returned (the receiver on loopback).
    expect(resolve.asked).toEqual(Array(60).fill('receiver.test'));

    const stored = await rows();
    expect(stored).toHaveLength(20);
    expect(
      stored.every((row) => row.attempts === 3 && row.delivered && !row.claimed && row.last_error === null),
    ).toBe(true);
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
    await receiver.close();
  }
});

test('an expired lease is claimed again; a live one is left to its worker', async () => {
  const receiver = await startReceiver([]);
  const resolve = stubResolver({ 'receiver.test': ['127.0.0.1'] });
  const worker = startDeliveryWorker(
    pools[0],
    workerOptions(`http://receiver.test:${receiver.port}/`, resolve),
  );
  try {
    const [dead, live] = await enqueue(2);
    // One worker died holding `dead`; another is still delivering `live`.
    await pools[0].query(
      `UPDATE outbox.events SET claim = gen_random_uuid(),
              claimed_until = now() + CASE WHEN id = $1 THEN interval '-1 second' ELSE interval '1 hour' END`,
      [dead],
    );
    expect(await worker.runOnce()).toBe(1);
    expect(receiver.requests.map((r) => [r.id, r.answered])).toEqual([[dead, 200]]);
    expect((await rows()).map((r) => [r.id, r.delivered, r.claimed]).sort()).toEqual(
      [
        [dead, true, false],
        [live, false, true],
      ].sort(),
    );
  } finally {
    await worker.stop();
    await receiver.close();
  }
});

test('a worker that outlived its lease does not overwrite what the worker that took over recorded', async () => {
  // The first attempt hangs for the whole (long) timeout; the lease is far shorter.
  const receiver = await startReceiver(['hang']);
  const resolve = stubResolver({ 'receiver.test': ['127.0.0.1'] });
  const webhookUrl = `http://receiver.test:${receiver.port}/`;
  const slow = startDeliveryWorker(
    pools[0],
    workerOptions(webhookUrl, resolve, { leaseMs: 100, timeoutMs: 3000 }),
  );
  const other = startDeliveryWorker(pools[1], workerOptions(webhookUrl, resolve));
  try {
    const [id] = await enqueue(1);
    const stalled = slow.runOnce();
    for (let i = 0; i < 200 && receiver.requests.length === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    for (let i = 0; i < 200; i++) {
      const expired = (await pools[1].query(
        'SELECT claimed_until < now() AS expired FROM outbox.events',
      )) as { expired: boolean }[];
      if (expired[0].expired) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await other.runOnce()).toBe(1);
    expect(await stalled).toBe(1);
    expect(receiver.requests.map((r) => r.answered)).toEqual(['hung', 200]);
    // The stalled worker's timeout was not recorded over the delivery: one attempt, delivered, no error.
    expect(await rows()).toEqual([{ id, attempts: 1, delivered: true, claimed: false, last_error: null }]);
  } finally {
    await Promise.all([slow.stop(), other.stop()]);
    await receiver.close();
  }
});

test('a webhook that now resolves to an internal address is refused at delivery, before any connection', async () => {
  const resolve = stubResolver({ 'rebound.test': ['127.0.0.1', '10.0.0.2'] });
  const worker = startDeliveryWorker(pools[0], workerOptions('http://rebound.test:9/hooks', resolve));
  const literal = startDeliveryWorker(pools[1], workerOptions('https://169.254.169.254/latest', resolve));
  try {
    await enqueue(1);
    expect(await worker.runOnce()).toBe(1);
    expect(resolve.asked).toEqual(['rebound.test']);
    expect((await rows()).map((r) => [r.attempts, r.delivered, r.last_error])).toEqual([
      [1, false, 'refused: the URL resolves to 10.0.0.2, in the private range, which webhooks may not reach'],
    ]);
    await pools[0].query('UPDATE outbox.events SET next_attempt_at = now()');
    expect(await literal.runOnce()).toBe(1);
    expect((await rows()).map((r) => [r.attempts, r.delivered, r.last_error])).toEqual([
      [
        2,
        false,
        'refused: the URL resolves to 169.254.169.254, in the link-local range, which webhooks may not reach',
      ],
    ]);
    expect(resolve.asked).toEqual(['rebound.test']);
  } finally {
    await Promise.all([worker.stop(), literal.stop()]);
  }
});
