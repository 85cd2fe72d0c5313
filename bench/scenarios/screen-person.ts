import fs from 'node:fs';
import path from 'node:path';
import { token } from '../hub';
import { httpLoad, sendOne } from '../traffic';
import { screenPersonItems } from '../workload';
import type { Scenario } from './context';

/** 4. ScreenPerson, frontex (skipped while the supergraph has no screenPerson). */
export const screenPerson: Scenario = {
  id: '4',
  run: async ({ options, sql, hub, measure, skipped }) => {
    if (!hasScreenPerson()) {
      skipped.push({ scenario: '4 ScreenPerson', reason: 'screenPerson is not in supergraph.graphql yet' });
      return;
    }
    const items = await screenPersonItems(sql, 2000);
    const headers = { authorization: `Bearer ${await token(hub, 'frontex')}` };
    await measure({
      id: '4',
      scenario: 'ScreenPerson',
      layer: 'gateway',
      client: 'frontex',
      connections: options.connections,
      documentsPerRequest: null,
      run: httpLoad(hub.gatewayUrl, headers, items, options.connections),
      send: sendOne(hub.gatewayUrl, headers, items),
    });
  },
};

function hasScreenPerson(): boolean {
  const sdl = fs.readFileSync(path.join(__dirname, '..', '..', 'supergraph.graphql'), 'utf8');
  return /^\s+screenPerson\(/m.test(sdl);
}
