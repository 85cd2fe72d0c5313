import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { safeErrorFields } from '../logger';
import { signWebhook } from './webhook-signature';
import { postWebhook } from './webhook-send';
import { checkWebhookTarget, type OutboundPolicy, type Resolver } from './webhook-target';

/**
 * Delivers outbox events to the agencies' webhooks, with any number of workers in any number of replicas
 * (docs/architecture.md, "Webhooks"):
 *
 * 1. **Claim**: one statement takes up to `concurrency` due events with FOR UPDATE SKIP LOCKED and stamps them
 *    with a fresh claim id and a lease (`claimed_until`), then commits. Other workers skip claimed events.
 * 2. **Deliver** each, at once, with no transaction and no connection held: an HTTP call may take up to its
 *    timeouts, and a row lock or pooled connection held that long would stall every other writer.
 * 3. **Record** the result in one short statement, only under the claim it was delivered with: a worker that
 *    outlived its lease (stalled past it) cannot overwrite what the worker that took over recorded.
 *
 * A lease that runs out (the worker died) makes the event claimable again. The lease outlasts a delivery's
 * timeouts, so while workers live each event is sent once per attempt; a worker that dies after the receiver
 * acknowledged but before recording leaves the event to be sent again: delivery is at least once, and
 * receivers deduplicate on `webhook-id`.
 */
export interface DeliveryOptions {
  /** How the worker finds an agency's webhook (partner-agencies owns that table); called with no transaction open. */
  webhookOf(db: DataSource, agencyId: string): Promise<{ url: string; secret: string } | null>;
  pollMs: number;
  retryBaseMs: number;
  maxAttempts: number;
  /** Events one worker claims and delivers at once. */
  concurrency: number;
  /** How long a claim lasts; must outlast a delivery (resolution, connecting, exchange). */
  leaseMs: number;
  /** Bound on one delivery's HTTP exchange. */
  timeoutMs: number;
  /** Bound on the DNS look-up, and on connecting (TCP and TLS). */
  connectTimeoutMs: number;
  /** Which addresses webhooks may reach (webhook-target.ts). */
  outbound: OutboundPolicy;
  /** Tests stub DNS; the system resolver otherwise. */
  resolve?: Resolver;
  log: Logger;
}

interface ClaimedEvent {
  id: string;
  topic: string;
  agency_id: string;
  payload: Record<string, unknown>;
  attempts: number;
  created_at: Date;
  claim: string;
}

