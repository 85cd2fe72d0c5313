import { randomUUID } from 'node:crypto';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { AuditEvent } from '../../shared/audit';
import type { SubgraphContext } from '../../shared/context';
import { auditedCheckContext, type CheckContext } from '../../shared/auth/operation-grants';
import { BadUserInputError, UnauthenticatedError } from '../../shared/errors';
import { auditListedHits, decideHit, recordHitOutcome, type HitKind } from '../../shared/hit-workflow';
import { enqueueEvents, type OutboxEvent } from '../../shared/outbox/outbox';
import { recordForChange } from '../../shared/record-gate';
import { RequiresScopes } from '../../shared/schema/access';
import { agencyReference, AgencyReference } from '../../shared/schema/agency-reference';
import { ConnectionType, pageSize } from '../../shared/schema/connection';
import { HitOutcomeAction } from '../../shared/schema/hit-outcome';
import { HitOutcome, HitStatus } from '../../shared/schema/hit-status';
import {
  BorderPointReference,
  borderPointReference,
  OperationReference,
  operationReference,
} from '../../shared/schema/operation-reference';
import {
  NOTICE_HIT_BASICS,
  NOTICE_HIT_OWNER,
  NoticeHit,
  NoticeHitBasics,
  NoticeHitOwnerField,
} from './notice-hit.entity';
import { NoticeHitFilter, NoticeMatchInput, validateNoticeMatch } from './notice-hit.input';
import { insertNoticeHit, listNoticeHits, noticeHitGate, noticeMatchGate } from './notice-hit.repository';
import { Notice, NoticeStatus } from './notice.entity';
import type { NoticeLoaders } from './notice.loader';

@ObjectType('NoticeHitConnection', { description: 'A page of notice hits.' })
class NoticeHitConnection extends ConnectionType(NoticeHit, 'NoticeHit') {}

type Context = SubgraphContext<NoticeLoaders>;

/** Notice hits follow the workflow of shared/hit-workflow.ts, as document hits do. */
const NOTICE_HIT_WORKFLOW: HitKind<NoticeHit> = {
  entity: NoticeHit,
  gate: noticeHitGate,
  decisionNote: 'decisionNote',
  outcomeNote: 'outcomeNote',
};

/** The scope a notice match needs: held by the caller, or granted by the operation it is reported in. */
const NOTICE_MATCH_SCOPE = 'notices:screen';

@Resolver(() => NoticeHit)
export class NoticeHitResolver {
  @RequiresScopes([NOTICE_MATCH_SCOPE])
  @Mutation(() => NoticeHit, {
    nullable: true,
    description:
      'Reports that the person in front of you is the subject of a notice you may see: a PENDING notice hit for the notice’s requesting bureau, told at once over its webhook. In an operation, give its code and the border point. Audited.',
  })
  async reportNoticeMatch(
    @Arg('input', () => NoticeMatchInput, { description: 'The notice, where, and what was seen.' })
    input: NoticeMatchInput,
    @Ctx() ctx: Context,
  ): Promise<NoticeHit> {
    const caller = ctx.caller;
    if (!caller) throw new UnauthenticatedError();
    const { context: given, note } = validateNoticeMatch(input);
    const context = auditedCheckContext(ctx, caller, given, NOTICE_MATCH_SCOPE, 'reportNoticeMatch', 'input');
    const { hit, notice } = await ctx.db.transaction(async (tx) => {
      const notice = await recordForChange(tx, noticeMatchGate, ctx, 'reportNoticeMatch', input.noticeId);
      if (notice.status !== NoticeStatus.PUBLISHED) {
        // Only its requesting bureau and the General Secretariat see a notice that is not published.
        throw new BadUserInputError([
          { field: 'input.noticeId', reason: `is ${notice.status}: only a PUBLISHED notice can be matched` },
        ]);
      }
      const hit = Object.assign(new NoticeHit(), {
        id: randomUUID(),
        noticeId: notice.id,
        ownerAgencyId: notice.ownerAgencyId,
        reportedByClient: caller.clientId,
        reportedByAgencyId: caller.agencyId,
        reportedByCountry: caller.country,
        note,
        operationCode: context?.operation ?? null,
        borderPointCode: context?.borderPoint ?? null,
        status: HitStatus.PENDING,
        decisionNote: null,
        decidedAt: null,
        decidedByClient: null,
        outcome: null,
        outcomeNote: null,
        outcomeAt: null,
        outcomeByClient: null,
      });
      hit.reportedAt = await insertNoticeHit(tx, hit);
      await ctx.audit.write(tx, noticeHitAuditEvent(hit, context));
      await enqueueEvents(tx, [noticeHitCreatedEvent(hit, notice)]);
      return { hit, notice };
    });
    // The hit's notice is answered from this look-up: it was just read through the caller's visibility.
    ctx.loaders.noticeById.prime(notice.id, notice);
    return hit;
  }

