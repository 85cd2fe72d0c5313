import { Field, InputType } from 'type-graphql';
import { DocumentType } from '../../shared/documents/document-type';
import { RecordRestrictionsInput } from '../../shared/schema/restrictions.input';
import { NoticeStatus, NoticeType } from './notice.entity';

@InputType({ description: 'Narrows a list of notices; all given conditions apply.' })
export class NoticeFilter {
  @Field(() => [NoticeType], { nullable: true, description: 'Only notices of these types.' })
  types?: NoticeType[];

  @Field(() => NoticeStatus, {
    nullable: true,
    description:
      'Only notices in this status. Others than PUBLISHED are visible only to their requester and the General Secretariat.',
  })
  status?: NoticeStatus;

  @Field(() => String, { nullable: true, description: 'Only notices requested by this country’s NCB.' })
  requestingCountry?: string;

  @Field(() => String, { nullable: true, description: 'Only notices whose subject holds this nationality.' })
  subjectNationality?: string;

  @Field(() => Date, { nullable: true, description: 'Requested at or after this time.' })
  requestedAfter?: Date;

  @Field(() => Date, { nullable: true, description: 'Requested before this time.' })
  requestedBefore?: Date;
}

@InputType({
  description: 'The person a notice is about. Every field is optional: some notices concern unknown persons.',
})
export class NoticeSubjectInput {
  @Field(() => String, { nullable: true, description: 'Surname(s), at most 100 characters.' })
  surname?: string | null;

  @Field(() => String, { nullable: true, description: 'Forename(s), at most 100 characters.' })
  forenames?: string | null;

  @Field(() => String, { nullable: true, description: 'Date of birth (yyyy-mm-dd), not in the future.' })
  dateOfBirth?: string | null;

  @Field(() => String, { nullable: true, description: 'Sex: F, M or X.' })
  sex?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Nationalities, at most 5 (ISO 3166-1 alpha-3 or ICAO 9303 codes).',
  })
  nationalities?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Place of birth, at most 200 characters.' })
  placeOfBirth?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Scars, marks, tattoos and other distinguishing features, at most 1000 characters.',
  })
  distinguishingMarks?: string | null;
}

@InputType({ description: 'Another name the subject is known under: a surname, forenames, or both.' })
export class NoticeAliasInput {
  @Field(() => String, { nullable: true, description: 'Surname(s), at most 100 characters.' })
  surname?: string | null;

  @Field(() => String, { nullable: true, description: 'Forename(s), at most 100 characters.' })
  forenames?: string | null;
}

@InputType({ description: 'An arrest warrant a RED notice rests on.' })
export class ArrestWarrantInput {
  @Field({ description: 'The warrant’s number, as the issuing authority gives it; at most 100 characters.' })
  warrantNumber: string;

  @Field({ description: 'The judicial authority that issued it, at most 200 characters.' })
  issuingAuthority: string;

  @Field({ description: 'Date of issue (yyyy-mm-dd), not in the future.' })
  issuedOn: string;

  @Field({ description: 'The charges it names, at most 500 characters.' })
  charges: string;
}

@InputType({ description: 'A travel document the subject holds, linking the notice to the SLTD and alerts.' })
export class NoticeDocumentInput {
  @Field({ description: 'Issuing country (ISO 3166-1 alpha-3 or ICAO 9303 code).' })
  issuingCountry: string;

  @Field({ description: 'Document number, in any usual spelling; stored normalised.' })
  documentNumber: string;

  @Field(() => DocumentType, { description: 'Kind of document.' })
  documentType: DocumentType;
}

@InputType({ description: 'A notice your bureau requests; the General Secretariat publishes or refuses it.' })
export class RequestNoticeInput {
  @Field(() => NoticeType, { description: 'Kind of notice.' })
  type: NoticeType;

  @Field({ description: 'Short title, e.g. the offence or the circumstances; at most 200 characters.' })
  title: string;

  @Field(() => NoticeSubjectInput, { nullable: true, description: 'The person the notice is about.' })
  subject?: NoticeSubjectInput | null;

  @Field(() => [NoticeAliasInput], { nullable: true, description: 'Other names of the subject, at most 10.' })
  aliases?: NoticeAliasInput[] | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Charges, at most 20 of at most 500 characters each; a RED notice needs at least one.',
  })
  charges?: string[] | null;

  @Field(() => [ArrestWarrantInput], {
    nullable: true,
    description: 'Arrest warrants, at most 20; a RED notice needs at least one.',
  })
  arrestWarrants?: ArrestWarrantInput[] | null;

  @Field(() => [NoticeDocumentInput], {
    nullable: true,
    description: 'Travel documents the subject holds, at most 10.',
  })
  documents?: NoticeDocumentInput[] | null;

  @Field(() => RecordRestrictionsInput, {
    nullable: true,
    description: 'Who besides you and the General Secretariat may see the notice once published.',
  })
  restrictions?: RecordRestrictionsInput | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Review date (yyyy-mm-dd), at most 5 years from today. Default: 5 years after publication; an earlier date you give is kept.',
  })
  reviewDate?: string | null;
}

@InputType({ description: 'Changes to a notice your bureau requested; fields left out stay as they are.' })
export class UpdateNoticeInput {
  @Field(() => String, { nullable: true, description: 'Short title, at most 200 characters.' })
  title?: string | null;

  @Field(() => NoticeSubjectInput, {
    nullable: true,
    description: 'Subject fields to change; subject fields left out stay as they are, null clears one.',
  })
  subject?: NoticeSubjectInput | null;

  @Field(() => [String], {
    nullable: true,
    description:
      'Replaces the charges: at most 20 of at most 500 characters each; a RED notice keeps at least one.',
  })
  charges?: string[] | null;

  @Field(() => RecordRestrictionsInput, {
    nullable: true,
    description: 'Replaces who besides you and the General Secretariat may see the notice.',
  })
  restrictions?: RecordRestrictionsInput | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Review date (yyyy-mm-dd), in the future and at most 5 years after publication (before it: from today); null goes back to that default.',
  })
  reviewDate?: string | null;
}
