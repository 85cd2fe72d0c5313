import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook secrets in the Standard Webhooks form (`whsec_` + base64 of the key). Secrets issued before were
 * random text, and the hub keyed its HMAC with that text's bytes; rewriting each as `whsec_` + base64 of those
 * same bytes keeps every signature identical, so a partner verifying with the old text goes on working, while
 * the stored form is the standard one the signing library reads (shared/outbox/webhook-signature.ts).
 */
export class StandardWebhookSecrets1764100000041 implements MigrationInterface {
  name = 'StandardWebhookSecrets1764100000041';

  async up(db: QueryRunner): Promise<void> {
    // encode(..., 'base64') breaks lines every 76 characters: joined again.
    await db.query(`
      UPDATE partners.agencies
         SET webhook_secret = 'whsec_' || translate(encode(convert_to(webhook_secret, 'UTF8'), 'base64'), E'\\n', '')
       WHERE webhook_secret IS NOT NULL AND webhook_secret NOT LIKE 'whsec\\_%'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      UPDATE partners.agencies
         SET webhook_secret = convert_from(decode(substr(webhook_secret, 7), 'base64'), 'UTF8')
       WHERE webhook_secret LIKE 'whsec\\_%'`);
  }
}
