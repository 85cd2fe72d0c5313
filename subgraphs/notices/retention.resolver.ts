import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../../shared/context';
import { extendReview } from '../../shared/retention/retention';
import { RequiresScopes } from '../../shared/schema/access';
import { Notice } from './notice.entity';
import { noticeRetention } from './retention';

/** Retention (docs/architecture.md): the owner keeps a notice past its review date, with a reason. */
@Resolver(() => Notice)
export class NoticeRetentionResolver {
  @RequiresScopes(['notices:write'])
  @Mutation(() => Notice, {
    nullable: true,
    description:
      'Extends the review date of a notice you own, so that it is not deleted at its review: the new date must be after the current one and at most 5 years from today. One transaction, audited (EXTEND) with the reason.',
  })
  extendNoticeReview(
    @Arg('id', () => ID, { description: 'The notice.' }) id: string,
    @Arg('until', () => String, {
      description: 'The new review date (yyyy-mm-dd): after the current one, at most 5 years from today.',
    })
    until: string,
    @Arg('reason', () => String, { description: 'Why it must stay on file, at most 500 characters.' })
    reason: string,
    @Ctx() ctx: SubgraphContext,
  ) {
    return extendReview(ctx, noticeRetention, id, until, reason);
  }
}
