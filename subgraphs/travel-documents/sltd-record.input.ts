import { Field, InputType } from 'type-graphql';
import { DocumentType } from '../../shared/documents/document-type';
import { RecordRestrictionsInput } from '../../shared/schema/restrictions.input';
import { SltdStatus } from './sltd-record.entity';

@InputType({ description: 'Narrows a list of SLTD records; all given conditions apply.' })
export class SltdRecordFilter {
  @Field(() => String, { nullable: true, description: 'Issuing country code.' })
  issuingCountry?: string;

  @Field(() => SltdStatus, { nullable: true, description: 'Record status.' })
  status?: SltdStatus;

  @Field(() => DocumentType, { nullable: true, description: 'Kind of document.' })
  documentType?: DocumentType;

  @Field(() => Boolean, { nullable: true, description: 'Only records reported by the caller’s agency.' })
  ownedByMe?: boolean;

  @Field(() => Date, { nullable: true, description: 'Reported at or after this time.' })
  reportedAfter?: Date;

  @Field(() => Date, { nullable: true, description: 'Reported before this time.' })
  reportedBefore?: Date;
}

@InputType({ description: 'The person a reported document was issued to.' })
export class DocumentHolderInput {
  @Field(() => String, { nullable: true, description: 'Surname(s), at most 100 characters.' })
  surname?: string;

  @Field(() => String, { nullable: true, description: 'Forename(s), at most 100 characters.' })
  forenames?: string;

  @Field(() => String, { nullable: true, description: 'Date of birth (yyyy-mm-dd), not in the future.' })
  dateOfBirth?: string;

  @Field(() => String, { nullable: true, description: 'Nationality (ISO 3166-1 alpha-3 or ICAO code).' })
  nationality?: string;
}

@InputType({ description: 'A travel document of your own country to report to the SLTD.' })
export class ReportTravelDocumentInput {
  @Field({ description: 'Issuing country: must be your own (ISO 3166-1 alpha-3 or ICAO code).' })
  issuingCountry: string;

  @Field({ description: 'Document number, in any usual spelling; stored normalised.' })
  documentNumber: string;

  @Field(() => DocumentType, { description: 'Kind of document.' })
  documentType: DocumentType;

  @Field(() => SltdStatus, { description: 'Why it is reported.' })
  status: SltdStatus;

  @Field(() => String, { nullable: true, description: 'Series or model, at most 50 characters.' })
  series?: string;

  @Field(() => String, { nullable: true, description: 'Your own case reference, at most 100 characters.' })
  nationalReference?: string;

  @Field(() => DocumentHolderInput, {
    nullable: true,
    description: 'The holder, unless the document was blank.',
  })
  holder?: DocumentHolderInput;

  @Field(() => String, { nullable: true, description: 'Date of issue (yyyy-mm-dd), not in the future.' })
  issueDate?: string;

  @Field(() => String, { nullable: true, description: 'Date of expiry (yyyy-mm-dd).' })
  expiryDate?: string;

  @Field(() => String, {
    nullable: true,
    description: 'Date of the theft or loss (yyyy-mm-dd), not in the future.',
  })
  theftDate?: string;

  @Field(() => String, { nullable: true, description: 'Country of the theft or loss.' })
  theftCountry?: string;

  @Field(() => String, { nullable: true, description: 'Place of the theft or loss, at most 200 characters.' })
  theftPlace?: string;

  @Field(() => String, {
    nullable: true,
    description: 'Review date (yyyy-mm-dd); default and maximum: 10 years from today.',
  })
  reviewDate?: string;

  @Field(() => RecordRestrictionsInput, {
    nullable: true,
    description: 'Who besides you may see the record.',
  })
  restrictions?: RecordRestrictionsInput;
}

@InputType({ description: 'Changes to an SLTD record you own; fields left out stay as they are.' })
export class UpdateSltdRecordInput {
  @Field(() => SltdStatus, { nullable: true, description: 'New status.' })
  status?: SltdStatus;

  @Field(() => String, { nullable: true, description: 'Your own case reference, at most 100 characters.' })
  nationalReference?: string;

  @Field(() => String, {
    nullable: true,
    description: 'Date of the theft or loss (yyyy-mm-dd), not in the future.',
  })
  theftDate?: string;

  @Field(() => String, { nullable: true, description: 'Country of the theft or loss.' })
  theftCountry?: string;

  @Field(() => String, { nullable: true, description: 'Place of the theft or loss, at most 200 characters.' })
  theftPlace?: string;

  @Field(() => RecordRestrictionsInput, {
    nullable: true,
    description: 'Replaces who besides you may see the record.',
  })
  restrictions?: RecordRestrictionsInput;
}
