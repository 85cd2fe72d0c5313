import type { EntityTarget } from 'typeorm';
import type { AuditEvent } from './audit';
import type { SubgraphContext } from './context';
import { BadUserInputError, ConflictError } from './errors';
import { recordForChange, type RecordGate } from './record-gate';
import type { HitOutcomeAction } from './schema/hit-outcome';
import { HitOutcome, HitStatus } from './schema/hit-status';
import { InputValidator } from './validation';

/**
 * The workflow both kinds of hit follow (a document check's in travel-documents, a notice match's in notices):
 * the record's owner decides a PENDING hit once (CONFIRMED or FALSE_POSITIVE), then records — and may record
 * again — what was done after a CONFIRMED one. Each step is one transaction: the hit found through the kind's gate
 * (shared/record-gate.ts: NOT_FOUND for a hit the caller may not read, FORBIDDEN for one it may not change), the
 * change saved, and its audit row written.
 */
export interface WorkflowHit {
  id: string;
  ownerAgencyId: string;
  status: HitStatus;
  decidedAt: Date | null;
  decidedByClient: string | null;
  outcome: HitOutcomeAction | null;
  outcomeAt: Date | null;
  outcomeByClient: string | null;
}

/** The properties of H that hold a note (string or null). */
type NoteField<H> = { [K in keyof H]: H[K] extends string | null ? K : never }[keyof H] & string;

/** A kind of hit as the workflow needs it. */
export interface HitKind<H extends WorkflowHit> {
  entity: EntityTarget<H>;
  gate: RecordGate<H>;
  /** The decision's and the outcome's notes: each the entity's property and the GraphQL field the audit row names. */
  decisionNote: NoteField<H>;
  outcomeNote: NoteField<H>;
}

/** Notes on a decision or an outcome. */
export const MAX_HIT_NOTE_LENGTH = 2000;

/** A note as stored: normalised and trimmed, null when empty; refused when too long or holding control characters. */
function validateNote(note: string | null | undefined): string | null {
  const v = new InputValidator('');
  const cleaned = v.text('note', note, MAX_HIT_NOTE_LENGTH, true);
  v.throwIfInvalid();
  return cleaned;
}

type Context = Pick<SubgraphContext<unknown>, 'caller' | 'audit' | 'db'>;

/**
 * One step of the workflow in its transaction: the hit through the gate, the note checked, `change` applied (it
 * throws to refuse, and returns the audit row's action, fields and details), the hit saved and the row written.
 */
async function changeHit<H extends WorkflowHit>(
  ctx: Context,
  kind: HitKind<H>,
  mutation: string,
  id: string,
  note: string | undefined,
  change: (
    hit: H,
    note: string | null,
    clientId: string,
  ) => Pick<AuditEvent, 'action' | 'fields' | 'details'>,
): Promise<H | null> {
  const caller = ctx.caller;
  if (!caller) return null;
  return ctx.db.transaction(async (tx) => {
    const hit = await recordForChange(tx, kind.gate, ctx, mutation, id);
    const event = change(hit, validateNote(note), caller.clientId);
    await tx.getRepository(kind.entity).save(hit);
    await ctx.audit.write(tx, {
      ...event,
      recordType: kind.gate.recordType,
      recordId: hit.id,
      ownerAgencyId: hit.ownerAgencyId,
    });
    return hit;
  });
}

/** The owner's decision on a PENDING hit; a decided one is a CONFLICT. Audited as DECIDE with the outcome. */
export function decideHit<H extends WorkflowHit>(
  ctx: Context,
  kind: HitKind<H>,
  mutation: string,
  id: string,
  outcome: HitOutcome,
  note: string | undefined,
): Promise<H | null> {
  return changeHit(ctx, kind, mutation, id, note, (hit, cleaned, clientId) => {
    if (hit.status !== HitStatus.PENDING)
      throw new ConflictError(
        `The ${kind.gate.label.toLowerCase()} was already decided: ${hit.status}`,
        'id',
      );
    hit.status = outcome === HitOutcome.CONFIRMED ? HitStatus.CONFIRMED : HitStatus.FALSE_POSITIVE;
    Object.assign(hit, { [kind.decisionNote]: cleaned });
    hit.decidedAt = new Date();
    hit.decidedByClient = clientId;
    return { action: 'DECIDE', fields: ['status', kind.decisionNote], details: { outcome } };
  });
}

/**
 * What was done after a CONFIRMED hit; recording again replaces it. A PENDING or FALSE_POSITIVE hit is refused at
 * `idArgument`. Audited as UPDATE with the outcome and the one it replaced (null the first time).
 */
export function recordHitOutcome<H extends WorkflowHit>(
  ctx: Context,
  kind: HitKind<H>,
  mutation: string,
  idArgument: string,
  id: string,
  outcome: HitOutcomeAction,
  note: string | undefined,
): Promise<H | null> {
  return changeHit(ctx, kind, mutation, id, note, (hit, cleaned, clientId) => {
    if (hit.status !== HitStatus.CONFIRMED) {
      throw new BadUserInputError([
        {
          field: idArgument,
          reason:
            hit.status === HitStatus.PENDING
              ? 'is PENDING: confirm it first'
              : 'is a FALSE_POSITIVE: only a CONFIRMED hit has an outcome',
        },
      ]);
    }
    const replaced = hit.outcome;
    hit.outcome = outcome;
    Object.assign(hit, { [kind.outcomeNote]: cleaned });
    hit.outcomeAt = new Date();
    hit.outcomeByClient = clientId;
    return { action: 'UPDATE', fields: ['outcome', kind.outcomeNote], details: { outcome, replaced } };
  });
}

/**
 * A page of hits as listed to their owner or checker: each hit read is an audit row naming it, for its owner
 * (the same row for document and notice hits, `field` naming the list's node).
 */
export function auditListedHits(
  ctx: Pick<SubgraphContext<unknown>, 'audit'>,
  recordType: 'Hit' | 'NoticeHit',
  field: string,
  edges: readonly { node: { id: string; ownerAgencyId: string } }[],
): void {
  for (const { node } of edges)
    ctx.audit.record({
      action: 'READ',
      recordType,
      recordId: node.id,
      ownerAgencyId: node.ownerAgencyId,
      fields: [field],
    });
}
