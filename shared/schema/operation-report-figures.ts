import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { HitOutcomeAction } from './hit-outcome';

/**
 * Value types of the operation report (docs/architecture.md, operations) that two subgraphs declare: travel-documents
 * resolves them, notices reads them through `@requires` and merges its own figures in. One class each, so
 * composition sees identical types; shareable, as both subgraphs resolve them (notices returns OutcomeCount from
 * `outcomes`).
 */
@Directive('@shareable')
@ObjectType('OutcomeCount', { description: 'How many hits had this outcome recorded by their owners.' })
export class OutcomeCount {
  @Field(() => HitOutcomeAction, { description: 'What was done after the hit.' })
  outcome: HitOutcomeAction;

  @Field(() => Int, { description: 'Number of hits with this outcome.' })
  count: number;
}

/**
 * travel-documents' figures of one day, read by notices for `OperationReport.byDay` only: kept out of the public
 * schema (`@inaccessible`), like the field that returns it.
 */
@Directive('@inaccessible')
@Directive('@shareable')
@ObjectType('OperationDayFigures', {
  description: 'Document checks and hits of one day of an operation (UTC), for the merged per-day series.',
})
export class OperationDayFigures {
  @Field({ description: 'The day, YYYY-MM-DD (UTC).' })
  day: string;

  @Field(() => Int, { description: 'Documents checked that day.' })
  documentsChecked: number;

  @Field(() => Int, { description: 'Document hits that day.' })
  documentHits: number;
}
