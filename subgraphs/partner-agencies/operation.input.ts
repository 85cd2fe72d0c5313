import { Field, ID, InputType } from 'type-graphql';
import type { OperationStatus } from './operation-status';
import { OperationKindEnum, OperationStatusEnum, type OperationKind } from './operation.entity';

@InputType({ description: 'An agency taking part in an operation, at some or all of its border points.' })
export class ParticipantInput {
  @Field(() => ID, { description: 'The agency.' })
  agencyId: string;

  @Field(() => [String], {
    nullable: true,
    description:
      'Codes of the operation’s border points it works at; omitted or null: all of them, as they are at any time.',
  })
  borderPoints?: string[] | null;
}

@InputType({ description: 'A border-security operation to plan (it starts PLANNED and grants nothing yet).' })
export class PlanOperationInput {
  @Field({
    description:
      'Code, e.g. STOP-2026-CDG: a capital letter, then letters and digits, then one to four dash-separated parts; unique.',
  })
  code: string;

  @Field({ description: 'Name, at most 200 characters.' })
  name: string;

  @Field(() => OperationKindEnum, { description: 'Family of operation.' })
  kind: OperationKind;

  @Field({ description: 'What it is for, at most 2000 characters.' })
  purpose: string;

  @Field(() => ID, {
    nullable: true,
    description:
      'The coordinating agency: the General Secretariat or an NCB. Default: the caller’s agency. A bureau plans operations it coordinates itself.',
  })
  coordinatorId?: string | null;

  @Field(() => Date, { description: 'Start of the window.' })
  startsAt: Date;

  @Field(() => Date, {
    description: 'End of the window: after the start, in the future, at most 366 days later.',
  })
  endsAt: Date;

  @Field(() => [String], {
    description:
      'Scopes its participants hold for checks in its context: any of sltd:check, sltd:summary, notices:screen, alerts:read.',
  })
  grantedScopes: string[];

  @Field(() => [String], { nullable: true, description: 'Codes of its border points (see `borderPoints`).' })
  borderPoints?: string[] | null;

  @Field(() => [ParticipantInput], { nullable: true, description: 'Its participants.' })
  participants?: ParticipantInput[] | null;
}

@InputType({ description: 'Changes to an operation while it is PLANNED or ACTIVE; omitted fields stay.' })
export class UpdateOperationInput {
  @Field(() => String, { nullable: true, description: 'Name, at most 200 characters.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'What it is for, at most 2000 characters.' })
  purpose?: string | null;

  @Field(() => Date, { nullable: true, description: 'Start of the window.' })
  startsAt?: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'End of the window: after the start, in the future, at most 366 days later.',
  })
  endsAt?: Date | null;
}

@InputType({ description: 'Narrows the list of operations.' })
export class OperationFilter {
  @Field(() => OperationStatusEnum, { nullable: true, description: 'Only operations in this status.' })
  status?: OperationStatus | null;

  @Field(() => OperationKindEnum, { nullable: true, description: 'Only operations of this kind.' })
  kind?: OperationKind | null;
}
