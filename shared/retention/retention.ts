import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { DataSource, EntityManager, ObjectLiteral } from 'typeorm';
import { RequestAudit, type AuditEvent } from '../audit/audit-trail';
import type { SubgraphContext } from '../context';
import { addYears } from '../dates';
import { agenciesWithEvent, enqueueEvents } from '../outbox/outbox';
import { recordForChange, type OwnedRecord, type RecordGate } from '../record-gate';
import { InputValidator } from '../validation';
import { safeErrorFields } from '../logger';

/**
 * Retention (docs/architecture.md): every record has a review date — notices 5 years after publication, SLTD records and
 * document alerts 10 years after they are reported, or sooner where the owner says so. Within 30 days of it the
 * owner is asked to extend (with a reason) or let the record go; a record not extended is deleted once a grace
 * period past its review date is over, each deletion audited in the deletion's own transaction.
 *
 * Every function takes `now`: tests move the clock, not the data.
 */
type RetainedRecordType = 'Notice' | 'SltdRecord' | 'DocumentAlert';

type Queryable = Pick<EntityManager, 'query'>;

export interface RetentionPolicy<Entity extends ObjectLiteral = ObjectLiteral> {
  recordType: RetainedRecordType;
  /** The subgraph that owns the table, for the audit trail. */
  subgraph: string;
  /** The entity class (its table has id, owner_agency_id, owner_country, review_date and the restrictions). */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entity: Function & { prototype: Entity };
  /** Schema-qualified table name. */
  table: string;
  /** The default retention, and the furthest from today an extension may reach. */
  years: number;
  /** How a mutation finds one of these records: the reads' visibility (shared/record-gate.ts). */
  gate: RecordGate<Entity & OwnedRecord>;
  /** Expired records that must wait (alias `r`), with why; they are listed as HELD instead of deleted. */
  hold?: { sql: string; reason: string };
  /** Deletes what depends on the records being deleted (same transaction), returning its audit events. */
  beforeDelete?(tx: EntityManager, ids: string[]): Promise<AuditEvent[]>;
  /** Extra assignments when a review date is extended (`$1` is the new date). */
  extendSql?: string;
}

/** A review date within this many days: the owner is asked to extend. */
const DUE_WITHIN_DAYS = 30;
const DAY_MS = 86_400_000;
const DELETE_BATCH = 500;
/** Serialises the reminders of one record type across replicas (pg_advisory_xact_lock). */
const REMINDER_LOCK = 7_106_094;

const isoDay = (date: Date): string => date.toISOString().slice(0, 10);
const dayOffset = (now: Date, days: number): string => isoDay(new Date(now.getTime() + days * DAY_MS));

type RetentionState = 'DUE' | 'GRACE' | 'EXPIRED' | 'HELD';

export interface DueRecord {
  recordType: RetainedRecordType;
  id: string;
  ownerAgencyId: string;
  reviewDate: string;
  /** DUE: review date ahead; GRACE: past, deletion pending; EXPIRED: deleted by the next pass; HELD: kept. */
  state: RetentionState;
  /** The first day the record may be deleted. */
  deleteFrom: string;
}

/** Records whose review date falls within 30 days from `now`, or is past: what owners must decide on. */
export async function listDue(
  db: Queryable,
  policy: RetentionPolicy,
  now: Date,
  graceDays: number,
  limit = 10_000,
): Promise<DueRecord[]> {
  const today = isoDay(now);
  const rows = (await db.query(
    `SELECT r.id::text, r.owner_agency_id::text AS owner, r.review_date::text AS review_date,
            (r.review_date + $2::int)::text AS delete_from, ${policy.hold ? `(${policy.hold.sql})` : 'false'} AS held
       FROM ${policy.table} r
      WHERE r.review_date <= $1::date
      ORDER BY r.review_date, r.id
      LIMIT $3`,
    [dayOffset(now, DUE_WITHIN_DAYS), graceDays + 1, limit],
  )) as { id: string; owner: string; review_date: string; delete_from: string; held: boolean }[];
  return rows.map((row) => ({
    recordType: policy.recordType,
    id: row.id,
    ownerAgencyId: row.owner,
    reviewDate: row.review_date,
    deleteFrom: row.delete_from,
    state:
      row.review_date >= today ? 'DUE' : row.delete_from > today ? 'GRACE' : row.held ? 'HELD' : 'EXPIRED',
  }));
}

