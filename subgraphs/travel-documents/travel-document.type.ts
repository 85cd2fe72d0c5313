import type { RecordOwner } from '../../shared/record-gate';
import { travelDocumentKeyType } from '../../shared/schema/travel-document-key';
import type { SltdRecord } from './sltd-record.entity';

/** Any document, reported or not: the key other subgraphs attach notices and alerts to. */
export const TravelDocument = travelDocumentKeyType();
export type TravelDocument = InstanceType<typeof TravelDocument>;

export function travelDocument(issuingCountry: string, documentNumber: string): TravelDocument {
  return Object.assign(new TravelDocument(), { issuingCountry, documentNumber });
}

/**
 * What a border check's look-up found under a document's key: the record the caller is shown (`preferredRecord`
 * of those it may see), or null and the records hidden from it (their owners get the NOT_FOUND copies).
 */
export interface CheckedRecord {
  shown: SltdRecord | null;
  hidden: RecordOwner[];
}

const CHECKED = Symbol('checked record');
type CheckedDocument = TravelDocument & { [CHECKED]?: CheckedRecord };

/**
 * A document of a border check, carrying what the check's look-up found: its `sltdRecord` answers from it at
 * once, without a loader, a promise or a second look-up (a manifest resolves it for up to 500 documents).
 */
export function checkedTravelDocument(
  issuingCountry: string,
  documentNumber: string,
  checked: CheckedRecord,
): TravelDocument {
  const document: CheckedDocument = travelDocument(issuingCountry, documentNumber);
  document[CHECKED] = checked;
  return document;
}

/** What the check that made `document` found under its key; undefined for a document not made by a check. */
export function checkedRecordOf(document: TravelDocument): CheckedRecord | undefined {
  return (document as CheckedDocument)[CHECKED];
}
