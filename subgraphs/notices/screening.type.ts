import { Field, Float, ObjectType } from 'type-graphql';
import { RequiresScopes } from '../../shared/schema/access';
import { Notice, NOTICE_IDENTITY } from './notice.entity';

@ObjectType('ScreeningMatch', {
  description:
    'A notice whose subject, or one of its aliases, may be the screened person: how sure, which name matched and why.',
})
export class ScreeningMatch {
  @RequiresScopes(...NOTICE_IDENTITY)
  @Field(() => Float, {
    nullable: true,
    description:
      'How likely the notice is about the screened person, from 0 to 1: name likeness (surname and forenames, each spelling or transliteration variant), raised by a matching date of birth and nationality, lowered by different ones.',
  })
  score: number;

  @RequiresScopes(...NOTICE_IDENTITY)
  @Field(() => String, {
    nullable: true,
    description: 'The name that matched best, the subject’s or an alias: "SURNAME, Forenames".',
  })
  matchedName: string;

  @RequiresScopes(...NOTICE_IDENTITY)
  @Field(() => [String], {
    nullable: true,
    description:
      'Why it matched, for the officer to check: e.g. "surname matches (transliteration variant)", "forenames: middle name missing", "name order swapped", "date of birth differs (1974-08-12 vs 1975-08-12)".',
  })
  reasons: string[];

  @RequiresScopes(...NOTICE_IDENTITY)
  @Field(() => Notice, { nullable: true, description: 'The notice that matched.' })
  notice: Notice;
}
