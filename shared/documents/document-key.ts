/**
 * A travel document's natural key, as every subgraph knows it (the `TravelDocument` entity's @key): its issuing
 * country and its number in normal form (document-number.ts).
 */
export interface DocumentKey {
  issuingCountry: string;
  documentNumber: string;
}

/** The key as one string, for maps and DataLoader caches (a separator no country code or number holds). */
export const documentKeyString = (key: DocumentKey): string =>
  `${key.issuingCountry}\u0000${key.documentNumber}`;
