import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Authenticated } from '../../shared/schema/access';
import { OperationStatuses, type OperationStatus } from './operation-status';

const OperationKinds = [
  'STOP',
  'INFRA',
  'IMEST',
  'ICEBREAKER',
  'LIONFISH',
  'HAWK',
  'JOINT',
  'OTHER',
] as const;
export type OperationKind = (typeof OperationKinds)[number];

export const OperationKindEnum = Object.fromEntries(OperationKinds.map((k) => [k, k])) as {
  [K in OperationKind]: K;
};
registerEnumType(OperationKindEnum, {
  name: 'OperationKind',
  description: 'The family of a border-security operation.',
  valuesConfig: {
    STOP: { description: 'Against people smuggling.' },
    INFRA: { description: 'International fugitive round-up and arrest.' },
    IMEST: { description: 'A Major Event Support Team deployed for a games or a summit.' },
    ICEBREAKER: { description: 'Against trafficking by sea.' },
    LIONFISH: { description: 'Against drug trafficking by sea.' },
    HAWK: { description: 'Against terrorist travel.' },
    JOINT: { description: 'Joint with a partner (Frontex, CEMAC…).' },
    OTHER: { description: 'Any other operation.' },
  },
});

export const OperationStatusEnum = Object.fromEntries(OperationStatuses.map((s) => [s, s])) as {
  [S in OperationStatus]: S;
};
registerEnumType(OperationStatusEnum, {
  name: 'OperationStatus',
  description: 'Where an operation stands: PLANNED → ACTIVE → CLOSED, or CANCELLED.',
  valuesConfig: {
    PLANNED: { description: 'Being prepared: it grants nothing yet.' },
    ACTIVE: { description: 'Running: its participants hold its grant while its window is open.' },
    CLOSED: { description: 'Over: its grant is gone; its report stays.' },
    CANCELLED: { description: 'Called off: its grant is gone.' },
  },
});

export { OPERATION_GRANTABLE_SCOPES } from '../../shared/auth/operation-scopes';

/**
 * `^[A-Z][A-Z0-9]{1,15}(-[A-Z0-9]{1,12}){1,4}$`, e.g. STOP-2026-CDG, as the operations table's CHECK constraint says.
 */
export const OPERATION_CODE = /^[A-Z][A-Z0-9]{1,15}(-[A-Z0-9]{1,12}){1,4}$/;

/** Longest window an operation may have. */
export const MAX_OPERATION_DAYS = 366;

/**
 * A border-security operation (owned by partner-agencies). The same class is the row and the GraphQL type: who may
 * see one is decided per record (operation.access.ts) before it is returned, so its fields need only a verified
 * caller.
 */
@Directive('@key(fields: "code")')
@ObjectType('Operation', {
  description:
    'A border-security operation (STOP, INFRA, IMEST…): temporary access for named participants at named border points, for a limited time. Seen by the General Secretariat, its coordinator and its participants only.',
})
@Entity({ schema: 'partners', name: 'operations' })
export class Operation {
  @Field({ description: 'Code of the operation, e.g. STOP-2026-CDG.' })
  @PrimaryColumn({ type: 'text' })
  code: string;

  @Authenticated()
  @Field(() => String, { nullable: true, description: 'Name.' })
  @Column({ type: 'text' })
  name: string;

  @Authenticated()
  @Field(() => OperationKindEnum, { nullable: true, description: 'Family of operation.' })
  @Column({ type: 'text' })
  kind: OperationKind;

  @Authenticated()
  @Field(() => OperationStatusEnum, { nullable: true, description: 'Where it stands.' })
  @Column({ type: 'text' })
  status: OperationStatus;

  @Authenticated()
  @Field(() => String, { nullable: true, description: 'What it is for.' })
  @Column({ type: 'text' })
  purpose: string;

  @Column({ name: 'coordinator_id', type: 'uuid' })
  coordinatorId: string;

  @Authenticated()
  @Field(() => Date, { nullable: true, description: 'Start of its window.' })
  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt: Date;

  @Authenticated()
  @Field(() => Date, {
    nullable: true,
    description: 'End of its window: its grant is void after it, whatever its status.',
  })
  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt: Date;

  @Authenticated()
  @Field(() => [String], {
    nullable: true,
    description:
      'Scopes its participants hold for checks made in its context while it is ACTIVE and its window open (sltd:check, sltd:summary, notices:screen, alerts:read).',
  })
  @Column({ name: 'granted_scopes', type: 'text', array: true })
  grantedScopes: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** A border point of an operation. */
@Entity({ schema: 'partners', name: 'operation_border_points' })
export class OperationBorderPoint {
  @PrimaryColumn({ name: 'operation_code', type: 'text' })
  operationCode: string;

  @PrimaryColumn({ name: 'border_point_code', type: 'text' })
  borderPointCode: string;
}

/** A participant of an operation, assigned some of its border points (null: all of them). */
@Entity({ schema: 'partners', name: 'operation_participants' })
export class OperationParticipant {
  @PrimaryColumn({ name: 'operation_code', type: 'text' })
  operationCode: string;

  @PrimaryColumn({ name: 'agency_id', type: 'uuid' })
  agencyId: string;

  @Column({ name: 'border_points', type: 'text', array: true, nullable: true })
  borderPoints: string[] | null;
}

/**
 * The figures of an operation as one caller may see them (docs/architecture.md, operations). Its key names the
 * operation and the border points of the caller's view (shared/schema/operation-report-key.ts); travel-documents
 * and notices contribute the figures.
 */
@Directive('@key(fields: "id")')
@ObjectType('OperationReport', {
  description:
    'The results of an operation over the border points the caller may see: all of them for the General Secretariat and the coordinator, its own for a participant.',
})
export class OperationReport {
  @Field(() => ID, {
    description: 'Opaque key: the operation and the border points this view covers.',
  })
  id: string;
}
