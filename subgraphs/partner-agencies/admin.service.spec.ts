import { BadUserInputError } from '../../shared/errors';
import { validClientInput } from './admin.service';

/** The API client rules without a database or HTTP. */
function problemsOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BadUserInputError);
    return (error as BadUserInputError).extensions.problems;
  }
  throw new Error('expected BAD_USER_INPUT');
}

test('a client id of lower-case letters, digits and dashes is accepted; the description is trimmed', () => {
  expect(validClientInput('bp-fra-2', '  Border gate 2  ')).toBe('Border gate 2');
  expect(validClientInput('ab', null)).toBeNull();
});

test('a client id that is too short, upper-case, or starts with a dash is refused naming clientId', () => {
  const reason = 'must be 2 to 63 lower-case letters, digits or dashes, and not start with a dash';
  for (const clientId of ['a', 'BP-FRA', '-bp', 'bp_fra', 'x'.repeat(64)]) {
    expect(problemsOf(() => validClientInput(clientId, null))).toEqual([{ field: 'clientId', reason }]);
  }
});

test('a description over 200 characters is refused along with a bad id, both named', () => {
  expect(problemsOf(() => validClientInput('-', 'd'.repeat(201)))).toEqual([
    {
      field: 'clientId',
      reason: 'must be 2 to 63 lower-case letters, digits or dashes, and not start with a dash',
    },
    { field: 'description', reason: 'must be at most 200 characters' },
  ]);
});
