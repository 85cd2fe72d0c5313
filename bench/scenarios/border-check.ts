import { token } from '../hub';
import { httpLoad, sendOne, sqlLoad, subgraphHeaders } from '../traffic';
import { BORDER_CHECK_QUERY, checkItems } from '../workload';
import type { Scenario } from './context';

/** 1. Single-document border check, bp-fra: through the gateway (1), straight to the subgraph (1a), SQL (1b). */
export const borderCheck: Scenario = {
  id: '1',
  run: async ({ options, hub, pools, measure, databaseUrl, lookup, gatewayOnly }) => {
    const { items, documents } = checkItems(pools, 5000, 1, BORDER_CHECK_QUERY, 1);
    const name = 'BorderCheck, 1 document';
    const { connections } = options;
    const gateway = { authorization: `Bearer ${await token(hub, 'bp-fra')}` };
    await measure({
      id: '1',
      scenario: name,
      layer: 'gateway',
      client: 'bp-fra',
      connections,
      documentsPerRequest: 1,
      run: httpLoad(hub.gatewayUrl, gateway, items, connections),
      send: sendOne(hub.gatewayUrl, gateway, items),
    });
    if (gatewayOnly) return;
    const subgraph = subgraphHeaders(await token(hub, 'bp-fra'), hub.gatewayCredential);
    const travelDocuments = hub.subgraphs['travel-documents'];
    await measure({
      id: '1a',
      scenario: name,
      layer: 'subgraph',
      client: 'bp-fra',
      connections,
      documentsPerRequest: 1,
      run: httpLoad(travelDocuments, subgraph, items, connections),
      send: sendOne(travelDocuments, subgraph, items),
    });
    await measure({
      id: '1b',
      scenario: name,
      layer: 'sql',
      client: 'bp-fra',
      connections,
      documentsPerRequest: 1,
      run: sqlLoad(databaseUrl, lookup, documents, connections),
      note: 'the look-up statement only',
    });
  },
};
