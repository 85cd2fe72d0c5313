import type { SubgraphModule } from '../../shared/subgraph/module';
import { loadConfig } from '../../shared/config';
import { buildFederatedSchema, resolverContainer } from '../../shared/schema/build-subgraph-schema';
import { AdminResolver, ApiClientResolver } from './admin.resolver';
import { Agency } from './agency.entity';
import { createPartnerLoaders, type PartnerLoaders } from './agency.loader';
import { webhookEnvironment, type WebhookSettings } from './config';
import { resolveAgencyReference } from './agency.reference';
import { AgencyResolver } from './agency.resolver';
import { DataSharingAgreement } from './agreement.entity';
import { ApiClient } from './api-client.entity';
import { AuditResolver } from './audit.resolver';
import { MeResolver } from './me.resolver';
import { BorderPoint } from './border-point.entity';
import { Operation, OperationBorderPoint, OperationParticipant, OperationReport } from './operation.entity';
import {
  resolveBorderPointReference,
  resolveOperationReference,
  resolveOperationReportReference,
} from './operation.reference';
import { OperationResolver } from './operation.resolver';
import { CreateOperations1764100000060 } from './migrations/1764100000060-CreateOperations';
import { refusalRoutes } from './refusals.routes';
import { WebhookResolver } from './webhook.resolver';
import { startWebhookDelivery } from './webhook.delivery';
import { CreatePartners1764100000000 } from './migrations/1764100000000-CreatePartners';
import { TokenThrottle1764100000031 } from './migrations/1764100000031-TokenThrottle';
import { StandardWebhookSecrets1764100000041 } from './migrations/1764100000041-StandardWebhookSecrets';
import { OneNcbPerCountry1764100000044 } from './migrations/1764100000044-OneNcbPerCountry';

/**
 * partner-agencies: agencies, their data-sharing agreements and API clients, border points and border-security
 * operations; issues access tokens.
 */
export const partnerAgencies: SubgraphModule<PartnerLoaders, WebhookSettings> = {
  name: 'partner-agencies',
  schema: 'partners',
  entities: [
    Agency,
    DataSharingAgreement,
    ApiClient,
    BorderPoint,
    Operation,
    OperationBorderPoint,
    OperationParticipant,
  ],
  migrations: [
    CreatePartners1764100000000,
    TokenThrottle1764100000031,
    StandardWebhookSecrets1764100000041,
    OneNcbPerCountry1764100000044,
    CreateOperations1764100000060,
  ],
  readSettings: (env) => loadConfig(webhookEnvironment, env),
  buildSchema: (settings) =>
    buildFederatedSchema({
      resolvers: [
        AgencyResolver,
        MeResolver,
        AuditResolver,
        WebhookResolver,
        AdminResolver,
        ApiClientResolver,
        OperationResolver,
      ],
      orphanedTypes: [DataSharingAgreement, OperationReport],
      referenceResolvers: {
        Agency: { __resolveReference: resolveAgencyReference },
        Operation: { __resolveReference: resolveOperationReference },
        BorderPoint: { __resolveReference: resolveBorderPointReference },
        OperationReport: { __resolveReference: resolveOperationReportReference },
      },
      container: resolverContainer(
        new Map([[WebhookResolver, () => new WebhookResolver(settings?.outbound)]]),
      ),
    }),
  createLoaders: (db) => createPartnerLoaders(db),
  routes: (db, services) => refusalRoutes(db, services),
  workers: (db, log, settings) => [startWebhookDelivery(db, log, settings)],
};
