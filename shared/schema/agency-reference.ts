import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { AGENCY_DESCRIPTION, AGENCY_ID_DESCRIPTION } from './descriptions';

/**
 * How the subgraphs other than partner-agencies point at an agency: by key only. The gateway resolves the rest
 * of the fields from partner-agencies.
 */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Agency', { description: AGENCY_DESCRIPTION })
export class AgencyReference {
  @Field(() => ID, { description: AGENCY_ID_DESCRIPTION })
  id: string;
}

export function agencyReference(id: string): AgencyReference;
export function agencyReference(id: string | null): AgencyReference | null;
export function agencyReference(id: string | null): AgencyReference | null {
  if (id === null) return null;
  const ref = new AgencyReference();
  ref.id = id;
  return ref;
}
