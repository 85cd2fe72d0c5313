import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../../shared/context';
import { extendReview } from '../../shared/retention/retention';
import { RequiresScopes } from '../../shared/schema/access';
import { DocumentAlert } from './document-alert.entity';
import { documentAlertRetention } from './retention';

/** Retention (docs/architecture.md): the owner keeps a document alert past its review date, with a reason. */
@Resolver(() => DocumentAlert)
export class DocumentAlertRetentionResolver {
  @RequiresScopes(['alerts:write'])
  @Mutation(() => DocumentAlert, {
    nullable: true,
    description:
      'Extends the review date of a document alert you own, so that it is not deleted at its review: the new date must be after the current one and at most 10 years from today. One transaction, audited (EXTEND) with the reason.',
  })
  extendDocumentAlertReview(
    @Arg('id', () => ID, { description: 'The document alert.' }) id: string,
    @Arg('until', () => String, {
      description: 'The new review date (yyyy-mm-dd): after the current one, at most 10 years from today.',
    })
    until: string,
    @Arg('reason', () => String, { description: 'Why it must stay on file, at most 500 characters.' })
    reason: string,
    @Ctx() ctx: SubgraphContext,
  ) {
    return extendReview(ctx, documentAlertRetention, id, until, reason);
  }
}
