import type { SubgraphContext } from '../../shared/context';
import { normalizeDocumentNumber } from '../../shared/documents/document-number';
import type { Notice } from './notice.entity';
import type { NoticeLoaders } from './notice.loader';
import { TravelDocument } from './travel-document.type';

export function resolveNoticeReference(
  reference: { id: string },
  context: SubgraphContext<NoticeLoaders>,
): Promise<Notice | null> {
  return context.loaders.noticeById.load(reference.id);
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
