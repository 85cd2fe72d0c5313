import { Field, InputType } from 'type-graphql';
import type { Caller } from '../auth/caller';
import type { InputValidator } from '../validation';

/** Record-level restrictions an owner sets on its notices, SLTD records and alerts (docs/architecture.md, access layer 3). */
@InputType({
  description:
    'Who may see a record besides its owner. Empty means no restriction; a record restricted away from a caller is invisible to it.',
})
export class RecordRestrictionsInput {
  @Field(() => [String], {
    nullable: true,
    description: 'Only agencies of these countries may see it (null: any country).',
  })
  allowedCountries?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Agencies of these countries may not see it.' })
  excludedCountries?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Only these agency kinds may see it (null: any kind).',
  })
  allowedAgencyKinds?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'These agency kinds may not see it.' })
  excludedAgencyKinds?: string[] | null;
}

export interface RestrictionColumns {
  allowedCountries: string[] | null;
  excludedCountries: string[];
  allowedAgencyKinds: string[] | null;
  excludedAgencyKinds: string[];
}

export function validateRestrictions(
  v: InputValidator,
  field: string,
  input: RecordRestrictionsInput | null | undefined,
): RestrictionColumns {
  return {
    allowedCountries: v.countryList(`${field}.allowedCountries`, input?.allowedCountries),
    excludedCountries: v.countryList(`${field}.excludedCountries`, input?.excludedCountries) ?? [],
    allowedAgencyKinds: v.agencyKindList(`${field}.allowedAgencyKinds`, input?.allowedAgencyKinds),
    excludedAgencyKinds: v.agencyKindList(`${field}.excludedAgencyKinds`, input?.excludedAgencyKinds) ?? [],
  };
}

/** Records belong to a country: its NCB, or the national entity that reported them, may change them. */
export function mayChangeRecordOf(
  caller: Caller,
  owner: { ownerCountry: string | null; ownerAgencyId: string },
): boolean {
  if (caller.agencyId === owner.ownerAgencyId) return true;
  return caller.agencyKind === 'NCB' && caller.country !== null && caller.country === owner.ownerCountry;
}