export interface RunningWorker {
  /** Runs one pass now (tests, and to drain before stopping). Returns how many events were attempted. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/** A pass takes batch after batch while they come full, up to this many, then lets the timer call again. */
const BATCHES_PER_PASS = 10;

export function startDeliveryWorker(db: DataSource, options: DeliveryOptions): RunningWorker {
  let running: Promise<number> | null = null;
  let stopped = false;
  const pass = () => {
    running ??= deliverDue(db, options, () => stopped).finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => {
    if (!stopped)
      void pass().catch((error: unknown) =>
        options.log.error({ err: safeErrorFields(error) }, 'webhook delivery pass failed'),
      );
  }, options.pollMs);
  timer.unref();
  return {
    runOnce: pass,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}

async function deliverDue(db: DataSource, options: DeliveryOptions, stopped: () => boolean): Promise<number> {
  let attempted = 0;
  for (let batch = 0; batch < BATCHES_PER_PASS && !stopped(); batch++) {
    const events = await claimDue(db, options);
    const webhooks = new Map<string, ReturnType<DeliveryOptions['webhookOf']>>();
    const webhookOf = (agencyId: string) => {
      if (!webhooks.has(agencyId)) webhooks.set(agencyId, options.webhookOf(db, agencyId));
      return webhooks.get(agencyId)!;
    };
    await Promise.all(
      events.map(async (event) => record(db, event, await attempt(event, webhookOf, options), options)),
    );
    attempted += events.length;
    if (events.length < options.concurrency) break;
  }
  return attempted;
}

/** Claims due events: one statement, so one short transaction; the row locks last only as long as it does. */
async function claimDue(db: DataSource, options: DeliveryOptions): Promise<ClaimedEvent[]> {
  const [rows] = (await db.query(
    `WITH due AS (
       SELECT id FROM outbox.events
        WHERE delivered_at IS NULL AND attempts < $1 AND next_attempt_at <= now()
          AND (claimed_until IS NULL OR claimed_until <= now())
        ORDER BY next_attempt_at
        LIMIT $2
        FOR UPDATE SKIP LOCKED)
     UPDATE outbox.events e
        SET claim = gen_random_uuid(), claimed_until = now() + ($3::int * interval '1 millisecond')
       FROM due WHERE e.id = due.id
     RETURNING e.id, e.topic, e.agency_id, e.payload, e.attempts, e.created_at, e.claim`,
    [options.maxAttempts, options.concurrency, options.leaseMs],
  )) as [ClaimedEvent[], number];
  return rows;
}

type Outcome = { kind: 'delivered' } | { kind: 'failed'; error: string } | { kind: 'parked' };

async function attempt(
  event: ClaimedEvent,
  webhookOf: (agencyId: string) => ReturnType<DeliveryOptions['webhookOf']>,
  options: DeliveryOptions,
): Promise<Outcome> {
  let webhook;
  try {
    webhook = await webhookOf(event.agency_id);
  } catch (error) {
    return { kind: 'failed', error: `webhook look-up failed: ${(error as Error).message}` };
  }
  // Parked, not failed: registering a webhook releases the agency's waiting events (releaseParkedEvents).
  if (!webhook) return { kind: 'parked' };
  const error = await deliver(event, webhook, options);
  return error === null ? { kind: 'delivered' } : { kind: 'failed', error };
}

/** One short statement per result, under the event's claim. */
async function record(db: DataSource, event: ClaimedEvent, outcome: Outcome, options: DeliveryOptions) {
  const release = 'claim = NULL, claimed_until = NULL';
  const [, updated] = (await (outcome.kind === 'delivered'
    ? db.query(
        `UPDATE outbox.events SET delivered_at = now(), attempts = attempts + 1, last_error = NULL, ${release}
          WHERE id = $1 AND claim = $2`,
        [event.id, event.claim],
      )
    : outcome.kind === 'parked'
      ? db.query(
          `UPDATE outbox.events SET next_attempt_at = now() + interval '1 day', ${release}
            WHERE id = $1 AND claim = $2`,
          [event.id, event.claim],
        )
      : db.query(
          `UPDATE outbox.events SET attempts = attempts + 1, last_error = $3, ${release},
                  next_attempt_at = now() + ($4::int * interval '1 millisecond')
            WHERE id = $1 AND claim = $2`,
          [
            event.id,
            event.claim,
            outcome.error.slice(0, 500),
            Math.min(options.retryBaseMs * 2 ** event.attempts, 3_600_000),
          ],
        ))) as [unknown, number];
  if (updated === 0) {
    options.log.warn(
      { eventId: event.id, outcome: outcome.kind },
      'webhook claim lost before its result was recorded',
    );
  } else if (outcome.kind === 'failed') {
    options.log.warn(
      { eventId: event.id, attempts: event.attempts + 1, error: outcome.error },
      'webhook delivery failed; will retry',
    );
  }
}
/** Returns null when delivered, else why not. */
async function deliver(
  event: ClaimedEvent,
  webhook: { url: string; secret: string },
  options: DeliveryOptions,
): Promise<string | null> {
  // Checked again at every delivery: the host's DNS answer may have changed since registration.
  const check = await checkWebhookTarget(webhook.url, options.outbound, options.resolve);
  if (!check.ok) return `refused: the URL ${check.reason}`;
  const body = JSON.stringify({
    id: event.id,
    type: event.topic,
    createdAt: event.created_at,
    data: event.payload,
  });
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const status = await postWebhook(
      check.target,
      {
        'content-type': 'application/json',
        'webhook-id': event.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(webhook.secret, event.id, timestamp, body),
      },
      body,
      { connectTimeoutMs: options.connectTimeoutMs, timeoutMs: options.timeoutMs },
    );
    if (status >= 200 && status < 300) return null;
    return status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** An agency that registers its webhook gets the events that waited for one, oldest first, at once. */
export async function releaseParkedEvents(
  tx: { query(sql: string, params: unknown[]): Promise<unknown> },
  agencyId: string,
): Promise<void> {
  await tx.query(
    // Claims are dropped too: an event being delivered to the old URL is sent again, to the new one.
    `UPDATE outbox.events SET next_attempt_at = now(), claim = NULL, claimed_until = NULL
      WHERE agency_id = $1 AND delivered_at IS NULL`,
    [agencyId],
  );
}