export interface DeletedRecord {
  id: string;
  ownerAgencyId: string;
  reviewDate: string;
}

/**
 * Deletes the records whose review date is more than `graceDays` before `now` (not extended, not held), in
 * batches, each batch one transaction with one DELETE audit row per record (and per dependent row).
 */
export async function deleteExpired(
  db: DataSource,
  policy: RetentionPolicy,
  now: Date,
  graceDays: number,
  batchSize = DELETE_BATCH,
): Promise<DeletedRecord[]> {
  const lastReviewDay = dayOffset(now, -graceDays - 1);
  const requestId = `retention-${randomUUID()}`;
  const deleted: DeletedRecord[] = [];
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      // SKIP LOCKED: replicas running the same pass share the work; a record being changed waits for the next.
      const rows = (await tx.query(
        `SELECT r.id::text, r.owner_agency_id::text AS owner, r.review_date::text AS review_date
           FROM ${policy.table} r
          WHERE r.review_date <= $1::date ${policy.hold ? `AND NOT (${policy.hold.sql})` : ''}
          ORDER BY r.review_date, r.id
          LIMIT $2
          FOR UPDATE SKIP LOCKED`,
        [lastReviewDay, batchSize],
      )) as { id: string; owner: string; review_date: string }[];
      if (rows.length === 0) return [];
      const ids = rows.map((row) => row.id);
      const dependents = (await policy.beforeDelete?.(tx, ids)) ?? [];
      await tx.query(`DELETE FROM ${policy.table} WHERE id = ANY ($1::uuid[])`, [ids]);
      // One audit row per record: each its own RequestAudit, since one would merge rows of the same action.
      const events: AuditEvent[] = [
        ...dependents,
        ...rows.map((row) => ({
          action: 'DELETE' as const,
          recordType: policy.recordType,
          recordId: row.id,
          ownerAgencyId: row.owner,
          details: { reason: 'retention', reviewDate: row.review_date, graceDays },
        })),
      ];
      for (const event of events) {
        const audit = new RequestAudit(policy.subgraph, requestId, null);
        audit.operationName = 'retention';
        audit.record(event);
        await audit.flush(tx);
      }
      return rows.map((row) => ({ id: row.id, ownerAgencyId: row.owner, reviewDate: row.review_date }));
    });
    deleted.push(...batch);
    if (batch.length < batchSize) return deleted;
  }
}

/**
 * Asks the owners of records due for review to extend them or let them go: one `review.due` webhook event per
 * owner, record type and day (the outbox delivers it; a second pass the same day sends nothing new).
 */
export async function remindOwners(db: DataSource, policy: RetentionPolicy, now: Date, graceDays: number) {
  const due = (await listDue(db, policy, now, graceDays)).filter(
    (r) => r.state === 'DUE' || r.state === 'GRACE',
  );
  const byOwner = new Map<string, DueRecord[]>();
  for (const record of due)
    byOwner.set(record.ownerAgencyId, [...(byOwner.get(record.ownerAgencyId) ?? []), record]);
  const day = isoDay(now);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [REMINDER_LOCK, policy.recordType]);
    const already = await agenciesWithEvent(tx, 'review.due', { recordType: policy.recordType, day });
    const events = [...byOwner]
      .filter(([owner]) => !already.has(owner))
      .map(([owner, records]) => ({
        topic: 'review.due',
        agencyId: owner,
        payload: {
          recordType: policy.recordType,
          day,
          count: records.length,
          records: records
            .slice(0, 1000)
            .map((r) => ({ id: r.id, reviewDate: r.reviewDate, deleteFrom: r.deleteFrom })),
        },
      }));
    await enqueueEvents(tx, events);
    return events.length;
  });
}

export interface RetentionPass {
  recordType: RetainedRecordType;
  due: number;
  grace: number;
  held: number;
  deleted: DeletedRecord[];
  reminded: number;
}

