import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';

/** Another name the subject is known under. */
@ObjectType('PersonName', { description: 'A name: surname and forenames, as NIEM splits them.' })
@Entity({ schema: 'notices', name: 'aliases' })
export class NoticeAlias {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'notice_id', type: 'uuid' })
  noticeId: string;

  @Field(() => String, { nullable: true, description: 'Surname(s).' })
  @Column({ type: 'text', nullable: true })
  surname: string | null;

  @Field(() => String, { nullable: true, description: 'Forename(s).' })
  @Column({ type: 'text', nullable: true })
  forenames: string | null;
}

@ObjectType('ArrestWarrant', { description: 'An arrest warrant a RED notice rests on.' })
@Entity({ schema: 'notices', name: 'arrest_warrants' })
export class ArrestWarrant {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'notice_id', type: 'uuid' })
  noticeId: string;

  @Field({ description: 'The warrant’s number, as the issuing authority gives it.' })
  @Column({ name: 'warrant_number', type: 'text' })
  warrantNumber: string;

  @Field({ description: 'The judicial authority that issued it.' })
  @Column({ name: 'issuing_authority', type: 'text' })
  issuingAuthority: string;

  @Field({ description: 'Date of issue (ISO date).' })
  @Column({ name: 'issued_on', type: 'date' })
  issuedOn: string;

  @Field({ description: 'The charges it names.' })
  @Column({ type: 'text' })
  charges: string;
}

/** A travel document the subject holds, linking the notice to the SLTD and alerts through its key. */
@Entity({ schema: 'notices', name: 'documents' })
export class NoticeDocument {
  @PrimaryColumn({ name: 'notice_id', type: 'uuid' })
  noticeId: string;

  @PrimaryColumn({ name: 'issuing_country', type: 'varchar', length: 3 })
  issuingCountry: string;

  @PrimaryColumn({ name: 'document_number', type: 'varchar', length: 23 })
  documentNumber: string;

  @Column({ name: 'document_type', type: 'text' })
  documentType: string;
}
