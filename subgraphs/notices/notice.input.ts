import { Field, InputType } from 'type-graphql';
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
