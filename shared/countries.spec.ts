import countries from 'i18n-iso-countries';
import {
  canonicalCountry,
  countryName,
  countryVariants,
  isDocumentCountryCode,
  normalizeCountryCode,
} from './countries';

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

  test('names every ISO and ICAO code as the library and the ICAO table do, and nothing else', () => {
    const iso = Object.keys(countries.getAlpha3Codes());
    expect(iso.length).toBeGreaterThan(240);
    for (const code of iso) if (code !== 'UTO') expect(countryName(code)).toBe(countries.getName(code, 'en'));
    expect([countryName('D'), countryName('UTO'), countryName('XXA'), countryName('FRA')]).toEqual([
      'Germany',
      'Utopia',
      'Stateless person',
      'France',
    ]);
    for (const code of ['', 'ZZZ', 'D<<', 'fra', 'constructor', '123']) expect(countryName(code)).toBeNull();
  });

  test('Germany’s ICAO code names the country its bureau is registered under', () => {
    expect(canonicalCountry('D')).toBe('DEU');
    expect(canonicalCountry('UTO')).toBe('UTO');
    expect(countryVariants('D<<')).toEqual(['DEU', 'D']);
    expect(countryVariants('deu')).toEqual(['DEU', 'D']);
    expect(countryVariants('XXB')).toEqual(['XXB']);
  });
});
