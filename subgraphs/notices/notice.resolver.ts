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
import { AuditedRead } from '../../shared/audit/audited-read';
import type { SubgraphContext } from '../../shared/context';
import { RequiresScopes } from '../../shared/schema/access';
import { agencyReference, AgencyReference } from '../../shared/schema/agency-reference';
import { ConnectionType, pageSize } from '../../shared/schema/connection';
import { ArrestWarrant, NoticeAlias } from './notice-details.entity';
import { Notice, NoticeFullField, NoticeIdentityField, NOTICE_FULL, NOTICE_IDENTITY } from './notice.entity';
import { NoticeFilter, RequestNoticeInput, UpdateNoticeInput } from './notice.input';
import type { NoticeLoaders } from './notice.loader';
import { listNotices } from './notice.repository';
import { cancelNotice, publishNotice, refuseNotice, requestNotice, updateNotice } from './notice.service';
import { TravelDocument } from './travel-document.type';

/** The person a notice is about. Identity fields serve screening; the rest needs full read access. */
const subjectNoticeType = (subject: NoticeSubject) => subject.noticeType;
const ofNotice = (notice: Notice) => ({ id: notice.id, ownerAgencyId: notice.ownerAgencyId });

@ObjectType('NoticeSubject', {
  description: 'The person a notice is about (personal data: every read is audited).',
})
export class NoticeSubject {
  @NoticeIdentityField<NoticeSubject>(subjectNoticeType)
  @Field(() => String, { nullable: true, description: 'Surname(s).' })
  surname: string | null;

  @NoticeIdentityField<NoticeSubject>(subjectNoticeType)
  @Field(() => String, { nullable: true, description: 'Forename(s).' })
  forenames: string | null;

  @NoticeIdentityField<NoticeSubject>(subjectNoticeType)
  @Field(() => String, { nullable: true, description: 'Date of birth (ISO date).' })
  dateOfBirth: string | null;

  @NoticeIdentityField<NoticeSubject>(subjectNoticeType)
  @Field(() => String, { nullable: true, description: 'Sex: F, M or X.' })
  sex: string | null;

  @NoticeIdentityField<NoticeSubject>(subjectNoticeType)
  @Field(() => [String], { nullable: true, description: 'Nationalities (country codes).' })
  nationalities: string[];

  @NoticeFullField<NoticeSubject>(subjectNoticeType)
  @Field(() => String, { nullable: true, description: 'Place of birth.' })
  placeOfBirth: string | null;

  @NoticeFullField<NoticeSubject>(subjectNoticeType)
  @Field(() => String, {
    nullable: true,
    description: 'Scars, marks, tattoos and other distinguishing features.',
  })
  distinguishingMarks: string | null;

  /** Not a field: lets `aliases` load by notice. */
  noticeId: string;

  /** The notice's owner, for the audit of the subject's reads. */
  ownerAgencyId: string;

  /** Not a field: the notice's type, which decides how much of the subject the caller reads. */
  noticeType: string;
}

@ObjectType('NoticeConnection', { description: 'A page of notices.' })
class NoticeConnection extends ConnectionType(Notice, 'Notice') {}

type Context = SubgraphContext<NoticeLoaders>;

@Resolver(() => Notice)
export class NoticeResolver {
  @RequiresScopes(...NOTICE_IDENTITY)
  @Query(() => NoticeConnection, {
    nullable: true,
    description:
      'Notices you may see, newest first. Readers with notices:read:yellow only get YELLOW notices.',
  })
  notices(
    @Arg('filter', () => NoticeFilter, { nullable: true, description: 'Narrows the list.' })
    filter: NoticeFilter | undefined,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, at most 100 (default 20).' })
    first: number | undefined,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to read on from.' })
    after: string | undefined,
    @Ctx() ctx: Context,
  ) {
    return listNotices(ctx.reads, ctx.caller, filter, pageSize(first), after);
  }

  @RequiresScopes(...NOTICE_IDENTITY)
  @Query(() => Notice, {
    nullable: true,
    description: 'One notice by id; null when there is none you may see.',
  })
  async notice(@Arg('id', () => ID, { description: 'The notice id.' }) id: string, @Ctx() ctx: Context) {
    const notice = await ctx.loaders.noticeById.load(id);
    if (!notice) await ctx.loaders.noticeNotFound.answered({ key: id, operation: 'notice', ctx });
    return notice;
  }

  @NoticeIdentityField<Notice>()
  @AuditedRead<Notice>('Notice', 'subject', ofNotice)
  @FieldResolver(() => NoticeSubject, { nullable: true, description: 'The person the notice is about.' })
  subject(@Root() notice: Notice): NoticeSubject {
    return Object.assign(new NoticeSubject(), {
      noticeId: notice.id,
      ownerAgencyId: notice.ownerAgencyId,
      noticeType: notice.type,
      surname: notice.subjectSurname,
      forenames: notice.subjectForenames,
      dateOfBirth: notice.subjectDateOfBirth,
      sex: notice.subjectSex,
      nationalities: notice.subjectNationalities,
      placeOfBirth: notice.subjectPlaceOfBirth,
      distinguishingMarks: notice.distinguishingMarks,
    });
  }

