import { NCB_COUNTRIES } from './ncb-countries';
import type { Random } from './random';
import { UNRESTRICTED, type Restrictions } from './tables';

const KINDS = { noPrivate: 4, fewCountries: 3, excludedCountry: 2, policeOnly: 1 } as const;
const COUNTRY_CODES = NCB_COUNTRIES.map((country) => country.code).filter((code) => code !== 'UTO');

/**
 * The restrictions an owner puts on a few of its records (docs/architecture.md, access model layer 3): keep it from
 * private partners, share it with a few countries only, or keep it away from one country or from everyone but
 * police.
 */
export function someRestrictions(
  random: Random,
  ownerCountry: string | null,
  probability: number,
): Restrictions {
  if (!random.chance(probability)) return UNRESTRICTED;
  const others = COUNTRY_CODES.filter((code) => code !== ownerCountry);
  switch (random.weighted(KINDS)) {
    case 'noPrivate':
      return { ...UNRESTRICTED, excludedAgencyKinds: ['PRIVATE_PARTNER'] };
    case 'fewCountries':
      return {
        ...UNRESTRICTED,
        allowedCountries: [...(ownerCountry ? [ownerCountry] : []), ...random.sample(others, 2)],
      };
    case 'excludedCountry':
      return { ...UNRESTRICTED, excludedCountries: random.sample(others, 1) };
    case 'policeOnly':
      return { ...UNRESTRICTED, allowedAgencyKinds: ['NCB', 'NATIONAL_ENTITY', 'GENERAL_SECRETARIAT'] };
  }
}
