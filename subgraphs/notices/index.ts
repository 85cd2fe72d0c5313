import { travelDocumentResolver } from '../../shared/schema/travel-document-key';
import type { SubgraphModule } from '../../shared/subgraph/module';
import { buildFederatedSchema } from '../../shared/schema/build-subgraph-schema';
import { CreateNotices1764100000002 } from './migrations/1764100000002-CreateNotices';
import { ScreeningNameKeys1764100000004 } from './migrations/1764100000004-ScreeningNameKeys';
import { NoticeOwnerReviewDate1764100000005 } from './migrations/1764100000005-NoticeOwnerReviewDate';
import { ControlNumberCounters1764100000050 } from './migrations/1764100000050-ControlNumberCounters';
import { NoticeHits1764100000061 } from './migrations/1764100000061-NoticeHits';
import { ScreeningTrigramGist1764100000080 } from './migrations/1764100000080-ScreeningTrigramGist';
import { NoticeListIndexes1764100000081 } from './migrations/1764100000081-NoticeListIndexes';
import { NoticeHit } from './notice-hit.entity';
import { resolveNoticeHitReference } from './notice-hit.reference';
import { NoticeHitResolver } from './notice-hit.resolver';
import {
  OperationReport,
  OperationReportResolver,
  resolveOperationReportReference,
} from './operation-report';
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

/**
 * notices: RED, YELLOW and the other notices, their subjects, warrants and the documents their subjects hold; the
 * matches officers report on them (notice hits) and notices' part of the operations' reports.
 */
export const notices: SubgraphModule<NoticeLoaders> = {
  name: 'notices',
  schema: 'notices',
  entities: [Notice, NoticeAlias, ArrestWarrant, NoticeDocument, NoticeHit],
  migrations: [
    CreateNotices1764100000002,
    ScreeningNameKeys1764100000004,
    NoticeOwnerReviewDate1764100000005,
    ControlNumberCounters1764100000050,
    NoticeHits1764100000061,
    ScreeningTrigramGist1764100000080,
    NoticeListIndexes1764100000081,
  ],
  buildSchema: () =>
    buildFederatedSchema({
      resolvers: [
        NoticeResolver,
        NoticeSubjectResolver,
        TravelDocumentNoticesResolver,
        ScreeningResolver,
        NoticeRetentionResolver,
        NoticeHitResolver,
        OperationReportResolver,
      ],
      orphanedTypes: [TravelDocument, OperationReport],
      referenceResolvers: {
        Notice: { __resolveReference: resolveNoticeReference },
        NoticeHit: { __resolveReference: resolveNoticeHitReference },
        OperationReport: { __resolveReference: resolveOperationReportReference },
        TravelDocument: { __resolveReference: travelDocumentResolver(TravelDocument) },
      },
    }),
  createLoaders: createNoticeLoaders,
  workers: (db, log) => [retentionWorker(db, log, noticeRetention)],
};
