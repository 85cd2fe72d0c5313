import type { EntityManager } from 'typeorm';
import { CreateOutbox1764100000011 } from './migrations/1764100000011-CreateOutbox';
import { LeaseOutboxEvents1764100000042 } from './migrations/1764100000042-LeaseOutboxEvents';

export const OUTBOX_SCHEMA = 'outbox';
export const OUTBOX_MIGRATIONS = [CreateOutbox1764100000011, LeaseOutboxEvents1764100000042];

export interface OutboxEvent {
  topic: string;
  /** The agency the event is for; its webhook receives it. */
  agencyId: string;
  payload: Record<string, unknown>;
}

/**
 * The outbox's insert, for a statement that writes its events together with the change that caused them (as the
 * last step of a WITH): `select` yields each event's topic, agency_id and payload, in that order.
 */
export const insertEventsSql = (select: string): string =>
  `INSERT INTO outbox.events (topic, agency_id, payload) ${select}`;

/** Enqueues events inside the caller's transaction: they exist exactly when the change that caused them does. */
export async function enqueueEvents(tx: Pick<EntityManager, 'query'>, events: OutboxEvent[]): Promise<void> {
  if (events.length === 0) return;
  await tx.query(
    insertEventsSql(
      `SELECT e.topic, e.agency_id, e.payload FROM jsonb_to_recordset($1::jsonb) AS e(topic text, agency_id uuid, payload jsonb)`,
    ),
    [JSON.stringify(events.map((e) => ({ topic: e.topic, agency_id: e.agencyId, payload: e.payload })))],
  );
}

/**
 * The agencies that already have an event of this topic whose payload matches (`payload->>key = value` for each
 * entry): a periodic job that must send one event per agency and day asks before it enqueues.
 */
export async function agenciesWithEvent(
  tx: Pick<EntityManager, 'query'>,
  topic: string,
  payload: Record<string, string>,
): Promise<Set<string>> {
  const entries = Object.entries(payload);
  const conditions = entries.map((_, i) => `payload->>$${2 * i + 2}::text = $${2 * i + 3}`);
  const rows = (await tx.query(
    `SELECT DISTINCT agency_id::text FROM outbox.events WHERE ${['topic = $1', ...conditions].join(' AND ')}`,
    [topic, ...entries.flat()],
  )) as { agency_id: string }[];
  return new Set(rows.map((row) => row.agency_id));
}