  @RequiresScopes(...NOTICE_HIT_BASICS)
  @Query(() => NoticeHitConnection, {
    nullable: true,
    description:
      'Notice hits on the notices your agency requested (with hits:manage) and those your agency reported, newest first. Each read is audited.',
  })
  async noticeHits(
    @Arg('filter', () => NoticeHitFilter, { nullable: true, description: 'Narrows the list.' })
    filter: NoticeHitFilter | undefined,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, at most 100 (default 20).' })
    first: number | undefined,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to read on from.' })
    after: string | undefined,
    @Ctx() ctx: Context,
  ) {
    if (!ctx.caller) return null;
    const page = await listNoticeHits(ctx.db, ctx.caller, filter, pageSize(first), after);
    auditListedHits(ctx, 'NoticeHit', 'noticeHit', page.edges);
    return page;
  }

  @RequiresScopes(...NOTICE_HIT_OWNER)
  @Mutation(() => NoticeHit, {
    nullable: true,
    description:
      'The notice’s requesting bureau confirms a PENDING notice hit or marks it a false positive; the reporter sees where it stands. Audited.',
  })
  async confirmNoticeHit(
    @Arg('id', () => ID, { description: 'The notice hit.' }) id: string,
    @Arg('outcome', () => HitOutcome, { description: 'CONFIRMED or FALSE_POSITIVE.' }) outcome: HitOutcome,
    @Arg('note', () => String, { nullable: true, description: 'Why (at most 2000 characters).' })
    note: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<NoticeHit | null> {
    return decideHit(ctx, NOTICE_HIT_WORKFLOW, 'confirmNoticeHit', id, outcome, note);
  }

  @RequiresScopes(...NOTICE_HIT_OWNER)
  @Mutation(() => NoticeHit, {
    nullable: true,
    description:
      'The notice’s requesting bureau records what was done after a CONFIRMED notice hit (an arrest, a refusal of entry…), for the operation’s report. Audited.',
  })
  async recordNoticeHitOutcome(
    @Arg('noticeHitId', () => ID, { description: 'The notice hit, CONFIRMED.' }) noticeHitId: string,
    @Arg('outcome', () => HitOutcomeAction, { description: 'What was done.' }) outcome: HitOutcomeAction,
    @Arg('note', () => String, { nullable: true, description: 'Details (at most 2000 characters).' })
    note: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<NoticeHit | null> {
    return recordHitOutcome(
      ctx,
      NOTICE_HIT_WORKFLOW,
      'recordNoticeHitOutcome',
      'noticeHitId',
      noticeHitId,
      outcome,
      note,
    );
  }

  @NoticeHitBasics()
  @FieldResolver(() => Notice, {
    nullable: true,
    description: 'The notice whose subject was met; null once you may no longer see it.',
  })
  async notice(@Root() hit: NoticeHit, @Ctx() ctx: Context) {
    // The reporter keeps its notice hit after the notice is restricted away from it: the notice is then null,
    // audited NOT_FOUND as `notice(id)` is (the notice's id in its owner's copy only).
    const notice = await ctx.loaders.noticeById.load(hit.noticeId);
    if (!notice)
      await ctx.loaders.noticeNotFound.answered({ key: hit.noticeId, operation: 'NoticeHit.notice', ctx });
    return notice;
  }

  @NoticeHitOwnerField()
  @FieldResolver(() => AgencyReference, {
    nullable: true,
    description: 'The agency that reported the match.',
  })
  reportedBy(@Root() hit: NoticeHit): AgencyReference {
    return agencyReference(hit.reportedByAgencyId);
  }

  @NoticeHitBasics()
  @FieldResolver(() => BorderPointReference, {
    nullable: true,
    description: 'Where the person was met, for a match reported in an operation.',
  })
  borderPoint(@Root() hit: NoticeHit): BorderPointReference | null {
    return borderPointReference(hit.borderPointCode);
  }

  @NoticeHitBasics()
  @FieldResolver(() => OperationReference, {
    nullable: true,
    description: 'The operation the match was reported in, if any.',
  })
  operation(@Root() hit: NoticeHit): OperationReference | null {
    return operationReference(hit.operationCode);
  }
}

/** The match, in the trail of the notice's owner (the row names the notice and the new hit). */
function noticeHitAuditEvent(hit: NoticeHit, context: CheckContext | null): AuditEvent {
  return {
    action: 'HIT',
    recordType: 'Notice',
    recordId: hit.noticeId,
    ownerAgencyId: hit.ownerAgencyId,
    fields: [`noticeHit:${hit.id}`],
    ...(context ? { details: { operation: context.operation, borderPoint: context.borderPoint } } : {}),
  };
}

/** What the requesting bureau's webhook receives: enough to act on, pointing back to the notice hit. */
function noticeHitCreatedEvent(hit: NoticeHit, notice: Notice): OutboxEvent {
  return {
    topic: 'notice-hit.created',
    agencyId: hit.ownerAgencyId,
    payload: {
      noticeHitId: hit.id,
      noticeId: notice.id,
      controlNumber: notice.controlNumber,
      noticeType: notice.type,
      reportedAt: hit.reportedAt,
      reportedByAgencyId: hit.reportedByAgencyId,
      reportedByCountry: hit.reportedByCountry,
      operation: hit.operationCode,
      borderPoint: hit.borderPointCode,
      note: hit.note,
    },
  };
}
