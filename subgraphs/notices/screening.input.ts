import { Field, InputType } from 'type-graphql';
import { InputValidator } from '../../shared/validation';
import {
  DEFAULT_SCREENING_THRESHOLD,
  type PersonScreening,
  type ScreeningOptions,
} from './screening.repository';

@InputType('PersonScreeningInput', {
  description:
    'A person to screen against notice subjects and their aliases, as a travel document or an officer gives it. Spelling variants, transliterations, a swapped name order and missing or extra middle names still match.',
})
export class PersonScreeningInput {
  @Field(() => String, { description: 'Surname(s), as written in the document (at most 100 characters).' })
  surname: string;

  @Field(() => String, {
    nullable: true,
    description:
      'Forename(s), separated by spaces (at most 200 characters). Screening without them is weaker.',
  })
  forenames?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Date of birth (yyyy-mm-dd). A matching date raises the score, a different one lowers it (less so for a likely typing error).',
  })
  dateOfBirth?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Nationality: ISO 3166-1 alpha-3 or ICAO 9303 code (D, UTO...). Raises the score slightly when the subject holds it.',
  })
  nationality?: string | null;
}

export const MAX_SCREENING_RESULTS = 50;
export const DEFAULT_SCREENING_RESULTS = 10;

/**
 * Every rule of a screening request at once (field paths like `input.dateOfBirth`), then one BAD_USER_INPUT
 * error listing all problems. Returns what the repository needs, cleaned.
 */
export function validateScreening(
  input: PersonScreeningInput,
  threshold: number | null | undefined,
  first: number | null | undefined,
  now = new Date(),
): { person: PersonScreening; options: ScreeningOptions } {
  const v = new InputValidator('input', now);
  const surname = v.text('surname', input.surname, 100);
  // A name without a letter (digits, punctuation) has no words to compare and would match nothing, silently.
  if (surname && !/\p{L}/u.test(surname)) v.problem('surname', 'must contain letters');
  const forenames = v.text('forenames', input.forenames, 200, true);
  if (forenames && !/\p{L}/u.test(forenames)) v.problem('forenames', 'must contain letters');
  const dateOfBirth = v.date('dateOfBirth', input.dateOfBirth, { notFuture: true, optional: true });
  const nationality = v.documentCountry('nationality', input.nationality, true);

  // The arguments beside `input` are named as such, without the `input.` prefix.
  const args = new InputValidator('', now);
  const minimum = threshold ?? DEFAULT_SCREENING_THRESHOLD;
  if (!(minimum >= 0 && minimum <= 1)) args.problem('threshold', 'must be between 0 and 1');
  const size = first ?? DEFAULT_SCREENING_RESULTS;
  if (!Number.isInteger(size) || size < 1 || size > MAX_SCREENING_RESULTS)
    args.problem('first', `must be between 1 and ${MAX_SCREENING_RESULTS}`);

  v.problems.push(...args.problems);
  v.throwIfInvalid();
  return {
    person: { surname: surname ?? '', forenames, dateOfBirth, nationality },
    options: { threshold: minimum, first: size },
  };
}
