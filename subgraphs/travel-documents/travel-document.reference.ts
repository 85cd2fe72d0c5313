import { normalizeDocumentNumber } from '../../shared/documents/document-number';
import type { SubgraphContext } from '../../shared/context';
import type { SltdLoaders } from './sltd-record.loader';
import type { SltdRecord } from './sltd-record.entity';
import type { Hit } from './hit.entity';
import { travelDocument, type TravelDocument } from './travel-document.type';

/** Any document key resolves: a document need not be on file to be checked. */
export function resolveTravelDocumentReference(reference: {
  issuingCountry: string;
  documentNumber: string;
}): TravelDocument {
  return travelDocument(reference.issuingCountry, normalizeDocumentNumber(reference.documentNumber));
}

export function resolveSltdRecordReference(
  reference: { id: string },
  context: SubgraphContext<SltdLoaders>,
): Promise<SltdRecord | null> {
  return context.loaders.recordById.load(reference.id);
}

export async function resolveHitReference(
  reference: { id: string },
  context: SubgraphContext<SltdLoaders>,
): Promise<Hit | null> {
  return context.loaders.hitById.load(reference.id);
}
