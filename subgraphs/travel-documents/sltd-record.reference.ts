import type { SubgraphContext } from '../../shared/context';
import type { SltdLoaders } from './sltd-record.loader';
import type { SltdRecord } from './sltd-record.entity';
import type { Hit } from './hit.entity';

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
