import fc from 'fast-check';

import { buildMrz, checkDigit, MrzCheck, MrzFields, MrzFormat, ParsedMrz, parseMrz } from './mrz';

// All dates below are resolved against this day; the Doc 9303 specimens expired in 2012.
const NOW = new Date('2026-11-25T00:00:00Z');

// Doc 9303 part 4 specimen passport.
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
// Doc 9303 part 5 specimen identity card.
const TD1 = [
  'I<UTOD231458907<<<<<<<<<<<<<<<',
  '7408122F1204159UTO<<<<<<<<<<<6',
  'ERIKSSON<<ANNA<MARIA<<<<<<<<<<',
];
// Doc 9303 part 6 specimen.
const TD2 = ['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6'];
// Doc 9303 part 7 specimens. Every printed check digit verifies (4, 8 and 9), so none was adjusted. In MRV-A
// the '6' at position 29 opens the optional data: visas have no personal number check digit there.
const MRV_A = [
  'V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<',
  'L8988901C4XXX4009078F96121096ZE184226B<<<<<<',
];
const MRV_B = ['V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'L8988901C4XXX4009078F9612109<<<<<<<<'];
// Part 5 long document number D23145890734: '<' in the check digit position, "734" and check digit 9 in the
// optional data.
const TD1_LONG = ['I<UTOD23145890<7349<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', TD1[2]];
// Constructed: the 19-character number D23145890AB11223456 (check digit 6), then optional data on both lines.
const TD1_LONG_OPTIONAL = ['I<UTOD23145890<AB112234566<Q1<', '7408122F1204159UTOZZ<<<<<<<<<5', TD1[2]];
// Constructed: part 6 allows the same overflow on TD2.
const TD2_LONG = [TD2[0], 'D23145890<UTO7408122F12041597349<<<2'];

const zone = (lines: string[]): string => lines.join('\n');

function parsed(lines: string[]): ParsedMrz {
  const result = parseMrz(zone(lines), NOW);
  if (!result.ok) throw new Error(`expected a decodable zone: ${result.problems.join('; ')}`);
  return result.mrz;
}

function replaceAt(lines: string[], line: number, position: number, text: string): string[] {
  return lines.map((value, index) =>
    index === line - 1
      ? value.slice(0, position - 1) + text + value.slice(position - 1 + text.length)
      : value,
  );
}

// Composite ranges written out from the standard (1-based, inclusive) rather than taken from the module.
function resealTd3Composite(lines: string[]): string[] {
  const line2 = lines[1];
  const digit = checkDigit(line2.slice(0, 10) + line2.slice(13, 20) + line2.slice(21, 43));
  return replaceAt(lines, 2, 44, String(digit));
}

function resealTd1Composite(lines: string[]): string[] {
  const [line1, line2] = lines;
  const digit = checkDigit(line1.slice(5, 30) + line2.slice(0, 7) + line2.slice(8, 15) + line2.slice(18, 29));
  return replaceAt(lines, 2, 30, String(digit));
}

function resealTd3(lines: string[]): string[] {
  const line2 = lines[1];
  let sealed = replaceAt(lines, 2, 10, String(checkDigit(line2.slice(0, 9))));
  sealed = replaceAt(sealed, 2, 20, String(checkDigit(line2.slice(13, 19))));
  sealed = replaceAt(sealed, 2, 28, String(checkDigit(line2.slice(21, 27))));
  sealed = replaceAt(sealed, 2, 43, String(checkDigit(line2.slice(28, 42))));
  return resealTd3Composite(sealed);
}

const failedChecks = (mrz: ParsedMrz): MrzCheck['field'][] =>
  mrz.checks.filter((c) => !c.valid).map((c) => c.field);
const allValid = (...fields: MrzCheck['field'][]): MrzCheck[] =>
  fields.map((field) => ({ field, valid: true }));

const ERIKSSON = {
  surname: 'ERIKSSON',
  forenames: 'ANNA MARIA',
  valid: true,
  problems: [],
};

describe('checkDigit', () => {
  it.each([
    ['L898902C3', 6],
    ['740812', 2],
    ['120415', 9],
    ['ZE184226B<<<<<', 1],
    ['D23145890', 7],
    ['D23145890734', 9],
    ['<<<<<<', 0],
    ['', 0],
  ])('%s -> %i', (value, digit) => {
    expect(checkDigit(value)).toBe(digit);
  });

  it('refuses characters an MRZ cannot hold', () => {
    expect(() => checkDigit('l898')).toThrow(RangeError);
    expect(() => checkDigit('AB#')).toThrow("checkDigit: '#' is not an MRZ character");
  });
});

describe('parseMrz: specimens', () => {
  it('decodes the TD3 passport', () => {
    expect(parseMrz(zone(TD3), NOW)).toEqual({
      ok: true,
      mrz: {
        ...ERIKSSON,
        format: 'TD3',
        isVisa: false,
        documentCode: 'P',
        issuingCountry: 'UTO',
        issuingCountryName: 'Utopia',
        documentNumber: 'L898902C3',
        nationality: 'UTO',
        nationalityName: 'Utopia',
        dateOfBirth: '1974-08-12',
        sex: 'F',
        expiryDate: '2012-04-15',
        personalNumber: 'ZE184226B',
        checks: allValid('documentNumber', 'dateOfBirth', 'expiryDate', 'personalNumber', 'composite'),
      },
    });
  });

  it('decodes the TD1 identity card', () => {
    expect(parsed(TD1)).toEqual({
      ...ERIKSSON,
      format: 'TD1',
      isVisa: false,
      documentCode: 'I',
      issuingCountry: 'UTO',
      issuingCountryName: 'Utopia',
      documentNumber: 'D23145890',
      nationality: 'UTO',
      nationalityName: 'Utopia',
      dateOfBirth: '1974-08-12',
      sex: 'F',
      expiryDate: '2012-04-15',
      personalNumber: null,
      checks: allValid('documentNumber', 'dateOfBirth', 'expiryDate', 'composite'),
    });
  });

  it('decodes the TD2 document', () => {
    expect(parsed(TD2)).toEqual({
      ...ERIKSSON,
      format: 'TD2',
      isVisa: false,
      documentCode: 'I',
      issuingCountry: 'UTO',
      issuingCountryName: 'Utopia',
      documentNumber: 'D23145890',
      nationality: 'UTO',
      nationalityName: 'Utopia',
      dateOfBirth: '1974-08-12',
      sex: 'F',
      expiryDate: '2012-04-15',
      personalNumber: null,
      checks: allValid('documentNumber', 'dateOfBirth', 'expiryDate', 'composite'),
    });
  });

  it('decodes the MRV-A visa: no personal number check digit, no composite', () => {
    expect(parsed(MRV_A)).toEqual({
      ...ERIKSSON,
      format: 'TD3',
      isVisa: true,
      documentCode: 'V',
      issuingCountry: 'UTO',
      issuingCountryName: 'Utopia',
      documentNumber: 'L8988901C',
      nationality: 'XXX',
      nationalityName: 'Unspecified nationality',
      dateOfBirth: '1940-09-07',
      sex: 'F',
      expiryDate: '1996-12-10',
      personalNumber: '6ZE184226B',
      checks: allValid('documentNumber', 'dateOfBirth', 'expiryDate'),
    });
  });

  it('decodes the MRV-B visa', () => {
    expect(parsed(MRV_B)).toEqual({
      ...ERIKSSON,
      format: 'TD2',
      isVisa: true,
      documentCode: 'V',
      issuingCountry: 'UTO',
      issuingCountryName: 'Utopia',
      documentNumber: 'L8988901C',
      nationality: 'XXX',
      nationalityName: 'Unspecified nationality',
      dateOfBirth: '1940-09-07',
      sex: 'F',
      expiryDate: '1996-12-10',
      personalNumber: null,
      checks: allValid('documentNumber', 'dateOfBirth', 'expiryDate'),
    });
  });

  it('reassembles a TD1 long document number from the optional data', () => {
    expect(parsed(TD1_LONG)).toEqual({ ...parsed(TD1), documentNumber: 'D23145890734' });
  });

  it('keeps the optional data that follows a TD1 long document number, from both lines', () => {
    expect(parsed(TD1_LONG_OPTIONAL)).toEqual({
      ...parsed(TD1),
      documentNumber: 'D23145890AB11223456',
      personalNumber: 'Q1 ZZ',
    });
  });

  it('reassembles a TD2 long document number', () => {
    expect(parsed(TD2_LONG)).toEqual({ ...parsed(TD2), documentNumber: 'D23145890734' });
  });

  it('joins TD1 optional data elements with spaces', () => {
    const lines = ['I<UTOD231458907ABC<XYZ<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<7', TD1[2]];
    expect(parsed(lines).personalNumber).toBe('ABC XYZ');
    expect(parsed(lines).valid).toBe(true);
  });

  it.each([
    ['D<<', 'D', 'Germany'],
    ['UTO', 'UTO', 'Utopia'],
    ['FRA', 'FRA', 'France'],
    ['XXA', 'XXA', 'Stateless person'],
    ['GBN', 'GBN', 'British National (Overseas)'],
    ['UNO', 'UNO', 'United Nations'],
    ['EUE', 'EUE', 'European Union'],
    ['RKS', 'RKS', 'Kosovo'],
    ['QQQ', 'QQQ', null],
  ])('names the issuing country %s', (field, code, name) => {
    const mrz = parsed(resealTd3Composite(replaceAt(TD3, 1, 3, field)));
    expect([mrz.issuingCountry, mrz.issuingCountryName, mrz.valid]).toEqual([code, name, true]);
  });
});

describe('parseMrz: check digits', () => {
  // [field, line, position of its check digit, digit the specimen holds]
  const td3Checks: [MrzCheck['field'], number, number, number][] = [
    ['documentNumber', 2, 10, 6],
    ['dateOfBirth', 2, 20, 2],
    ['expiryDate', 2, 28, 9],
    ['personalNumber', 2, 43, 1],
    ['composite', 2, 44, 0],
  ];

  it.each(td3Checks)('TD3: a wrong %s check digit fails that check alone', (field, line, position, digit) => {
    const wrong = (digit + 1) % 10;
    const altered = replaceAt(TD3, line, position, String(wrong));
    const mrz = parsed(field === 'composite' ? altered : resealTd3Composite(altered));
    expect(mrz.valid).toBe(false);
    expect(failedChecks(mrz)).toEqual([field]);
    expect(mrz.problems).toEqual([`${field}: check digit ${wrong} does not match computed ${digit}`]);
    expect(mrz.documentNumber).toBe('L898902C3');
  });

  const td1Checks: [MrzCheck['field'], number, number, number][] = [
    ['documentNumber', 1, 15, 7],
    ['dateOfBirth', 2, 7, 2],
    ['expiryDate', 2, 15, 9],
    ['composite', 2, 30, 6],
  ];

  it.each(td1Checks)('TD1: a wrong %s check digit fails that check alone', (field, line, position, digit) => {
    const wrong = (digit + 1) % 10;
    const altered = replaceAt(TD1, line, position, String(wrong));
    const mrz = parsed(field === 'composite' ? altered : resealTd1Composite(altered));
    expect(mrz.valid).toBe(false);
    expect(failedChecks(mrz)).toEqual([field]);
    expect(mrz.problems).toEqual([`${field}: check digit ${wrong} does not match computed ${digit}`]);
  });

  it('fails the field and the composite when a data character is misread', () => {
    const mrz = parsed(replaceAt(TD3, 2, 2, '9'));
    expect(failedChecks(mrz)).toEqual(['documentNumber', 'composite']);
    expect(mrz.documentNumber).toBe('L998902C3');
  });

  it('fails a misread TD1 long document number on its check digit in the optional data', () => {
    const mrz = parsed(resealTd1Composite(replaceAt(TD1_LONG, 1, 19, '8')));
    expect(failedChecks(mrz)).toEqual(['documentNumber']);
    expect(mrz.problems).toEqual(['documentNumber: check digit 8 does not match computed 9']);
  });

  it('reports a TD1 filler check digit with no continuation of the number', () => {
    const mrz = parsed(resealTd1Composite(replaceAt(TD1, 1, 15, '<')));
    expect(failedChecks(mrz)).toEqual(['documentNumber']);
    expect(mrz.problems).toEqual([
      'documentNumber: check digit is < but the optional data does not continue the number',
    ]);
  });

  it('does not read a TD3 filler check digit as a long document number', () => {
    const mrz = parsed(resealTd3Composite(replaceAt(TD3, 2, 10, '<')));
    expect(mrz.problems).toEqual(['documentNumber: check digit < does not match computed 6']);
  });

  it.each(['<', '0'])('accepts %s as the check digit of an empty TD3 personal number', (digit) => {
    const mrz = parsed(resealTd3Composite(replaceAt(TD3, 2, 29, `${'<'.repeat(14)}${digit}`)));
    expect(mrz.valid).toBe(true);
    expect(mrz.personalNumber).toBeNull();
  });

  it('rejects any other check digit for an empty TD3 personal number', () => {
    const mrz = parsed(resealTd3Composite(replaceAt(TD3, 2, 29, `${'<'.repeat(14)}5`)));
    expect(mrz.problems).toEqual(['personalNumber: check digit 5 does not match computed 0']);
  });

  it('rejects a filler check digit when the personal number is not empty', () => {
    const mrz = parsed(resealTd3Composite(replaceAt(TD3, 2, 43, '<')));
    expect(mrz.problems).toEqual(['personalNumber: check digit < does not match computed 1']);
  });
});

describe('parseMrz: fields', () => {
  const withLine2 = (position: number, text: string): ParsedMrz =>
    parsed(resealTd3(replaceAt(TD3, 2, position, text)));

  it('resolves the birth century so the date is not in the future', () => {
    expect(withLine2(14, '261125').dateOfBirth).toBe('2026-11-25');
    expect(withLine2(14, '261126').dateOfBirth).toBe('1926-11-26');
    expect(withLine2(14, '000229').dateOfBirth).toBe('2000-02-29');
  });

  it('resolves the expiry century within 20 years ahead', () => {
    expect(withLine2(22, '461125').expiryDate).toBe('2046-11-25');
    expect(withLine2(22, '461126').expiryDate).toBe('1946-11-26');
    expect(withLine2(22, '310101').expiryDate).toBe('2031-01-01');
  });

  it('defaults now to the current date', () => {
    const thisYear = new Date().getUTCFullYear() % 100;
    const result = parseMrz(
      zone(resealTd3(replaceAt(TD3, 2, 14, `${String(thisYear).padStart(2, '0')}0101`))),
    );
    expect(result.ok && result.mrz.dateOfBirth).toBe(`${new Date().getUTCFullYear()}-01-01`);
  });

  it.each([
    ['741312', 'dateOfBirth'],
    ['740230', 'dateOfBirth'],
    ['7408A2', 'dateOfBirth'],
  ])('reports %s as not a date', (raw, field) => {
    const mrz = withLine2(14, raw);
    expect(mrz.dateOfBirth).toBeNull();
    expect(mrz.problems).toEqual([`${field}: ${raw} is not a date`]);
    expect(mrz.valid).toBe(false);
  });

  it('reports 29 February of a year that is not a leap year (the century decides)', () => {
    expect(withLine2(22, '010229').problems).toEqual(['expiryDate: 010229 is not a date']);
  });

  it.each(['<<<<<<', '74<<<<', '7408<<'])('reads %s as an unknown date of birth, not a problem', (raw) => {
    const mrz = withLine2(14, raw);
    expect([mrz.dateOfBirth, mrz.valid]).toEqual([null, true]);
  });

  it.each([
    ['F', 'F'],
    ['M', 'M'],
    ['<', 'X'],
    ['X', 'X'],
  ])('reads sex %s as %s', (raw, sex) => {
    const mrz = withLine2(21, raw);
    expect([mrz.sex, mrz.valid]).toEqual([sex, true]);
  });

  it('reports an unknown sex marker', () => {
    expect(withLine2(21, 'Q').problems).toEqual(['sex: Q is not F, M or <']);
  });

  it('reads fillers inside the name as spaces and leaves forenames empty without a separator', () => {
    const lines = resealTd3Composite(replaceAt(TD3, 1, 6, `VAN<DER<BERG${'<'.repeat(27)}`));
    expect(parsed(lines)).toMatchObject({ surname: 'VAN DER BERG', forenames: '', valid: true });
  });

  it('reads a name that fills its field without trailing fillers', () => {
    const lines = replaceAt(TD3, 1, 6, `ERIKSSON<<ANNA<MARIA<${'X'.repeat(18)}`);
    expect(parsed(lines).forenames).toBe(`ANNA MARIA ${'X'.repeat(18)}`);
  });

  it('reports digits in the name and an empty surname', () => {
    expect(parsed(replaceAt(TD3, 1, 9, '5')).problems).toEqual([
      'name: digit 5 at line 1 position 9; names are letters only',
    ]);
    expect(parsed(replaceAt(TD1, 3, 1, '<<<<<<<<')).problems).toEqual([
      'name: the surname (primary identifier) is empty',
    ]);
  });

  it('reports a document code that does not fit the format', () => {
    expect(parsed(replaceAt(TD3, 1, 1, 'I<')).problems).toEqual([
      'documentCode: a TD3 document code starts with P (or V for a visa), got I',
    ]);
    expect(parsed(replaceAt(TD1, 1, 1, 'P<')).problems).toEqual([
      'documentCode: a TD1 document code starts with A, C or I, got P',
    ]);
    expect(parsed(replaceAt(TD2, 1, 1, '<I')).problems).toEqual([
      'documentCode: <I is not a document code (a letter, then a letter or <)',
    ]);
  });

  it('treats a TD1 card with a V code as a card, not a visa', () => {
    const mrz = parsed(replaceAt(TD1, 1, 1, 'V'));
    expect([mrz.isVisa, mrz.problems]).toEqual([
      false,
      ['documentCode: a TD1 document code starts with A, C or I, got V'],
    ]);
  });

  it('reports a country code that holds a digit', () => {
    const mrz = parsed(resealTd3Composite(replaceAt(TD3, 2, 11, 'UT0')));
    expect(mrz.problems).toEqual(['nationality: UT0 is not a country code']);
    expect(mrz.nationalityName).toBeNull();
  });
});

describe('parseMrz: input tolerance', () => {
  const expected = parseMrz(zone(TD3), NOW);

  it.each([
    ['CRLF line breaks', TD3.join('\r\n')],
    ['a trailing line break', `${TD3.join('\n')}\n`],
    ['one run of 88 characters', TD3.join('')],
    ['lower case', TD3.join('\n').toLowerCase()],
    ['spaces, tabs and blank lines around the lines', `\n  ${TD3[0]}\t\r\n\n \t${TD3[1]}  \n\n`],
  ])('reads %s', (_label, input) => {
    expect(parseMrz(input, NOW)).toEqual(expected);
  });

  it('reads TD1 and TD2 zones given as one run', () => {
    expect(parseMrz(TD1.join(''), NOW)).toEqual(parseMrz(zone(TD1), NOW));
    expect(parseMrz(TD2.join(''), NOW)).toEqual(parseMrz(zone(TD2), NOW));
  });

  it.each([
    ['a short line 2', [TD3[0], TD3[1].slice(0, 43)], ['line 2: expected 44 characters, got 43']],
    ['a long line 1', [`${TD3[0]}<`, TD3[1]], ['line 1: expected 44 characters, got 45']],
    ['a short TD1 line 3', [TD1[0], TD1[1], TD1[2].slice(1)], ['line 3: expected 30 characters, got 29']],
    [
      'two lines of no known length',
      [TD3[0].slice(0, 40), TD3[1].slice(0, 41)],
      ['line 1: expected 36 or 44 characters, got 40', 'line 2: expected 36 or 44 characters, got 41'],
    ],
    [
      'one line',
      [TD3[0]],
      ['input: expected 2 or 3 lines (or one run of 72, 88 or 90 characters), got one line of 44'],
    ],
    ['four lines', [...TD1, TD1[2]], ['input: expected 2 or 3 lines, got 4']],
    ['nothing', [], ['input: no MRZ lines found']],
  ])('refuses %s', (_label, lines, problems) => {
    expect(parseMrz(zone(lines), NOW)).toEqual({ ok: false, problems });
  });

  it('names the line and position of a bad character', () => {
    expect(parseMrz(zone(replaceAt(TD3, 2, 7, '#')), NOW)).toEqual({
      ok: false,
      problems: ["line 2: invalid character '#' at position 7"],
    });
  });

  it('lists every bad character, showing invisible and non-ASCII ones as code points', () => {
    const lines = replaceAt(replaceAt(replaceAt(TD1, 1, 3, 'É'), 1, 10, ' '), 3, 30, '\t');
    expect(parseMrz(zone(lines), NOW)).toEqual({
      ok: false,
      problems: [
        'line 1: invalid characters U+00C9 at position 3, U+0020 at position 10',
        'line 3: expected 30 characters, got 29',
      ],
    });
  });

  it('caps the list of bad characters', () => {
    const result = parseMrz(zone([TD3[0], '?'.repeat(44)]), NOW);
    const listed = Array.from({ length: 10 }, (_, i) => `'?' at position ${i + 1}`).join(', ');
    expect(result).toEqual({ ok: false, problems: [`line 2: invalid characters ${listed} and 34 more`] });
  });

  it('reports wrong lengths and bad characters together', () => {
    const lines = [TD3[0], `${TD3[1].slice(0, 42)}*`];
    expect(parseMrz(zone(lines), NOW)).toEqual({
      ok: false,
      problems: ['line 2: expected 44 characters, got 43', "line 2: invalid character '*' at position 43"],
    });
  });

  it('does not throw on input that is not a string', () => {
    expect(parseMrz(undefined as unknown as string)).toEqual({
      ok: false,
      problems: ['input: expected a string'],
    });
    expect(parseMrz(zone(TD3), 'soon' as unknown as Date).ok).toBe(true);
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (input) => {
        expect(typeof parseMrz(input, NOW).ok).toBe('boolean');
      }),
    );
  });

  it('decodes any zone of the right shape and alphabet, however garbled', () => {
    const run = (length: number) => fc.stringMatching(new RegExp(`^[A-Z0-9<]{${length}}$`));
    fc.assert(
      fc.property(fc.oneof(run(90), run(72), run(88)), (input) => {
        expect(parseMrz(input, NOW).ok).toBe(true);
      }),
    );
  });
});

