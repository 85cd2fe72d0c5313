import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DocumentType } from '../../shared/documents/document-type';
import { RequiresScopes } from '../../shared/schema/access';
import { RestrictedRecord } from '../../shared/schema/restricted-record';
import { ISSUING_COUNTRY_DESCRIPTION } from '../../shared/schema/descriptions';

export enum FraudType {
  COUNTERFEIT = 'COUNTERFEIT',
  FORGED = 'FORGED',
  FRAUDULENTLY_OBTAINED = 'FRAUDULENTLY_OBTAINED',
  IMPOSTOR = 'IMPOSTOR',
  STOLEN_BLANK = 'STOLEN_BLANK',
  PSEUDO_DOCUMENT = 'PSEUDO_DOCUMENT',
}
registerEnumType(FraudType, {
  name: 'FraudType',
  description: 'How documents of the model are being abused.',
  valuesConfig: {
    COUNTERFEIT: { description: 'An unauthorised reproduction of a genuine document.' },
    FORGED: { description: 'A genuine document that was altered.' },
    FRAUDULENTLY_OBTAINED: { description: 'A genuine document obtained with false supporting documents.' },
    IMPOSTOR: { description: 'A genuine document used by a look-alike.' },
    STOLEN_BLANK: { description: 'A blank genuine document stolen and personalised by criminals.' },
    PSEUDO_DOCUMENT: { description: 'A fantasy document of no issuing authority.' },
  },
});

export const ALERTS_READ = [['alerts:read']] as const;

/** A Dial-Doc style alert on a fraudulent document model, optionally narrowed to a number range or pattern. */
@Directive('@key(fields: "id")')
@ObjectType('DocumentAlert', {
  description: 'An alert on a fraudulent document model: how to recognise it, and which numbers it concerns.',
})
@Entity({ schema: 'alerts', name: 'alerts' })
export class DocumentAlert extends RestrictedRecord {
  @Field(() => ID, { description: 'Stable identifier of the alert.' })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @RequiresScopes(...ALERTS_READ)
  @Field(() => String, {
    nullable: true,
    description: 'Alert number, counted per owner and year, e.g. DD-FRA-2026-00042.',
  })
  @Column({ name: 'alert_number', type: 'text' })
  alertNumber: string;

  @RequiresScopes(...ALERTS_READ)
  @Field(() => String, { nullable: true, description: ISSUING_COUNTRY_DESCRIPTION })
  @Column({ name: 'issuing_country', type: 'varchar', length: 3 })
  issuingCountry: string;

  @RequiresScopes(...ALERTS_READ)
  @Field(() => DocumentType, { nullable: true, description: 'Kind of document of the model.' })
  @Column({ name: 'document_type', type: 'text' })
  documentType: DocumentType;

  @RequiresScopes(...ALERTS_READ)
  @Field(() => String, { nullable: true, description: 'Series or edition of the model.' })
  @Column({ type: 'text', nullable: true })
  series: string | null;

  @RequiresScopes(...ALERTS_READ)
  @Field(() => FraudType, { nullable: true, description: 'How the model is abused.' })
  @Column({ name: 'fraud_type', type: 'text' })
  fraudType: FraudType;

  @RequiresScopes(...ALERTS_READ)
  @Field(() => String, { nullable: true, description: 'What was found, in a few sentences.' })
  @Column({ type: 'text' })
  description: string;

  @RequiresScopes(...ALERTS_READ)
  @Field(() => [String], {
    nullable: true,
    description: 'What to look for at the border to recognise a fraudulent copy.',
  })
  @Column({ type: 'text', array: true })
  indicators: string[];

  @RequiresScopes(...ALERTS_READ)
  @Field(() => String, {
    nullable: true,
    description: 'First document number concerned (inclusive), if a range is given.',
  })
  @Column({ name: 'number_from', type: 'varchar', length: 23, nullable: true })
  numberFrom: string | null;

  @RequiresScopes(...ALERTS_READ)
  @Field(() => String, {
    nullable: true,
    description: 'Last document number concerned (inclusive), if a range is given.',
  })
  @Column({ name: 'number_to', type: 'varchar', length: 23, nullable: true })
  numberTo: string | null;

  @RequiresScopes(...ALERTS_READ)
  @Field(() => String, {
    nullable: true,
    description: 'Pattern (POSIX regular expression) of the numbers concerned.',
  })
  @Column({ name: 'number_pattern', type: 'text', nullable: true })
  numberPattern: string | null;

  @Column({ name: 'owner_country', type: 'varchar', length: 3, nullable: true })
  ownerCountry: string | null;

  @RequiresScopes(...ALERTS_READ)
  @Field(() => Date, { nullable: true, description: 'When it was published.' })
  @Column({ name: 'published_at', type: 'timestamptz' })
  publishedAt: Date;

  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true })
  withdrawnAt: Date | null;

  @RequiresScopes(...ALERTS_READ)
  @Field(() => String, {
    nullable: true,
    description: 'Date by which the publisher must extend it or let it go.',
  })
  @Column({ name: 'review_date', type: 'date' })
  reviewDate: string;
}
