import type { SubgraphModule } from '../shared/subgraph/module';
import { documentAlerts } from './document-alerts';
import { notices } from './notices';
import { partnerAgencies } from './partner-agencies';
import { travelDocuments } from './travel-documents';

/** The four subgraphs, with the port each listens on by default and the variable that sets its URL at the gateway. */
export interface SubgraphEntry {
  module: SubgraphModule<unknown>;
  defaultPort: number;
  urlVariable: string;
}

export const SUBGRAPHS: readonly SubgraphEntry[] = [
  { module: notices, defaultPort: 4001, urlVariable: 'NOTICES_URL' },
  { module: travelDocuments, defaultPort: 4002, urlVariable: 'TRAVEL_DOCUMENTS_URL' },
  { module: documentAlerts, defaultPort: 4003, urlVariable: 'DOCUMENT_ALERTS_URL' },
  { module: partnerAgencies, defaultPort: 4004, urlVariable: 'PARTNER_AGENCIES_URL' },
];
