import { Directive, Field, ObjectType } from 'type-graphql';
import type { DocumentKey } from '../documents/document-key';
import { normalizeDocumentNumber } from '../documents/document-number';
import {
  DOCUMENT_NUMBER_DESCRIPTION,
  ISSUING_COUNTRY_DESCRIPTION,
  TRAVEL_DOCUMENT_DESCRIPTION,
} from './descriptions';

/**
 * The `TravelDocument` entity as a subgraph declares it: its key. Each subgraph needs a class of its own, since
 * type-graphql attaches a subgraph's field resolvers (sltdRecord, notices, alerts) to the class, so this builds
 * one per call, all with the same key and descriptions (composition wants them to agree).
 */
export function travelDocumentKeyType() {
  @Directive('@key(fields: "issuingCountry documentNumber")')
  @ObjectType('TravelDocument', { description: TRAVEL_DOCUMENT_DESCRIPTION })
  class TravelDocument implements DocumentKey {
    @Field({ description: ISSUING_COUNTRY_DESCRIPTION })
    issuingCountry: string;

    @Field({ description: DOCUMENT_NUMBER_DESCRIPTION })
    documentNumber: string;
  }
  return TravelDocument;
}

/** `__resolveReference` of a TravelDocument: any key resolves (a document need not be on file), normalised. */
export function travelDocumentResolver<T extends DocumentKey>(type: new () => T) {
  return (reference: DocumentKey): T =>
    Object.assign(new type(), {
      issuingCountry: reference.issuingCountry,
      documentNumber: normalizeDocumentNumber(reference.documentNumber),
    });
}