describe('buildMrz', () => {
  const eriksson = {
    issuingCountry: 'UTO',
    surname: 'Eriksson',
    forenames: 'Anna Maria',
    nationality: 'UTO',
    dateOfBirth: '1974-08-12',
    sex: 'F',
    expiryDate: '2012-04-15',
  } as const;
  const visa = {
    ...eriksson,
    documentCode: 'V',
    documentNumber: 'L8988901C',
    nationality: 'XXX',
    dateOfBirth: '1940-09-07',
    expiryDate: '1996-12-10',
  } as const;

  it.each<[string, MrzFields, string[]]>([
    [
      'TD3',
      {
        ...eriksson,
        format: 'TD3',
        documentCode: 'P',
        documentNumber: 'L898902C3',
        personalNumber: 'ZE184226B',
      },
      TD3,
    ],
    ['TD1', { ...eriksson, format: 'TD1', documentCode: 'I', documentNumber: 'D23145890' }, TD1],
    ['TD2', { ...eriksson, format: 'TD2', documentCode: 'I', documentNumber: 'D23145890' }, TD2],
    ['MRV-A', { ...visa, format: 'TD3', personalNumber: '6ZE184226B' }, MRV_A],
    ['MRV-B', { ...visa, format: 'TD2' }, MRV_B],
    [
      'TD1 long number',
      { ...eriksson, format: 'TD1', documentCode: 'I', documentNumber: 'D23145890734' },
      TD1_LONG,
    ],
    [
      'TD1 long number and optional data',
      {
        ...eriksson,
        format: 'TD1',
        documentCode: 'I',
        documentNumber: 'D23145890AB11223456',
        personalNumber: 'Q1 ZZ',
      },
      TD1_LONG_OPTIONAL,
    ],
    [
      'TD2 long number',
      { ...eriksson, format: 'TD2', documentCode: 'I', documentNumber: 'D23145890734' },
      TD2_LONG,
    ],
  ])('writes the %s specimen', (_label, fields, lines) => {
    expect(buildMrz(fields)).toBe(zone(lines));
  });

  it('transliterates names and truncates them to the field', () => {
    const lines = buildMrz({
      ...eriksson,
      format: 'TD3',
      documentCode: 'P',
      documentNumber: 'C01X00T47',
      issuingCountry: 'D',
      nationality: 'D',
      surname: "Müller-Lüdenscheidt O'Brien",
      forenames: 'Jürgen  Łukasz',
      sex: 'X',
    }).split('\n');
    expect(lines[0]).toBe('P<D<<MUELLER<LUEDENSCHEIDT<OBRIEN<<JUERGEN<L');
    expect(parsed(lines)).toMatchObject({ surname: 'MUELLER LUEDENSCHEIDT OBRIEN', sex: 'X', valid: true });
  });

  it('writes an empty TD3 personal number with a filler check digit and unknown dates as fillers', () => {
    const mrz = buildMrz({
      ...eriksson,
      format: 'TD3',
      documentCode: 'P',
      documentNumber: 'L898902C3',
      dateOfBirth: null,
    });
    expect(mrz.split('\n')[1]).toBe('L898902C36UTO<<<<<<0F1204159<<<<<<<<<<<<<<<8');
    expect(parseMrz(mrz, NOW)).toMatchObject({ ok: true, mrz: { dateOfBirth: null, valid: true } });
  });

  const base: MrzFields = { ...eriksson, format: 'TD3', documentCode: 'P', documentNumber: 'L898902C3' };

  it.each<[string, Partial<MrzFields>, string]>([
    [
      'a long TD3 number',
      { documentNumber: 'L898902C31' },
      'documentNumber: L898902C31 is longer than 9 characters',
    ],
    [
      'a long visa number',
      { format: 'TD2', documentCode: 'V', documentNumber: 'L898902C31' },
      'longer than 9',
    ],
    [
      'a TD1 number past 22',
      { format: 'TD1', documentCode: 'I', documentNumber: 'A'.repeat(23) },
      'documentNumber',
    ],
    [
      'a TD2 number past 14',
      { format: 'TD2', documentCode: 'I', documentNumber: 'A'.repeat(15) },
      'too long',
    ],
    ['an impossible date', { expiryDate: '2026-02-30' }, 'expiryDate: 2026-02-30 is not an ISO date'],
    ['a name MRZ cannot hold', { surname: 'Smith@home' }, "surname: cannot write 'Smith@home'"],
    ['no surname', { surname: ' ' }, 'surname: required'],
    ['a passport code on a card', { format: 'TD1' }, 'a TD1 document code starts with A, C or I, got P'],
    [
      'a too long personal number',
      { personalNumber: 'ABCDEFGHIJ ABCDE' },
      'personalNumber: ABCDEFGHIJ ABCDE',
    ],
    ['a bad country', { nationality: 'U2O' }, "nationality: cannot write 'U2O'"],
    ['an unknown format', { format: 'TD4' as MrzFormat }, 'format: TD4 is not TD1, TD2 or TD3'],
  ])('refuses %s', (_label, change, message) => {
    expect(() => buildMrz({ ...base, ...change })).toThrow(RangeError);
    expect(() => buildMrz({ ...base, ...change })).toThrow(message);
  });
});

