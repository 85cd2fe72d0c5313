import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { BorderPointReference } from '../../shared/schema/operation-reference';
import type { OperationReportView } from '../../shared/schema/operation-report-key';
import { SltdStatus } from './sltd-record.entity';

@ObjectType('DocumentHitStatusCount', { description: 'Document hits on SLTD records of one status.' })
export class DocumentHitStatusCount {
  @Field(() => SltdStatus, { description: 'Status of the SLTD record that matched (as it stands now).' })
  status: SltdStatus;

  @Field(() => Int, { description: 'Number of hits.' })
  count: number;
}

@ObjectType('BorderPointHitCount', { description: 'Document hits at one border point.' })
export class BorderPointHitCount {
  @Field(() => BorderPointReference, { description: 'The border point.' })
  borderPoint: BorderPointReference;

  @Field(() => Int, { description: 'Number of hits.' })
  count: number;
}

@ObjectType('DocumentHitFigures', {
  description:
    'Hits of the document checks made in an operation, over the border points of the report’s view. Hits on SLTD records restricted away from the reader are not counted.',
})
export class DocumentHitFigures {
  @Field(() => Int, { description: 'Number of hits.' })
  total: number;

  @Field(() => [DocumentHitStatusCount], {
    description: 'Hits by status of the SLTD record, statuses with hits only, in name order.',
  })
  byStatus: DocumentHitStatusCount[];

  @Field(() => [BorderPointHitCount], {
    description: 'Hits by border point, border points with hits only, in code order.',
  })
  byBorderPoint: BorderPointHitCount[];
}

/**
 * travel-documents' part of an operation's report (docs/architecture.md, operations). partner-agencies owns the
 * entity and builds its key from the caller's view; every figure here is counted in SQL over that view's border
 * points only.
 */
@Directive('@key(fields: "id")')
@ObjectType('OperationReport', {
  description:
    'The results of an operation over the border points the caller may see: all of them for the General Secretariat and the coordinator, its own for a participant.',
})
export class OperationReport {
  @Field(() => ID, { description: 'Opaque key: the operation and the border points this view covers.' })
  id: string;

  /** The view the key names (shared/schema/operation-report-key.ts); the figures: operation-report.resolver.ts. */
  view: OperationReportView;
}
