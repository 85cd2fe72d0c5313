import { ncbOf, type SeedContext } from './context';
import { addDays, addYears, isoDate } from './dates';
import { validity, type DocumentTypeName } from './documents';
import { aliasOf, type PersonName } from './names';
import { ncbCountry, OWNER_WEIGHTS } from './ncb-countries';
import {
  CANCELLATION_REASONS,
  CHARGES,
  distinguishingMarks,
  issuingAuthority,
  missingPersonTitle,
  REFUSAL_REASONS,
  TITLES,
  unidentifiedBodyTitle,
  warrantNumber,
} from './notice-texts';
import { randomPerson, type Person } from './person';
import { someRestrictions } from './restrictions';
import { otherCountry, type LinkedDocument } from './sltd';
import {
  UNRESTRICTED,
  type AliasRow,
  type NoticeDocumentRow,
  type NoticeRow,
  type NoticeStatusName,
  type NoticeTypeName,
  type WarrantRow,
} from './tables';

const TYPE_WEIGHTS: Readonly<Record<NoticeTypeName, number>> = {
  RED: 40,
  YELLOW: 25,
  BLUE: 10,
  GREEN: 8,
  UN_SPECIAL: 4,
  BLACK: 4,
  ORANGE: 3,
  PURPLE: 3,
  SILVER: 3,
};

// Showcase notices have a person with documents, so only the types about a (known) person.
const SHOWCASE_TYPE_WEIGHTS = {
  RED: 40,
  YELLOW: 25,
  BLUE: 12,
  GREEN: 10,
  UN_SPECIAL: 5,
  SILVER: 4,
  ORANGE: 4,
} as const;

const STATUS_WEIGHTS: Readonly<Record<NoticeStatusName, number>> = {
  PUBLISHED: 90,
  REQUESTED: 5,
  CANCELLED: 3,
  REFUSED: 2,
};

/**
 * The most recent notices are published, unrestricted and hold documents, most of them on file in the SLTD:
 * the first page of any notice list (50, newest first) then shows records from every subgraph
 * (LinkedRecords).
 */
export const SHOWCASE_NOTICES = 64;

const SHOWCASE_DAYS = 90;
/** The General Secretariat reviews a request within days. */
const PUBLICATION_DAYS = 3;
const REVIEW_YEARS = 5;
const NOTICE_HISTORY_YEARS = 5;
const RESTRICTED_SHARE = 0.04;

/** A notice before its control number is issued: numbers follow the request order, known only at the end. */
type NoticeDraft = Omit<NoticeRow, 'controlNumber'>;

/** A notice with its dependent rows. */
export interface NoticeBundle {
  notice: NoticeDraft;
  /** One of the newest, published, unrestricted notices with documents (see SHOWCASE_NOTICES). */
  showcase: boolean;
  aliases: AliasRow[];
  warrants: WarrantRow[];
  documents: NoticeDocumentRow[];
  /** Its documents that are to be on file in the SLTD too. */
  linked: LinkedDocument[];
}

interface Subject {
  person: Person | null;
  sex: 'F' | 'M' | null;
  age: number;
  nationalities: string[];
  dateOfBirthKnown: boolean;
}

