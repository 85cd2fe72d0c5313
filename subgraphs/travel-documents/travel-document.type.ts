import { Directive, Field, ObjectType } from 'type-graphql';
import {
  DOCUMENT_NUMBER_DESCRIPTION,
  ISSUING_COUNTRY_DESCRIPTION,
  TRAVEL_DOCUMENT_DESCRIPTION,
} from '../../shared/schema/descriptions';

/** Any document, reported or not: the key other subgraphs attach notices and alerts to. */
@Directive('@key(fields: "issuingCountry documentNumber")')
@ObjectType('TravelDocument', { description: TRAVEL_DOCUMENT_DESCRIPTION })
export class TravelDocument {
  @Field({ description: ISSUING_COUNTRY_DESCRIPTION })
  issuingCountry: string;

  @Field({ description: DOCUMENT_NUMBER_DESCRIPTION })
  documentNumber: string;
}

export function travelDocument(issuingCountry: string, documentNumber: string): TravelDocument {
  return Object.assign(new TravelDocument(), { issuingCountry, documentNumber });
}
