import type { DocumentType } from '../../shared/documents/document-type';
import { addDays, addYears, startOfDay } from './dates';
import { ncbCountry } from './ncb-countries';
import type { Random } from './random';

export type DocumentTypeName = `${DocumentType}`;

/** A document's identity across the subgraphs: the TravelDocument entity's key, plus its kind. */
export interface DocumentRef {
  issuingCountry: string;
  documentNumber: string;
  documentType: DocumentTypeName;
}

/**
 * Documents the contract names (shared/contract/*.graphql): the ICAO specimen is seeded on purpose; FRA
 * 00AA00000 is the border check's NO_HIT example and FRA 19FR12345 is the number the report example creates,
 * so neither may exist beforehand.
 */
export const SPECIMEN_DOCUMENT: DocumentRef = {
  issuingCountry: 'UTO',
  documentNumber: 'L898902C3',
  documentType: 'PASSPORT',
};
const RESERVED_DOCUMENTS: readonly Omit<DocumentRef, 'documentType'>[] = [
  { issuingCountry: 'FRA', documentNumber: '00AA00000' },
  { issuingCountry: 'FRA', documentNumber: '19FR12345' },
];

/**
 * Every document number handed out so far, so that a number is never issued twice by one country: the SLTD's
 * unique key is (issuing_country, document_number), and a document held by two notice subjects would be a
 * bug.
 */
export class DocumentRegistry {
  private readonly taken = new Set<string>();

  constructor() {
    for (const { issuingCountry, documentNumber } of [SPECIMEN_DOCUMENT, ...RESERVED_DOCUMENTS]) {
      this.taken.add(`${issuingCountry}:${documentNumber}`);
    }
  }

  /** A fresh number of `country`'s format for a document issued in `issueYear`. */
  issue(random: Random, country: string, type: DocumentTypeName, issueYear: number): string {
    for (;;) {
      const number = documentNumber(random, country, type, issueYear);
      const key = `${country}:${number}`;
      if (!this.taken.has(key)) {
        this.taken.add(key);
        return number;
      }
    }
  }
}

// German numbers avoid vowels and letters that read like digits; the first letter is the issuing authority.
const GERMAN_ALPHABET = '0123456789CFGHJKLMNPRTVWXYZ';

/** A number in the issuing country's own format, already in the hub's normal form (A-Z0-9). */
function documentNumber(random: Random, country: string, type: DocumentTypeName, issueYear: number): string {
  if (type === 'VISA' || type === 'RESIDENCE_PERMIT') return random.letters(2) + random.digits(7);
  switch (country) {
    case 'FRA':
      // 19FR12345: year of issue, two letters, five digits.
      return String(issueYear % 100).padStart(2, '0') + random.letters(2) + random.digits(5);
    case 'USA':
    case 'GBR':
      return random.digits(9);
    case 'DEU':
      // C01X00T47: passports start with C-K, identity cards with L-Y.
      return (
        random.letters(1, type === 'ID_CARD' ? 'LMNPRTVWXY' : 'CFGHJK') + random.letters(8, GERMAN_ALPHABET)
      );
    case 'UTO':
      return random.letters(1) + random.digits(6) + random.letters(1) + random.digits(1);
    default:
      return random.letters(random.int(1, 2)) + random.digits(7);
  }
}

export interface Validity {
  issueDate: Date;
  expiryDate: Date;
}

/**
 * Issued up to nine years before `before` (and after `notBefore`, the holder's birth); valid ten years, visas
 * three months to a year. Dates are whole days.
 */
export function validity(random: Random, type: DocumentTypeName, before: Date, notBefore?: Date): Validity {
  const latest = addDays(before, -20);
  const floor = addYears(before, -9);
  const earliest = notBefore && addDays(notBefore, 30) > floor ? addDays(notBefore, 30) : floor;
  const issueDate = startOfDay(earliest < latest ? random.instant(earliest, latest) : latest);
  if (type === 'VISA') return { issueDate, expiryDate: addDays(issueDate, random.pick([90, 180, 365])) };
  const years = type === 'RESIDENCE_PERMIT' ? random.pick([1, 5, 10]) : 10;
  return { issueDate, expiryDate: addDays(addYears(issueDate, years), -1) };
}

const WITH_ID_CARDS: Readonly<Partial<Record<DocumentTypeName, number>>> = {
  PASSPORT: 55,
  ID_CARD: 35,
  RESIDENCE_PERMIT: 5,
  VISA: 4,
  TRAVEL_DOCUMENT: 1,
};
const WITHOUT_ID_CARDS: Readonly<Partial<Record<DocumentTypeName, number>>> = {
  PASSPORT: 90,
  RESIDENCE_PERMIT: 5,
  VISA: 4,
  TRAVEL_DOCUMENT: 1,
};

/** The kinds of document a country's people carry, weighted: identity cards only where they exist. */
export function documentTypeFor(random: Random, country: string): DocumentTypeName {
  return random.weighted(ncbCountry(country).idCards ? WITH_ID_CARDS : WITHOUT_ID_CARDS);
}

// Years in which the demo countries introduced a document model; a document belongs to the latest before its
// issue.
const MODEL_YEARS = [2006, 2010, 2014, 2019, 2023];

export function seriesFor(issueYear: number): string {
  let series = MODEL_YEARS[0];
  for (const year of MODEL_YEARS) if (year <= issueYear) series = year;
  return String(series);
}

export const ALL_MODEL_SERIES = MODEL_YEARS.map(String);
