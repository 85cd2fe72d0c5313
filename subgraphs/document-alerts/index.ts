import { travelDocumentResolver } from '../../shared/schema/travel-document-key';
import type { SubgraphModule } from '../../shared/subgraph/module';
import { buildFederatedSchema } from '../../shared/schema/build-subgraph-schema';
import { DocumentAlert } from './document-alert.entity';
import { createAlertLoaders, type AlertLoaders } from './document-alert.loader';
import { resolveDocumentAlertReference } from './document-alert.reference';
import { DocumentAlertResolver, TravelDocumentAlertsResolver } from './document-alert.resolver';
import { CreateAlerts1764100000003 } from './migrations/1764100000003-CreateAlerts';
import { AlertNumberSequence1764100000006 } from './migrations/1764100000006-AlertNumberSequence';
import { AlertNumberCounters1764100000051 } from './migrations/1764100000051-AlertNumberCounters';
import { TravelDocument } from './travel-document.type';
import { DocumentAlertRetentionResolver } from './retention.resolver';
import { documentAlertRetention } from './retention';
import { retentionWorker } from '../../shared/retention/worker';

/** document-alerts: Dial-Doc style alerts on fraudulent document models. */
export const documentAlerts: SubgraphModule<AlertLoaders> = {
  name: 'document-alerts',
  schema: 'alerts',
  entities: [DocumentAlert],
  migrations: [CreateAlerts1764100000003, AlertNumberSequence1764100000006, AlertNumberCounters1764100000051],
  buildSchema: () =>
    buildFederatedSchema({
      resolvers: [DocumentAlertResolver, TravelDocumentAlertsResolver, DocumentAlertRetentionResolver],
      orphanedTypes: [TravelDocument],
      referenceResolvers: {
        DocumentAlert: { __resolveReference: resolveDocumentAlertReference },
        TravelDocument: { __resolveReference: travelDocumentResolver(TravelDocument) },
      },
    }),
  createLoaders: createAlertLoaders,
  workers: (db, log) => [retentionWorker(db, log, documentAlertRetention)],
};
