import { Field, ID, InputType } from 'type-graphql';
import type { AgencyKind } from '../../shared/auth/caller';
import { AgencyKindEnum } from './agency.entity';

@InputType({ description: 'An agency joining the exchange, registered by the General Secretariat.' })
export class RegisterAgencyInput {
  @Field({
    description: 'Short unique code, e.g. BP-FRA: 2 to 40 letters, digits and dashes; stored upper case.',
  })
  code: string;

  @Field({ description: 'Official name, at most 200 characters.' })
  name: string;

  @Field(() => AgencyKindEnum, {
    description: 'What kind of body it is (any but GENERAL_SECRETARIAT, which exists once).',
  })
  kind: AgencyKind;

  @Field(() => String, {
    nullable: true,
    description:
      'Country (ISO 3166-1 alpha-3): required for an NCB (one per country) and a national entity, optional otherwise.',
  })
  country?: string | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'For a national entity only, and required for it: the NCB of its country that authorises it.',
  })
  authorisedBy?: string | null;
}
