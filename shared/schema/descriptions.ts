/**
 * Descriptions of entity types that several subgraphs declare (as references); composition keeps one, so all
 * subgraphs use the same text.
 */
export const AGENCY_DESCRIPTION =
  'An agency taking part in the exchange: a National Central Bureau (NCB), a national entity it authorised, an international or private partner, or the General Secretariat.';
export const AGENCY_ID_DESCRIPTION = 'Stable identifier of the agency.';
export const TRAVEL_DOCUMENT_DESCRIPTION =
  'A travel document identified by its issuing country and number, whether or not it was ever reported. Each subgraph contributes what it knows about it.';
export const ISSUING_COUNTRY_DESCRIPTION =
  'Issuing state or organisation: ISO 3166-1 alpha-3 code, or an ICAO 9303 code such as D (Germany) or UTO.';
export const DOCUMENT_NUMBER_DESCRIPTION =
  'Document number, normalised: upper case, without spaces, dashes or < fillers.';
