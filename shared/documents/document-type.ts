import { registerEnumType } from 'type-graphql';

/** Kinds of travel documents, shared by SLTD records and document alerts. */
export enum DocumentType {
  PASSPORT = 'PASSPORT',
  ID_CARD = 'ID_CARD',
  VISA = 'VISA',
  RESIDENCE_PERMIT = 'RESIDENCE_PERMIT',
  TRAVEL_DOCUMENT = 'TRAVEL_DOCUMENT',
  SEAFARER_ID = 'SEAFARER_ID',
  OTHER = 'OTHER',
}

registerEnumType(DocumentType, {
  name: 'DocumentType',
  description: 'Kind of travel document.',
  valuesConfig: {
    PASSPORT: { description: 'Passport (ICAO TD3).' },
    ID_CARD: { description: 'Identity card valid for travel (ICAO TD1 or TD2).' },
    VISA: { description: 'Visa (ICAO MRV-A or MRV-B).' },
    RESIDENCE_PERMIT: { description: 'Residence permit.' },
    TRAVEL_DOCUMENT: {
      description: 'Other official travel document (refugee or stateless travel document...).',
    },
    SEAFARER_ID: { description: 'Seafarer identity document.' },
    OTHER: { description: 'Any other identity document.' },
  },
});
