import { contractCheckItems } from '../contract-check';
import { token } from '../hub';
import { httpLoad, sendOne } from '../traffic';
import type { Scenario } from './context';

/**
 * 1-full. The contract's BorderCheck, one document, through the gateway: as ncb-fra (which also sees the notices
 * about the holder) and as bp-fra (notices refused at their path). Every answer reaches all four subgraphs.
 */
export const contractBorderCheck: Scenario = {
  id: '1-full',
  run: async ({ options, hub, pools, measure }) => {
    const { connections } = options;
    for (const [client, suffix, seesNotices] of [
      ['ncb-fra', '', true],
      ['bp-fra', '-bp', false],
    ] as const) {
      const items = contractCheckItems(pools, 5000, 1, seesNotices, 3 + suffix.length);
      const headers = { authorization: `Bearer ${await token(hub, client)}` };
      await measure({
        id: `1-full${suffix}`,
        scenario: 'BorderCheck (contract selection), 1 document',
        layer: 'gateway',
        client,
        connections,
        documentsPerRequest: 1,
        run: httpLoad(hub.gatewayUrl, headers, items, connections),
        send: sendOne(hub.gatewayUrl, headers, items),
        note: seesNotices ? undefined : 'notices refused at their path (one GraphQL error per answer)',
      });
    }
  },
};
