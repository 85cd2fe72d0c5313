import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { startDeliveryWorker, type RunningWorker } from '../../shared/outbox/delivery-worker';
import { Agency } from './agency.entity';
import type { WebhookSettings } from './config';

/** partner-agencies owns the agencies' webhooks, so it runs the delivery of their events. */
export function startWebhookDelivery(db: DataSource, log: Logger, env: WebhookSettings): RunningWorker {
  return startDeliveryWorker(db, {
    webhookOf: async (source, agencyId) => {
      const agency = await source.getRepository(Agency).findOneBy({ id: agencyId });
      return agency?.webhookUrl && agency.webhookSecret
        ? { url: agency.webhookUrl, secret: agency.webhookSecret }
        : null;
    },
    pollMs: env.WEBHOOK_POLL_MS,
    retryBaseMs: env.WEBHOOK_RETRY_BASE_MS,
    maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
    concurrency: env.WEBHOOK_CONCURRENCY,
    leaseMs: env.WEBHOOK_LEASE_MS,
    timeoutMs: env.WEBHOOK_TIMEOUT_MS,
    connectTimeoutMs: env.WEBHOOK_CONNECT_TIMEOUT_MS,
    outbound: env.outbound,
    log: log.child({ worker: 'webhooks' }),
  });
}
