import { travelDocumentKeyType } from '../../shared/schema/travel-document-key';

/** Any document, reported or not: the key other subgraphs attach notices and alerts to. */
export const TravelDocument = travelDocumentKeyType();
export type TravelDocument = InstanceType<typeof TravelDocument>;

export function travelDocument(issuingCountry: string, documentNumber: string): TravelDocument {
  return Object.assign(new TravelDocument(), { issuingCountry, documentNumber });
}
