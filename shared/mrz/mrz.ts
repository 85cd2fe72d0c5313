// ICAO Doc 9303 machine readable zone (MRZ) decoder and encoder.
//
// Layouts: Part 4 (TD3 passports), Part 5 (TD1 cards), Part 6 (TD2 cards), Part 7 (MRV-A / MRV-B visas).
// Everything that can be prepared once (country names, regexes, layout tables) lives at module level:
// a border gate calls parseMrz thousands of times a second.
import { countryName } from '../countries';

export type MrzFormat = 'TD1' | 'TD2' | 'TD3';

export interface MrzCheck {
  // 'optionalData' is never reported today: Doc 9303 gives the TD1, TD2 and visa optional data no check
  // digit of its own (the TD3 one is 'personalNumber'). It stays in the union for national variants.
  field: 'documentNumber' | 'dateOfBirth' | 'expiryDate' | 'personalNumber' | 'optionalData' | 'composite';
  valid: boolean;
}

export interface ParsedMrz {
  format: MrzFormat;
  isVisa: boolean;
  documentCode: string;
  issuingCountry: string;
  issuingCountryName: string | null;
  documentNumber: string;
  surname: string;
  forenames: string;
  nationality: string;
  nationalityName: string | null;
  /** ISO yyyy-mm-dd; null when unknown (fillers) or not a real date. */
  dateOfBirth: string | null;
  sex: 'F' | 'M' | 'X';
  expiryDate: string | null;
  /** TD3 personal number, else the optional data (TD1: both lines, joined by a space); null when empty. */
  personalNumber: string | null;
  /** Every check digit holds and no structural problem was found. */
  valid: boolean;
  checks: MrzCheck[];
  problems: string[];
}

export type MrzResult = { ok: true; mrz: ParsedMrz } | { ok: false; problems: string[] };

/** Input of buildMrz. A document code starting with V builds an MRV-A (TD3 size) or MRV-B (TD2 size) visa. */
export interface MrzFields {
  format: MrzFormat;
  documentCode: string;
  issuingCountry: string;
  /** Up to 9 characters; TD1 takes up to 22 and TD2 up to 14, the rest overflowing into the optional data. */
  documentNumber: string;
  surname: string;
  forenames: string;
  nationality: string;
  /** ISO yyyy-mm-dd, or null for an unknown date (written as fillers). */
  dateOfBirth: string | null;
  sex: 'F' | 'M' | 'X';
  expiryDate: string | null;
  /** TD3 personal number, or the optional data of the other formats; words separated by single spaces. */
  personalNumber?: string | null;
}

type CheckField = MrzCheck['field'];
type DateField = 'dateOfBirth' | 'expiryDate';
type CountryField = 'issuingCountry' | 'nationality';

// ---------------------------------------------------------------------------------------------------------
// Tables prepared once

const CHECK_WEIGHTS = [7, 3, 1] as const;
const FILLER = '<';

const LINE_BREAK = /\r\n|\r|\n/;
const FILLER_RUNS = /<+/g;
const TRAILING_FILLERS = /<+$/;
const ONLY_FILLERS = /^<*$/;
const SIX_DIGITS = /^\d{6}$/;
const PARTLY_UNKNOWN_DATE = /^(?:\d\d|<<){3}$/;
const DOCUMENT_CODE = /^[A-Z][A-Z<]$/;
const COUNTRY_CODE = /^[A-Z]{1,3}<*$/;
const DIGIT = /\d/;

interface Shape {
  format: MrzFormat;
  lines: number;
  length: number;
}

const SHAPES: readonly Shape[] = [
  { format: 'TD1', lines: 3, length: 30 },
  { format: 'TD2', lines: 2, length: 36 },
  { format: 'TD3', lines: 2, length: 44 },
];

/** Where line 2 of the two-line layouts ends its optional data, and which trailing check digits follow. */
interface TwoLineLayout {
  optionalEnd: number;
  personalCheck: boolean;
  composite: boolean;
}

