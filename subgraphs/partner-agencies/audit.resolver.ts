import { auditRefusal } from '../../shared/record-gate';
import { Arg, Ctx, Int, ObjectType, Query, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../../shared/context';
import { auditChainKeysFromEnvironment, verifyAuditChain } from '../../shared/audit';
import { ForbiddenError } from '../../shared/errors';
import { RequiresScopes } from '../../shared/schema/access';
import { ConnectionType, pageSize, type Connection } from '../../shared/schema/connection';
import { AuditChainStatus, AuditEntry, AuditTrailFilter } from './audit-entry.type';
import type { PartnerLoaders } from './agency.loader';
import { listAuditEntries } from './audit.repository';

@ObjectType('AuditEntryConnection', { description: 'A page of audit entries.' })
class AuditEntryConnection extends ConnectionType(AuditEntry, 'AuditEntry') {}

type Context = SubgraphContext<PartnerLoaders>;

@Resolver()
export class AuditResolver {
  @RequiresScopes(['audit:read'])
  @Query(() => AuditEntryConnection, {
    nullable: true,
    description: 'The audit trail of your own records (the General Secretariat: all of it), newest first.',
  })
  async auditTrail(
    @Arg('filter', () => AuditTrailFilter, { nullable: true, description: 'Narrows the list.' })
    filter: AuditTrailFilter | undefined,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, at most 100 (default 20).' })
    first: number | undefined,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to read on from.' })
    after: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<Connection<AuditEntry> | null> {
    if (!ctx.caller) return null;
    const page = await listAuditEntries(ctx.db, ctx.caller, filter, pageSize(first), after);
    const agencies = await ctx.loaders.agency.loadMany(page.edges.map((e) => e.node.agency_id ?? ''));
    return {
      ...page,
      edges: page.edges.map((edge, i) => ({
        cursor: edge.cursor,
        node: {
          seq: edge.node.seq,
          at: edge.node.at,
          clientId: edge.node.client_id,
          agency: agencies[i] instanceof Error ? null : (agencies[i] as AuditEntry['agency']),
          subgraph: edge.node.subgraph,
          operation: edge.node.operation,
          action: edge.node.action,
          recordType: edge.node.record_type,
          recordIds: edge.node.record_ids,
          fields: edge.node.fields,
          refusal: edge.node.action === 'REFUSE' ? edge.node.refusal : null,
          requestId: edge.node.request_id,
        },
      })),
    };
  }

  @RequiresScopes(['audit:read'])
  @Query(() => AuditChainStatus, {
    nullable: true,
    description:
      'Verifies the audit trail’s keyed chain and reports the first broken link, and the rows not sealed yet (General Secretariat only).',
  })
  async auditChainStatus(@Ctx() ctx: Context): Promise<AuditChainStatus> {
    if (ctx.caller?.agencyKind !== 'GENERAL_SECRETARIAT') {
      auditRefusal(ctx, 'AuditChain', 'auditChainStatus', 'FORBIDDEN');
      throw new ForbiddenError('Only the General Secretariat verifies the whole audit trail');
    }
    const result = await verifyAuditChain(
      (sql, params) => ctx.db.query(sql, params),
      auditChainKeysFromEnvironment(),
    );
    return {
      rows: result.rows,
      sealed: result.sealed,
      unsealed: result.unsealed,
      intact: result.firstBrokenSeq === null,
      firstBrokenSeq: result.firstBrokenSeq === null ? null : String(result.firstBrokenSeq),
      reason: result.reason,
    };
  }
}