export function randomNotice(context: SeedContext, showcase: boolean): NoticeBundle {
  const { random } = context;
  const type: NoticeTypeName = showcase
    ? random.weighted(SHOWCASE_TYPE_WEIGHTS)
    : random.weighted(TYPE_WEIGHTS);
  const status: NoticeStatusName = showcase ? 'PUBLISHED' : random.weighted(STATUS_WEIGHTS);
  const ownerCountry = showcase && random.chance(0.35) ? 'FRA' : random.weighted(OWNER_WEIGHTS);
  const requestedAt = requestDate(context, showcase, status);
  const publishedAt =
    status === 'PUBLISHED' || status === 'CANCELLED'
      ? random.instant(addDays(requestedAt, 1), addDays(requestedAt, PUBLICATION_DAYS))
      : null;
  const id = random.uuid();
  const subject = subjectFor(context, type, ownerCountry, requestedAt, showcase);
  const charges = type === 'RED' ? random.sample(CHARGES, random.int(1, 3)) : [];
  const notice: NoticeDraft = {
    id,
    type,
    status,
    title: titleFor(context, type, ownerCountry, subject, requestedAt, charges),
    ownerAgencyId: ncbOf(context, ownerCountry).id,
    ownerCountry,
    subjectSurname: subject.person?.name.surname ?? null,
    subjectForenames: subject.person?.name.forenames ?? null,
    subjectDateOfBirth:
      subject.person && subject.dateOfBirthKnown ? isoDate(subject.person.dateOfBirth) : null,
    subjectSex: subject.sex,
    subjectNationalities: subject.nationalities,
    subjectPlaceOfBirth: subject.person ? placeOfBirth(context, subject.person.nationality) : null,
    distinguishingMarks: subject.person || type === 'BLACK' ? distinguishingMarks(random) : null,
    charges,
    requestedAt: requestedAt.toISOString(),
    publishedAt: publishedAt?.toISOString() ?? null,
    statusReason: statusReason(context, type, status),
    reviewDate: isoDate(addYears(publishedAt ?? requestedAt, REVIEW_YEARS)),
    restrictions: showcase ? UNRESTRICTED : someRestrictions(random, ownerCountry, RESTRICTED_SHARE),
  };
  const held = subject.person
    ? documentsHeld(context, subject.person, subject.nationalities, requestedAt, showcase)
    : [];
  return {
    notice,
    showcase,
    aliases: subject.person ? aliases(context, id, subject.person) : [],
    warrants: type === 'RED' ? warrants(context, id, ownerCountry, requestedAt, charges) : [],
    documents: held.map(({ document }) => ({ noticeId: id, ...document })),
    linked: held.filter((h) => h.onFile),
  };
}

function requestDate(context: SeedContext, showcase: boolean, status: NoticeStatusName): Date {
  const { random, now } = context;
  if (showcase) return random.instant(addDays(now, -SHOWCASE_DAYS), addDays(now, -PUBLICATION_DAYS));
  // Older than the showcase, so that the newest notices are published ones for every caller.
  const oldest = status === 'REQUESTED' ? addYears(now, -1) : addYears(now, -NOTICE_HISTORY_YEARS);
  return random.instant(oldest, addDays(now, -SHOWCASE_DAYS));
}

/**
 * Probability that the notice names a person: PURPLE notices describe methods, BLACK ones unidentified
 * bodies.
 */
const IDENTIFIED: Readonly<Partial<Record<NoticeTypeName, number>>> = {
  PURPLE: 0.3,
  ORANGE: 0.6,
  BLACK: 0.2,
  SILVER: 0.9,
};
const FEMALE: Readonly<Partial<Record<NoticeTypeName, number>>> = {
  RED: 0.15,
  YELLOW: 0.5,
  BLACK: 0.3,
  GREEN: 0.15,
};

function subjectFor(
  context: SeedContext,
  type: NoticeTypeName,
  ownerCountry: string,
  at: Date,
  showcase: boolean,
): Subject {
  const { random } = context;
  const identified = showcase || random.chance(IDENTIFIED[type] ?? 1);
  const [minAge, maxAge] = ageRange(context, type);
  if (!identified) {
    const sex = type === 'BLACK' ? (random.chance(FEMALE.BLACK ?? 0) ? 'F' : 'M') : null;
    return { person: null, sex, age: random.int(minAge, maxAge), nationalities: [], dateOfBirthKnown: false };
  }
  // Fugitives and missing persons are often foreigners in the requesting country.
  const nationality = random.chance(0.6) ? ownerCountry : otherCountry(context, ownerCountry);
  const person = randomPerson(random, nationality, { female: FEMALE[type] ?? 0.2, minAge, maxAge, at });
  const nationalities = random.chance(0.15)
    ? [nationality, otherCountry(context, nationality)]
    : [nationality];
  const age = at.getUTCFullYear() - person.dateOfBirth.getUTCFullYear();
  return {
    person,
    sex: person.sex,
    age,
    nationalities,
    dateOfBirthKnown: type !== 'BLACK' || random.chance(0.5),
  };
}

function ageRange(context: SeedContext, type: NoticeTypeName): [number, number] {
  const { random } = context;
  if (type === 'YELLOW') {
    // Many missing persons are children; some are elderly people who wandered off.
    if (random.chance(0.45)) return [3, 17];
    return random.chance(0.15) ? [70, 90] : [18, 60];
  }
  return type === 'BLACK' ? [18, 85] : [18, 70];
}