// Visas (part 7) carry neither a personal number check digit nor a composite: their optional data runs to
// the end of the line.
const TWO_LINE_LAYOUTS: Record<'TD2' | 'TD3' | 'MRV-B' | 'MRV-A', TwoLineLayout> = {
  TD2: { optionalEnd: 35, personalCheck: false, composite: true },
  TD3: { optionalEnd: 42, personalCheck: true, composite: true },
  'MRV-B': { optionalEnd: 36, personalCheck: false, composite: false },
  'MRV-A': { optionalEnd: 44, personalCheck: false, composite: false },
};

const DOCUMENT_CODE_RULES: Record<MrzFormat, { firstLetters: string; expected: string }> = {
  TD1: { firstLetters: 'ACI', expected: 'A, C or I' },
  TD2: { firstLetters: 'ACI', expected: 'A, C or I (or V for a visa)' },
  TD3: { firstLetters: 'P', expected: 'P (or V for a visa)' },
};

// ---------------------------------------------------------------------------------------------------------
// Check digits

/** Doc 9303 part 3 check digit: weights 7,3,1 repeating; 0-9 as digits, A-Z as 10-35, '<' as 0; mod 10. */
export function checkDigit(value: string): number {
  let sum = 0;
  for (let i = 0; i < value.length; i++) {
    const charValue = mrzCharValue(value.charCodeAt(i));
    if (charValue < 0) throw new RangeError(`checkDigit: '${value.charAt(i)}' is not an MRZ character`);
    sum += charValue * CHECK_WEIGHTS[i % 3];
  }
  return sum % 10;
}

/** Value of an MRZ character code, or -1 when the character cannot appear in an MRZ. */
function mrzCharValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 90) return code - 55;
  return code === 60 ? 0 : -1;
}

// ---------------------------------------------------------------------------------------------------------
// Parsing: from text to lines of a known shape

export function parseMrz(input: string, now: Date = new Date()): MrzResult {
  if (typeof input !== 'string') return { ok: false, problems: ['input: expected a string'] };
  const lines = toLines(input);
  const shape = pickShape(lines);
  const expectedLength = Array.isArray(shape) ? null : shape.length;
  const problems = Array.isArray(shape) ? [...shape] : [];
  lines.forEach((line, index) => problems.push(...lineProblems(line, index + 1, expectedLength)));
  if (Array.isArray(shape) || problems.length > 0) return { ok: false, problems };
  // Safe only now: every character is ASCII, so upper-casing cannot change a line's length.
  const upper = lines.map((line) => line.toUpperCase());
  const zone = shape.format === 'TD1' ? readTd1(upper) : readTwoLine(upper, shape.format);
  return { ok: true, mrz: decode(zone, referenceDay(now)) };
}

function toLines(input: string): string[] {
  const lines = input
    .split(LINE_BREAK)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return lines.length === 1 ? unwrapSingleRun(lines[0]) : lines;
}

/** A scanner may deliver the zone as one run of characters; cut it where its total length says. */
function unwrapSingleRun(run: string): string[] {
  const shape = SHAPES.find((candidate) => candidate.lines * candidate.length === run.length);
  if (shape === undefined) return [run];
  const lines: string[] = [];
  for (let start = 0; start < run.length; start += shape.length) {
    lines.push(run.slice(start, start + shape.length));
  }
  return lines;
}

/** The shape the zone should have, or the problems that keep it from being told. */
function pickShape(lines: string[]): Shape | string[] {
  if (lines.length === 3) return SHAPES[0];
  if (lines.length === 2) {
    // Judge by whichever line has a known length, so one damaged line is measured against the other.
    const shape = twoLineShape(lines[0]) ?? twoLineShape(lines[1]);
    if (shape !== undefined) return shape;
    return lines.map((line, index) => `line ${index + 1}: expected 36 or 44 characters, got ${line.length}`);
  }
  if (lines.length === 0) return ['input: no MRZ lines found'];
  if (lines.length === 1) {
    const length = lines[0].length;
    return [
      `input: expected 2 or 3 lines (or one run of 72, 88 or 90 characters), got one line of ${length}`,
    ];
  }
  return [`input: expected 2 or 3 lines, got ${lines.length}`];
}

