import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import type { Caller } from '../../shared/auth/caller';
import { RequiresScopesOnRecord } from '../../shared/schema/access';
import { HitOutcomeAction } from '../../shared/schema/hit-outcome';
import { HitStatus } from '../../shared/schema/hit-status';

/**
 * Who reads what of a notice hit (docs/access-matrix.md): the agency that reported the match reads its report's
 * basics (where, when, its note, the notice, where it stands); the notice's requesting bureau, with hits:manage,
 * reads everything, who reported it and what was done included. Nobody else reads anything: the rows themselves
 * are filtered the same way (notice-hit.repository.ts).
 */
export const NOTICE_HIT_BASICS = [['notices:screen'], ['hits:manage']] as const;
export const NOTICE_HIT_OWNER = [['hits:manage']] as const;

const ownsNoticeHit = (caller: Caller, hit: NoticeHit): boolean =>
  hit.ownerAgencyId === caller.agencyId && caller.scopes.has('hits:manage');
const readsNoticeHit = (caller: Caller, hit: NoticeHit): boolean =>
  ownsNoticeHit(caller, hit) || hit.reportedByAgencyId === caller.agencyId;

/** A basic field: the reporter's and the owner's. */
export const NoticeHitBasics = () => RequiresScopesOnRecord<NoticeHit>(readsNoticeHit, ...NOTICE_HIT_BASICS);
/** A field for the notice's requesting bureau only. */
export const NoticeHitOwnerField = () =>
  RequiresScopesOnRecord<NoticeHit>(ownsNoticeHit, ...NOTICE_HIT_OWNER);

/** An officer's report that the person in front of them is the subject of a notice. */
@Directive('@key(fields: "id")')
@ObjectType('NoticeHit', {
  description:
    'An officer’s report that a person is the subject of a notice: PENDING until the notice’s requesting bureau decides, then what was done.',
})
@Entity({ schema: 'notices', name: 'notice_hits' })
export class NoticeHit {
  @Field(() => ID, { description: 'Stable identifier of the notice hit.' })
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'notice_id', type: 'uuid' })
  noticeId: string;

  /** The notice's requesting bureau: it decides. */
  @Column({ name: 'owner_agency_id', type: 'uuid' })
  ownerAgencyId: string;

  @Column({ name: 'reported_by_client', type: 'text' })
  reportedByClient: string;

  @Column({ name: 'reported_by_agency_id', type: 'uuid' })
  reportedByAgencyId: string;

  @Column({ name: 'reported_by_country', type: 'varchar', length: 3, nullable: true })
  reportedByCountry: string | null;

  @NoticeHitBasics()
  @Field(() => Date, { nullable: true, description: 'When the match was reported.' })
  @Column({ name: 'reported_at', type: 'timestamptz' })
  reportedAt: Date;

  @NoticeHitBasics()
  @Field(() => String, { nullable: true, description: 'The reporting officer’s note.' })
  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ name: 'operation_code', type: 'text', nullable: true })
  operationCode: string | null;

  @Column({ name: 'border_point_code', type: 'text', nullable: true })
  borderPointCode: string | null;

  @NoticeHitBasics()
  @Field(() => HitStatus, { nullable: true, description: 'PENDING, CONFIRMED or FALSE_POSITIVE.' })
  @Column({ type: 'text' })
  status: HitStatus;

  @Column({ name: 'decision_note', type: 'text', nullable: true })
  decisionNote: string | null;

  @NoticeHitBasics()
  @Field(() => Date, { nullable: true, description: 'When the requesting bureau decided.' })
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'decided_by_client', type: 'text', nullable: true })
  decidedByClient: string | null;

  @NoticeHitOwnerField()
  @Field(() => HitOutcomeAction, {
    nullable: true,
    description: 'What was done after the hit was confirmed; null until the requesting bureau records it.',
  })
  @Column({ type: 'text', nullable: true })
  outcome: HitOutcomeAction | null;

  @Column({ name: 'outcome_note', type: 'text', nullable: true })
  outcomeNote: string | null;

  @NoticeHitOwnerField()
  @Field(() => Date, { nullable: true, description: 'When the outcome was recorded.' })
  @Column({ name: 'outcome_at', type: 'timestamptz', nullable: true })
  outcomeAt: Date | null;

  @Column({ name: 'outcome_by_client', type: 'text', nullable: true })
  outcomeByClient: string | null;
}
