import { Directive, Field, ObjectType } from 'type-graphql';
import {
  DOCUMENT_NUMBER_DESCRIPTION,
  ISSUING_COUNTRY_DESCRIPTION,
  TRAVEL_DOCUMENT_DESCRIPTION,
} from '../../shared/schema/descriptions';

/** The notices subgraph's view of a travel document: its key, to which it adds the notices about its holder. */
@Directive('@key(fields: "issuingCountry documentNumber")')
@ObjectType('TravelDocument', { description: TRAVEL_DOCUMENT_DESCRIPTION })
export class TravelDocument {
  @Field({ description: ISSUING_COUNTRY_DESCRIPTION })
  issuingCountry: string;

  @Field({ description: DOCUMENT_NUMBER_DESCRIPTION })
  documentNumber: string;
}