function twoLineShape(line: string): Shape | undefined {
  return SHAPES.find((shape) => shape.lines === 2 && shape.length === line.length);
}

function lineProblems(line: string, lineNumber: number, expectedLength: number | null): string[] {
  const problems: string[] = [];
  if (expectedLength !== null && line.length !== expectedLength) {
    problems.push(`line ${lineNumber}: expected ${expectedLength} characters, got ${line.length}`);
  }
  const badChars = describeBadChars(line);
  if (badChars !== null) problems.push(`line ${lineNumber}: ${badChars}`);
  return problems;
}

// Enough to locate a misread; a pasted document should not produce a problem string of megabytes.
const MAX_LISTED_BAD_CHARS = 10;

function describeBadChars(line: string): string | null {
  const listed: string[] = [];
  let count = 0;
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    // Lower case a-z passes here and is upper-cased once the whole zone is known to be clean.
    if (mrzCharValue(code) >= 0 || (code >= 97 && code <= 122)) continue;
    count++;
    if (listed.length < MAX_LISTED_BAD_CHARS) listed.push(`${describeChar(line, i)} at position ${i + 1}`);
  }
  if (count === 0) return null;
  const more = count > listed.length ? ` and ${count - listed.length} more` : '';
  return `invalid ${count === 1 ? 'character' : 'characters'} ${listed.join(', ')}${more}`;
}

