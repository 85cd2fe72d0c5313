import countries from 'i18n-iso-countries';
import english from 'i18n-iso-countries/langs/en.json';

countries.registerLocale(english);

/**
 * Codes ICAO 9303 uses in machine readable zones beside ISO 3166-1 alpha-3: Germany's single letter, the
 * specimen state, organisations and the special nationality codes. Documents carry them as written.
 */
const ICAO_SPECIAL_CODES: Readonly<Record<string, string>> = {
  D: 'Germany',
  UTO: 'Utopia',
  EUE: 'European Union',
  GBD: 'British Overseas Territories Citizen',
  GBN: 'British National (Overseas)',
  GBO: 'British Overseas Citizen',
  GBP: 'British Protected Person',
  GBS: 'British Subject',
  UNO: 'United Nations',
  UNA: 'United Nations specialized agency',
  UNK: 'Kosovo (UNMIK)',
  RKS: 'Kosovo',
  XBA: 'African Development Bank',
  XIM: 'African Export-Import Bank',
  XCC: 'Caribbean Community (CARICOM)',
  XCE: 'Council of Europe',
  XCO: 'Common Market for Eastern and Southern Africa (COMESA)',
  XEC: 'Economic Community of West African States (ECOWAS)',
  XPO: 'INTERPOL',
  XOM: 'Sovereign Military Order of Malta',
  XDC: 'Southern African Development Community',
  XXA: 'Stateless person',
  XXB: 'Refugee (1951 Convention)',
  XXC: 'Refugee (other)',
  XXX: 'Unspecified nationality',
};

const ISO_ALPHA3 = new Set(Object.keys(countries.getAlpha3Codes()));

export function isIsoCountry(code: string): boolean {
  return ISO_ALPHA3.has(code);
}

/** A code a travel document may carry: ISO alpha-3 or one of ICAO's own. */
export function isDocumentCountryCode(code: string): boolean {
  return ISO_ALPHA3.has(code) || code in ICAO_SPECIAL_CODES;
}

/** Every name `countryName` gives, by code: ICAO's own codes over ISO's (the MRZ decoder asks twice per zone). */
const NAMES: ReadonlyMap<string, string> = new Map(
  [
    ...[...ISO_ALPHA3].map((code) => [code, countries.getName(code, 'en')] as const),
    ...Object.entries(ICAO_SPECIAL_CODES),
  ].filter((entry): entry is readonly [string, string] => typeof entry[1] === 'string'),
);

export function countryName(code: string): string | null {
  return NAMES.get(code) ?? null;
}

/**
 * A country code as the MRZ decoder reads one (shared/mrz): upper case, without the filler `<` that pads a
 * one- or two-letter code in a zone (`D<<`), nor surrounding spaces.
 */
export function normalizeCountryCode(raw: string): string {
  return raw.trim().toUpperCase().replace(/<+/g, '');
}

/** ICAO codes that name an ISO country under another code: Germany's `D` (its documents) is `DEU` (its bureau). */
const ISO_EQUIVALENT: Readonly<Record<string, string>> = { D: 'DEU' };

/**
 * The code under which a country's agencies are registered: what a record restriction is compared with, so that
 * keeping a record from `D` keeps it from the German bureau.
 */
export function canonicalCountry(code: string): string {
  return ISO_EQUIVALENT[code] ?? code;
}

/** Every code a country's documents and records may carry (`DEU` and `D`), for filters. */
export function countryVariants(code: string): string[] {
  const canonical = canonicalCountry(normalizeCountryCode(code));
  return [canonical, ...Object.keys(ISO_EQUIVALENT).filter((other) => ISO_EQUIVALENT[other] === canonical)];
}
