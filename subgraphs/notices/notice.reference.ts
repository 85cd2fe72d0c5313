import type { SubgraphContext } from '../../shared/context';
import type { Notice } from './notice.entity';
import type { NoticeLoaders } from './notice.loader';

export function resolveNoticeReference(
  reference: { id: string },
  context: SubgraphContext<NoticeLoaders>,
): Promise<Notice | null> {
  return context.loaders.noticeById.load(reference.id);
}