function describeChar(line: string, index: number): string {
  const code = line.codePointAt(index) ?? 0;
  const printable = code > 0x20 && code < 0x7f;
  return printable ? `'${line.charAt(index)}'` : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

// ---------------------------------------------------------------------------------------------------------
// Parsing: from lines to raw fields

/** Raw MRZ fields, cut out of the lines but not yet interpreted. */
interface RawZone {
  format: MrzFormat;
  isVisa: boolean;
  documentCode: string;
  issuingCountry: string;
  name: string;
  nameLine: number;
  nameColumn: number;
  documentNumber: string;
  documentNumberCheck: string;
  nationality: string;
  dateOfBirth: string;
  dateOfBirthCheck: string;
  sex: string;
  expiryDate: string;
  expiryDateCheck: string;
  /** Optional data fields in document order; TD1 has one per line. */
  optionalData: string[];
  /** Whether a document number longer than 9 may overflow into optionalData[0] (parts 5 and 6). */
  overflowAllowed: boolean;
  personalNumberCheck: string | null;
  composite: { data: string; digit: string } | null;
}

function readTd1([line1, line2, line3]: string[]): RawZone {
  return {
    format: 'TD1',
    isVisa: false,
    documentCode: line1.slice(0, 2),
    issuingCountry: line1.slice(2, 5),
    name: line3,
    nameLine: 3,
    nameColumn: 1,
    documentNumber: line1.slice(5, 14),
    documentNumberCheck: line1.charAt(14),
    nationality: line2.slice(15, 18),
    dateOfBirth: line2.slice(0, 6),
    dateOfBirthCheck: line2.charAt(6),
    sex: line2.charAt(7),
    expiryDate: line2.slice(8, 14),
    expiryDateCheck: line2.charAt(14),
    optionalData: [line1.slice(15, 30), line2.slice(18, 29)],
    overflowAllowed: true,
    personalNumberCheck: null,
    composite: { data: td1CompositeData(line1, line2), digit: line2.charAt(29) },
  };
}

function td1CompositeData(line1: string, line2: string): string {
  return line1.slice(5, 30) + line2.slice(0, 7) + line2.slice(8, 15) + line2.slice(18, 29);
}

function readTwoLine([line1, line2]: string[], format: 'TD2' | 'TD3'): RawZone {
  const isVisa = line1.charAt(0) === 'V';
  const layout = twoLineLayout(format, isVisa);
  return {
    format,
    isVisa,
    documentCode: line1.slice(0, 2),
    issuingCountry: line1.slice(2, 5),
    name: line1.slice(5),
    nameLine: 1,
    nameColumn: 6,
    documentNumber: line2.slice(0, 9),
    documentNumberCheck: line2.charAt(9),
    nationality: line2.slice(10, 13),
    dateOfBirth: line2.slice(13, 19),
    dateOfBirthCheck: line2.charAt(19),
    sex: line2.charAt(20),
    expiryDate: line2.slice(21, 27),
    expiryDateCheck: line2.charAt(27),
    optionalData: [line2.slice(28, layout.optionalEnd)],
    overflowAllowed: format === 'TD2' && !isVisa,
    personalNumberCheck: layout.personalCheck ? line2.charAt(layout.optionalEnd) : null,
    composite: layout.composite ? { data: twoLineCompositeData(line2), digit: line2.slice(-1) } : null,
  };
}

function twoLineLayout(format: 'TD2' | 'TD3', isVisa: boolean): TwoLineLayout {
  if (!isVisa) return TWO_LINE_LAYOUTS[format];
  return TWO_LINE_LAYOUTS[format === 'TD3' ? 'MRV-A' : 'MRV-B'];
}

/** TD2 and TD3 line 2: positions 1-10, 14-20 and 22 up to the composite digit itself. */
function twoLineCompositeData(line2: string): string {
  return line2.slice(0, 10) + line2.slice(13, 20) + line2.slice(21, line2.length - 1);
}

// ---------------------------------------------------------------------------------------------------------
// Parsing: from raw fields to the decoded document

interface Findings {
  checks: MrzCheck[];
  problems: string[];
}

/** Latest days (yyyymmdd) that century resolution allows: births up to today, expiries 20 years on. */
interface ReferenceDay {
  latestBirth: number;
  latestExpiry: number;
}

// Passports rarely run past 10 years; 20 leaves room for long-lived national cards.
const MAX_VALIDITY_YEARS = 20;

function referenceDay(now: Date): ReferenceDay {
  // Callers outside TypeScript may pass anything; an unusable `now` falls back to the clock, never throws.
  const day = now instanceof Date && !Number.isNaN(now.getTime()) ? now : new Date();
  const key = day.getUTCFullYear() * 10000 + (day.getUTCMonth() + 1) * 100 + day.getUTCDate();
  return { latestBirth: key, latestExpiry: key + MAX_VALIDITY_YEARS * 10000 };
}

function decode(zone: RawZone, reference: ReferenceDay): ParsedMrz {
  const found: Findings = { checks: [], problems: [] };
  const documentCode = decodeDocumentCode(zone, found);
  const issuing = decodeCountry('issuingCountry', zone.issuingCountry, found);
  const { surname, forenames } = decodeName(zone, found);
  const { documentNumber, optionalData } = decodeDocumentNumber(zone, found);
  const nationality = decodeCountry('nationality', zone.nationality, found);
  const dateOfBirth = decodeDate('dateOfBirth', zone.dateOfBirth, reference.latestBirth, found);
  verify('dateOfBirth', zone.dateOfBirth, zone.dateOfBirthCheck, found);
  const sex = decodeSex(zone.sex, found);
  const expiryDate = decodeDate('expiryDate', zone.expiryDate, reference.latestExpiry, found);
  verify('expiryDate', zone.expiryDate, zone.expiryDateCheck, found);
  if (zone.personalNumberCheck !== null) {
    verifyPersonalNumber(zone.optionalData[0], zone.personalNumberCheck, found);
  }
  if (zone.composite !== null) verify('composite', zone.composite.data, zone.composite.digit, found);
  return {
    format: zone.format,
    isVisa: zone.isVisa,
    documentCode,
    issuingCountry: issuing.code,
    issuingCountryName: issuing.name,
    documentNumber,
    surname,
    forenames,
    nationality: nationality.code,
    nationalityName: nationality.name,
    dateOfBirth,
    sex,
    expiryDate,
    personalNumber: joinOptionalData(optionalData),
    valid: found.problems.length === 0 && found.checks.every((check) => check.valid),
    checks: found.checks,
    problems: found.problems,
  };
}

function verify(
  field: CheckField,
  data: string,
  digit: string,
  found: Findings,
  fillerAllowed = false,
): void {
  const computed = checkDigit(data);
  const valid = digit === String(computed) || (fillerAllowed && digit === FILLER);
  found.checks.push({ field, valid });
  if (!valid) found.problems.push(`${field}: check digit ${digit} does not match computed ${computed}`);
}

/** Part 4: an unused personal number field may carry '<' instead of its check digit 0. */
function verifyPersonalNumber(field: string, digit: string, found: Findings): void {
  verify('personalNumber', field, digit, found, ONLY_FILLERS.test(field));
}

function decodeDocumentCode(zone: RawZone, found: Findings): string {
  const raw = zone.documentCode;
  const problem = documentCodeProblem(raw, zone.format, zone.isVisa);
  if (problem !== null) found.problems.push(`documentCode: ${problem}`);
  return raw.replace(FILLER_RUNS, '');
}

/** Shared by the decoder and the encoder so both agree on which codes a format may carry. */
function documentCodeProblem(code: string, format: MrzFormat, isVisa: boolean): string | null {
  if (!DOCUMENT_CODE.test(code)) return `${code} is not a document code (a letter, then a letter or <)`;
  if (isVisa) return null;
  const rule = DOCUMENT_CODE_RULES[format];
  if (rule.firstLetters.includes(code.charAt(0))) return null;
  return `a ${format} document code starts with ${rule.expected}, got ${code.replace(FILLER_RUNS, '')}`;
}

function decodeCountry(
  field: CountryField,
  raw: string,
  found: Findings,
): { code: string; name: string | null } {
  if (!COUNTRY_CODE.test(raw)) found.problems.push(`${field}: ${raw} is not a country code`);
  const code = raw.replace(FILLER_RUNS, '');
  return { code, name: countryName(code) };
}

function decodeName(zone: RawZone, found: Findings): { surname: string; forenames: string } {
  const digit = DIGIT.exec(zone.name);
  if (digit !== null) {
    const position = zone.nameColumn + digit.index;
    found.problems.push(
      `name: digit ${digit[0]} at line ${zone.nameLine} position ${position}; names are letters only`,
    );
  }
  const name = zone.name.replace(TRAILING_FILLERS, '');
  const separator = name.indexOf('<<');
  const primary = separator < 0 ? name : name.slice(0, separator);
  const secondary = separator < 0 ? '' : name.slice(separator + 2);
  const surname = fillersToSpaces(primary);
  if (surname === '') found.problems.push('name: the surname (primary identifier) is empty');
  return { surname, forenames: fillersToSpaces(secondary) };
}

/** Inside a name or an optional data element a filler stands for a space (or dropped punctuation). */
function fillersToSpaces(value: string): string {
  return value.replace(FILLER_RUNS, ' ').trim();
}

/**
 * Parts 5 and 6: a document number longer than 9 characters puts '<' in the check digit position and
 * continues at the start of the optional data, up to the first filler; the last character of that run is the
 * check digit over the whole number. Returns the number, and the optional data that is left once any
 * continuation is taken out.
 */
function decodeDocumentNumber(
  zone: RawZone,
  found: Findings,
): { documentNumber: string; optionalData: string[] } {
  const [first, ...others] = zone.optionalData;
  if (!zone.overflowAllowed || zone.documentNumberCheck !== FILLER) {
    verify('documentNumber', zone.documentNumber, zone.documentNumberCheck, found);
    return { documentNumber: zone.documentNumber.replace(FILLER_RUNS, ''), optionalData: zone.optionalData };
  }
  const end = first.indexOf(FILLER);
  const run = end < 0 ? first : first.slice(0, end);
  if (run.length < 2) {
    found.checks.push({ field: 'documentNumber', valid: false });
    found.problems.push(
      'documentNumber: check digit is < but the optional data does not continue the number',
    );
    return { documentNumber: zone.documentNumber.replace(FILLER_RUNS, ''), optionalData: zone.optionalData };
  }
  const fullNumber = zone.documentNumber + run.slice(0, -1);
  verify('documentNumber', fullNumber, run.slice(-1), found);
  return {
    documentNumber: fullNumber.replace(FILLER_RUNS, ''),
    optionalData: [first.slice(run.length), ...others],
  };
}

function joinOptionalData(fields: string[]): string | null {
  const parts = fields.map(fillersToSpaces).filter((part) => part !== '');
  return parts.length > 0 ? parts.join(' ') : null;
}

function decodeSex(raw: string, found: Findings): 'F' | 'M' | 'X' {
  if (raw === 'F' || raw === 'M') return raw;
  // X is what the visual zone shows for unspecified; some issuers print it in the MRZ too, meaning the same.
  if (raw !== FILLER && raw !== 'X') found.problems.push(`sex: ${raw} is not F, M or <`);
  return 'X';
}

/**
 * YYMMDD to ISO. The century is the one that puts the date no later than `latest` (yyyymmdd) and within 100
 * years before it. Fillers stand for unknown parts (part 3 allows that for the date of birth): null, not a
 * problem.
 */
function decodeDate(field: DateField, raw: string, latest: number, found: Findings): string | null {
  if (!SIX_DIGITS.test(raw)) {
    if (!PARTLY_UNKNOWN_DATE.test(raw)) found.problems.push(`${field}: ${raw} is not a date`);
    return null;
  }
  const month = Number(raw.slice(2, 4));
  const day = Number(raw.slice(4, 6));
  const year = resolveCentury(Number(raw.slice(0, 2)), month * 100 + day, latest);
  // Checked after the century is known: 29 February exists in 2000 but not in 1900.
  if (!isRealDate(year, month, day)) {
    found.problems.push(`${field}: ${raw} is not a date`);
    return null;
  }
  return `${String(year).padStart(4, '0')}-${raw.slice(2, 4)}-${raw.slice(4, 6)}`;
}

function resolveCentury(twoDigitYear: number, monthDay: number, latest: number): number {
  const latestYear = Math.floor(latest / 10000);
  const year = latestYear - (latestYear % 100) + twoDigitYear;
  return year * 10000 + monthDay > latest ? year - 100 : year;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]);
}

