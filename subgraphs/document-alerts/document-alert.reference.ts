import type { SubgraphContext } from '../../shared/context';
import { normalizeDocumentNumber } from '../../shared/documents/document-number';
import type { DocumentAlert } from './document-alert.entity';
import type { AlertLoaders } from './document-alert.loader';
import { TravelDocument } from './travel-document.type';

export function resolveDocumentAlertReference(
  reference: { id: string },
  context: SubgraphContext<AlertLoaders>,
): Promise<DocumentAlert | null> {
  return context.loaders.alertById.load(reference.id);
}

export function resolveTravelDocumentReference(reference: {
  issuingCountry: string;
  documentNumber: string;
}): TravelDocument {
  return Object.assign(new TravelDocument(), {
    issuingCountry: reference.issuingCountry,
    documentNumber: normalizeDocumentNumber(reference.documentNumber),
  });
}
