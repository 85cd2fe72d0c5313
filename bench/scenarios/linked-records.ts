import { token } from '../hub';
import type { ScenarioResult } from '../report';
import { countStatements, waitForQuiet } from '../statements';
import { httpLoad, sendOne } from '../traffic';
import { linkedRecordsItems } from '../workload';
import type { Scenario } from './context';

/** 3. LinkedRecords, pages of 50 notices, ncb-fra, 50 connections; statements also counted for pages of 5. */
export const linkedRecords: Scenario = {
  id: '3',
  run: async ({ options, sql, hub, measure, background }) => {
    const connections = 50;
    const items = await linkedRecordsItems(sql, 50);
    const smallPages = await linkedRecordsItems(sql, 5);
    const headers = { authorization: `Bearer ${await token(hub, 'ncb-fra')}` };
    await waitForQuiet(sql, background);
    const page5 = await countStatements(
      sql,
      options.statementSample,
      sendOne(hub.gatewayUrl, headers, smallPages),
      background,
    );
    const page50 = await measure({
      id: '3',
      scenario: 'LinkedRecords, pages of 50',
      layer: 'gateway',
      client: 'ncb-fra',
      connections,
      documentsPerRequest: null,
      run: httpLoad(hub.gatewayUrl, headers, items, connections),
      send: sendOne(hub.gatewayUrl, headers, items),
    });
    page50.note = `pages of 5: ${page5.perRequest} statements/request`;
    (page50 as ScenarioResult & { statementsPage5?: typeof page5 }).statementsPage5 = page5;
  },
};
