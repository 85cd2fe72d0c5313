import type { SubgraphModule } from '../../shared/subgraph/module';
import { buildFederatedSchema } from '../../shared/schema/build-subgraph-schema';
import { DocumentAlert } from './document-alert.entity';
import { createAlertLoaders, type AlertLoaders } from './document-alert.loader';
import { resolveDocumentAlertReference, resolveTravelDocumentReference } from './document-alert.reference';
import { DocumentAlertResolver, TravelDocumentAlertsResolver } from './document-alert.resolver';
import { CreateAlerts1764100000003 } from './migrations/1764100000003-CreateAlerts';
import { TravelDocument } from './travel-document.type';

/** document-alerts: Dial-Doc style alerts on fraudulent document models. */
export const documentAlerts: SubgraphModule<AlertLoaders> = {
  name: 'document-alerts',
  schema: 'alerts',
  entities: [DocumentAlert],
  migrations: [CreateAlerts1764100000003],
  buildSchema: () =>
    buildFederatedSchema({
      resolvers: [DocumentAlertResolver, TravelDocumentAlertsResolver],
      orphanedTypes: [TravelDocument],
      referenceResolvers: {
        DocumentAlert: { __resolveReference: resolveDocumentAlertReference },
        TravelDocument: { __resolveReference: resolveTravelDocumentReference },
      },
    }),
  createLoaders: createAlertLoaders,
};
