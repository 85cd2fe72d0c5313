import { Arg, Ctx, Field, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../../shared/context';
import { BadUserInputError } from '../../shared/errors';
import { releaseParkedEvents } from '../../shared/outbox/delivery-worker';
import { newWebhookSecret } from '../../shared/outbox/webhook-signature';
import { checkWebhookTarget, type OutboundPolicy } from '../../shared/outbox/webhook-target';
import { RequiresScopes } from '../../shared/schema/access';
import { Agency } from './agency.entity';
import type { PartnerLoaders } from './agency.loader';

@ObjectType('WebhookRegistration', {
  description:
    'Where the hub sends your agency’s events (hits on your records), and the secret that signs them.',
})
export class WebhookRegistration {
  @Field({ description: 'The HTTPS endpoint that receives the events.' })
  url: string;

  @Field({
    description:
      'The signing secret (`whsec_` + base64 of 32 random bytes), shown only now. Deliveries follow Standard Webhooks: verify them with any of its libraries given this secret as is, or by hand: `webhook-signature` holds `v1,` + base64 HMAC-SHA256, keyed with the base64-decoded part after `whsec_`, of "webhook-id.webhook-timestamp.body".',
  })
  secret: string;
}

type Context = SubgraphContext<PartnerLoaders>;

@Resolver()
export class WebhookResolver {
  /** The addresses a webhook may reach, from the settings partner-agencies read at start (absent: composition). */
  constructor(private readonly outbound?: OutboundPolicy) {}

  @RequiresScopes(['hits:manage'])
  @Mutation(() => WebhookRegistration, {
    nullable: true,
    description:
      'Registers (or replaces) your agency’s webhook for hits on your records; a new signing secret each time.',
  })
  async setWebhook(
    @Arg('url', {
      description:
        'An https:// URL whose host resolves only to public addresses (internal addresses are refused unless the hub’s configuration allows them).',
    })
    url: string,
    @Ctx() ctx: Context,
  ): Promise<WebhookRegistration | null> {
    const caller = ctx.caller;
    if (!caller) return null;
    if (!this.outbound) throw new Error('partner-agencies was started without its webhook settings');
    if (url.length > 500)
      throw new BadUserInputError([{ field: 'url', reason: 'must be at most 500 characters' }]);
    const check = await checkWebhookTarget(url, this.outbound);
    if (!check.ok) throw new BadUserInputError([{ field: 'url', reason: check.reason }]);
    const secret = newWebhookSecret();
    await ctx.db.transaction(async (tx) => {
      await tx
        .getRepository(Agency)
        .update({ id: caller.agencyId }, { webhookUrl: url, webhookSecret: secret });
      await releaseParkedEvents(tx, caller.agencyId);
      await ctx.audit.write(tx, {
        action: 'UPDATE',
        recordType: 'Agency',
        recordId: caller.agencyId,
        ownerAgencyId: caller.agencyId,
        fields: ['webhook'],
      });
    });
    return { url, secret };
  }
}
