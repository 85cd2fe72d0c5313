import { Ctx, Directive, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../shared/context';
import { Authenticated } from '../../shared/schema/access';
import { OperationDayFigures, OutcomeCount } from '../../shared/schema/operation-report-figures';
import { borderPointReference, type BorderPointReference } from '../../shared/schema/operation-reference';
import { parseReportKey } from '../../shared/schema/operation-report-key';
import { DocumentHitFigures, OperationReport } from './operation-report.type';
import type { SltdLoaders } from './sltd-record.loader';

type Context = SubgraphContext<SltdLoaders>;

/**
 * The report entity as the gateway hands it over: the key partner-agencies built for the caller's view (it only
 * reaches this subgraph inside the gateway's plan, and subgraphs accept gateway requests only).
 */
export function resolveOperationReportReference(
  reference: { id: string },
  ctx: Context,
): OperationReport | null {
  if (!ctx.caller) return null;
  return Object.assign(new OperationReport(), { id: reference.id, view: parseReportKey(reference.id) });
}

/**
 * travel-documents' figures of an operation report. Access: partner-agencies returns `Operation.report` only to
 * callers who may see the operation (General Secretariat, coordinator, participants: the key then names their
 * view); each figure here needs a verified caller, and the hit figures also the caller's record-level rights.
 */
@Resolver(() => OperationReport)
export class OperationReportResolver {
  @Authenticated()
  @FieldResolver(() => Int, {
    nullable: true,
    description:
      'Documents checked in the operation at the border points of this view, whatever the verdict (every document of every check made in its context).',
  })
  async documentsChecked(@Root() report: OperationReport, @Ctx() ctx: Context): Promise<number> {
    const days = await ctx.loaders.operationCheckDays.load(report.id);
    return days.reduce((sum, day) => sum + day.documents, 0);
  }

  @Authenticated()
  @FieldResolver(() => DocumentHitFigures, {
    nullable: true,
    description: 'Hits of those checks, by SLTD status and by border point.',
  })
  async documentHits(@Root() report: OperationReport, @Ctx() ctx: Context): Promise<DocumentHitFigures> {
    const hits = await ctx.loaders.operationHits.load(report.id);
    return {
      total: hits.byStatus.reduce((sum, f) => sum + f.count, 0),
      byStatus: hits.byStatus,
      byBorderPoint: hits.byBorderPoint.map((f) => ({
        borderPoint: borderPointReference(f.borderPoint) as BorderPointReference,
        count: f.count,
      })),
    };
  }

  @Authenticated()
  @Directive('@inaccessible')
  @FieldResolver(() => [OutcomeCount], {
    nullable: true,
    description:
      'Outcomes recorded on those hits, by kind, in name order (read by notices for `outcomes`, merged with notice hits).',
  })
  async documentOutcomes(@Root() report: OperationReport, @Ctx() ctx: Context): Promise<OutcomeCount[]> {
    return (await ctx.loaders.operationHits.load(report.id)).byOutcome;
  }

  @Authenticated()
  @Directive('@inaccessible')
  @FieldResolver(() => [OperationDayFigures], {
    nullable: true,
    description:
      'Documents checked and hits per day (UTC), days with either only, in date order (read by notices for `byDay`).',
  })
  async documentDays(@Root() report: OperationReport, @Ctx() ctx: Context): Promise<OperationDayFigures[]> {
    const [checks, hits] = await Promise.all([
      ctx.loaders.operationCheckDays.load(report.id),
      ctx.loaders.operationHits.load(report.id),
    ]);
    const days = new Map<string, OperationDayFigures>();
    const dayOf = (day: string) => {
      let figures = days.get(day);
      if (!figures) days.set(day, (figures = { day, documentsChecked: 0, documentHits: 0 }));
      return figures;
    };
    for (const check of checks) dayOf(check.day).documentsChecked = check.documents;
    for (const hit of hits.byDay) dayOf(hit.day).documentHits = hit.count;
    return [...days.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  }
}
