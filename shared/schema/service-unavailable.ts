import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { RETRY_AFTER_SECONDS } from '../database-errors';
import { ErrorCode } from '../errors';

/**
 * SERVICE_UNAVAILABLE in HTTP terms, on the gateway and on every subgraph: `Retry-After` whenever an error carries
 * the code, and status 503 when nothing usable came back (no data, or every root field null). A partial answer
 * keeps its 200, so a border check whose verdicts arrived is not thrown away by a client that drops 5xx bodies.
 */
export function serviceUnavailableAsHttp<C extends BaseContext>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          if (!errors?.some((e) => e.extensions?.code === ErrorCode.ServiceUnavailable)) return;
          response.http.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
          const nothingUsable = !data || Object.values(data).every((value) => value === null);
          if (nothingUsable) response.http.status = 503;
        },
      };
    },
  };
}
