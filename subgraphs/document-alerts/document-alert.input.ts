import { Field, InputType } from 'type-graphql';
import { DocumentType } from '../../shared/documents/document-type';
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