// ---------------------------------------------------------------------------------------------------------
// Building

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LETTERS = /^[A-Z]+$/;
const ALPHANUMERIC = /^[A-Z0-9]+$/;
const NAME_CHARS = /^[A-Z<]*$/;
const NAME_SEPARATORS = /[\s,<-]+/g;
const NAME_DROPPED = /['\u2019\u02bc.`]/g;
const COMBINING_MARKS = /[\u0300-\u036f]/g;
const EDGE_FILLERS = /^<+|<+$/g;
const WHITESPACE = /\s+/;

// Doc 9303 part 3 recommended transliterations that are not just a letter with its accent dropped.
const TRANSLITERATIONS: Readonly<Record<string, string>> = {
  Ä: 'AE',
  Ö: 'OE',
  Ü: 'UE',
  Å: 'AA',
  Æ: 'AE',
  Ø: 'OE',
  Œ: 'OE',
  ẞ: 'SS',
  Þ: 'TH',
  Ð: 'D',
  Đ: 'D',
  Ł: 'L',
  Ħ: 'H',
  Ŋ: 'N',
  Ĳ: 'IJ',
};

const TD1_OPTIONAL_LENGTHS = [15, 11] as const;

interface EncodedFields {
  format: MrzFormat;
  isVisa: boolean;
  documentCode: string;
  issuingCountry: string;
  documentNumber: string;
  name: string;
  nationality: string;
  dateOfBirth: string;
  sex: string;
  expiryDate: string;
  personalWords: string[];
}

/**
 * Writes a zone (lines joined with '\n') that parseMrz reads back as the same fields, with every check digit
 * computed. Names are transliterated (part 3) and truncated to the name field. Throws RangeError for what
 * cannot be written: unknown format, characters with no MRZ form, a number or optional data too long.
 */
export function buildMrz(fields: MrzFields): string {
  const encoded = encodeFields(fields);
  const lines = encoded.format === 'TD1' ? buildTd1(encoded) : buildTwoLine(encoded);
  return lines.join('\n');
}

function encodeFields(fields: MrzFields): EncodedFields {
  const shape = SHAPES.find((candidate) => candidate.format === fields.format);
  if (shape === undefined) throw new RangeError(`format: ${String(fields.format)} is not TD1, TD2 or TD3`);
  const code = requireMatch('documentCode', fields.documentCode.toUpperCase(), LETTERS, 2);
  const documentCode = code.padEnd(2, FILLER);
  const isVisa = shape.format !== 'TD1' && code.startsWith('V');
  const problem = documentCodeProblem(documentCode, shape.format, isVisa);
  if (problem !== null) throw new RangeError(`documentCode: ${problem}`);
  return {
    format: shape.format,
    isVisa,
    documentCode,
    issuingCountry: encodeCountry('issuingCountry', fields.issuingCountry),
    documentNumber: requireMatch('documentNumber', fields.documentNumber.toUpperCase(), ALPHANUMERIC, 22),
    name: encodeName(fields.surname, fields.forenames),
    nationality: encodeCountry('nationality', fields.nationality),
    dateOfBirth: encodeDate('dateOfBirth', fields.dateOfBirth),
    sex: encodeSex(fields.sex),
    expiryDate: encodeDate('expiryDate', fields.expiryDate),
    personalWords: encodeWords(fields.personalNumber),
  };
}

function requireMatch(field: string, value: string, pattern: RegExp, maxLength: number): string {
  if (!pattern.test(value) || value.length > maxLength) {
    throw new RangeError(`${field}: cannot write '${value}' (at most ${maxLength} of ${pattern.source})`);
  }
  return value;
}

function encodeCountry(field: CountryField, value: string): string {
  return requireMatch(field, value.toUpperCase(), LETTERS, 3).padEnd(3, FILLER);
}

/** SURNAME<<FORE<NAMES, unpadded; the layout pads or truncates it to its name field. */
function encodeName(surname: string, forenames: string): string {
  const primary = transliterate('surname', surname);
  if (primary === '') throw new RangeError('surname: required');
  const secondary = transliterate('forenames', forenames);
  return secondary === '' ? primary : `${primary}<<${secondary}`;
}

function transliterate(field: string, value: string): string {
  let mapped = '';
  for (const char of value.toUpperCase()) mapped += TRANSLITERATIONS[char] ?? char;
  const written = mapped
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(NAME_DROPPED, '')
    .replace(NAME_SEPARATORS, FILLER)
    .replace(EDGE_FILLERS, '');
  if (!NAME_CHARS.test(written)) throw new RangeError(`${field}: cannot write '${value}' in an MRZ`);
  return written;
}

function encodeDate(field: DateField, value: string | null): string {
  if (value === null) return FILLER.repeat(6);
  const match = ISO_DATE.exec(value);
  if (match === null || !isRealDate(Number(match[1]), Number(match[2]), Number(match[3]))) {
    throw new RangeError(`${field}: ${value} is not an ISO date (yyyy-mm-dd)`);
  }
  return match[1].slice(2) + match[2] + match[3];
}

function encodeSex(sex: MrzFields['sex']): string {
  if (sex === 'F' || sex === 'M') return sex;
  if (sex === 'X') return FILLER;
  throw new RangeError(`sex: ${String(sex)} is not F, M or X`);
}

function encodeWords(value: string | null | undefined): string[] {
  const trimmed = (value ?? '').trim().toUpperCase();
  if (trimmed === '') return [];
  return trimmed.split(WHITESPACE).map((word) => requireMatch('personalNumber', word, ALPHANUMERIC, 16));
}

function fit(value: string, length: number): string {
  return value.slice(0, length).padEnd(length, FILLER);
}

interface EncodedNumber {
  /** The 9-character document number field. */
  field: string;
  /** Its check digit, or '<' when the number overflows. */
  check: string;
  /** What goes at the start of the optional data: the rest of the number, its check digit and a filler. */
  overflow: string;
}

function encodeDocumentNumber(number: string, overflowAllowed: boolean): EncodedNumber {
  if (number.length <= 9) {
    const field = number.padEnd(9, FILLER);
    return { field, check: String(checkDigit(field)), overflow: '' };
  }
  if (!overflowAllowed) throw new RangeError(`documentNumber: ${number} is longer than 9 characters`);
  return {
    field: number.slice(0, 9),
    check: FILLER,
    overflow: `${number.slice(9)}${checkDigit(number)}${FILLER}`,
  };
}

/** Fills the optional data fields word by word, in order; a word never straddles two fields. */
function packWords(words: string[], capacities: readonly number[]): string[] {
  const fields = capacities.map(() => '');
  let slot = 0;
  for (const word of words) {
    while (slot < capacities.length && !fits(fields[slot], word, capacities[slot])) slot++;
    if (slot === capacities.length) throw new RangeError(`personalNumber: ${words.join(' ')} does not fit`);
    fields[slot] = fields[slot] === '' ? word : `${fields[slot]}${FILLER}${word}`;
  }
  return fields;
}

function fits(field: string, word: string, capacity: number): boolean {
  const separator = field === '' ? 0 : 1;
  return field.length + separator + word.length <= capacity;
}

function optionalCapacity(overflow: string, length: number): number {
  if (overflow.length > length) throw new RangeError('documentNumber: too long for this format');
  return length - overflow.length;
}

function buildTd1(fields: EncodedFields): string[] {
  const number = encodeDocumentNumber(fields.documentNumber, true);
  const [firstLength, secondLength] = TD1_OPTIONAL_LENGTHS;
  const capacities = [optionalCapacity(number.overflow, firstLength), secondLength];
  const [first, second] = packWords(fields.personalWords, capacities);
  const line1 =
    fields.documentCode +
    fields.issuingCountry +
    number.field +
    number.check +
    fit(number.overflow + first, firstLength);
  const line2WithoutComposite =
    withCheckDigit(fields.dateOfBirth) +
    fields.sex +
    withCheckDigit(fields.expiryDate) +
    fields.nationality +
    fit(second, secondLength);
  const line2 = line2WithoutComposite + checkDigit(td1CompositeData(line1, line2WithoutComposite));
  return [line1, line2, fit(fields.name, 30)];
}

function buildTwoLine(fields: EncodedFields): string[] {
  const format = fields.format === 'TD3' ? 'TD3' : 'TD2';
  const lineLength = format === 'TD3' ? 44 : 36;
  const layout = twoLineLayout(format, fields.isVisa);
  const number = encodeDocumentNumber(fields.documentNumber, format === 'TD2' && !fields.isVisa);
  const optionalLength = layout.optionalEnd - 28;
  const [words] = packWords(fields.personalWords, [optionalCapacity(number.overflow, optionalLength)]);
  const optional = fit(number.overflow + words, optionalLength);
  let line2 =
    number.field +
    number.check +
    fields.nationality +
    withCheckDigit(fields.dateOfBirth) +
    fields.sex +
    withCheckDigit(fields.expiryDate) +
    optional;
  if (layout.personalCheck) line2 += ONLY_FILLERS.test(optional) ? FILLER : String(checkDigit(optional));
  // twoLineCompositeData takes a whole line and leaves out its last position: a placeholder stands in.
  if (layout.composite) line2 += checkDigit(twoLineCompositeData(`${line2}0`));
  return [fields.documentCode + fields.issuingCountry + fit(fields.name, lineLength - 5), line2];
}

function withCheckDigit(field: string): string {
  return field + checkDigit(field);
}
