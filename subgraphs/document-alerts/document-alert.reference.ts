import type { SubgraphContext } from '../../shared/context';
import type { DocumentAlert } from './document-alert.entity';
import type { AlertLoaders } from './document-alert.loader';

/** `_entities`: an alert the caller may not see (or none) is null, audited NOT_FOUND as `documentAlert(id)` is. */
export async function resolveDocumentAlertReference(
  reference: { id: string },
  context: SubgraphContext<AlertLoaders>,
): Promise<DocumentAlert | null> {
  const alert = await context.loaders.alertById.load(reference.id);
  if (!alert)
    await context.loaders.alertNotFound.answered({ key: reference.id, operation: '_entities', ctx: context });
  return alert;
}
