import type { SubgraphContext } from '../../shared/context';
import type { DocumentAlert } from './document-alert.entity';
import type { AlertLoaders } from './document-alert.loader';

export function resolveDocumentAlertReference(
  reference: { id: string },
  context: SubgraphContext<AlertLoaders>,
): Promise<DocumentAlert | null> {
  return context.loaders.alertById.load(reference.id);
}
