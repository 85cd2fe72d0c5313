import { travelDocumentResolver } from '../../shared/schema/travel-document-key';
import type { SubgraphModule } from '../../shared/subgraph/module';
import { buildFederatedSchema } from '../../shared/schema/build-subgraph-schema';
import { CreateNotices1764100000002 } from './migrations/1764100000002-CreateNotices';
import { ScreeningNameKeys1764100000004 } from './migrations/1764100000004-ScreeningNameKeys';
import { NoticeOwnerReviewDate1764100000005 } from './migrations/1764100000005-NoticeOwnerReviewDate';
import { ControlNumberCounters1764100000050 } from './migrations/1764100000050-ControlNumberCounters';
import { ArrestWarrant, NoticeAlias, NoticeDocument } from './notice-details.entity';
import { Notice } from './notice.entity';
import { createNoticeLoaders, type NoticeLoaders } from './notice.loader';
import { resolveNoticeReference } from './notice.reference';
import { NoticeResolver, NoticeSubjectResolver, TravelDocumentNoticesResolver } from './notice.resolver';
import { ScreeningResolver } from './screening.resolver';
import { TravelDocument } from './travel-document.type';
import { NoticeRetentionResolver } from './retention.resolver';
import { noticeRetention } from './retention';
import { retentionWorker } from '../../shared/retention/worker';

/** notices: RED, YELLOW and the other notices, their subjects, warrants and the documents their subjects hold. */
export const notices: SubgraphModule<NoticeLoaders> = {
  name: 'notices',
  schema: 'notices',
  entities: [Notice, NoticeAlias, ArrestWarrant, NoticeDocument],
  migrations: [
    CreateNotices1764100000002,
    ScreeningNameKeys1764100000004,
    NoticeOwnerReviewDate1764100000005,
    ControlNumberCounters1764100000050,
  ],
  buildSchema: () =>
    buildFederatedSchema({
      resolvers: [
        NoticeResolver,
        NoticeSubjectResolver,
        TravelDocumentNoticesResolver,
        ScreeningResolver,
        NoticeRetentionResolver,
      ],
      orphanedTypes: [TravelDocument],
      referenceResolvers: {
        Notice: { __resolveReference: resolveNoticeReference },
        TravelDocument: { __resolveReference: travelDocumentResolver(TravelDocument) },
      },
    }),
  createLoaders: createNoticeLoaders,
  workers: (db, log) => [retentionWorker(db, log, noticeRetention)],
};
