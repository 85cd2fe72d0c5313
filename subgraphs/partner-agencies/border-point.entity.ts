import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Directive, Field, ObjectType, registerEnumType } from 'type-graphql';
import { Authenticated } from '../../shared/schema/access';

const BorderPointKinds = ['AIRPORT', 'SEAPORT', 'LAND_CROSSING', 'OTHER'] as const;
export type BorderPointKind = (typeof BorderPointKinds)[number];
export const BorderPointKindEnum = Object.fromEntries(BorderPointKinds.map((k) => [k, k])) as {
  [K in BorderPointKind]: K;
};
registerEnumType(BorderPointKindEnum, {
  name: 'BorderPointKind',
  description: 'What kind of place a border point is.',
  valuesConfig: {
    AIRPORT: { description: 'An airport, or one of its terminals.' },
    SEAPORT: { description: 'A sea or river port.' },
    LAND_CROSSING: { description: 'A road or rail crossing of a land border.' },
    OTHER: { description: 'Any other place documents are checked (a mobile team, a train).' },
  },
});

/**
 * UN/LOCODE (two-letter country, three letters or digits 2-9) with an optional terminal or lane suffix, as the
 * border_points table's CHECK constraint says.
 */
export const BORDER_POINT_CODE = /^[A-Z]{2}[A-Z2-9]{3}(-[A-Z0-9]{1,8})?$/;

/**
 * An airport, sea port or land crossing where documents are checked (owned by partner-agencies; travel-documents
 * and notices point at it by code). Not personal data: any signed-in caller reads the list.
 */
@Directive('@key(fields: "code")')
@ObjectType('BorderPoint', {
  description: 'An airport, sea port or land crossing where documents are checked.',
})
@Entity({ schema: 'partners', name: 'border_points' })
export class BorderPoint {
  @Field({ description: 'UN/LOCODE-style code with an optional terminal or lane suffix, e.g. FRCDG-T2.' })
  @PrimaryColumn({ type: 'text' })
  code: string;

  @Authenticated()
  @Field(() => String, { nullable: true, description: 'Name, e.g. Paris Charles de Gaulle, terminal 2.' })
  @Column({ type: 'text' })
  name: string;

  @Authenticated()
  @Field(() => BorderPointKindEnum, { nullable: true, description: 'What kind of place it is.' })
  @Column({ type: 'text' })
  kind: BorderPointKind;

  @Authenticated()
  @Field(() => String, { nullable: true, description: 'Country (ISO 3166-1 alpha-3).' })
  @Column({ type: 'varchar', length: 3 })
  country: string;
}
