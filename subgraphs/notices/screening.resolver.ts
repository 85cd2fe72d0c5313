import { Arg, Ctx, Float, Int, Query, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../../shared/context';
import { auditedCheckContext } from '../../shared/auth/operation-grants';
import { UnauthenticatedError } from '../../shared/errors';
import { CheckContextInput } from '../../shared/schema/check-context.input';
import { RequiresScopes } from '../../shared/schema/access';
import type { NoticeLoaders } from './notice.loader';
import {
  DEFAULT_SCREENING_RESULTS,
  MAX_SCREENING_RESULTS,
  PersonScreeningInput,
  validateScreening,
} from './screening.input';
import { DEFAULT_SCREENING_THRESHOLD, recordOperationScreening, screenPerson } from './screening.repository';
import { ScreeningMatch } from './screening.type';

@Resolver()
export class ScreeningResolver {
  @RequiresScopes(['notices:screen'])
  @Query(() => [ScreeningMatch], {
    nullable: true,
    description:
      'Screens a person (a traveller, a suspect) against the subjects of published notices and their aliases: misspellings, transliteration variants, a swapped name order and missing or extra middle names still match. Best matches first. Each match is audited.',
  })
  async screenPerson(
    @Arg('input', () => PersonScreeningInput, { description: 'The person to screen.' })
    input: PersonScreeningInput,
    @Arg('threshold', () => Float, {
      nullable: true,
      description: `Lowest score reported, from 0 to 1 (default ${DEFAULT_SCREENING_THRESHOLD}: the score at which the labelled evaluation finds at least 95% of the subjects with 90% of the alerts right).`,
    })
    threshold: number | null | undefined,
    @Arg('first', () => Int, {
      nullable: true,
      description: `How many matches at most, from 1 to ${MAX_SCREENING_RESULTS} (default ${DEFAULT_SCREENING_RESULTS}).`,
    })
    first: number | null | undefined,
    @Arg('context', () => CheckContextInput, {
      nullable: true,
      description:
        'Where the person is screened, for a screening made in a border-security operation: it is recorded and counted in the operation’s report.',
    })
    context: CheckContextInput | null | undefined,
    @Ctx() ctx: SubgraphContext<NoticeLoaders>,
  ): Promise<ScreeningMatch[]> {
    const caller = ctx.caller;
    if (!caller) throw new UnauthenticatedError();
    const { person, options } = validateScreening(input, threshold, first);
    const where = auditedCheckContext(ctx, caller, context, 'notices:screen', 'screenPerson');
    const rows = await screenPerson(ctx.reads, caller, person, options);
    const details = where ? { operation: where.operation, borderPoint: where.borderPoint } : undefined;
    for (const row of rows) {
      ctx.audit.record({
        action: 'SCREEN',
        recordType: 'Notice',
        recordId: row.notice.id,
        ownerAgencyId: row.notice.ownerAgencyId,
        fields: ['subject'],
        ...(details ? { details } : {}),
      });
    }
    if (where) {
      // The screening itself, matches or none, on the caller's row; counted for the operation's report in the
      // same transaction as the request's audit rows (RequestAudit.alongside): counted exactly when audited.
      ctx.audit.record({ action: 'SCREEN', recordType: 'PersonScreening', fields: ['context'], details });
      ctx.audit.alongside((tx) => recordOperationScreening(tx, caller, where));
    }
    return rows.map((row) => Object.assign(new ScreeningMatch(), row));
  }
}
