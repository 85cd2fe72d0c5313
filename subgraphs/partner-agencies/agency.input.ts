import { Field, InputType } from 'type-graphql';
import { AgencyKindEnum } from './agency.entity';
import type { AgencyKind } from '../../shared/auth/caller';

@InputType({ description: 'Narrows the list of agencies.' })
export class AgencyFilter {
  @Field(() => AgencyKindEnum, { nullable: true, description: 'Only agencies of this kind.' })
  kind?: AgencyKind;

  @Field(() => String, { nullable: true, description: 'Only agencies of this country (ISO 3166-1 alpha-3).' })
  country?: string;
}
