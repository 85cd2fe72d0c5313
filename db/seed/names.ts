import { NAME_LISTS, NAME_VARIANTS, PATRONYMIC_STEMS, type NameGroup } from './name-lists';
import { ncbCountry } from './ncb-countries';
import type { Random } from './random';

export type Sex = 'F' | 'M';

/** A name as NIEM splits it; a single-name person has only a surname (as ICAO 9303 files mononyms). */
export interface PersonName {
  surname: string;
  forenames: string | null;
}

export function nameGroupOf(random: Random, countryCode: string): NameGroup {
  return random.pick(ncbCountry(countryCode).nameGroups);
}

export function personName(random: Random, group: NameGroup, sex: Sex): PersonName {
  const names = NAME_LISTS[group];
  const given = sex === 'F' ? names.female : names.male;
  const first = random.pick(given);
  if (names.mononym && random.chance(names.mononym)) return { surname: first, forenames: null };
  return { surname: surnameFor(random, group, sex), forenames: forenamesFor(random, group, sex, first) };
}

function surnameFor(random: Random, group: NameGroup, sex: Sex): string {
  const names = NAME_LISTS[group];
  const one = (): string => {
    const surname = random.pick(names.surnames);
    return sex === 'F' && names.feminine ? names.feminine(surname) : surname;
  };
  const surname = one();
  if (!names.doubleSurname || !random.chance(names.doubleSurname)) return surname;
  const second = one();
  return second === surname ? surname : `${surname} ${second}`;
}

function forenamesFor(random: Random, group: NameGroup, sex: Sex, first: string): string {
  const names = NAME_LISTS[group];
  if (!random.chance(names.secondForename)) return first;
  if (names.patronymic) return `${first} ${random.pick(PATRONYMIC_STEMS)}${sex === 'F' ? 'NA' : 'ICH'}`;
  // Arabic naming: the second name is the father's.
  const pool = group === 'ar' ? names.male : sex === 'F' ? names.female : names.male;
  const second = random.pick(pool);
  return second === first ? first : `${first} ${second}`;
}

const VARIANTS_OF = new Map<string, readonly string[]>();
for (const family of NAME_VARIANTS) for (const name of family) VARIANTS_OF.set(name, family);

/** Another spelling of one word of the name, when the word has a known variant or diacritics to drop. */
function spellingVariant(random: Random, words: string): string | null {
  const tokens = words.split(' ');
  const candidates = tokens
    .map((token, index) => ({ token, index }))
    .filter(({ token }) => {
      return VARIANTS_OF.has(token) || stripDiacritics(token) !== token;
    });
  if (candidates.length === 0) return null;
  const { token, index } = random.pick(candidates);
  const family = VARIANTS_OF.get(token);
  const replacement = family ? random.pick(family.filter((name) => name !== token)) : stripDiacritics(token);
  return tokens.map((t, i) => (i === index ? replacement : t)).join(' ');
}

function stripDiacritics(value: string): string {
  // Ł and Đ have no decomposition; the others are a base letter plus combining marks.
  return value.normalize('NFD').replace(/\p{M}/gu, '').replace(/Ł/g, 'L').replace(/Đ/g, 'D');
}

/** A misspelling an officer or a database makes: a double letter written single, or a single one doubled. */
function misspelling(random: Random, word: string): string | null {
  const doubled = [...word.matchAll(/([A-Z])\1/g)].map((match) => match.index);
  if (doubled.length > 0) {
    const at = random.pick(doubled);
    return word.slice(0, at) + word.slice(at + 1);
  }
  // Doubling reads plausibly only for a few consonants between vowels or after a final vowel (MOREL: MORELL).
  const doublable = [...word.matchAll(/(?<=[AEIOU])(?:[LMNRST](?=[AEIOUY])|[LNST]$)/g)].map(
    (match) => match.index,
  );
  if (doublable.length === 0) return null;
  const at = random.pick(doublable);
  return word.slice(0, at) + word[at] + word.slice(at);
}

type AliasKind = 'spelling' | 'swapped' | 'maiden' | 'no-middle-name' | 'misspelt';
const MEN_ALIASES: Readonly<Partial<Record<AliasKind, number>>> = {
  spelling: 4,
  swapped: 2,
  'no-middle-name': 2,
  misspelt: 2,
};
const WOMEN_ALIASES: Readonly<Partial<Record<AliasKind, number>>> = { ...MEN_ALIASES, maiden: 2 };

/**
 * Another name the subject is known under, of the kinds screening has to match: a transliteration or spelling
 * variant, surname and forename swapped, a maiden name, a middle name left out, a misspelling. Null when the
 * name has no variant of the kind drawn.
 */
export function aliasOf(random: Random, name: PersonName, group: NameGroup, sex: Sex): PersonName | null {
  const kind = random.weighted(sex === 'F' ? WOMEN_ALIASES : MEN_ALIASES);
  const forenames = name.forenames;
  switch (kind) {
    case 'spelling': {
      const surname = spellingVariant(random, name.surname);
      if (surname) return { surname, forenames };
      const other = forenames ? spellingVariant(random, forenames) : null;
      return other ? { surname: name.surname, forenames: other } : null;
    }
    case 'swapped':
      return forenames ? { surname: forenames.split(' ')[0], forenames: name.surname } : null;
    case 'maiden': {
      const maiden = personName(random, group, sex).surname;
      return maiden === name.surname ? null : { surname: maiden, forenames };
    }
    case 'no-middle-name':
      return forenames && forenames.includes(' ')
        ? { surname: name.surname, forenames: forenames.split(' ')[0] }
        : null;
    case 'misspelt': {
      const surname = misspelling(random, name.surname);
      return surname ? { surname, forenames } : null;
    }
  }
}
