import type { SubgraphContext } from '../../shared/context';
import type { NoticeHit } from './notice-hit.entity';
import type { NoticeLoaders } from './notice.loader';

/** Through the same visibility as the lists: the reporter's and the owner's only. */
export function resolveNoticeHitReference(
  reference: { id: string },
  context: SubgraphContext<NoticeLoaders>,
): Promise<NoticeHit | null> {
  return context.loaders.noticeHitById.load(reference.id);
}
