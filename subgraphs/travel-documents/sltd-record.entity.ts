import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DocumentType } from '../../shared/documents/document-type';
import { RequiresScopes } from '../../shared/schema/access';
import { RestrictedRecord } from '../../shared/schema/restricted-record';
import { DOCUMENT_NUMBER_DESCRIPTION, ISSUING_COUNTRY_DESCRIPTION } from '../../shared/schema/descriptions';

export enum SltdStatus {
  STOLEN = 'STOLEN',
  LOST = 'LOST',
  REVOKED = 'REVOKED',
  INVALID = 'INVALID',
  STOLEN_BLANK = 'STOLEN_BLANK',
}
registerEnumType(SltdStatus, {
  name: 'SltdStatus',
  description: 'Why a travel document is on file.',
  valuesConfig: {
    STOLEN: { description: 'Issued to a holder, then stolen.' },
    LOST: { description: 'Issued to a holder, then lost.' },
    REVOKED: { description: 'Revoked by the issuing authority.' },
    INVALID: { description: 'Declared invalid (e.g. reported, then found but cancelled).' },
    STOLEN_BLANK: { description: 'Stolen before personalisation: a blank document.' },
  },
});

/** Who may see what of a record: the summary a border officer needs, or everything for the bureaus. */
export const SLTD_SUMMARY = [['sltd:summary'], ['sltd:read']] as const;
export const SLTD_FULL = [['sltd:read']] as const;

/**
 * A reported document in the SLTD database. The class is both the table row and the GraphQL type; the
 * holder, theft details and owner are shaped by field resolvers (sltd-record.resolver.ts).
 */
@Directive('@key(fields: "id")')
@ObjectType('SltdRecord', { description: 'A travel document reported stolen, lost, revoked or invalid.' })
@Entity({ schema: 'sltd', name: 'records' })
export class SltdRecord extends RestrictedRecord {
  @Field(() => ID, { description: 'Stable identifier of the record.' })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @RequiresScopes(...SLTD_SUMMARY)
  @Field(() => String, { nullable: true, description: ISSUING_COUNTRY_DESCRIPTION })
  @Column({ name: 'issuing_country', type: 'varchar', length: 3 })
  issuingCountry: string;

  @RequiresScopes(...SLTD_SUMMARY)
  @Field(() => String, { nullable: true, description: DOCUMENT_NUMBER_DESCRIPTION })
  @Column({ name: 'document_number', type: 'varchar', length: 23 })
  documentNumber: string;

  @RequiresScopes(...SLTD_SUMMARY)
  @Field(() => DocumentType, { nullable: true, description: 'Kind of document.' })
  @Column({ name: 'document_type', type: 'text' })
  documentType: DocumentType;

  @RequiresScopes(...SLTD_SUMMARY)
  @Field(() => SltdStatus, { nullable: true, description: 'Why the document is on file.' })
  @Column({ type: 'text' })
  status: SltdStatus;

  @RequiresScopes(...SLTD_FULL)
  @Field(() => String, { nullable: true, description: 'Series or model of the document (e.g. its edition).' })
  @Column({ type: 'text', nullable: true })
  series: string | null;

  @Column({ name: 'owner_country', type: 'varchar', length: 3 })
  ownerCountry: string;

  @RequiresScopes(...SLTD_FULL)
  @Field(() => String, { nullable: true, description: 'The owner’s own case reference.' })
  @Column({ name: 'national_reference', type: 'text', nullable: true })
  nationalReference: string | null;

  @Column({ name: 'holder_surname', type: 'text', nullable: true })
  holderSurname: string | null;

  @Column({ name: 'holder_forenames', type: 'text', nullable: true })
  holderForenames: string | null;

  @Column({ name: 'holder_date_of_birth', type: 'date', nullable: true })
  holderDateOfBirth: string | null;

  @Column({ name: 'holder_nationality', type: 'varchar', length: 3, nullable: true })
  holderNationality: string | null;

  @RequiresScopes(...SLTD_FULL)
  @Field(() => String, { nullable: true, description: 'Date of issue (ISO date).' })
  @Column({ name: 'issue_date', type: 'date', nullable: true })
  issueDate: string | null;

  @RequiresScopes(...SLTD_FULL)
  @Field(() => String, { nullable: true, description: 'Date of expiry (ISO date).' })
  @Column({ name: 'expiry_date', type: 'date', nullable: true })
  expiryDate: string | null;

  @Column({ name: 'theft_date', type: 'date', nullable: true })
  theftDate: string | null;

  @Column({ name: 'theft_country', type: 'varchar', length: 3, nullable: true })
  theftCountry: string | null;

  @Column({ name: 'theft_place', type: 'text', nullable: true })
  theftPlace: string | null;

  @RequiresScopes(...SLTD_FULL)
  @Field(() => Date, { nullable: true, description: 'When the owner reported it.' })
  @Column({ name: 'reported_at', type: 'timestamptz' })
  reportedAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @RequiresScopes(...SLTD_FULL)
  @Field(() => String, {
    nullable: true,
    description: 'Date by which the owner must extend the record or let it go.',
  })
  @Column({ name: 'review_date', type: 'date' })
  reviewDate: string;

  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true })
  withdrawnAt: Date | null;
}
