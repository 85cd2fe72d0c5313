import { Arg, Ctx, FieldResolver, ID, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../shared/context';
import { Authenticated, RequiresScopes } from '../../shared/schema/access';
import { ConnectionType, pageSize } from '../../shared/schema/connection';
import { Agency } from './agency.entity';
import { AgencyFilter } from './agency.input';
import type { PartnerLoaders } from './agency.loader';
import { listAgencies } from './agency.repository';
import { DataSharingAgreement } from './agreement.entity';

@ObjectType('AgencyConnection', { description: 'A page of agencies.' })
class AgencyConnection extends ConnectionType(Agency, 'Agency') {}

type Context = SubgraphContext<PartnerLoaders>;

@Resolver(() => Agency)
export class AgencyResolver {
  @Authenticated()
  @Query(() => Agency, { nullable: true, description: 'One agency by id; null when there is none.' })
  agency(@Arg('id', () => ID, { description: 'The agency id.' }) id: string, @Ctx() ctx: Context) {
    return ctx.loaders.agency.load(id);
  }

  @Authenticated()
  @Query(() => AgencyConnection, {
    nullable: true,
    description: 'The directory of agencies, ordered by code.',
  })
  agencies(
    @Arg('filter', () => AgencyFilter, { nullable: true, description: 'Narrows the list.' })
    filter: AgencyFilter | undefined,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, at most 100 (default 20).' })
    first: number | undefined,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to read on from.' })
    after: string | undefined,
    @Ctx() ctx: Context,
  ) {
    return listAgencies(ctx.reads, filter, pageSize(first), after);
  }

  @RequiresScopes(['agencies:admin'])
  @FieldResolver(() => [DataSharingAgreement], {
    nullable: true,
    description: 'The agreements of this agency, newest first.',
  })
  agreements(@Root() agency: Agency, @Ctx() ctx: Context) {
    return ctx.loaders.agreementsOfAgency.load(agency.id);
  }
}
