import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { RequiresScopes } from '../../shared/schema/access';
import { HitOutcomeAction } from '../../shared/schema/hit-outcome';
import { HitStatus } from '../../shared/schema/hit-status';

// One enum for document and notice hits (shared/schema/hit-status.ts), so composition sees one type.
export { HitStatus };

/** The checker sees its own hits' outcome; the owner manages the hits on its records. */
export const HIT_READ = [['sltd:summary'], ['hits:manage']] as const;
export const HIT_MANAGE = [['hits:manage']] as const;

/** A check that matched an SLTD record. */
@Directive('@key(fields: "id")')
@ObjectType('Hit', {
  description: 'A check that matched an SLTD record; PENDING until the record’s owner decides.',
})
@Entity({ schema: 'sltd', name: 'hits' })
export class Hit {
  @Field(() => ID, { description: 'Stable identifier of the hit.' })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'record_id', type: 'uuid' })
  recordId: string;

  @Column({ name: 'owner_agency_id', type: 'uuid' })
  ownerAgencyId: string;

  @RequiresScopes(...HIT_MANAGE)
  @Field(() => String, { nullable: true, description: 'The API client that made the check.' })
  @Column({ name: 'checked_by_client', type: 'text' })
  checkedByClient: string;

  @Column({ name: 'checked_by_agency_id', type: 'uuid' })
  checkedByAgencyId: string;

  @Column({ name: 'checked_by_country', type: 'varchar', length: 3, nullable: true })
  checkedByCountry: string | null;

  @RequiresScopes(...HIT_READ)
  @Field(() => Date, { nullable: true, description: 'When the check was made.' })
  @Column({ name: 'checked_at', type: 'timestamptz' })
  checkedAt: Date;

  @RequiresScopes(...HIT_READ)
  @Field(() => String, {
    nullable: true,
    description: 'Where, as the checker gave it (e.g. CDG T2 gate 34).',
  })
  @Column({ type: 'text', nullable: true })
  location: string | null;

  @Column({ name: 'visible_to_checker', type: 'boolean' })
  visibleToChecker: boolean;

  @RequiresScopes(...HIT_READ)
  @Field(() => HitStatus, { nullable: true, description: 'PENDING, CONFIRMED or FALSE_POSITIVE.' })
  @Column({ type: 'text' })
  status: HitStatus;

  @RequiresScopes(...HIT_READ)
  @Field(() => String, { nullable: true, description: 'The owner’s note on its decision.' })
  @Column({ name: 'outcome_note', type: 'text', nullable: true })
  outcomeNote: string | null;

  @RequiresScopes(...HIT_READ)
  @Field(() => Date, { nullable: true, description: 'When the owner decided.' })
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'decided_by_client', type: 'text', nullable: true })
  decidedByClient: string | null;

  /** The operation the check was made in (partner-agencies' key), null for an ordinary check. */
  @Column({ name: 'operation_code', type: 'text', nullable: true })
  operationCode: string | null;

  /** The operation's border point where the check was made. */
  @Column({ name: 'border_point_code', type: 'text', nullable: true })
  borderPointCode: string | null;

  @RequiresScopes(...HIT_READ)
  @Field(() => HitOutcomeAction, {
    nullable: true,
    description:
      'What was done after the confirmed hit, as its owner recorded it (recordOutcome); null until recorded.',
  })
  @Column({ type: 'text', nullable: true })
  outcome: HitOutcomeAction | null;

  @RequiresScopes(...HIT_READ)
  @Field(() => Date, {
    nullable: true,
    description: 'When the owner recorded the outcome (the latest time).',
  })
  @Column({ name: 'outcome_at', type: 'timestamptz', nullable: true })
  outcomeAt: Date | null;

  @RequiresScopes(...HIT_READ)
  @Field(() => String, {
    nullable: true,
    description:
      'The owner’s note on the outcome (recordOutcome), e.g. where the holder was detained. `outcomeNote` is the note on the decision (confirmHit).',
  })
  @Column({ name: 'outcome_action_note', type: 'text', nullable: true })
  outcomeActionNote: string | null;

  @Column({ name: 'outcome_by_client', type: 'text', nullable: true })
  outcomeByClient: string | null;
}