describe('buildMrz and parseMrz round trip', () => {
  const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');
  const NAME_LENGTH: Record<MrzFormat, number> = { TD1: 30, TD2: 31, TD3: 39 };

  const words = (pattern: string, maxWords: number) =>
    fc.array(fc.stringMatching(new RegExp(`^${pattern}$`)), { minLength: 1, maxLength: maxWords });
  const optionalData = (capacity: number) =>
    capacity < 1
      ? fc.constant(null)
      : fc
          .option(
            words(`[A-Z0-9]{1,${Math.min(capacity, 6)}}`, 3).map((w) => w.join(' ')),
            { nil: null },
          )
          .filter((value) => value === null || value.length <= capacity);
  const code = (firstLetters: string[]) =>
    fc.tuple(fc.constantFrom(...firstLetters), fc.constantFrom('', ...LETTERS)).map(([a, b]) => a + b);
  const country = fc.oneof(
    fc.constantFrom('UTO', 'D', 'FRA', 'XXA', 'GBN', 'EUE'),
    fc.stringMatching(/^[A-Z]{1,3}$/),
  );
  const day = (min: string, max: string) =>
    fc.option(
      fc
        .date({ min: new Date(`${min}T00:00:00Z`), max: new Date(`${max}T23:59:59Z`), noInvalidDate: true })
        .map((date) => date.toISOString().slice(0, 10)),
      { nil: null, freq: 10 },
    );
  const documentNumber = (maxLength: number) => fc.stringMatching(new RegExp(`^[A-Z0-9]{1,${maxLength}}$`));
  // What the optional data has left once a long number has overflowed into it (number, check digit, filler).
  const leftOver = (number: string, length: number) =>
    number.length > 9 ? length - (number.length - 9) - 2 : length;

  const common = {
    issuingCountry: country,
    nationality: country,
    surname: words('[A-Z]{1,8}', 3).map((w) => w.join(' ')),
    forenames: fc.option(
      words('[A-Z]{1,8}', 3).map((w) => w.join(' ')),
      { nil: '' },
    ),
    // Any birth in the 100 years up to NOW, any expiry in the 100 years up to 20 years after it.
    dateOfBirth: day('1926-11-26', '2026-11-25'),
    expiryDate: day('1946-11-26', '2046-11-25'),
    sex: fc.constantFrom('F', 'M', 'X') as fc.Arbitrary<'F' | 'M' | 'X'>,
  };

  const td3 = fc.record({
    ...common,
    format: fc.constant('TD3' as const),
    documentCode: code(['P']),
    documentNumber: documentNumber(9),
    personalNumber: optionalData(14),
  });
  const mrvA = fc.record({
    ...common,
    format: fc.constant('TD3' as const),
    documentCode: code(['V']),
    documentNumber: documentNumber(9),
    personalNumber: optionalData(16),
  });
  const mrvB = fc.record({
    ...common,
    format: fc.constant('TD2' as const),
    documentCode: code(['V']),
    documentNumber: documentNumber(9),
    personalNumber: optionalData(8),
  });
  const td2 = documentNumber(14).chain((number) =>
    fc.record({
      ...common,
      format: fc.constant('TD2' as const),
      documentCode: code(['A', 'C', 'I']),
      documentNumber: fc.constant(number),
      personalNumber: optionalData(leftOver(number, 7)),
    }),
  );
  // Words of at most 5 characters, at most two: whatever the line 1 overflow leaves, line 2 (11) takes them.
  const td1 = fc.record({
    ...common,
    format: fc.constant('TD1' as const),
    documentCode: code(['A', 'C', 'I']),
    documentNumber: documentNumber(22),
    personalNumber: fc.option(
      words('[A-Z0-9]{1,5}', 2).map((w) => w.join(' ')),
      { nil: null },
    ),
  });

  const anyFields: fc.Arbitrary<MrzFields> = fc
    .oneof(td1, td2, td3, mrvA, mrvB)
    .filter((f) => f.surname.length + (f.forenames ? f.forenames.length + 2 : 0) <= NAME_LENGTH[f.format]);

  const CHECKS: Record<string, MrzCheck['field'][]> = {
    TD1: ['documentNumber', 'dateOfBirth', 'expiryDate', 'composite'],
    TD2: ['documentNumber', 'dateOfBirth', 'expiryDate', 'composite'],
    TD3: ['documentNumber', 'dateOfBirth', 'expiryDate', 'personalNumber', 'composite'],
    visa: ['documentNumber', 'dateOfBirth', 'expiryDate'],
  };

  it('parses what it builds back to the same fields, valid', () => {
    fc.assert(
      fc.property(anyFields, (fields) => {
        const result = parseMrz(buildMrz(fields), NOW);
        const isVisa = fields.documentCode.startsWith('V');
        expect(result).toEqual({
          ok: true,
          mrz: expect.objectContaining({
            format: fields.format,
            isVisa,
            documentCode: fields.documentCode,
            issuingCountry: fields.issuingCountry,
            documentNumber: fields.documentNumber,
            surname: fields.surname,
            forenames: fields.forenames,
            nationality: fields.nationality,
            dateOfBirth: fields.dateOfBirth,
            sex: fields.sex,
            expiryDate: fields.expiryDate,
            personalNumber: fields.personalNumber ?? null,
            valid: true,
            problems: [],
          }),
        });
        const checks = result.ok ? result.mrz.checks : [];
        expect(checks).toEqual(allValid(...CHECKS[isVisa ? 'visa' : fields.format]));
      }),
      { numRuns: 500 },
    );
  });
});
