import { Ctx, Field, ObjectType, Query, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../../shared/context';
import { Authenticated } from '../../shared/schema/access';
import { Agency } from './agency.entity';
import type { PartnerLoaders } from './agency.loader';

@ObjectType('Viewer', { description: 'The API client making the request, as its access token says.' })
export class Viewer {
  @Field({ description: 'The OAuth2 client id.' })
  clientId: string;

  @Field(() => Agency, { nullable: true, description: 'The agency the client belongs to.' })
  agency: Agency | null;

  @Field(() => [String], { description: 'Scopes the token grants, from the agency’s active agreements.' })
  scopes: string[];
}

@Resolver(() => Viewer)
export class MeResolver {
  @Authenticated()
  @Query(() => Viewer, { nullable: true, description: 'Who the caller is and what it may see.' })
  async me(@Ctx() ctx: SubgraphContext<PartnerLoaders>): Promise<Viewer | null> {
    const caller = ctx.caller;
    if (!caller) return null;
    return {
      clientId: caller.clientId,
      agency: await ctx.loaders.agency.load(caller.agencyId),
      scopes: [...caller.scopes].sort(),
    };
  }
}
