import { Arg, Ctx, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../shared/context';
import { auditListedHits, decideHit, recordHitOutcome, type HitKind } from '../../shared/hit-workflow';
import { RequiresScopes } from '../../shared/schema/access';
import { agencyReference, AgencyReference } from '../../shared/schema/agency-reference';
import { ConnectionType, pageSize } from '../../shared/schema/connection';
import { HitOutcomeAction } from '../../shared/schema/hit-outcome';
import {
  BorderPointReference,
  borderPointReference,
  OperationReference,
  operationReference,
} from '../../shared/schema/operation-reference';
import { Hit, HIT_MANAGE, HIT_READ } from './hit.entity';
import { HitOutcome } from '../../shared/schema/hit-status';
import { HitFilter } from './hit.input';
import { hitGate, listHits } from './hit.repository';
import { SLTD_SUMMARY, SltdRecord } from './sltd-record.entity';
import type { SltdLoaders } from './sltd-record.loader';

@ObjectType('HitConnection', { description: 'A page of hits.' })
class HitConnection extends ConnectionType(Hit, 'Hit') {}

type Context = SubgraphContext<SltdLoaders>;
/** Hits follow the workflow of shared/hit-workflow.ts, with their notes in outcomeNote and outcomeActionNote. */
const HIT_WORKFLOW: HitKind<Hit> = {
  entity: Hit,
  gate: hitGate,
  decisionNote: 'outcomeNote',
  outcomeNote: 'outcomeActionNote',
};

@Resolver(() => Hit)
export class HitResolver {
  @RequiresScopes(...HIT_READ)
  @Query(() => HitConnection, {
    nullable: true,
    description: 'Hits on your records and from your checks, newest first. Each read is audited.',
  })
  async hits(
    @Arg('filter', () => HitFilter, { nullable: true, description: 'Narrows the list.' })
    filter: HitFilter | undefined,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, at most 100 (default 20).' })
    first: number | undefined,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to read on from.' })
    after: string | undefined,
    @Ctx() ctx: Context,
  ) {
    if (!ctx.caller) return null;
    const page = await listHits(ctx.reads, ctx.caller, filter, pageSize(first), after);
    auditListedHits(ctx, 'Hit', 'hit', page.edges);
    return page;
  }

  @RequiresScopes(...HIT_MANAGE)
  @Mutation(() => Hit, {
    nullable: true,
    description:
      'The owner of the record confirms a PENDING hit or marks it a false positive; the checker sees the outcome.',
  })
  async confirmHit(
    @Arg('id', () => ID, { description: 'The hit.' }) id: string,
    @Arg('outcome', () => HitOutcome, { description: 'CONFIRMED or FALSE_POSITIVE.' }) outcome: HitOutcome,
    @Arg('note', () => String, { nullable: true, description: 'What was done (at most 2000 characters).' })
    note: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<Hit | null> {
    return decideHit(ctx, HIT_WORKFLOW, 'confirmHit', id, outcome, note);
  }

  @RequiresScopes(...HIT_MANAGE)
  @Mutation(() => Hit, {
    nullable: true,
    description:
      'The owner of the record records what was done after a CONFIRMED hit (so an operation can report its results). Recording again replaces the outcome; every recording is audited with the one it replaced.',
  })
  async recordOutcome(
    @Arg('hitId', () => ID, { description: 'The hit: one on your records, CONFIRMED.' }) hitId: string,
    @Arg('outcome', () => HitOutcomeAction, { description: 'What was done.' }) outcome: HitOutcomeAction,
    @Arg('note', () => String, {
      nullable: true,
      description: 'Details, e.g. where the holder was detained (at most 2000 characters).',
    })
    note: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<Hit | null> {
    return recordHitOutcome(ctx, HIT_WORKFLOW, 'recordOutcome', 'hitId', hitId, outcome, note);
  }

  @RequiresScopes(...HIT_MANAGE)
  @FieldResolver(() => AgencyReference, {
    nullable: true,
    description: 'The agency whose check produced the hit.',
  })
  checkedBy(@Root() hit: Hit): AgencyReference {
    return agencyReference(hit.checkedByAgencyId);
  }

  @RequiresScopes(...HIT_READ)
  @FieldResolver(() => OperationReference, {
    nullable: true,
    description: 'The border-security operation the check was made in; null for an ordinary check.',
  })
  operation(@Root() hit: Hit): OperationReference | null {
    return operationReference(hit.operationCode);
  }

  @RequiresScopes(...HIT_READ)
  @FieldResolver(() => BorderPointReference, {
    nullable: true,
    description: 'The operation’s border point where the check was made; null for an ordinary check.',
  })
  borderPoint(@Root() hit: Hit): BorderPointReference | null {
    return borderPointReference(hit.borderPointCode);
  }

  @RequiresScopes(...SLTD_SUMMARY)
  @FieldResolver(() => SltdRecord, { nullable: true, description: 'The record that matched.' })
  async record(@Root() hit: Hit, @Ctx() ctx: Context) {
    // A checker's hit stays its own after the owner restricts the record away from it: the record is then null,
    // audited NOT_FOUND as `sltdRecord(id)` is (the record's id in its owner's copy only).
    const record = await ctx.loaders.recordById.load(hit.recordId);
    if (!record)
      await ctx.loaders.recordNotFound.answered({ key: hit.recordId, operation: 'Hit.record', ctx });
    return record;
  }
}
