import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import { safeErrorFields } from '../logger';
import { signWebhook } from './webhook-signature';
import { postWebhook } from './webhook-send';
import { checkWebhookTarget, type OutboundPolicy, type Resolver } from './webhook-target';

/**
 * Delivers outbox events to the agencies' webhooks: takes due events with FOR UPDATE SKIP LOCKED (any number of
 * workers in any number of replicas share the work without delivering one event twice at once), POSTs each,
 * and marks it delivered — or schedules the next attempt with exponential backoff. An event stays until it is
 * delivered, across restarts. Delivery is at least once: receivers deduplicate on `webhook-id`.
 */
export interface DeliveryOptions {
  /** How the worker finds an agency's webhook (partner-agencies owns that table), on the pass's own connection. */
  webhookOf(tx: EntityManager, agencyId: string): Promise<{ url: string; secret: string } | null>;
  pollMs: number;
  retryBaseMs: number;
  maxAttempts: number;
  batchSize: number;
  /** Bound on one delivery, resolution to status line. */
  timeoutMs: number;
  /** Bound on connecting (TCP and TLS). */
  connectTimeoutMs: number;
  /** Which addresses webhooks may reach (webhook-target.ts). */
  outbound: OutboundPolicy;
  /** Tests stub DNS; the system resolver otherwise. */
  resolve?: Resolver;
  log: Logger;
}

interface DueEvent {
  id: string;
  topic: string;
  agency_id: string;
  payload: Record<string, unknown>;
  attempts: number;
  created_at: Date;
}

export interface RunningWorker {
  /** Runs one pass now (tests, and to drain before stopping). Returns how many events were attempted. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

export function startDeliveryWorker(db: DataSource, options: DeliveryOptions): RunningWorker {
  let running: Promise<number> | null = null;
  let stopped = false;
  const pass = () => {
    running ??= deliverDue(db, options).finally(() => {
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

async function deliverDue(db: DataSource, options: DeliveryOptions): Promise<number> {
  // Idle most of the time: one indexed probe, and a transaction only when something is due.
  const due = (await db.query(
    'SELECT 1 FROM outbox.events WHERE delivered_at IS NULL AND next_attempt_at <= now() AND attempts < $1 LIMIT 1',
    [options.maxAttempts],
  )) as unknown[];
  if (due.length === 0) return 0;
  return db.transaction(async (tx) => {
    const events = (await tx.query(
      `SELECT id, topic, agency_id, payload, attempts, created_at FROM outbox.events
        WHERE delivered_at IS NULL AND next_attempt_at <= now() AND attempts < $1
        ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [options.maxAttempts, options.batchSize],
    )) as DueEvent[];
    for (const event of events) {
      const webhook = await options.webhookOf(tx, event.agency_id);
      if (!webhook) {
        // Parked, not failed: registering a webhook releases the agency's waiting events (releaseParkedEvents).
        await tx.query(`UPDATE outbox.events SET next_attempt_at = now() + interval '1 day' WHERE id = $1`, [
          event.id,
        ]);
        continue;
      }
      const error = await deliver(event, webhook, options);
      if (error === null) {
        await tx.query(
          'UPDATE outbox.events SET delivered_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1',
          [event.id],
        );
      } else {
        const delayMs = Math.min(options.retryBaseMs * 2 ** event.attempts, 3_600_000);
        await tx.query(
          `UPDATE outbox.events SET attempts = attempts + 1, last_error = $2,
                  next_attempt_at = now() + ($3::int * interval '1 millisecond') WHERE id = $1`,
          [event.id, error.slice(0, 500), delayMs],
        );
        options.log.warn(
          { eventId: event.id, attempts: event.attempts + 1, error },
          'webhook delivery failed; will retry',
        );
      }
    }
    return events.length;
  });
}

/** Returns null when delivered, else why not. */
async function deliver(
  event: DueEvent,
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
    'UPDATE outbox.events SET next_attempt_at = now() WHERE agency_id = $1 AND delivered_at IS NULL',
    [agencyId],
  );
}
