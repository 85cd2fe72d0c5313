import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { RequiresScopes } from '../../shared/schema/access';
import { Agency } from './agency.entity';

@ObjectType('AuditEntry', {
  description: 'One row of the tamper-evident audit trail: who did what to which records, when.',
})
export class AuditEntry {
  @Field(() => ID, {
    description:
      'Position in the trail, increasing (a write that was rolled back leaves a gap); the chain links rows in this order.',
  })
  seq: string;

  @Field({ description: 'When it was written.' })
  at: Date;

  @Field(() => String, { nullable: true, description: 'The API client that made the request.' })
  clientId: string | null;

  @Field(() => Agency, { nullable: true, description: 'The agency of that client.' })
  agency: Agency | null;

  @Field({
    description: 'Which subgraph served the request; `gateway` for the fields its access filter refused.',
  })
  subgraph: string;

  @Field(() => String, { nullable: true, description: 'The GraphQL operation, as the gateway named it.' })
  operation: string | null;

  @Field({
    description:
      'READ, CHECK, HIT, SCREEN, CREATE, UPDATE, WITHDRAW, DECIDE, DELETE, EXTEND, REFUSE or TOKEN.',
  })
  action: string;

  @RequiresScopes(['audit:read'])
  @Field(() => String, {
    nullable: true,
    description:
      'For a REFUSE entry, what the caller was told: NOT_FOUND, FORBIDDEN, CONFLICT or UNAUTHORIZED_FIELD_OR_TYPE (null otherwise).',
  })
  refusal: string | null;

  @Field({
    description:
      'Kind of record: Notice, SltdRecord, Hit, DocumentAlert, Agency… (`Field` for a refused field).',
  })
  recordType: string;

  @Field(() => [String], { description: 'The records concerned.' })
  recordIds: string[];

  @Field(() => [String], {
    description:
      'The fields (or groups of fields) read, changed or refused; for a refused field, its `Type.field`.',
  })
  fields: string[];

  @Field({ description: 'The request id, to follow the request through every process’s logs.' })
  requestId: string;
}

@InputType({ description: 'Narrows the audit trail; all given conditions apply.' })
export class AuditTrailFilter {
  @Field(() => String, { nullable: true, description: 'Only entries about this record id.' })
  recordId?: string;

  @Field(() => String, { nullable: true, description: 'Only entries of this action.' })
  action?: string;

  @Field(() => String, { nullable: true, description: 'Only entries made by this client.' })
  clientId?: string;

  @Field(() => Date, { nullable: true, description: 'Written at or after this time.' })
  from?: Date;

  @Field(() => Date, { nullable: true, description: 'Written before this time.' })
  to?: Date;
}

@ObjectType('AuditChainStatus', {
  description: 'Whether the audit trail’s keyed chain (HMAC links, keys outside the database) holds.',
})
export class AuditChainStatus {
  @Field(() => Int, { description: 'Rows checked.' })
  rows: number;

  @Field(() => Int, { description: 'Rows linked into the chain.' })
  sealed: number;

  @Field(() => Int, {
    description:
      'Rows written after the last link: not sealed yet, not broken (the sealer links them within a moment).',
  })
  unsealed: number;

  @Field({ description: 'True when every sealed row’s link holds and no row inside the chain lacks one.' })
  intact: boolean;

  @Field(() => ID, { nullable: true, description: 'The first row whose link does not hold.' })
  firstBrokenSeq: string | null;

  @Field(() => String, {
    nullable: true,
    description: '"content altered", "chain broken", "unknown key" or "not sealed".',
  })
  reason: string | null;
}
