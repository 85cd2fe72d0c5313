import {
  Arg,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import type { SubgraphContext } from '../../shared/context';
import { RequiresScopes } from '../../shared/schema/access';
import { agencyReference, AgencyReference } from '../../shared/schema/agency-reference';
import { ConnectionType, pageSize } from '../../shared/schema/connection';
import { SLTD_FULL, SLTD_SUMMARY, SltdRecord } from './sltd-record.entity';
import { ReportTravelDocumentInput, SltdRecordFilter, UpdateSltdRecordInput } from './sltd-record.input';
import { reportTravelDocument, updateSltdRecord, withdrawSltdRecord } from './sltd-record.service';
import type { SltdLoaders } from './sltd-record.loader';
import { listRecords } from './sltd-record.repository';
import { travelDocument, TravelDocument } from './travel-document.type';

@ObjectType('DocumentHolder', {
  description: 'The person the document was issued to (personal data: audited).',
})
export class DocumentHolder {
  @Field(() => String, { nullable: true, description: 'Surname(s), as on the document.' })
  surname: string | null;

  @Field(() => String, { nullable: true, description: 'Forename(s), as on the document.' })
  forenames: string | null;

  @Field(() => String, { nullable: true, description: 'Date of birth (ISO date).' })
  dateOfBirth: string | null;

  @Field(() => String, { nullable: true, description: 'Nationality code.' })
  nationality: string | null;
}

@ObjectType('TheftDetails', { description: 'Where and when the document was stolen or lost.' })
export class TheftDetails {
  @Field(() => String, { nullable: true, description: 'Date of the theft or loss (ISO date).' })
  date: string | null;

  @Field(() => String, { nullable: true, description: 'Country where it happened.' })
  country: string | null;

  @Field(() => String, { nullable: true, description: 'Place where it happened.' })
  place: string | null;
}

@ObjectType('SltdRecordConnection', { description: 'A page of SLTD records.' })
class SltdRecordConnection extends ConnectionType(SltdRecord, 'SltdRecord') {}

type Context = SubgraphContext<SltdLoaders>;

@Resolver(() => SltdRecord)
export class SltdRecordResolver {
  @RequiresScopes(...SLTD_SUMMARY)
  @Query(() => SltdRecord, {
    nullable: true,
    description: 'One SLTD record by id; null when there is none you may see.',
  })
  async sltdRecord(@Arg('id', () => ID, { description: 'The record id.' }) id: string, @Ctx() ctx: Context) {
    const record = await ctx.loaders.recordById.load(id);
    if (!record) await ctx.loaders.recordNotFound.answered({ key: id, operation: 'sltdRecord', ctx });
    return record;
  }

  @RequiresScopes(...SLTD_FULL)
  @Query(() => SltdRecordConnection, {
    nullable: true,
    description: 'Search the SLTD records, newest first.',
  })
  sltdRecords(
    @Arg('filter', () => SltdRecordFilter, { nullable: true, description: 'Narrows the list.' })
    filter: SltdRecordFilter | undefined,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, at most 100 (default 20).' })
    first: number | undefined,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to read on from.' })
    after: string | undefined,
    @Ctx() ctx: Context,
  ) {
    return listRecords(ctx.reads, ctx.caller, filter, pageSize(first), after);
  }

  @RequiresScopes(['sltd:write'])
  @Mutation(() => SltdRecord, {
    nullable: true,
    description:
      'Reports a travel document of your own country as stolen, lost, revoked or invalid. One transaction, audited.',
  })
  reportTravelDocument(
    @Arg('input', () => ReportTravelDocumentInput, { description: 'The document and why it is reported.' })
    input: ReportTravelDocumentInput,
    @Ctx() ctx: Context,
  ) {
    return reportTravelDocument(ctx, input);
  }

  @RequiresScopes(['sltd:write'])
  @Mutation(() => SltdRecord, {
    nullable: true,
    description: 'Changes a record of your own country. One transaction, audited.',
  })
  updateSltdRecord(
    @Arg('id', () => ID, { description: 'The record.' }) id: string,
    @Arg('input', () => UpdateSltdRecordInput, { description: 'What changes.' }) input: UpdateSltdRecordInput,
    @Ctx() ctx: Context,
  ) {
    return updateSltdRecord(ctx, id, input);
  }

  @RequiresScopes(['sltd:write'])
  @Mutation(() => SltdRecord, {
    nullable: true,
    description:
      'Takes a record of your own country off the SLTD (document found, or reported in error). Audited with the reason.',
  })
  withdrawSltdRecord(
    @Arg('id', () => ID, { description: 'The record.' }) id: string,
    @Arg('reason', { description: 'Why, at most 500 characters.' }) reason: string,
    @Ctx() ctx: Context,
  ) {
    return withdrawSltdRecord(ctx, id, reason);
  }

  @RequiresScopes(...SLTD_SUMMARY)
  @FieldResolver(() => AgencyReference, {
    nullable: true,
    description: 'The NCB that reported the document.',
  })
  owner(@Root() record: SltdRecord): AgencyReference {
    return agencyReference(record.ownerAgencyId);
  }

  @RequiresScopes(...SLTD_SUMMARY)
  @FieldResolver(() => TravelDocument, {
    nullable: true,
    description: 'The document itself, to follow to notices and alerts about it.',
  })
  document(@Root() record: SltdRecord): TravelDocument {
    return travelDocument(record.issuingCountry, record.documentNumber);
  }

  @RequiresScopes(...SLTD_FULL)
  @FieldResolver(() => DocumentHolder, {
    nullable: true,
    description: 'The holder, where the owner gave one.',
  })
  holder(@Root() record: SltdRecord, @Ctx() ctx: Context): DocumentHolder | null {
    if (!record.holderSurname && !record.holderForenames) return null;
    ctx.audit.record({
      action: 'READ',
      recordType: 'SltdRecord',
      recordId: record.id,
      ownerAgencyId: record.ownerAgencyId,
      fields: ['holder'],
    });
    return {
      surname: record.holderSurname,
      forenames: record.holderForenames,
      dateOfBirth: record.holderDateOfBirth,
      nationality: record.holderNationality,
    };
  }

  @RequiresScopes(...SLTD_FULL)
  @FieldResolver(() => TheftDetails, { nullable: true, description: 'Theft or loss details, where known.' })
  theft(@Root() record: SltdRecord): TheftDetails | null {
    if (!record.theftDate && !record.theftCountry && !record.theftPlace) return null;
    return { date: record.theftDate, country: record.theftCountry, place: record.theftPlace };
  }
}