function titleFor(
  context: SeedContext,
  type: NoticeTypeName,
  ownerCountry: string,
  subject: Subject,
  requestedAt: Date,
  charges: readonly string[],
): string {
  const { random } = context;
  switch (type) {
    case 'RED':
      return charges[0];
    case 'YELLOW':
      return missingPersonTitle(random, ownerCountry, addDays(requestedAt, -random.int(1, 30)));
    case 'BLACK':
      return unidentifiedBodyTitle(
        random,
        ownerCountry,
        subject.sex ?? 'M',
        subject.age,
        addDays(requestedAt, -random.int(3, 60)),
      );
    default:
      return random.pick(TITLES[type]);
  }
}

function placeOfBirth(context: SeedContext, nationality: string): string | null {
  if (context.random.chance(0.15)) return null;
  const country = ncbCountry(nationality);
  return `${context.random.pick(country.cities)}, ${country.name}`;
}

function statusReason(context: SeedContext, type: NoticeTypeName, status: NoticeStatusName): string | null {
  const { random } = context;
  if (status === 'REFUSED') return random.pick(REFUSAL_REASONS);
  if (status === 'CANCELLED') return random.pick(CANCELLATION_REASONS[type] ?? CANCELLATION_REASONS.DEFAULT);
  return null;
}

function aliases(context: SeedContext, noticeId: string, person: Person): AliasRow[] {
  const { random } = context;
  const wanted = random.index([45, 35, 20]);
  const seen = new Set([nameKey(person.name)]);
  const rows: AliasRow[] = [];
  for (let attempt = 0; attempt < wanted * 3 && rows.length < wanted; attempt++) {
    const alias = aliasOf(random, person.name, person.group, person.sex);
    if (!alias || seen.has(nameKey(alias))) continue;
    seen.add(nameKey(alias));
    rows.push({ id: random.uuid(), noticeId, surname: alias.surname, forenames: alias.forenames });
  }
  return rows;
}

const nameKey = (name: PersonName): string => `${name.surname}/${name.forenames ?? ''}`;

function warrants(
  context: SeedContext,
  noticeId: string,
  country: string,
  requestedAt: Date,
  charges: string[],
): WarrantRow[] {
  const { random } = context;
  const count = random.chance(0.3) ? 2 : 1;
  return Array.from({ length: count }, () => {
    const issuedOn = addDays(requestedAt, -random.int(5, 700));
    return {
      id: random.uuid(),
      noticeId,
      warrantNumber: warrantNumber(random, country, issuedOn),
      issuingAuthority: issuingAuthority(random, country),
      issuedOn: isoDate(issuedOn),
      charges: random.sample(charges, random.int(1, charges.length)).join('; '),
    };
  });
}

interface HeldDocument extends LinkedDocument {
  onFile: boolean;
}

/**
 * The subject's passports and identity cards; some of them were reported lost or stolen (the SLTD has them).
 */
function documentsHeld(
  context: SeedContext,
  person: Person,
  nationalities: string[],
  before: Date,
  showcase: boolean,
): HeldDocument[] {
  const { random } = context;
  const count = showcase ? (random.chance(0.35) ? 2 : 1) : random.index([50, 38, 12]);
  const held: HeldDocument[] = [];
  for (let i = 0; i < count; i++) {
    const issuingCountry = nationalities[i] ?? nationalities[0];
    const documentType = documentKind(context, issuingCountry, held);
    if (!documentType) continue;
    const dates = validity(random, documentType, before, person.dateOfBirth);
    const year = dates.issueDate.getUTCFullYear();
    const documentNumber = context.documents.issue(random, issuingCountry, documentType, year);
    held.push({
      document: { issuingCountry, documentNumber, documentType },
      holder: { ...person, nationality: issuingCountry },
      validity: dates,
      onFile: random.chance(showcase ? 0.6 : 0.33),
    });
  }
  return held;
}

/** Mostly a passport; a second document of the same country is the other kind, where the country has both. */
function documentKind(
  context: SeedContext,
  country: string,
  held: readonly HeldDocument[],
): DocumentTypeName | null {
  const idCards = ncbCountry(country).idCards;
  const sameCountry = held.find((h) => h.document.issuingCountry === country);
  if (!sameCountry) return idCards && context.random.chance(0.25) ? 'ID_CARD' : 'PASSPORT';
  if (sameCountry.document.documentType === 'ID_CARD') return 'PASSPORT';
  return idCards ? 'ID_CARD' : null;
}
