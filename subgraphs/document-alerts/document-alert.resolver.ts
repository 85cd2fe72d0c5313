import { Arg, Ctx, FieldResolver, ID, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../shared/context';
import { RequiresScopes } from '../../shared/schema/access';
import { agencyReference, AgencyReference } from '../../shared/schema/agency-reference';
import { ConnectionType, pageSize } from '../../shared/schema/connection';
import { ALERTS_READ, DocumentAlert } from './document-alert.entity';
import { DocumentAlertFilter } from './document-alert.input';
import type { AlertLoaders } from './document-alert.loader';
import { listAlerts } from './document-alert.repository';
import { TravelDocument } from './travel-document.type';

@ObjectType('DocumentAlertConnection', { description: 'A page of document alerts.' })
export class DocumentAlertConnection extends ConnectionType(DocumentAlert, 'DocumentAlert') {}

type Context = SubgraphContext<AlertLoaders>;

@Resolver(() => DocumentAlert)
export class DocumentAlertResolver {
  @RequiresScopes(...ALERTS_READ)
  @Query(() => DocumentAlertConnection, {
    nullable: true,
    description: 'Active document alerts, newest first.',
  })
  documentAlerts(
    @Arg('filter', () => DocumentAlertFilter, { nullable: true, description: 'Narrows the list.' })
    filter: DocumentAlertFilter | undefined,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, at most 100 (default 20).' })
    first: number | undefined,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to read on from.' })
    after: string | undefined,
    @Ctx() ctx: Context,
  ) {
    return listAlerts(ctx.db, ctx.caller, filter, pageSize(first), after);
  }

  @RequiresScopes(...ALERTS_READ)
  @Query(() => DocumentAlert, {
    nullable: true,
    description: 'One alert by id; null when there is none you may see.',
  })
  documentAlert(@Arg('id', () => ID, { description: 'The alert id.' }) id: string, @Ctx() ctx: Context) {
    return ctx.loaders.alertById.load(id);
  }

  @RequiresScopes(...ALERTS_READ)
  @FieldResolver(() => AgencyReference, {
    nullable: true,
    description: 'The agency that published the alert.',
  })
  publishedBy(@Root() alert: DocumentAlert): AgencyReference {
    return agencyReference(alert.ownerAgencyId);
  }
}

@Resolver(() => TravelDocument)
export class TravelDocumentAlertsResolver {
  @RequiresScopes(...ALERTS_READ)
  @FieldResolver(() => [DocumentAlert], {
    nullable: true,
    description: 'Active alerts whose number range or pattern covers this document.',
  })
  alerts(@Root() document: TravelDocument, @Ctx() ctx: Context) {
    return ctx.loaders.alertsOfDocument.load({
      issuingCountry: document.issuingCountry,
      documentNumber: document.documentNumber,
    });
  }
}
