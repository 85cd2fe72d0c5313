import type { SubgraphModule } from '../../shared/subgraph/module';
import { buildFederatedSchema } from '../../shared/schema/build-subgraph-schema';
import { CreateNotices1764100000002 } from './migrations/1764100000002-CreateNotices';
import { ScreeningNameKeys1764100000004 } from './migrations/1764100000004-ScreeningNameKeys';
import { ArrestWarrant, NoticeAlias, NoticeDocument } from './notice-details.entity';
import { Notice } from './notice.entity';
import { createNoticeLoaders, type NoticeLoaders } from './notice.loader';
import { resolveNoticeReference, resolveTravelDocumentReference } from './notice.reference';
import { NoticeResolver, NoticeSubjectResolver, TravelDocumentNoticesResolver } from './notice.resolver';
import { TravelDocument } from './travel-document.type';

/** notices: RED, YELLOW and the other notices, their subjects, warrants and the documents their subjects hold. */
export const notices: SubgraphModule<NoticeLoaders> = {
  name: 'notices',
  schema: 'notices',
  entities: [Notice, NoticeAlias, ArrestWarrant, NoticeDocument],
  migrations: [CreateNotices1764100000002, ScreeningNameKeys1764100000004],
  buildSchema: () =>
    buildFederatedSchema({
      resolvers: [NoticeResolver, NoticeSubjectResolver, TravelDocumentNoticesResolver],
      orphanedTypes: [TravelDocument],
      referenceResolvers: {
        Notice: { __resolveReference: resolveNoticeReference },
        TravelDocument: { __resolveReference: resolveTravelDocumentReference },
      },
    }),
  createLoaders: createNoticeLoaders,
};
