import { Arg, Ctx, Float, Int, Query, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../../shared/context';
import { UnauthenticatedError } from '../../shared/errors';
import { RequiresScopes } from '../../shared/schema/access';
import type { NoticeLoaders } from './notice.loader';
import {
  DEFAULT_SCREENING_RESULTS,
  MAX_SCREENING_RESULTS,
  PersonScreeningInput,
  validateScreening,
} from './screening.input';
import { DEFAULT_SCREENING_THRESHOLD, screenPerson } from './screening.repository';
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
    @Ctx() ctx: SubgraphContext<NoticeLoaders>,
  ): Promise<ScreeningMatch[]> {
    if (!ctx.caller) throw new UnauthenticatedError();
    const { person, options } = validateScreening(input, threshold, first);
    const rows = await screenPerson(ctx.reads, ctx.caller, person, options);
    for (const row of rows) {
      ctx.audit.record({
        action: 'SCREEN',
        recordType: 'Notice',
        recordId: row.notice.id,
        ownerAgencyId: row.notice.ownerAgencyId,
        fields: ['subject'],
      });
    }
    return rows.map((row) => Object.assign(new ScreeningMatch(), row));
  }
}
