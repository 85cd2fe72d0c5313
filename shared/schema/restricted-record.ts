import { Column } from 'typeorm';

/**
 * The columns every owned, restrictable record has (notices, SLTD records, document alerts): its owner, and the
 * restrictions the owner set (shared/restrictions.ts turns them into SQL on every read path). None is a GraphQL
 * field: restrictions are the owner's business, applied, not shown.
 */
export abstract class RestrictedRecord {
  @Column({ name: 'owner_agency_id', type: 'uuid' })
  ownerAgencyId: string;

  @Column({ name: 'allowed_countries', type: 'text', array: true, nullable: true })
  allowedCountries: string[] | null;

  @Column({ name: 'excluded_countries', type: 'text', array: true, default: () => `'{}'` })
  excludedCountries: string[];

  @Column({ name: 'allowed_agency_kinds', type: 'text', array: true, nullable: true })
  allowedAgencyKinds: string[] | null;

  @Column({ name: 'excluded_agency_kinds', type: 'text', array: true, default: () => `'{}'` })
  excludedAgencyKinds: string[];
}
