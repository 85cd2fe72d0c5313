import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../shared/context';
import { RequiresScopes } from '../../shared/schema/access';
import { RegisterAgencyInput } from './admin.input';
import {
  createApiClient,
  disableApiClient,
  grantAgreement,
  registerAgency,
  revokeAgreement,
  rotateClientSecret,
} from './admin.service';
import { Agency } from './agency.entity';
import type { PartnerLoaders } from './agency.loader';
import { DataSharingAgreement } from './agreement.entity';
import { ApiClientCredentials, ApiClientInfo } from './api-client.type';

type Context = SubgraphContext<PartnerLoaders>;

const ADMIN = [['agencies:admin']] as const;

/** The General Secretariat's administration of the exchange: each change one transaction, audited. */
@Resolver()
export class AdminResolver {
  @RequiresScopes(...ADMIN)
  @Mutation(() => Agency, {
    nullable: true,
    description: 'Registers an agency (General Secretariat only). One transaction, audited.',
  })
  registerAgency(
    @Arg('input', () => RegisterAgencyInput, { description: 'The agency.' }) input: RegisterAgencyInput,
    @Ctx() ctx: Context,
  ) {
    return registerAgency(ctx, input);
  }

  @RequiresScopes(...ADMIN)
  @Mutation(() => DataSharingAgreement, {
    nullable: true,
    description:
      'Grants an agency scopes for a period (General Secretariat only): tokens issued while it is in force carry them. Audited.',
  })
  grantAgreement(
    @Arg('agencyId', () => ID, { description: 'The agency.' }) agencyId: string,
    @Arg('scopes', () => [String], { description: 'Scopes granted, each a known scope, e.g. sltd:check.' })
    scopes: string[],
    @Arg('validFrom', () => Date, { nullable: true, description: 'Start of validity (default: now).' })
    validFrom: Date | undefined,
    @Arg('validUntil', () => Date, {
      nullable: true,
      description: 'End of validity, in the future (default: open-ended).',
    })
    validUntil: Date | undefined,
    @Ctx() ctx: Context,
  ) {
    return grantAgreement(ctx, agencyId, scopes, validFrom, validUntil);
  }

  @RequiresScopes(...ADMIN)
  @Mutation(() => DataSharingAgreement, {
    nullable: true,
    description:
      'Revokes an agreement (General Secretariat only). Tokens issued after it lack its scopes; tokens issued before run until they expire. Audited with the reason.',
  })
  revokeAgreement(
    @Arg('id', () => ID, { description: 'The agreement.' }) id: string,
    @Arg('reason', { description: 'Why, at most 500 characters.' }) reason: string,
    @Ctx() ctx: Context,
  ) {
    return revokeAgreement(ctx, id, reason);
  }

  @RequiresScopes(...ADMIN)
  @Mutation(() => ApiClientCredentials, {
    nullable: true,
    description:
      'Creates an API client for an agency (General Secretariat only) and returns its secret, this once. Audited.',
  })
  createApiClient(
    @Arg('agencyId', () => ID, { description: 'The agency the client acts for.' }) agencyId: string,
    @Arg('clientId', { description: 'The client id: 2 to 63 lower-case letters, digits or dashes.' })
    clientId: string,
    @Arg('description', () => String, {
      nullable: true,
      description: 'What the client is for, at most 200 characters.',
    })
    description: string | undefined,
    @Arg('operation', () => String, {
      nullable: true,
      description:
        'Binds the client to one operation the agency takes part in (a deployed team’s device): its tokens carry that operation’s grant only, expire with its window, and are refused once it is not ACTIVE.',
    })
    operation: string | undefined,
    @Ctx() ctx: Context,
  ) {
    return createApiClient(ctx, agencyId, clientId, description, operation);
  }

  @RequiresScopes(...ADMIN)
  @Mutation(() => ApiClientCredentials, {
    nullable: true,
    description:
      'Issues a new secret for an API client, returned this once; the old secret stops working (General Secretariat only). Audited.',
  })
  rotateClientSecret(
    @Arg('clientId', { description: 'The client id.' }) clientId: string,
    @Ctx() ctx: Context,
  ) {
    return rotateClientSecret(ctx, clientId);
  }

  @RequiresScopes(...ADMIN)
  @Mutation(() => ApiClientInfo, {
    nullable: true,
    description:
      'Disables an API client: the token endpoint refuses it from now on (General Secretariat only). Audited.',
  })
  disableApiClient(
    @Arg('clientId', { description: 'The client id.' }) clientId: string,
    @Ctx() ctx: Context,
  ) {
    return disableApiClient(ctx, clientId);
  }
}

@Resolver(() => ApiClientInfo)
export class ApiClientResolver {
  @RequiresScopes(...ADMIN)
  @FieldResolver(() => Agency, { nullable: true, description: 'The agency the client acts for.' })
  agency(@Root() client: ApiClientInfo, @Ctx() ctx: Context) {
    return ctx.loaders.agency.load(client.agencyId);
  }
}
