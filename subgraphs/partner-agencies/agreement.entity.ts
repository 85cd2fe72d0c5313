import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import type { AgencyKind } from '../../shared/auth/caller';
import { withinPolicy } from '../../shared/auth/agency-policy';
import { RequiresScopes } from '../../shared/schema/access';

/** Scopes granted to an agency for a period; tokens carry the scopes of the agreements active when issued. */
@Directive('@key(fields: "id")')
@ObjectType('DataSharingAgreement', {
  description:
    'An agreement granting an agency scopes for a period. Revocation applies to tokens issued after it.',
})
@Entity({ schema: 'partners', name: 'agreements' })
export class DataSharingAgreement {
  @Field(() => ID, { description: 'Stable identifier of the agreement.' })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'agency_id', type: 'uuid' })
  agencyId: string;

  @RequiresScopes(['agencies:admin'])
  @Field(() => [String], { nullable: true, description: 'Scopes granted, e.g. sltd:check.' })
  @Column({ type: 'text', array: true })
  scopes: string[];

  @RequiresScopes(['agencies:admin'])
  @Field(() => Date, { nullable: true, description: 'Start of validity.' })
  @Column({ name: 'valid_from', type: 'timestamptz' })
  validFrom: Date;

  @RequiresScopes(['agencies:admin'])
  @Field(() => Date, { nullable: true, description: 'End of validity; null when open-ended.' })
  @Column({ name: 'valid_until', type: 'timestamptz', nullable: true })
  validUntil: Date | null;

  @RequiresScopes(['agencies:admin'])
  @Field(() => Date, { nullable: true, description: 'When it was revoked; null while in force.' })
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'revocation_reason', type: 'text', nullable: true })
  revocationReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** What decides whether an agreement is in force, and what it grants. */
type AgreementTerms = Pick<DataSharingAgreement, 'scopes' | 'validFrom' | 'validUntil' | 'revokedAt'>;

export function isAgreementActive(agreement: AgreementTerms, at: Date): boolean {
  return (
    agreement.revokedAt === null &&
    agreement.validFrom <= at &&
    (agreement.validUntil === null || agreement.validUntil > at)
  );
}

/**
 * The scopes an agency of `kind` holds at `at`: those of its agreements in force, less any its kind may not hold
 * (shared/auth/agency-policy.ts), so an agreement made before the policy changed cannot issue a wider token.
 */
export function scopesInForce(
  kind: AgencyKind,
  agreements: readonly AgreementTerms[],
  at: Date,
): Set<string> {
  const granted = agreements.filter((a) => isAgreementActive(a, at)).flatMap((a) => a.scopes);
  return new Set(withinPolicy(kind, granted));
}
