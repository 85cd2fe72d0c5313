import { randomBytes } from 'node:crypto';
import { Arg, Ctx, Field, Mutation, ObjectType, Resolver } from 'type-graphql';
import { loadConfig } from '../../shared/config';
import type { SubgraphContext } from '../../shared/context';
import { BadUserInputError } from '../../shared/errors';
import { releaseParkedEvents, webhookUrlProblem } from '../../shared/outbox/delivery-worker';
import { RequiresScopes } from '../../shared/schema/access';
import { Agency } from './agency.entity';
import type { PartnerLoaders } from './agency.loader';
import { webhookEnvironment } from './config';

@ObjectType('WebhookRegistration', {
  description:
    'Where the hub sends your agency’s events (hits on your records), and the secret that signs them.',
})
export class WebhookRegistration {
  @Field({ description: 'The HTTPS endpoint that receives the events.' })
  url: string;

  @Field({
    description:
      'The signing secret, shown only now: verify `webhook-signature` (v1, base64 HMAC-SHA256 of "webhook-id.webhook-timestamp.body").',
  })
  secret: string;
}

type Context = SubgraphContext<PartnerLoaders>;

@Resolver()
export class WebhookResolver {
  @RequiresScopes(['hits:manage'])
  @Mutation(() => WebhookRegistration, {
    nullable: true,
    description:
      'Registers (or replaces) your agency’s webhook for hits on your records; a new signing secret each time.',
  })
  async setWebhook(
    @Arg('url', { description: 'An https:// URL.' }) url: string,
    @Ctx() ctx: Context,
  ): Promise<WebhookRegistration | null> {
    const caller = ctx.caller;
    if (!caller) return null;
    const env = loadConfig(webhookEnvironment);
    const problem =
      url.length > 500
        ? 'must be at most 500 characters'
        : await webhookUrlProblem(url, env.WEBHOOK_ALLOW_LOCAL_HTTP);
    if (problem) throw new BadUserInputError([{ field: 'url', reason: problem }]);
    const secret = randomBytes(32).toString('base64url');
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
