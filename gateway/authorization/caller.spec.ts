import { subject } from './__fixtures__/border-domain';
import { isSatisfied, permissionSignature } from './caller';
import type { AccessRequirement } from './requirements';

const requires = (overrides: Partial<AccessRequirement>): AccessRequirement => ({
  authenticated: false,
  scopes: null,
  policies: null,
  ...overrides,
});

const A_AND_B_OR_C = [['a', 'b'], ['c']];

describe('isSatisfied', () => {
  test.each<[string, AccessRequirement, string[], boolean]>([
    ['no directive at all', requires({}), [], true],
    ['an empty list of scope groups restricts nothing', requires({ scopes: [] }), [], true],
    ['an empty AND-group is trivially met', requires({ scopes: [[]] }), [], true],
    ['single scope held', requires({ scopes: [['a']] }), ['a'], true],
    ['single scope missing', requires({ scopes: [['a']] }), ['b'], false],
    ['(a AND b) OR c: a and b', requires({ scopes: A_AND_B_OR_C }), ['a', 'b'], true],
    ['(a AND b) OR c: only a', requires({ scopes: A_AND_B_OR_C }), ['a'], false],
    ['(a AND b) OR c: only b', requires({ scopes: A_AND_B_OR_C }), ['b'], false],
    ['(a AND b) OR c: only c', requires({ scopes: A_AND_B_OR_C }), ['c'], true],
    ['(a AND b) OR c: b and c', requires({ scopes: A_AND_B_OR_C }), ['b', 'c'], true],
    ['(a AND b) OR c: nothing', requires({ scopes: A_AND_B_OR_C }), [], false],
    ['(a AND b) OR c: unrelated scopes only', requires({ scopes: A_AND_B_OR_C }), ['ab', 'd'], false],
    ['scope names are compared exactly', requires({ scopes: [['Notices:Read']] }), ['notices:read'], false],
  ])('scopes: %s', (_case, requirement, scopes, expected) => {
    expect(isSatisfied(requirement, subject({ authenticated: true, scopes }))).toBe(expected);
  });

  test.each<[string, AccessRequirement, { authenticated?: boolean; scopes?: string[] }, boolean]>([
    ['@authenticated, anonymous', requires({ authenticated: true }), {}, false],
    ['@authenticated, signed in', requires({ authenticated: true }), { authenticated: true }, true],
    ['scopes alone do not demand a sign-in', requires({ scopes: [['a']] }), { scopes: ['a'] }, true],
    [
      'both parts must hold: scopes without sign-in',
      requires({ authenticated: true, scopes: [['a']] }),
      { scopes: ['a'] },
      false,
    ],
    [
      'both parts must hold: sign-in without scopes',
      requires({ authenticated: true, scopes: [['a']] }),
      { authenticated: true },
      false,
    ],
  ])('authentication: %s', (_case, requirement, grants, expected) => {
    expect(isSatisfied(requirement, subject(grants))).toBe(expected);
  });

  test.each<[string, string[][] | null, string[], boolean]>([
    ['no policy directive', null, [], true],
    ['empty policy list', [], [], true],
    ['one policy granted', [['same-agency']], ['same-agency'], true],
    ['one policy denied', [['same-agency']], [], false],
    ['(p1 AND p2) OR p3: p1 and p2', [['p1', 'p2'], ['p3']], ['p1', 'p2'], true],
    ['(p1 AND p2) OR p3: only p1', [['p1', 'p2'], ['p3']], ['p1'], false],
    ['(p1 AND p2) OR p3: only p3', [['p1', 'p2'], ['p3']], ['p3'], true],
  ])('policies: %s', (_case, policies, granted, expected) => {
    expect(isSatisfied(requires({ policies }), subject({ policies: granted }))).toBe(expected);
  });

  test('asks the policy callback by name', () => {
    const asked: string[] = [];
    const caller = {
      authenticated: true,
      scopes: new Set<string>(),
      policy: (name: string) => {
        asked.push(name);
        return name === 'supervisor';
      },
    };
    expect(isSatisfied(requires({ policies: [['audit-logged', 'x'], ['supervisor']] }), caller)).toBe(true);
    expect(asked).toEqual(['audit-logged', 'supervisor']);
  });
});

describe('permissionSignature', () => {
  const relevantScopes = ['notices:read', 'sltd:read'];
  const policies = ['same-agency'];

  test('depends on the authenticated flag, the relevant scopes and every policy outcome', () => {
    expect(permissionSignature(subject(), relevantScopes, policies)).toBe('0:00:0');
    expect(
      permissionSignature(
        subject({ authenticated: true, scopes: ['sltd:read'], policies: ['same-agency'] }),
        relevantScopes,
        policies,
      ),
    ).toBe('1:01:1');
  });

  test('ignores scopes that no requirement mentions', () => {
    const plain = subject({ scopes: ['notices:read'] });
    const withExtras = subject({ scopes: ['notices:read', 'profile', 'email'] });
    expect(permissionSignature(withExtras, relevantScopes, policies)).toBe(
      permissionSignature(plain, relevantScopes, policies),
    );
  });
});
