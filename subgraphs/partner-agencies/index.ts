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
import { WebhookResolver } from './webhook.resolver';
import { startWebhookDelivery } from './webhook.delivery';
import { CreatePartners1764100000000 } from './migrations/1764100000000-CreatePartners';
import { TokenThrottle1764100000031 } from './migrations/1764100000031-TokenThrottle';
import { StandardWebhookSecrets1764100000041 } from './migrations/1764100000041-StandardWebhookSecrets';
import { OneNcbPerCountry1764100000044 } from './migrations/1764100000044-OneNcbPerCountry';

/** partner-agencies: agencies, their data-sharing agreements and API clients; issues access tokens. */
export const partnerAgencies: SubgraphModule<PartnerLoaders, WebhookSettings> = {
  name: 'partner-agencies',
  schema: 'partners',
  entities: [Agency, DataSharingAgreement, ApiClient],
  migrations: [
    CreatePartners1764100000000,
    TokenThrottle1764100000031,
    StandardWebhookSecrets1764100000041,
    OneNcbPerCountry1764100000044,
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
      ],
      orphanedTypes: [DataSharingAgreement],
      referenceResolvers: { Agency: { __resolveReference: resolveAgencyReference } },
      container: resolverContainer(
        new Map([[WebhookResolver, () => new WebhookResolver(settings?.outbound)]]),
      ),
    }),
  createLoaders: (db) => createPartnerLoaders(db),
  workers: (db, log, settings) => [startWebhookDelivery(db, log, settings)],
};
