import { Field, InputType } from 'type-graphql';
import { DocumentType } from '../../shared/documents/document-type';
import { RecordRestrictionsInput } from '../../shared/schema/restrictions.input';
import { FraudType } from './document-alert.entity';

@InputType({ description: 'Narrows a list of document alerts; all given conditions apply.' })
export class DocumentAlertFilter {
  @Field(() => String, { nullable: true, description: 'Issuing country of the model.' })
  issuingCountry?: string;

  @Field(() => DocumentType, { nullable: true, description: 'Kind of document of the model.' })
  documentType?: DocumentType;

  @Field(() => FraudType, { nullable: true, description: 'How the model is abused.' })
  fraudType?: FraudType;

  @Field(() => Date, { nullable: true, description: 'Published at or after this time.' })
  publishedAfter?: Date;
}

@InputType({
  description:
    'A Dial-Doc style alert on a fraudulent document model, optionally narrowed to a number range or a number pattern.',
})
export class PublishDocumentAlertInput {
  @Field({ description: 'Issuing country of the model (ISO 3166-1 alpha-3 or ICAO 9303 code).' })
  issuingCountry: string;

  @Field(() => DocumentType, { description: 'Kind of document of the model.' })
  documentType: DocumentType;

  @Field(() => String, {
    nullable: true,
    description: 'Series or edition of the model, at most 50 characters.',
  })
  series?: string | null;

  @Field(() => FraudType, { description: 'How the model is abused.' })
  fraudType: FraudType;

  @Field({ description: 'What was found, at most 2000 characters.' })
  description: string;

  @Field(() => [String], {
    description: 'What to look for at the border: 1 to 20 indicators of at most 300 characters each.',
  })
  indicators: string[];

  @Field(() => String, {
    nullable: true,
    description:
      'First document number concerned (inclusive), normalised; with numberTo, of the same length and not after it.',
  })
  numberFrom?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Last document number concerned (inclusive), with numberFrom.',
  })
  numberTo?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Instead of a range: a POSIX regular expression (at most 200 characters) the normalised numbers concerned match; it must not match every number.',
  })
  numberPattern?: string | null;

  @Field(() => RecordRestrictionsInput, { nullable: true, description: 'Who besides you may see the alert.' })
  restrictions?: RecordRestrictionsInput | null;

  @Field(() => String, {
    nullable: true,
    description: 'Review date (yyyy-mm-dd); default and maximum: 10 years from today.',
  })
  reviewDate?: string | null;
}
