import { addDays, addYears, startOfDay } from './dates';
import type { NameGroup } from './name-lists';
import { nameGroupOf, personName, type PersonName, type Sex } from './names';
import type { Random } from './random';

/** A synthetic person: a name from their nationality's language, a sex and a date of birth. */
export interface Person {
  name: PersonName;
  sex: Sex;
  group: NameGroup;
  nationality: string;
  dateOfBirth: Date;
}

export interface PersonOptions {
  /** Probability of a woman. */
  female: number;
  minAge: number;
  maxAge: number;
  /** The date the age is counted at. */
  at: Date;
}

export function randomPerson(random: Random, nationality: string, options: PersonOptions): Person {
  const sex: Sex = random.chance(options.female) ? 'F' : 'M';
  const group = nameGroupOf(random, nationality);
  const age = random.int(options.minAge, options.maxAge);
  const dateOfBirth = addDays(addYears(options.at, -age - 1), random.int(1, 364));
  return {
    name: personName(random, group, sex),
    sex,
    group,
    nationality,
    dateOfBirth: startOfDay(dateOfBirth),
  };
}
