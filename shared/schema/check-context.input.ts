import { Field, InputType } from 'type-graphql';
import type { CheckContextInput as CheckContextValue } from '../auth/operation-grants';

/**
 * Where a check is made, for a check made in a border-security operation. One class for every subgraph that takes
 * it (travel-documents' checkDocuments, notices' screenPerson), so composition sees the same input type.
 */
@InputType('CheckContextInput', {
  description:
    'Where a check is made: an ACTIVE operation your agency takes part in and one of its border points. Checks in an operation may use the scopes it grants.',
})
export class CheckContextInput implements CheckContextValue {
  @Field({ description: 'Code of the operation, e.g. STOP-2026-CDG.' })
  operation: string;

  @Field({ description: 'Code of one of the operation’s border points, e.g. FRCDG-T2.' })
  borderPoint: string;
}
