import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../../shared/context';
import { extendReview } from '../../shared/retention/retention';
import { RequiresScopes } from '../../shared/schema/access';
import { SltdRecord } from './sltd-record.entity';
import { sltdRetention } from './retention';

/** Retention (docs/architecture.md): the owner keeps a SLTD record past its review date, with a reason. */
@Resolver(() => SltdRecord)
export class SltdRecordRetentionResolver {
  @RequiresScopes(['sltd:write'])
  @Mutation(() => SltdRecord, {
    nullable: true,
    description:
      'Extends the review date of a SLTD record you own, so that it is not deleted at its review: the new date must be after the current one and at most 10 years from today. One transaction, audited (EXTEND) with the reason.',
  })
  extendSltdRecordReview(
    @Arg('id', () => ID, { description: 'The SLTD record.' }) id: string,
    @Arg('until', () => String, {
      description: 'The new review date (yyyy-mm-dd): after the current one, at most 10 years from today.',
    })
    until: string,
    @Arg('reason', () => String, { description: 'Why it must stay on file, at most 500 characters.' })
    reason: string,
    @Ctx() ctx: SubgraphContext,
  ) {
    return extendReview(ctx, sltdRetention, id, until, reason);
  }
}
