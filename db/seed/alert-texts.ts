import type { DocumentTypeName } from './documents';
import type { Random } from './random';
import type { FraudTypeName } from './tables';

/** What document examiners look for, per kind of fraud (Dial-Doc / FIELDS style detection indicators). */
const INDICATORS: Readonly<Record<FraudTypeName, readonly string[]>> = {
  COUNTERFEIT: [
    'Laminate lacks the OVD',
    'MRZ font is not OCR-B',
    'Offset print instead of intaglio on the inside cover',
    'UV-reactive fibres absent',
    'Microprinting illegible under magnification',
    'Guilloche lines broken or blurred',
    'Page 32 stitching irregular',
    'Chip does not answer: no ePassport certificate',
    'Watermark printed, not embedded in the paper',
    'Colour-shifting ink does not shift',
  ],
  FORGED: [
    'Photo substituted: laminate lifted at the edges',
    'Data page replaced: stitching redone with a different thread',
    'Biographical data altered by chemical erasure',
    'Ghost image does not match the main photo',
    'MRZ check digits do not match the visual zone',
    'Laser perforation missing through the photo',
    'Chip data differ from the printed data',
    'Glue residue under the laminate',
  ],
  FRAUDULENTLY_OBTAINED: [
    'Issued on a counterfeit birth certificate',
    'Holder cannot answer questions about the place of birth',
    'Several documents in different names with the same photo',
    'Issued shortly before first travel, far from the home address',
    'Biometric data match another identity in national records',
  ],
  IMPOSTOR: [
    'Photo resembles the holder only superficially (ear shape differs)',
    'Holder cannot reproduce the signature',
    'Apparent age does not match the date of birth',
    'Height differs from the recorded height',
    'Holder does not speak the language of the issuing country',
    'Fingerprint does not match the one in the chip',
  ],
  STOLEN_BLANK: [
    'Number within a series of blanks reported stolen',
    'Personalised by inkjet instead of laser engraving',
    'Issuing authority does not match the number series',
    'Chip not personalised',
    'Issue date later than the theft of the blank series',
  ],
  PSEUDO_DOCUMENT: [
    'Issued by an entity not recognised as a state or organisation',
    'Model absent from every official specimen collection',
    'Cover bears a fantasy coat of arms',
    'No machine readable zone',
    'Sold online as a "world passport"',
  ],
};

const GENERAL_INDICATORS = [
  'Font of the expiry date differs from the other fields',
  'Security thread missing',
  'Paper fluoresces under UV light',
  'Page numbering inconsistent',
  'Perforated number does not match the data page number',
];

/** Two to five indicators, mostly those of the fraud type. */
export function indicatorsFor(random: Random, fraudType: FraudTypeName): string[] {
  const count = random.int(2, 5);
  const specific = random.sample(INDICATORS[fraudType], Math.min(count, INDICATORS[fraudType].length));
  if (specific.length === count && random.chance(0.7)) return specific;
  return [...specific.slice(0, count - 1), random.pick(GENERAL_INDICATORS)];
}

const DOCUMENT_LABELS: Readonly<Record<DocumentTypeName, string>> = {
  PASSPORT: 'passport',
  ID_CARD: 'identity card',
  VISA: 'visa',
  RESIDENCE_PERMIT: 'residence permit',
  TRAVEL_DOCUMENT: 'travel document',
  SEAFARER_ID: 'seafarer identity document',
  OTHER: 'identity document',
};

export interface AlertSubject {
  fraudType: FraudTypeName;
  documentType: DocumentTypeName;
  countryName: string;
  series: string | null;
  /** Where the model was first detected. */
  city: string;
}

export function alertDescription(random: Random, subject: AlertSubject): string {
  const doc = DOCUMENT_LABELS[subject.documentType];
  const model = `${doc} of ${subject.countryName}${subject.series ? ` (series ${subject.series})` : ''}`;
  const seen = `First detected in ${subject.city}.`;
  switch (subject.fraudType) {
    case 'COUNTERFEIT':
      return `Counterfeit ${model}: a complete reproduction, ${random.pick([
        'printed by inkjet',
        'offset printed under a simulated laminate',
        'produced by colour laser printing',
      ])}. ${seen}`;
    case 'FORGED':
      return `Genuine ${model} with ${random.pick([
        'the photo substituted',
        'the data page replaced',
        'the biographical data altered',
        'pages of another document stitched in',
      ])}. ${seen}`;
    case 'FRAUDULENTLY_OBTAINED':
      return `Genuine ${model} issued on false breeder documents to members of a smuggling network. ${seen}`;
    case 'IMPOSTOR':
      return `Genuine ${model} used by look-alikes of the rightful holders. ${seen}`;
    case 'STOLEN_BLANK':
      return `Blank ${model} stolen before personalisation, now seen personalised by the offenders. ${seen}`;
    case 'PSEUDO_DOCUMENT':
      return `Fantasy "${random.pick([
        'World Citizen passport',
        'Sovereign Order diplomatic passport',
        'International travel permit',
      ])}" presented as a ${model}; it has no legal value. ${seen}`;
  }
}
