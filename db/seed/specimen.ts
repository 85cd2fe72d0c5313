import { ncbOf, type SeedContext } from './context';
import { SPECIMEN_DOCUMENT } from './documents';
import type { NoticeBundle } from './notices';
import { UNRESTRICTED, type AlertRow, type SltdRecordRow } from './tables';

/**
 * The rows the contract (shared/contract/*.graphql) relies on, around ICAO 9303's specimen passport
 * (P<UTOERIKSSON<<ANNA<MARIA, L898902C3): its SLTD record (border check: HIT), a missing-person notice on its
 * holder (screenPerson, LinkedRecords) and a Dial-Doc alert on its number range. Fixed values; only ids come
 * from the random stream.
 */
const SPECIMEN_HOLDER = {
  surname: 'ERIKSSON',
  forenames: 'ANNA MARIA',
  dateOfBirth: '1974-08-12',
  nationality: 'UTO',
  sex: 'F',
} as const;

export const SPECIMEN_ALERT_NUMBER = 'DD-GS-2026-00001';

export function specimenRecord(context: SeedContext): SltdRecordRow {
  const ncb = ncbOf(context, 'UTO');
  return {
    id: context.random.uuid(),
    ...SPECIMEN_DOCUMENT,
    status: 'STOLEN',
    series: null,
    ownerAgencyId: ncb.id,
    ownerCountry: 'UTO',
    nationalReference: 'UTO/2025/000001',
    holderSurname: SPECIMEN_HOLDER.surname,
    holderForenames: SPECIMEN_HOLDER.forenames,
    holderDateOfBirth: SPECIMEN_HOLDER.dateOfBirth,
    holderNationality: SPECIMEN_HOLDER.nationality,
    issueDate: null,
    // The MRZ's expiry field: 120415.
    expiryDate: '2012-04-15',
    theftDate: '2025-06-01',
    theftCountry: 'UTO',
    theftPlace: 'Utopia City, railway station',
    reportedAt: '2025-06-02T09:30:00.000Z',
    updatedAt: '2025-06-02T09:30:00.000Z',
    reviewDate: '2035-06-02',
    restrictions: UNRESTRICTED,
  };
}

export function erikssonNotice(context: SeedContext): NoticeBundle {
  const { random } = context;
  const id = random.uuid();
  return {
    notice: {
      id,
      type: 'YELLOW',
      status: 'PUBLISHED',
      title: 'Missing since 1 September 2026 in Utopia City',
      ownerAgencyId: ncbOf(context, 'UTO').id,
      ownerCountry: 'UTO',
      subjectSurname: SPECIMEN_HOLDER.surname,
      subjectForenames: SPECIMEN_HOLDER.forenames,
      subjectDateOfBirth: SPECIMEN_HOLDER.dateOfBirth,
      subjectSex: SPECIMEN_HOLDER.sex,
      subjectNationalities: [SPECIMEN_HOLDER.nationality],
      subjectPlaceOfBirth: 'Utopia City, Utopia',
      distinguishingMarks: null,
      charges: [],
      requestedAt: '2026-09-03T08:30:00.000Z',
      publishedAt: '2026-09-05T14:00:00.000Z',
      statusReason: null,
      reviewDate: '2031-09-05',
      restrictions: UNRESTRICTED,
    },
    showcase: false,
    aliases: [{ id: random.uuid(), noticeId: id, surname: 'ERIKSON', forenames: 'ANNA' }],
    warrants: [],
    documents: [{ noticeId: id, ...SPECIMEN_DOCUMENT }],
    // Its SLTD record is the specimen record itself.
    linked: [],
  };
}

export function specimenAlert(context: SeedContext): AlertRow {
  const gs = context.generalSecretariat;
  return {
    id: context.random.uuid(),
    alertNumber: SPECIMEN_ALERT_NUMBER,
    issuingCountry: 'UTO',
    documentType: 'PASSPORT',
    series: null,
    fraudType: 'COUNTERFEIT',
    description:
      'Counterfeit passports of Utopia reproducing the ICAO 9303 specimen data page. First detected in ' +
      'Port Utopia.',
    indicators: ['Laminate lacks the OVD', 'MRZ font is not OCR-B', 'Page 32 stitching irregular'],
    numberFrom: 'L898902C0',
    numberTo: 'L898902C9',
    numberPattern: null,
    ownerAgencyId: gs.id,
    ownerCountry: gs.country,
    publishedAt: '2026-01-05T09:00:00.000Z',
    reviewDate: '2036-01-05',
    restrictions: UNRESTRICTED,
  };
}
