import { canonicalCountry, countryVariants, isDocumentCountryCode, normalizeCountryCode } from './countries';

describe('country codes', () => {
  test.each([
    ['D<<', 'D'],
    [' uto ', 'UTO'],
    ['xxa', 'XXA'],
    ['fra', 'FRA'],
  ])('%j is read as the MRZ decoder reads it: %s', (raw, code) => {
    expect(normalizeCountryCode(raw)).toBe(code);
    expect(isDocumentCountryCode(normalizeCountryCode(raw))).toBe(true);
  });

  test('Germany’s ICAO code names the country its bureau is registered under', () => {
    expect(canonicalCountry('D')).toBe('DEU');
    expect(canonicalCountry('UTO')).toBe('UTO');
    expect(countryVariants('D<<')).toEqual(['DEU', 'D']);
    expect(countryVariants('deu')).toEqual(['DEU', 'D']);
    expect(countryVariants('XXB')).toEqual(['XXB']);
  });
});
