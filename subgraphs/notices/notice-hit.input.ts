import { Field, ID, InputType, registerEnumType } from 'type-graphql';
import type { CheckContextInput } from '../../shared/auth/operation-grants';
import { HitStatus } from '../../shared/schema/hit-status';
import { MAX_HIT_NOTE_LENGTH } from '../../shared/hit-workflow';
import { InputValidator } from '../../shared/validation';

export enum NoticeHitSide {
  OWNER = 'OWNER',
  REPORTER = 'REPORTER',
}
registerEnumType(NoticeHitSide, {
  name: 'NoticeHitSide',
  description: 'Which notice hits to list: on your notices, or from your checks.',
  valuesConfig: {
    OWNER: { description: 'Matches reported on notices your agency requested (needs hits:manage).' },
    REPORTER: { description: 'Matches your agency reported.' },
  },
});

@InputType('NoticeMatchInput', {
  description:
    'A person at a border is the subject of a notice. In an operation, give both its code and the border point.',
})
export class NoticeMatchInput {
  @Field(() => ID, { description: 'The notice whose subject the person is.' })
  noticeId: string;

  @Field(() => String, {
    nullable: true,
    description: 'Code of the border point where the person was met, e.g. FRCDG-T2 (with `operation`).',
  })
  borderPoint?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Code of the ACTIVE operation the check was made in, e.g. STOP-2026-CDG (with `borderPoint`).',
  })
  operation?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'What the officer saw (at most 2000 characters), for the requesting bureau.',
  })
  note?: string | null;
}

@InputType('NoticeHitFilter', { description: 'Narrows a list of notice hits; all given conditions apply.' })
export class NoticeHitFilter {
  @Field(() => HitStatus, { nullable: true, description: 'Only notice hits in this status.' })
  status?: HitStatus;

  @Field(() => NoticeHitSide, {
    nullable: true,
    description: 'Only matches on your notices, or only those your agency reported (default: both).',
  })
  side?: NoticeHitSide;

  @Field(() => Date, { nullable: true, description: 'Reported at or after this time.' })
  from?: Date;

  @Field(() => Date, { nullable: true, description: 'Reported before this time.' })
  to?: Date;
}

/** The note and, when either is given, the operation context (both or neither), each problem naming its field. */
export function validateNoticeMatch(input: NoticeMatchInput): {
  context: CheckContextInput | null;
  note: string | null;
} {
  const v = new InputValidator('input');
  const note = v.text('note', input.note, MAX_HIT_NOTE_LENGTH, true);
  const operation = input.operation?.trim() || null;
  const borderPoint = input.borderPoint?.trim() || null;
  if (operation && !borderPoint) v.problem('borderPoint', 'is required with operation');
  if (borderPoint && !operation) v.problem('operation', 'is required with borderPoint');
  v.throwIfInvalid();
  return { context: operation && borderPoint ? { operation, borderPoint } : null, note };
}