  @NoticeFullField<Notice>()
  @FieldResolver(() => AgencyReference, { nullable: true, description: 'The NCB that requested the notice.' })
  requestedBy(@Root() notice: Notice): AgencyReference {
    return agencyReference(notice.ownerAgencyId);
  }

  @NoticeFullField<Notice>()
  @AuditedRead<Notice>('Notice', 'arrestWarrants', ofNotice)
  @FieldResolver(() => [ArrestWarrant], {
    nullable: true,
    description: 'Arrest warrants the notice rests on.',
  })
  arrestWarrants(@Root() notice: Notice, @Ctx() ctx: Context) {
    return ctx.loaders.warrantsOfNotice.load(notice.id);
  }

  @NoticeFullField<Notice>()
  @AuditedRead<Notice>('Notice', 'documents', ofNotice)
  @FieldResolver(() => [TravelDocument], {
    nullable: true,
    description: 'Travel documents the subject holds; follow them to their SLTD status and document alerts.',
  })
  async documents(@Root() notice: Notice, @Ctx() ctx: Context): Promise<TravelDocument[]> {
    const rows = await ctx.loaders.documentsOfNotice.load(notice.id);
    return rows.map((d) =>
      Object.assign(new TravelDocument(), {
        issuingCountry: d.issuingCountry,
        documentNumber: d.documentNumber,
      }),
    );
  }

  @RequiresScopes(['notices:write'])
  @Mutation(() => Notice, {
    nullable: true,
    description:
      'Your national bureau requests a notice for its own country’s case: REQUESTED, with a control number issued by the hub, until the General Secretariat publishes or refuses it. One transaction, audited.',
  })
  requestNotice(
    @Arg('input', () => RequestNoticeInput, { description: 'The notice and its subject.' })
    input: RequestNoticeInput,
    @Ctx() ctx: Context,
  ) {
    return requestNotice(ctx, input);
  }

  @RequiresScopes(['notices:publish'])
  @Mutation(() => Notice, {
    nullable: true,
    description:
      'The General Secretariat publishes a REQUESTED notice to the members; its review date becomes 5 years after publication unless the owner chose an earlier one. Audited with the reason.',
  })
  publishNotice(
    @Arg('id', () => ID, { description: 'The notice.' }) id: string,
    @Arg('reason', { description: 'Why (e.g. the rules it complies with), at most 500 characters.' })
    reason: string,
    @Ctx() ctx: Context,
  ) {
    return publishNotice(ctx, id, reason);
  }

  @RequiresScopes(['notices:publish'])
  @Mutation(() => Notice, {
    nullable: true,
    description: 'The General Secretariat refuses a REQUESTED notice. Audited with the reason.',
  })
  refuseNotice(
    @Arg('id', () => ID, { description: 'The notice.' }) id: string,
    @Arg('reason', { description: 'Why it is refused, at most 500 characters.' }) reason: string,
    @Ctx() ctx: Context,
  ) {
    return refuseNotice(ctx, id, reason);
  }

  @RequiresScopes(['notices:write'])
  @Mutation(() => Notice, {
    nullable: true,
    description:
      'Changes a notice of your country: while REQUESTED, its title, subject, charges, restrictions and review date; once PUBLISHED, its restrictions and review date only (a new subject, title or charges is a new request, reviewed by the General Secretariat). One transaction, audited.',
  })
  updateNotice(
    @Arg('id', () => ID, { description: 'The notice.' }) id: string,
    @Arg('input', () => UpdateNoticeInput, { description: 'What changes.' }) input: UpdateNoticeInput,
    @Ctx() ctx: Context,
  ) {
    return updateNotice(ctx, id, input);
  }

  @RequiresScopes(['notices:write'])
  @Mutation(() => Notice, {
    nullable: true,
    description:
      'Cancels a PUBLISHED notice of your country (subject located, case closed). Audited with the reason.',
  })
  cancelNotice(
    @Arg('id', () => ID, { description: 'The notice.' }) id: string,
    @Arg('reason', { description: 'Why, at most 500 characters.' }) reason: string,
    @Ctx() ctx: Context,
  ) {
    return cancelNotice(ctx, id, reason);
  }
}

@Resolver(() => NoticeSubject)
export class NoticeSubjectResolver {
  @NoticeFullField<NoticeSubject>(subjectNoticeType)
  @AuditedRead<NoticeSubject>('Notice', 'subject.aliases', (subject) => ({
    id: subject.noticeId,
    ownerAgencyId: subject.ownerAgencyId,
  }))
  @FieldResolver(() => [NoticeAlias], {
    nullable: true,
    description: 'Other names the subject is known under.',
  })
  aliases(@Root() subject: NoticeSubject, @Ctx() ctx: Context) {
    return ctx.loaders.aliasesOfNotice.load(subject.noticeId);
  }
}

@Resolver(() => TravelDocument)
export class TravelDocumentNoticesResolver {
  @RequiresScopes(...NOTICE_FULL)
  @FieldResolver(() => [Notice], {
    nullable: true,
    description: 'Notices whose subject holds this document (those you may see).',
  })
  notices(@Root() document: TravelDocument, @Ctx() ctx: Context) {
    return ctx.loaders.noticesOfDocument.load({
      issuingCountry: document.issuingCountry,
      documentNumber: document.documentNumber,
    });
  }
}
