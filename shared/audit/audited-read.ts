import { UseMiddleware, type MiddlewareFn } from 'type-graphql';
import type { SubgraphContext } from '../context';

/**
 * Declares a field as personal data of a record: every read of it is audited (a READ event naming the record
 * and the field, written with the response). Declared on the field, so a field reached any way — a list, a
 * document's notices, `_entities`, fragments — is audited alike. A read its access rule refused is not a read
 * (the middleware records only once the field resolved).
 */
export function AuditedRead<Root>(
  recordType: string,
  field: string,
  recordOf: (root: Root) => { id: string; ownerAgencyId: string },
): MethodDecorator & PropertyDecorator {
  const audit: MiddlewareFn<SubgraphContext> = async ({ root, context }, next) => {
    const value: unknown = await next();
    const record = recordOf(root as Root);
    context.audit.record({
      action: 'READ',
      recordType,
      recordId: record.id,
      ownerAgencyId: record.ownerAgencyId,
      fields: [field],
    });
    return value;
  };
  return UseMiddleware(audit);
}
