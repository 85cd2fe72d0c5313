import fs from 'node:fs';
import fc from 'fast-check';
import { SCALAR_PARSERS } from './hygiene';
import { normalizeText, textProblem } from './text';

describe('textProblem', () => {
  test('plain text of any script passes, one line or several where allowed', () => {
    expect(textProblem('Müller-Łukasiewicz, 李小龍, محمد', false)).toBeNull();
    expect(textProblem('line one\nline two\r\n\tindented', true)).toBeNull();
    expect(textProblem('line one\nline two', false)).toBe('must be one line (found U+000A)');
    expect(textProblem('tab\there', false)).toBe('must be one line (found U+0009)');
  });

  test('names what it refuses, multi-line or not', () => {
    for (const multiline of [false, true]) {
      expect(textProblem('a\u0000', multiline)).toBe('must not contain NUL (U+0000)');
      expect(textProblem('a\u001B[31m', multiline)).toBe('must not contain control characters (U+001B)');
      expect(textProblem('a\u007F', multiline)).toBe('must not contain control characters (U+007F)');
      expect(textProblem('a\u009F', multiline)).toBe('must not contain control characters (U+009F)');
      for (const bidi of [
        '\u202A',
        '\u202B',
        '\u202C',
        '\u202D',
        '\u202E',
        '\u2066',
        '\u2067',
        '\u2068',
        '\u2069',
      ])
        expect(textProblem(`a${bidi}b`, multiline)).toMatch(
          /^must not contain bidirectional control characters/,
        );
      expect(textProblem('a\uDC00', multiline)).toBe('must not contain a lone surrogate (U+DC00)');
      expect(textProblem('a\uD83D', multiline)).toBe('must not contain a lone surrogate (U+D83D)');
    }
    // A pair is one character (an emoji), not a lone surrogate; the left-to-right mark is not an override.
    expect(textProblem('ok \uD83D\uDE00 \u200E', false)).toBeNull();
  });

  test('any string it accepts is well formed and free of what it refuses', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.boolean(), (value, multiline) => {
        if (textProblem(value, multiline) !== null) return;
        for (const char of value) {
          const code = char.codePointAt(0) ?? 0;
          const allowedControl = multiline && (code === 9 || code === 10 || code === 13);
          expect(code < 0x20 && !allowedControl).toBe(false);
          expect(code >= 0x7f && code <= 0x9f).toBe(false);
          expect((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)).toBe(false);
          // Iterating by code point leaves a lone surrogate as a character of its own.
          expect(code >= 0xd800 && code <= 0xdfff).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('NFC', () => {
    expect(normalizeText('Mu\u0308ller')).toBe('M\u00FCller');
  });
});

test('every custom scalar of the supergraph has its real parser at the gateway', () => {
  const sdl = fs.readFileSync('supergraph.graphql', 'utf8');
  // Scalars with a namespace (join__, link__, requiresScopes__…) are the supergraph's own, not the API's.
  const scalars = [...sdl.matchAll(/^scalar (\w+)/gm)]
    .map((m) => m[1])
    .filter((name) => !name.includes('__'));
  expect(scalars.length).toBeGreaterThan(0);
  for (const name of scalars) expect(SCALAR_PARSERS[name]).toBeDefined();
});
