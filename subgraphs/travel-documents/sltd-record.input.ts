import { Field, InputType } from 'type-graphql';
import { DocumentType } from '../../shared/documents/document-type';
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
