import { token } from '../hub';
import {
  explainReport,
  gatewayReportItem,
  loadOperationChecks,
  reportFields,
  subgraphReportItem,
} from '../operation-report';
import { demoCaller } from '../sql-floor';
import { httpLoad, sendOne, subgraphHeaders } from '../traffic';
import type { Scenario } from './context';

/** operation-report. The report over a large operation, ncb-fra (its coordinator): subgraph, then gateway. */
export const operationReport: Scenario = {
  id: 'operation-report',
  run: async ({ options, sql, databaseUrl, hub, measure, explain, skipped, log }) => {
    const loaded = await loadOperationChecks(sql, options.operationChecks);
    log(
      `operation ${loaded.view.operation}: ${options.operationChecks.toLocaleString('en')} checks ` +
        `(${loaded.documents.toLocaleString('en')} documents), ${loaded.hits} hits loaded in ${loaded.loadMs} ms`,
    );
    explain.push(...(await explainReport(sql, databaseUrl, loaded.view, await demoCaller(sql, 'ncb-fra'))));
    const bearer = await token(hub, 'ncb-fra');
    const connections = 4;
    const name = `OperationReport, ${options.operationChecks.toLocaleString('en')} checks`;
    const subgraphItems = [subgraphReportItem(loaded)];
    const travelDocuments = hub.subgraphs['travel-documents'];
    const subgraph = subgraphHeaders(bearer, hub.gatewayCredential);
    await measure({
      id: 'operation-report-a',
      scenario: name,
      layer: 'subgraph',
      client: 'ncb-fra',
      connections,
      documentsPerRequest: null,
      run: httpLoad(travelDocuments, subgraph, subgraphItems, connections),
      send: sendOne(travelDocuments, subgraph, subgraphItems),
      note: 'travel-documents’ figures, as the gateway asks for them (_entities)',
    });
    const fields = reportFields();
    if (!fields.gateway) {
      skipped.push({
        scenario: 'operation-report (gateway)',
        reason: 'Operation.report is not in supergraph.graphql yet',
      });
      return;
    }
    const items = [gatewayReportItem(loaded, fields.notices)];
    const headers = { authorization: `Bearer ${bearer}` };
    await measure({
      id: 'operation-report',
      scenario: name,
      layer: 'gateway',
      client: 'ncb-fra',
      connections,
      documentsPerRequest: null,
      run: httpLoad(hub.gatewayUrl, headers, items, connections),
      send: sendOne(hub.gatewayUrl, headers, items),
      note: fields.notices ? 'with notices’ figures' : 'document figures only (notices’ not composed yet)',
    });
  },
};
