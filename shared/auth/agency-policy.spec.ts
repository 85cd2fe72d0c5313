import { mayHold, refusalOf, scopesAllowedTo, withinPolicy } from './agency-policy';

/**
 * The cells the policy exists for, written out by hand so that a change to the table is a deliberate one (the
 * end-to-end test, test/security/agency-policy.e2e.ts, checks the enforcement of every cell).
 */
describe('what each kind of agency may hold', () => {
  test('a private partner: the border check, and the public schema, nothing else', () => {
    expect(scopesAllowedTo('PRIVATE_PARTNER')).toEqual(['sltd:check', 'schema:read']);
  });

  test('an international partner: checks, summaries, screening, YELLOW notices and alerts; never writes or decides', () => {
    expect(scopesAllowedTo('INTERNATIONAL_PARTNER')).toEqual([
      'sltd:check',
      'sltd:summary',
      'notices:screen',
      'notices:read:yellow',
      'alerts:read',
      'schema:read',
    ]);
    for (const scope of ['notices:write', 'notices:publish', 'hits:manage', 'sltd:write', 'alerts:write'])
      expect(mayHold('INTERNATIONAL_PARTNER', scope)).toBe(false);
  });

  test('only the General Secretariat administers and publishes; only countries keep records and request notices', () => {
    for (const kind of ['NCB', 'NATIONAL_ENTITY', 'INTERNATIONAL_PARTNER', 'PRIVATE_PARTNER'] as const) {
      expect(mayHold(kind, 'agencies:admin')).toBe(false);
      expect(mayHold(kind, 'notices:publish')).toBe(false);
    }
    expect(mayHold('GENERAL_SECRETARIAT', 'sltd:write')).toBe(false);
    expect(mayHold('GENERAL_SECRETARIAT', 'notices:write')).toBe(false);
    expect(mayHold('NATIONAL_ENTITY', 'notices:write')).toBe(false);
  });

  test('a refusal names the scope, the kind and the reason; unknown scopes are refused as such', () => {
    expect(refusalOf('PRIVATE_PARTNER', 'notices:read')).toMatch(
      /^notices:read may not be granted to an agency of kind PRIVATE_PARTNER: .+/,
    );
    expect(refusalOf('NCB', 'alerts:fly')).toBe('alerts:fly is not a known scope');
    expect(refusalOf('NCB', 'notices:read')).toBeNull();
  });

  test('withinPolicy keeps the scopes a kind may hold, in their order', () => {
    expect(withinPolicy('PRIVATE_PARTNER', ['notices:read', 'sltd:check', 'made:up', 'audit:read'])).toEqual([
      'sltd:check',
    ]);
  });
});
