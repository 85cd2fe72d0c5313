/**
 * The one rule for text a caller sends: every String and ID argument, input field and variable, at the gateway
 * and again in each subgraph (shared/input/hygiene.ts applies it to every operation).
 *
 * Refused, because they either break storage (PostgreSQL refuses NUL in text and a lone surrogate is not valid
 * UTF-8) or make stored text read differently from what it holds (Trojan Source, CVE-2021-42574; terminal and
 * log escapes): C0 and C1 control characters and DEL, the bidirectional embeddings, overrides and isolates, and
 * lone surrogates. Tab and line breaks are kept only where a field is free text written in lines.
 */
// One scan per string: the `u` flag makes \p{Cs} match only surrogates that are not part of a pair. Matching control
// characters is the point of this expression.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|\p{Cs}/u;
const LINE_CONTROLS = /[\t\n\r]/;

/**
 * Fields (input fields or arguments, by name) holding free text that may run over several lines. Every other
 * text is one line. A name here allows tab and line breaks wherever it appears; nothing else is relaxed.
 */
const MULTILINE_FIELDS: ReadonlySet<string> = new Set([
  // An MRZ is two or three printed lines.
  'mrz',
  'description',
  'note',
  'reason',
  'charges',
  'distinguishingMarks',
  'indicators',
]);

/** Whether the field at this path (`input.indicators.3`) may hold lines: its last name that is not a list index. */
export function allowsLines(path: string): boolean {
  const name = path
    .split('.')
    .reverse()
    .find((segment) => !/^\d+$/.test(segment));
  return name !== undefined && MULTILINE_FIELDS.has(name);
}

function codePoint(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Why a text value is refused, or null when it is acceptable. `multiline` allows tab, CR and LF. */
export function textProblem(value: string, multiline: boolean): string | null {
  const found = FORBIDDEN.exec(value) ?? (multiline ? null : LINE_CONTROLS.exec(value));
  if (!found) return null;
  const char = found[0];
  if (char === '\u0000') return 'must not contain NUL (U+0000)';
  if (char === '\t' || char === '\n' || char === '\r') return `must be one line (found ${codePoint(char)})`;
  if (/\p{Cs}/u.test(char)) return `must not contain a lone surrogate (${codePoint(char)})`;
  if (/[\u202A-\u202E\u2066-\u2069]/.test(char))
    return `must not contain bidirectional control characters (${codePoint(char)})`;
  return `must not contain control characters (${codePoint(char)})`;
}

/** Unicode NFC, so "é" typed as e + combining accent is stored, compared and searched as the one character. */
export function normalizeText(value: string): string {
  return value.normalize('NFC');
}
