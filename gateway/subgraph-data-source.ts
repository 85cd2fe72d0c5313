import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GATEWAY_CREDENTIAL_HEADER } from '../shared/auth/gateway-credential';
import type { GatewayContext } from './context';

/**
 * How the gateway calls a subgraph: it adds its own credential (subgraphs refuse requests without it) and
 * forwards the caller's token and the request id, so each subgraph verifies the caller itself and its logs
 * join the gateway's.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    private readonly credential: string,
  ) {
    super({ url });
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
}
