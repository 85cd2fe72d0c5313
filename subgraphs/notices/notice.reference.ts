import type { SubgraphContext } from '../../shared/context';
import type { Notice } from './notice.entity';
import type { NoticeLoaders } from './notice.loader';

/** `_entities`: a notice the caller may not see (or none) is null, audited NOT_FOUND as `notice(id)` is. */
export async function resolveNoticeReference(
  reference: { id: string },
  context: SubgraphContext<NoticeLoaders>,
): Promise<Notice | null> {
  const notice = await context.loaders.noticeById.load(reference.id);
  if (!notice)
    await context.loaders.noticeNotFound.answered({
      key: reference.id,
      operation: '_entities',
      ctx: context,
    });
  return notice;
}
