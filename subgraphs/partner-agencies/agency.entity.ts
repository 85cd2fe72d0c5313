import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { AgencyKinds, type AgencyKind } from '../../shared/auth/caller';
import { AGENCY_DESCRIPTION, AGENCY_ID_DESCRIPTION } from '../../shared/schema/descriptions';
import { Authenticated } from '../../shared/schema/access';

export const AgencyKindEnum = Object.fromEntries(AgencyKinds.map((k) => [k, k])) as { [K in AgencyKind]: K };
registerEnumType(AgencyKindEnum, {
  name: 'AgencyKind',
  description:
    'What kind of body an agency is; decides its default access and how record restrictions apply to it.',
  valuesConfig: {
    NCB: { description: 'A National Central Bureau, the country’s point of contact.' },
    NATIONAL_ENTITY: { description: 'A national border, police or migration body authorised by its NCB.' },
    INTERNATIONAL_PARTNER: {
      description: 'An international organisation under an agreement (e.g. IOM, Frontex).',
    },
    PRIVATE_PARTNER: { description: 'A private body under an agreement, such as an airline.' },
    GENERAL_SECRETARIAT: { description: 'The General Secretariat that runs the exchange.' },
  },
});

/** An agency: the same class is the table row and the GraphQL type, since their fields are the same. */
@Directive('@key(fields: "id")')
@ObjectType('Agency', { description: AGENCY_DESCRIPTION })
@Entity({ schema: 'partners', name: 'agencies' })
export class Agency {
  @Field(() => ID, { description: AGENCY_ID_DESCRIPTION })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Authenticated()
  @Field(() => String, { nullable: true, description: 'Short unique code, e.g. NCB-FRA.' })
  @Column({ type: 'text', unique: true })
  code: string;

  @Authenticated()
  @Field(() => String, { nullable: true, description: 'Official name.' })
  @Column({ type: 'text' })
  name: string;

  @Authenticated()
  @Field(() => AgencyKindEnum, { nullable: true, description: 'What kind of body it is.' })
  @Column({ type: 'text' })
  kind: AgencyKind;

  @Authenticated()
  @Field(() => String, {
    nullable: true,
    description: 'Country (ISO 3166-1 alpha-3), null for international bodies.',
  })
  @Column({ type: 'varchar', length: 3, nullable: true })
  country: string | null;

  @Column({ name: 'authorised_by', type: 'uuid', nullable: true })
  authorisedById: string | null;

  @Column({ name: 'webhook_url', type: 'text', nullable: true })
  webhookUrl: string | null;

  @Column({ name: 'webhook_secret', type: 'text', nullable: true })
  webhookSecret: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
