import { ncbOf, type SeedContext } from './context';
import { addDays, addYears, isoDate } from './dates';
import {
  documentTypeFor,
  seriesFor,
  validity,
  type DocumentRef,
  type DocumentTypeName,
  type Validity,
} from './documents';
import { NCB_COUNTRIES, OWNER_WEIGHTS, ncbCountry } from './ncb-countries';
import { randomPerson, type Person } from './person';
import { someRestrictions } from './restrictions';
import { UNRESTRICTED, type Restrictions, type SltdRecordRow, type SltdStatusName } from './tables';

const STATUS_WEIGHTS: Readonly<Record<SltdStatusName, number>> = {
  STOLEN: 35,
  LOST: 50,
  REVOKED: 8,
  INVALID: 4,
  STOLEN_BLANK: 3,
};

// A wanted or missing person's own document: reported lost or stolen, or revoked by the issuing country.
const LINKED_STATUS_WEIGHTS: Readonly<Partial<Record<SltdStatusName, number>>> = {
  STOLEN: 45,
  LOST: 35,
  REVOKED: 20,
};

const THEFT_PLACES = [
  'hotel room',
  'rental car',
  'railway station',
  'airport terminal',
  'beach',
  'underground',
  'restaurant',
  'residential burglary',
  'bag snatched in the street',
  'car break-in',
  'festival',
  'bus station',
];
const BLANK_THEFT_PLACES = [
  'passport office',
  'town hall',
  'consulate',
  'secure transport from the printing works',
  'regional issuing centre',
];

const REPORTING_YEARS = 8;
const REVIEW_YEARS = 10;
const RESTRICTED_SHARE = 0.03;
const FOREIGN_DOCUMENT_SHARE = 0.03;

/** A document of a notice subject that is also on file in the SLTD: its holder is the subject. */
export interface LinkedDocument {
  document: DocumentRef;
  holder: Person;
  validity: Validity;
}

/** Reports of lost and stolen documents, owned by the NCB of the country that reported them. */
export function randomSltdRecord(context: SeedContext): SltdRecordRow {
  const { random, now } = context;
  const ownerCountry = random.weighted(OWNER_WEIGHTS);
  const issuingCountry = random.chance(FOREIGN_DOCUMENT_SHARE)
    ? otherCountry(context, ownerCountry)
    : ownerCountry;
  const status = random.weighted(STATUS_WEIGHTS);
  const documentType = documentTypeFor(random, issuingCountry);
  const reportedAt = random.instant(addYears(now, -REPORTING_YEARS), now);
  // A blank was stolen before anyone held it.
  const blank = status === 'STOLEN_BLANK';
  const dates = blank ? null : validity(random, documentType, reportedAt);
  const issueYear = (dates?.issueDate ?? reportedAt).getUTCFullYear();
  const documentNumber = context.documents.issue(random, issuingCountry, documentType, issueYear);
  const holder = blank
    ? null
    : holderOf(context, issuingCountry, documentType, dates?.issueDate ?? reportedAt);
  return sltdRow(context, {
    document: { issuingCountry, documentNumber, documentType },
    status,
    ownerCountry,
    reportedAt,
    holder,
    dates,
    series: seriesFor(issueYear),
    restrictions: someRestrictions(random, ownerCountry, RESTRICTED_SHARE),
  });
}

// ICAO 9303 codes for stateless persons and refugees, who travel on TRAVEL_DOCUMENTs.
const STATELESS_OR_REFUGEE = ['XXA', 'XXB', 'XXC'];

function holderOf(
  context: SeedContext,
  issuingCountry: string,
  documentType: DocumentTypeName,
  issued: Date,
): Person {
  const { random } = context;
  // Visas, residence permits and travel documents are issued to foreigners.
  const foreign =
    documentType === 'VISA' || documentType === 'RESIDENCE_PERMIT' || documentType === 'TRAVEL_DOCUMENT';
  const origin = foreign ? otherCountry(context, issuingCountry) : issuingCountry;
  const person = randomPerson(random, origin, { female: 0.48, minAge: 0, maxAge: 85, at: issued });
  if (documentType !== 'TRAVEL_DOCUMENT' || !random.chance(0.6)) return person;
  return { ...person, nationality: random.pick(STATELESS_OR_REFUGEE) };
}

