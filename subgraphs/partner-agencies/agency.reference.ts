import type { SubgraphContext } from '../../shared/context';
import type { Agency } from './agency.entity';
import type { PartnerLoaders } from './agency.loader';

/** `_entities` lookups of agencies referenced by the other subgraphs (owner, requestedBy, checkedBy...). */
export function resolveAgencyReference(
  reference: { id: string },
  context: SubgraphContext<PartnerLoaders>,
): Promise<Agency | null> {
  return context.loaders.agency.load(reference.id);
}
