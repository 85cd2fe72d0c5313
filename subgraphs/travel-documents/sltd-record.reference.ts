import type { SubgraphContext } from '../../shared/context';
import type { SltdLoaders } from './sltd-record.loader';
import type { SltdRecord } from './sltd-record.entity';
import type { Hit } from './hit.entity';

/**
 * `_entities`: a representation of a record the caller may not see (or of none) resolves to null, and leaves the
 * NOT_FOUND rows a query by id does (shared/record-gate.ts `notFoundAudit`).
 */
export async function resolveSltdRecordReference(
  reference: { id: string },
  context: SubgraphContext<SltdLoaders>,
): Promise<SltdRecord | null> {
  const record = await context.loaders.recordById.load(reference.id);
  if (!record)
    await context.loaders.recordNotFound.answered({
      key: reference.id,
      operation: '_entities',
      ctx: context,
    });
  return record;
}

export async function resolveHitReference(
  reference: { id: string },
  context: SubgraphContext<SltdLoaders>,
): Promise<Hit | null> {
  const hit = await context.loaders.hitById.load(reference.id);
  if (!hit)
    await context.loaders.hitNotFound.answered({ key: reference.id, operation: '_entities', ctx: context });
  return hit;
}
