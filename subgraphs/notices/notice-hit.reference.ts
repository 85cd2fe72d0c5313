import type { SubgraphContext } from '../../shared/context';
import type { NoticeHit } from './notice-hit.entity';
import type { NoticeLoaders } from './notice.loader';

/**
 * Through the same visibility as the lists: the reporter's and the owner's only. Another's is null, audited
 * NOT_FOUND (shared/record-gate.ts `notFoundAudit`).
 */
export async function resolveNoticeHitReference(
  reference: { id: string },
  context: SubgraphContext<NoticeLoaders>,
): Promise<NoticeHit | null> {
  const hit = await context.loaders.noticeHitById.load(reference.id);
  if (!hit)
    await context.loaders.noticeHitNotFound.answered({
      key: reference.id,
      operation: '_entities',
      ctx: context,
    });
  return hit;
}
