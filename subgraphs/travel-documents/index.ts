import { travelDocumentResolver } from '../../shared/schema/travel-document-key';
import { TravelDocument } from './travel-document.type';
import type { SubgraphModule } from '../../shared/subgraph/module';
import { buildFederatedSchema } from '../../shared/schema/build-subgraph-schema';
import { DocumentCheckResolver } from './document-check.resolver';
import { Hit } from './hit.entity';
import { HitResolver } from './hit.resolver';
import { CreateSltd1764100000001 } from './migrations/1764100000001-CreateSltd';
import { SltdRecordPerOwner1764100000043 } from './migrations/1764100000043-SltdRecordPerOwner';
import { OperationChecks1764100000061 } from './migrations/1764100000061-OperationChecks';
import { OperationCheckDays1764100000062 } from './migrations/1764100000062-OperationCheckDays';
import { OperationReportResolver, resolveOperationReportReference } from './operation-report.resolver';
import { OperationReport } from './operation-report.type';
import { SltdRecord } from './sltd-record.entity';
import { createSltdLoaders, type SltdLoaders } from './sltd-record.loader';
import { SltdRecordResolver } from './sltd-record.resolver';
import { resolveHitReference, resolveSltdRecordReference } from './sltd-record.reference';
import { TravelDocumentResolver } from './travel-document.resolver';
import { SltdRecordRetentionResolver } from './retention.resolver';
import { sltdRetention } from './retention';
import { retentionWorker } from '../../shared/retention/worker';

/** travel-documents: the stolen and lost travel documents database (SLTD), border checks and their hits. */
export const travelDocuments: SubgraphModule<SltdLoaders> = {
  name: 'travel-documents',
  schema: 'sltd',
  entities: [SltdRecord, Hit],
  migrations: [
    CreateSltd1764100000001,
    SltdRecordPerOwner1764100000043,
    OperationChecks1764100000061,
    OperationCheckDays1764100000062,
  ],
  buildSchema: () =>
    buildFederatedSchema({
      resolvers: [
        SltdRecordResolver,
        TravelDocumentResolver,
        DocumentCheckResolver,
        HitResolver,
        SltdRecordRetentionResolver,
        OperationReportResolver,
      ],
      // Reached only through partner-agencies' Operation.report: not from this subgraph's root fields.
      orphanedTypes: [OperationReport],
      referenceResolvers: {
        TravelDocument: { __resolveReference: travelDocumentResolver(TravelDocument) },
        SltdRecord: { __resolveReference: resolveSltdRecordReference },
        Hit: { __resolveReference: resolveHitReference },
        OperationReport: { __resolveReference: resolveOperationReportReference },
      },
    }),
  createLoaders: createSltdLoaders,
  workers: (db, log) => [retentionWorker(db, log, sltdRetention)],
};
