import { token } from '../hub';
import { httpLoad, sendOne, sqlLoad, subgraphHeaders } from '../traffic';
import { BORDER_CHECK_QUERY, checkItems, MANIFEST_CHECK_QUERY } from '../workload';
import type { Scenario } from './context';

/** 2. 300-document manifests, airline-demo and bp-fra: gateway and subgraph each, SQL once (bp-fra). */
export const manifest: Scenario = {
  id: '2',
  run: async ({ options, hub, pools, measure, databaseUrl, lookup }) => {
    const count = options.quick ? 60 : 200;
    const { connections } = options;
    const travelDocuments = hub.subgraphs['travel-documents'];
    for (const [client, query, suffix] of [
      ['airline-demo', MANIFEST_CHECK_QUERY, ''],
      ['bp-fra', BORDER_CHECK_QUERY, '-bp'],
    ] as const) {
      const { items, documents } = checkItems(pools, count, 300, query, client.length);
      const name = `manifest, 300 documents`;
      const gateway = { authorization: `Bearer ${await token(hub, client)}` };
      await measure({
        id: `2${suffix}`,
        scenario: name,
        layer: 'gateway',
        client,
        connections,
        documentsPerRequest: 300,
        run: httpLoad(hub.gatewayUrl, gateway, items, connections),
        send: sendOne(hub.gatewayUrl, gateway, items),
      });
      const subgraph = subgraphHeaders(await token(hub, client), hub.gatewayCredential);
      await measure({
        id: `2${suffix}a`,
        scenario: name,
        layer: 'subgraph',
        client,
        connections,
        documentsPerRequest: 300,
        run: httpLoad(travelDocuments, subgraph, items, connections),
      });
      if (client === 'bp-fra') {
        await measure({
          id: '2b',
          scenario: name,
          layer: 'sql',
          client,
          connections,
          documentsPerRequest: 300,
          run: sqlLoad(databaseUrl, lookup, documents, connections),
          note: 'the look-up statement only',
        });
      }
    }
  },
};
