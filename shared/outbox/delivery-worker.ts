import { lookup } from 'node:dns/promises';
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import { signWebhook } from './webhook-signature';
import { safeErrorFields } from '../logger';

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
  timeoutMs: number;
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
  const body = JSON.stringify({
    id: event.id,
    type: event.topic,
    createdAt: event.created_at,
    data: event.payload,
  });
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const response = await fetch(webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': event.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(webhook.secret, event.id, timestamp, body),
      },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    return response.ok ? null : `HTTP ${response.status}`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Webhook URLs must be HTTPS; plain HTTP only to this machine, and only where allowed (development, tests). */
export async function webhookUrlProblem(url: string, allowLocalHttp: boolean): Promise<string | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (parsed.username || parsed.password) return 'must not carry credentials';
  if (parsed.protocol === 'https:') return null;
  if (parsed.protocol === 'http:' && allowLocalHttp) {
    const { address } = await lookup(parsed.hostname).catch(() => ({ address: '' }));
    if (address.startsWith('127.') || address === '::1') return null;
  }
  return 'must be an https:// URL';
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
