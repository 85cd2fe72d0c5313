import { Arg, Ctx, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../shared/context';
import { RequiresScopes } from '../../shared/schema/access';
import { agencyReference, AgencyReference } from '../../shared/schema/agency-reference';
import { ConnectionType, pageSize } from '../../shared/schema/connection';
import { ALERTS_READ, DocumentAlert } from './document-alert.entity';
import { DocumentAlertFilter, PublishDocumentAlertInput } from './document-alert.input';
import type { AlertLoaders } from './document-alert.loader';
import { listAlerts } from './document-alert.repository';
import {
  publishDocumentAlert,
  updateDocumentAlertRestrictions,
  withdrawDocumentAlert,
} from './document-alert.service';
import { RecordRestrictionsInput } from '../../shared/schema/restrictions.input';
import { TravelDocument } from './travel-document.type';

@ObjectType('DocumentAlertConnection', { description: 'A page of document alerts.' })
class DocumentAlertConnection extends ConnectionType(DocumentAlert, 'DocumentAlert') {}

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
    return listAlerts(ctx.reads, ctx.caller, filter, pageSize(first), after);
  }

  @RequiresScopes(...ALERTS_READ)
  @Query(() => DocumentAlert, {
    nullable: true,
    description: 'One alert by id; null when there is none you may see.',
  })
  async documentAlert(
    @Arg('id', () => ID, { description: 'The alert id.' }) id: string,
    @Ctx() ctx: Context,
  ) {
    const alert = await ctx.loaders.alertById.load(id);
    if (!alert) await ctx.loaders.alertNotFound.answered({ key: id, operation: 'documentAlert', ctx });
    return alert;
  }

  @RequiresScopes(...ALERTS_READ)
  @FieldResolver(() => AgencyReference, {
    nullable: true,
    description: 'The agency that published the alert.',
  })
  publishedBy(@Root() alert: DocumentAlert): AgencyReference {
    return agencyReference(alert.ownerAgencyId);
  }

  @RequiresScopes(['alerts:write'])
  @Mutation(() => DocumentAlert, {
    nullable: true,
    description:
      'Publishes an alert on a fraudulent document model under your agency, numbered by the hub. One transaction, audited.',
  })
  publishDocumentAlert(
    @Arg('input', () => PublishDocumentAlertInput, {
      description: 'The model, the fraud and how to spot it.',
    })
    input: PublishDocumentAlertInput,
    @Ctx() ctx: Context,
  ) {
    return publishDocumentAlert(ctx, input);
  }

  @RequiresScopes(['alerts:write'])
  @Mutation(() => DocumentAlert, {
    nullable: true,
    description:
      'Withdraws an alert your agency published, or one of your country (its NCB). Audited with the reason.',
  })
  withdrawDocumentAlert(
    @Arg('id', () => ID, { description: 'The alert.' }) id: string,
    @Arg('reason', { description: 'Why, at most 500 characters.' }) reason: string,
    @Ctx() ctx: Context,
  ) {
    return withdrawDocumentAlert(ctx, id, reason);
  }

  @RequiresScopes(['alerts:write'])
  @Mutation(() => DocumentAlert, {
    nullable: true,
    description:
      'Replaces who besides its publisher may see an alert your agency published, or one of your country (its NCB). Audited.',
  })
  updateDocumentAlertRestrictions(
    @Arg('id', () => ID, { description: 'The alert.' }) id: string,
    @Arg('restrictions', () => RecordRestrictionsInput, {
      description: 'The new restrictions; empty lifts them.',
    })
    restrictions: RecordRestrictionsInput,
    @Ctx() ctx: Context,
  ) {
    return updateDocumentAlertRestrictions(ctx, id, restrictions);
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
