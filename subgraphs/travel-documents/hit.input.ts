import { Field, InputType, registerEnumType } from 'type-graphql';
import { HitStatus } from './hit.entity';

export enum HitSide {
  OWNER = 'OWNER',
  CHECKER = 'CHECKER',
}
registerEnumType(HitSide, {
  name: 'HitSide',
  description: 'Which hits to list: on your records, or from your checks.',
  valuesConfig: {
    OWNER: { description: 'Hits on records your agency owns (needs hits:manage).' },
    CHECKER: { description: 'Hits your agency’s checks produced.' },
  },
});

@InputType({ description: 'Narrows a list of hits; all given conditions apply.' })
export class HitFilter {
  @Field(() => HitStatus, { nullable: true, description: 'Only hits in this status.' })
  status?: HitStatus;

  @Field(() => HitSide, {
    nullable: true,
    description: 'Only hits on your records, or only from your checks (default: both).',
  })
  side?: HitSide;

  @Field(() => Date, { nullable: true, description: 'Checked at or after this time.' })
  from?: Date;

  @Field(() => Date, { nullable: true, description: 'Checked before this time.' })
  to?: Date;
}
