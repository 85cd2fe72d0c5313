import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { RequiresScopes } from '../../shared/schema/access';
import { RestrictedRecord } from '../../shared/schema/restricted-record';

export enum NoticeType {
  RED = 'RED',
  YELLOW = 'YELLOW',
  BLUE = 'BLUE',
  BLACK = 'BLACK',
  GREEN = 'GREEN',
  ORANGE = 'ORANGE',
  PURPLE = 'PURPLE',
  SILVER = 'SILVER',
  UN_SPECIAL = 'UN_SPECIAL',
}
registerEnumType(NoticeType, {
  name: 'NoticeType',
  description: 'Colour-coded kind of notice.',
  valuesConfig: {
    RED: {
      description: 'Locate and provisionally arrest a person wanted for prosecution or to serve a sentence.',
    },
    YELLOW: {
      description:
        'Locate a missing person, often a minor, or identify a person unable to identify themselves.',
    },
    BLUE: { description: 'Collect information about a person’s identity, location or activities.' },
    BLACK: { description: 'Seek information on unidentified bodies.' },
    GREEN: { description: 'Warn about a person’s criminal activities.' },
    ORANGE: {
      description: 'Warn of an event, person, object or process representing a serious and imminent threat.',
    },
    PURPLE: {
      description: 'Seek or provide information on modus operandi, objects, devices or concealment methods.',
    },
    SILVER: { description: 'Trace and identify assets linked to criminal activity.' },
    UN_SPECIAL: { description: 'Individuals and entities subject to UN Security Council sanctions.' },
  },
});

export enum NoticeStatus {
  REQUESTED = 'REQUESTED',
  PUBLISHED = 'PUBLISHED',
  REFUSED = 'REFUSED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(NoticeStatus, {
  name: 'NoticeStatus',
  description: 'Where a notice stands: REQUESTED → PUBLISHED or REFUSED; PUBLISHED → CANCELLED.',
  valuesConfig: {
    REQUESTED: { description: 'Requested by an NCB, awaiting the General Secretariat’s review.' },
    PUBLISHED: { description: 'Published to the members.' },
    REFUSED: { description: 'Refused by the General Secretariat.' },
    CANCELLED: { description: 'Cancelled by the requesting NCB after publication.' },
  },
});

/**
 * Who may see what of a notice. Screening partners see its identity (type, control number, subject identity);
 * full readers see everything. `notices:read:yellow` reads in full, but only YELLOW notices are returned to it.
 * The General Secretariat (`notices:publish`) reads requested notices in full to decide on them.
 */
export const NOTICE_IDENTITY = [
  ['notices:screen'],
  ['notices:read'],
  ['notices:read:yellow'],
  ['notices:publish'],
] as const;
export const NOTICE_FULL = [['notices:read'], ['notices:read:yellow'], ['notices:publish']] as const;

@Directive('@key(fields: "id")')
@ObjectType('Notice', {
  description: 'A notice: an international request for cooperation or an alert about a person.',
})
@Entity({ schema: 'notices', name: 'notices' })
export class Notice extends RestrictedRecord {
  @Field(() => ID, { description: 'Stable identifier of the notice.' })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @RequiresScopes(...NOTICE_IDENTITY)
  @Field(() => String, {
    nullable: true,
    description: 'Control number issued by the hub, e.g. A-123/11-2026.',
  })
  @Column({ name: 'control_number', type: 'text' })
  controlNumber: string;

  @RequiresScopes(...NOTICE_IDENTITY)
  @Field(() => NoticeType, { nullable: true, description: 'Kind of notice.' })
  @Column({ type: 'text' })
  type: NoticeType;

  @RequiresScopes(...NOTICE_FULL)
  @Field(() => NoticeStatus, { nullable: true, description: 'Where the notice stands in its workflow.' })
  @Column({ type: 'text' })
  status: NoticeStatus;

  @RequiresScopes(...NOTICE_FULL)
  @Field(() => String, { nullable: true, description: 'Short title, e.g. the offence or the circumstances.' })
  @Column({ type: 'text' })
  title: string;

  @Column({ name: 'owner_country', type: 'varchar', length: 3 })
  ownerCountry: string;

  @Column({ name: 'subject_surname', type: 'text', nullable: true })
  subjectSurname: string | null;

  @Column({ name: 'subject_forenames', type: 'text', nullable: true })
  subjectForenames: string | null;

  @Column({ name: 'subject_date_of_birth', type: 'date', nullable: true })
  subjectDateOfBirth: string | null;

  @Column({ name: 'subject_sex', type: 'char', length: 1, nullable: true })
  subjectSex: 'F' | 'M' | 'X' | null;

  @Column({ name: 'subject_nationalities', type: 'text', array: true })
  subjectNationalities: string[];

  @Column({ name: 'subject_place_of_birth', type: 'text', nullable: true })
  subjectPlaceOfBirth: string | null;

  @Column({ name: 'distinguishing_marks', type: 'text', nullable: true })
  distinguishingMarks: string | null;

  @RequiresScopes(...NOTICE_FULL)
  @Field(() => [String], { nullable: true, description: 'Charges the subject is wanted for (RED notices).' })
  @Column({ type: 'text', array: true })
  charges: string[];

  @RequiresScopes(...NOTICE_FULL)
  @Field(() => Date, { nullable: true, description: 'When the NCB requested it.' })
  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt: Date;

  @RequiresScopes(...NOTICE_FULL)
  @Field(() => Date, { nullable: true, description: 'When it was published; null before.' })
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason: string | null;

  @RequiresScopes(...NOTICE_FULL)
  @Field(() => String, {
    nullable: true,
    description: 'Date by which the owner must extend the notice or let it go.',
  })
  @Column({ name: 'review_date', type: 'date' })
  reviewDate: string;

  /** The review date the owner chose, null when it took the default: publication keeps it if it is earlier. */
  @Column({ name: 'owner_review_date', type: 'date', nullable: true })
  ownerReviewDate: string | null;
}
