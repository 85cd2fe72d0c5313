import http from 'node:http';
import https from 'node:https';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import nodeFetch from 'node-fetch';
import { GATEWAY_CREDENTIAL_HEADER } from '../shared/auth/gateway-credential';
import { metrics } from '../shared/observability/metrics';
import type { GatewayContext } from './context';

/** Connections to the subgraphs stay open between calls (the subgraphs keep them 65 s). */
const KEEP_ALIVE_HTTP = new http.Agent({ keepAlive: true });
const KEEP_ALIVE_HTTPS = new https.Agent({ keepAlive: true });

/**
 * How the gateway calls a subgraph: it adds its own credential (subgraphs refuse requests without it) and
 * forwards the caller's token and the request id, so each subgraph verifies the caller itself and its logs
 * join the gateway's. Each fetch made for a client's operation is timed (hub_subgraph_fetch_duration_seconds).
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    private readonly credential: string,
    private readonly subgraphName = 'unknown',
  ) {
    // node-fetch over keep-alive agents instead of the default make-fetch-happen, whose agent captures a stack
    // trace on every request (source-mapped under swc) and whose fetch pipeline costs ~4x the CPU per call
    // (bench/README.md, "Gateway to subgraph calls").
    super({
      url,
      fetcher: (input, init) =>
        nodeFetch(input, {
          ...init,
          agent: (target) => (target.protocol === 'https:' ? KEEP_ALIVE_HTTPS : KEEP_ALIVE_HTTP),
        }),
    });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http?.headers;
    if (!headers) return;
    headers.set(GATEWAY_CREDENTIAL_HEADER, this.credential);
    // Health checks and schema loads run without a request context.
    if (context && 'requestId' in context) {
      headers.set('x-request-id', context.requestId);
      if (context.caller) headers.set('authorization', `Bearer ${context.caller.token}`);
    }
  }

  override async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    // Only fetches made for a client's operation are timed, not health checks or schema loads.
    if (!('incomingRequestContext' in options)) return super.process(options);
    const done = metrics().startSubgraphFetch(this.subgraphName);
    try {
      const response = await super.process(options);
      done(true);
      return response;
    } catch (error) {
      done(false);
      throw error;
    }
  }
}