/**
 * The SLTD record of a notice subject's document: reported by the issuing country's NCB, never restricted.
 */
export function linkedSltdRecord(context: SeedContext, linked: LinkedDocument): SltdRecordRow {
  const { random, now } = context;
  const earliest = new Date(
    Math.max(addDays(linked.validity.issueDate, 30).getTime(), addYears(now, -REPORTING_YEARS).getTime()),
  );
  return sltdRow(context, {
    document: linked.document,
    status: random.weighted(LINKED_STATUS_WEIGHTS),
    ownerCountry: linked.document.issuingCountry,
    reportedAt: random.instant(earliest, now),
    holder: linked.holder,
    dates: linked.validity,
    series: seriesFor(linked.validity.issueDate.getUTCFullYear()),
    restrictions: UNRESTRICTED,
  });
}

interface RecordFacts {
  document: DocumentRef;
  status: SltdStatusName;
  ownerCountry: string;
  reportedAt: Date;
  holder: Person | null;
  dates: Validity | null;
  series: string;
  restrictions: Restrictions;
}

// Rows are written as one literal: spreading parts into a 25-property object is ~30 times slower in V8, and
// the seed builds tens of thousands of them.
function sltdRow(context: SeedContext, facts: RecordFacts): SltdRecordRow {
  const { random } = context;
  const { document, holder, dates, reportedAt, ownerCountry, status } = facts;
  const theft = theftOf(context, status, ownerCountry, reportedAt);
  return {
    id: random.uuid(),
    issuingCountry: document.issuingCountry,
    documentNumber: document.documentNumber,
    documentType: document.documentType,
    status,
    series: facts.series,
    ownerAgencyId: ncbOf(context, ownerCountry).id,
    ownerCountry,
    nationalReference: random.chance(0.8)
      ? `${ownerCountry}/${reportedAt.getUTCFullYear()}/${random.digits(6)}`
      : null,
    holderSurname: holder?.name.surname ?? null,
    holderForenames: holder?.name.forenames ?? null,
    holderDateOfBirth: holder ? isoDate(holder.dateOfBirth) : null,
    holderNationality: holder?.nationality ?? null,
    issueDate: dates ? isoDate(dates.issueDate) : null,
    expiryDate: dates ? isoDate(dates.expiryDate) : null,
    theftDate: theft.theftDate,
    theftCountry: theft.theftCountry,
    theftPlace: theft.theftPlace,
    reportedAt: reportedAt.toISOString(),
    updatedAt: reportedAt.toISOString(),
    reviewDate: isoDate(addYears(reportedAt, REVIEW_YEARS)),
    restrictions: facts.restrictions,
  };
}

type TheftColumns = Pick<SltdRecordRow, 'theftDate' | 'theftCountry' | 'theftPlace'>;

/**
 * Where and when it went missing: stolen documents say where, lost ones often only when; revoked ones
 * neither.
 */
function theftOf(
  context: SeedContext,
  status: SltdStatusName,
  ownerCountry: string,
  reportedAt: Date,
): TheftColumns {
  const { random } = context;
  const none = { theftDate: null, theftCountry: null, theftPlace: null };
  if (status === 'REVOKED' || status === 'INVALID' || (status === 'LOST' && random.chance(0.4))) return none;
  const abroad = status !== 'STOLEN_BLANK' && random.chance(0.25);
  const country = abroad ? otherCountry(context, ownerCountry) : ownerCountry;
  const date = isoDate(addDays(reportedAt, -random.int(0, 20)));
  if (status === 'LOST') return { theftDate: date, theftCountry: country, theftPlace: null };
  const kinds = status === 'STOLEN_BLANK' ? BLANK_THEFT_PLACES : THEFT_PLACES;
  return {
    theftDate: date,
    theftCountry: country,
    theftPlace: `${random.pick(ncbCountry(country).cities)}, ${random.pick(kinds)}`,
  };
}

const REAL_COUNTRIES = NCB_COUNTRIES.map((country) => country.code).filter((code) => code !== 'UTO');

export function otherCountry(context: SeedContext, except: string): string {
  for (;;) {
    const code = context.random.pick(REAL_COUNTRIES);
    if (code !== except) return code;
  }
}
