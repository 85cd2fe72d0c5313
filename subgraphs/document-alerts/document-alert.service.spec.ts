import type { DataSource } from 'typeorm';
import { DocumentType } from '../../shared/documents/document-type';
import { BadUserInputError } from '../../shared/errors';
import { FraudType } from './document-alert.entity';
import type { PublishDocumentAlertInput } from './document-alert.input';
import { validateAlert } from './document-alert.service';

/**
 * The alert rules without HTTP. A number pattern is checked by PostgreSQL's own regular expressions: where a case
 * gives one, a stand-in answers that the pattern does not match the empty string; elsewhere the database must not
 * be reached at all (the stand-in throws).
 */
const NOW = new Date('2026-06-15T12:00:00Z');
const NO_DATABASE = new Proxy(
  {},
  {
    get: () => {
      throw new Error('the database was reached');
    },
  },
) as DataSource;

const alert = (over: Partial<PublishDocumentAlertInput> = {}): PublishDocumentAlertInput => ({
  issuingCountry: 'FRA',
  documentType: DocumentType.PASSPORT,
  fraudType: FraudType.COUNTERFEIT,
  description: 'Counterfeit passports of the 2019 series',
  indicators: ['Laminate peels at the corner'],
  ...over,
});

/** Answers `SELECT '' ~ $1` with false, as PostgreSQL does for a pattern that needs at least one character. */
const PATTERN_CHECK = { query: async () => [{ matches: false }] } as unknown as DataSource;

async function problemsOf(input: PublishDocumentAlertInput, db = NO_DATABASE): Promise<unknown> {
  const error = await validateAlert(db, input, NOW).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(BadUserInputError);
  return (error as BadUserInputError).extensions.problems;
}

test('a valid alert with a number range is returned unsaved, reviewed 10 years on by default', async () => {
  expect(
    await validateAlert(NO_DATABASE, alert({ numberFrom: '12AB00000', numberTo: '12AB99999' }), NOW),
  ).toEqual({
    issuingCountry: 'FRA',
    documentType: DocumentType.PASSPORT,
    series: null,
    fraudType: FraudType.COUNTERFEIT,
    description: 'Counterfeit passports of the 2019 series',
    indicators: ['Laminate peels at the corner'],
    numberFrom: '12AB00000',
    numberTo: '12AB99999',
    numberPattern: null,
    reviewDate: '2036-06-15',
    allowedCountries: null,
    excludedCountries: [],
    allowedAgencyKinds: null,
    excludedAgencyKinds: [],
  });
});

test('a range needs both ends, of one length, in order', async () => {
  expect(await problemsOf(alert({ numberFrom: '12AB00000' }))).toEqual([
    { field: 'input.numberTo', reason: 'is required with numberFrom' },
  ]);
  expect(await problemsOf(alert({ numberFrom: '12AB00000', numberTo: '12AB0000' }))).toEqual([
    { field: 'input.numberTo', reason: 'must have as many characters as numberFrom (9)' },
  ]);
  expect(await problemsOf(alert({ numberFrom: '12AB00009', numberTo: '12AB00000' }))).toEqual([
    { field: 'input.numberTo', reason: 'must not come before numberFrom' },
  ]);
});

test('a range and a pattern together are refused, and so are no indicators, all named at once', async () => {
  expect(
    await problemsOf(
      alert({ numberFrom: '1', numberTo: '2', numberPattern: '^1', indicators: [] }),
      PATTERN_CHECK,
    ),
  ).toEqual([
    { field: 'input.indicators', reason: 'must list 1 to 20 indicators' },
    { field: 'input.numberPattern', reason: 'give a number range or a pattern, not both' },
  ]);
});
