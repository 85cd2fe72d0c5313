import { AuditedRead } from '../../shared/audit/audited-read';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import {
  NOTICE_FULL,
  NOTICE_IDENTITY,
  noticeReach,
  reachCovers,
  type NoticeLevel,
} from '../../shared/auth/notice-reach';
import { RequiresScopesOnRecord } from '../../shared/schema/access';
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
 * full readers see everything. The rules name every scope that reads some notices at that level; which notices
 * each one reads is shared/auth/notice-reach.ts: `notices:read:yellow` satisfies both rules but reads YELLOW
 * notices only, whatever else the caller holds. The General Secretariat (`notices:publish`) reads requested
 * notices in full to decide on them.
 */
export { NOTICE_FULL, NOTICE_IDENTITY };

/** Whether `scopes` read the `level` fields of a notice of this type. */
function readsNotice(scopes: Iterable<string>, level: NoticeLevel, type: string): boolean {
  return reachCovers(noticeReach(scopes, level), type);
}

type NoticeTypeOf<Root> = (root: Root) => string;
const ownType = <Root>(root: Root) => (root as { type: string }).type;

/** A field of a notice (or of its subject) in the identity set: the rule, and the notice's type checked. */
export function NoticeIdentityField<Root>(typeOf: NoticeTypeOf<Root> = ownType) {
  return RequiresScopesOnRecord<Root>(
    (caller, root) => readsNotice(caller.scopes, 'identity', typeOf(root)),
    ...NOTICE_IDENTITY,
  );
}

/** A field only full readers get: the rule, and the notice's type checked (YELLOW-only readers). */
export function NoticeFullField<Root>(typeOf: NoticeTypeOf<Root> = ownType) {
  return RequiresScopesOnRecord<Root>(
    (caller, root) => readsNotice(caller.scopes, 'full', typeOf(root)),
    ...NOTICE_FULL,
  );
}

@Directive('@key(fields: "id")')
@ObjectType('Notice', {
  description: 'A notice: an international request for cooperation or an alert about a person.',
})
@Entity({ schema: 'notices', name: 'notices' })
export class Notice extends RestrictedRecord {
  @Field(() => ID, { description: 'Stable identifier of the notice.' })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @NoticeIdentityField<Notice>()
  @Field(() => String, {
    nullable: true,
    description:
      "Control number issued by the hub, counted per owner and year: type letter, owner's country, number, month and year of the request, e.g. A-FRA-123/11-2026.",
  })
  @Column({ name: 'control_number', type: 'text' })
  controlNumber: string;

  @NoticeIdentityField<Notice>()
  @Field(() => NoticeType, { nullable: true, description: 'Kind of notice.' })
  @Column({ type: 'text' })
  type: NoticeType;

  @NoticeFullField<Notice>()
  @Field(() => NoticeStatus, { nullable: true, description: 'Where the notice stands in its workflow.' })
  @Column({ type: 'text' })
  status: NoticeStatus;

  @NoticeFullField<Notice>()
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

  @NoticeFullField<Notice>()
  @AuditedRead<Notice>('Notice', 'charges', (notice) => ({
    id: notice.id,
    ownerAgencyId: notice.ownerAgencyId,
  }))
  @Field(() => [String], { nullable: true, description: 'Charges the subject is wanted for (RED notices).' })
  @Column({ type: 'text', array: true })
  charges: string[];

  @NoticeFullField<Notice>()
  @Field(() => Date, { nullable: true, description: 'When the NCB requested it.' })
  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt: Date;

  @NoticeFullField<Notice>()
  @Field(() => Date, { nullable: true, description: 'When it was published; null before.' })
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason: string | null;

  @NoticeFullField<Notice>()
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