/** One pass of the job: reminders for what is due, then the deletion of what expired. */
export async function runRetention(
  db: DataSource,
  policy: RetentionPolicy,
  now: Date,
  graceDays: number,
): Promise<RetentionPass> {
  const reminded = await remindOwners(db, policy, now, graceDays);
  const deleted = await deleteExpired(db, policy, now, graceDays);
  const [counts] = (await db.query(
    `SELECT count(*) FILTER (WHERE r.review_date >= $1::date)::int AS due,
            count(*) FILTER (WHERE r.review_date < $1::date AND r.review_date + $2::int > $1::date)::int AS grace,
            count(*) FILTER (WHERE r.review_date + $2::int <= $1::date)::int AS held
       FROM ${policy.table} r
      WHERE r.review_date <= $3::date`,
    [isoDay(now), graceDays + 1, dayOffset(now, DUE_WITHIN_DAYS)],
  )) as { due: number; grace: number; held: number }[];
  // What is past its grace period after the deletions is what the policy holds back.
  return { recordType: policy.recordType, ...counts, deleted, reminded };
}

export interface RetentionWorker {
  runOnce(now?: Date): Promise<RetentionPass>;
  stop(): Promise<void>;
}

/**
 * The job inside a running subgraph (SubgraphModule.workers): a pass every `intervalMs`, the first one interval
 * after start (a restart does not trigger deletions at once). Logs counts only, never personal data.
 */
export function startRetentionWorker(
  db: DataSource,
  log: Logger,
  policy: RetentionPolicy,
  settings: { intervalMs: number; graceDays: number },
): RetentionWorker {
  let running: Promise<RetentionPass> | null = null;
  let stopped = false;
  const runOnce = (now = new Date()) => {
    running ??= runRetention(db, policy, now, settings.graceDays).finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => {
    if (stopped) return;
    runOnce().then(
      (pass) =>
        log.info(
          {
            recordType: pass.recordType,
            due: pass.due,
            grace: pass.grace,
            held: pass.held,
            deleted: pass.deleted.length,
          },
          'retention pass',
        ),
      (error: unknown) =>
        log.error({ err: safeErrorFields(error), recordType: policy.recordType }, 'retention pass failed'),
    );
  }, settings.intervalMs);
  timer.unref();
  return {
    runOnce,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}

/**
 * The owner extends a record's review date, with a reason: a date in the future, after the current review date,
 * at most the policy's years from today. One transaction with its EXTEND audit row.
 */
export async function extendReview<Entity extends OwnedRecord & { reviewDate: string }>(
  ctx: SubgraphContext<unknown>,
  policy: RetentionPolicy<Entity>,
  id: string,
  until: string,
  reason: string,
  now = new Date(),
): Promise<Entity> {
  return ctx.db.transaction(async (tx) => {
    // The gate first: a record the caller cannot read is NOT_FOUND whatever the date, so no message below can
    // carry its review date. An owner may keep a withdrawn record longer (its hits stay with it).
    const record = await recordForChange(tx, policy.gate, ctx, `extend${policy.recordType}Review`, id, {
      allowOutOfForce: true,
    });
    const v = new InputValidator('', now);
    const newDate = v.date('until', until, { future: true });
    const cleanReason = v.text('reason', reason, 500);
    const latest = addYears(now, policy.years);
    if (newDate && newDate > latest)
      v.problem('until', `must be at most ${policy.years} years from today (${latest})`);
    if (newDate && newDate <= record.reviewDate)
      v.problem('until', `must be after the current review date (${record.reviewDate})`);
    v.throwIfInvalid();
    await tx.query(
      `UPDATE ${policy.table} SET review_date = $1::date${policy.extendSql ? `, ${policy.extendSql}` : ''} WHERE id = $2`,
      [newDate, id],
    );
    await ctx.audit.write(tx, {
      action: 'EXTEND',
      recordType: policy.recordType,
      recordId: id,
      ownerAgencyId: record.ownerAgencyId,
      fields: ['reviewDate'],
      details: { from: record.reviewDate, until: newDate, reason: cleanReason },
    });
    return tx.getRepository<Entity>(policy.entity).findOneByOrFail({ id } as never);
  });
}
