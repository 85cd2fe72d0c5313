import http from 'node:http';
import { composeServices } from '@apollo/composition';
import https from 'node:https';
import {
  ApolloGateway,
  RemoteGraphQLDataSource,
  type GraphQLDataSourceProcessOptions,
} from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { postToSubgraph } from '../../gateway/subgraph-post';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { profileOnSignal } from '../profile-signal';
import { FLOOR_SUBGRAPHS } from './schema';

/**
 * A process of the stack floor (bench/scenarios/stack-floor.ts), in the hub's `pair` layout:
 *
 *   server.ts subgraphs          the four floor subgraphs, each an Apollo Server on a free loopback port
 *   server.ts gateway <urls>     an Apollo Gateway over them (the JSON of `{ name: url }`)
 *
 * Stock servers with the plugins the hub turns off turned off here too (cache control, inline traces, landing page),
 * and the gateway calls the subgraphs with less than the hub's does (FloorDataSource), so the floor is below the hub
 * in every respect. Prints one line,
 * `{"ready":{"<name>":"<url>"}}`, once it listens.
 */
const HOST = '127.0.0.1';

const plugins = () => [
  ApolloServerPluginCacheControlDisabled(),
  ApolloServerPluginInlineTraceDisabled(),
  ApolloServerPluginLandingPageDisabled(),
];

async function startSubgraphs(): Promise<Record<string, string>> {
  const urls: Record<string, string> = {};
  for (const subgraph of FLOOR_SUBGRAPHS) {
    const server = new ApolloServer({ schema: buildSubgraphSchema([subgraph]), plugins: plugins() });
    const { url } = await startStandaloneServer(server, { listen: { host: HOST, port: 0 } });
    urls[subgraph.name] = url;
  }
  return urls;
}

const AGENTS = {
  http: new http.Agent({ keepAlive: true, timeout: 30_000 }),
  https: new https.Agent({ keepAlive: true, timeout: 30_000 }),
};

/**
 * The least a gateway can do per subgraph call: the operation and its variables posted on the hub's own http client
 * (gateway/subgraph-post.ts, keep-alive agents) and the answer parsed; none of RemoteGraphQLDataSource's request
 * building, headers, breaker or error mapping.
 */
class FloorDataSource extends RemoteGraphQLDataSource {
  override async process({ request }: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    const body = JSON.stringify({ query: request.query, variables: request.variables });
    const answer = await postToSubgraph(
      new URL(this.url),
      AGENTS,
      { 'content-type': 'application/json' },
      body,
      30_000,
    );
    return JSON.parse(answer.text) as GatewayGraphQLResponse;
  }
}

async function startGateway(subgraphUrls: Record<string, string>): Promise<Record<string, string>> {
  const composed = composeServices(
    FLOOR_SUBGRAPHS.map(({ name, typeDefs }) => ({ name, typeDefs, url: subgraphUrls[name] })),
  );
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  const gateway = new ApolloGateway({
    supergraphSdl: composed.supergraphSdl,
    buildService: ({ url }) => new FloorDataSource({ url }),
  });
  const server = new ApolloServer({ gateway, plugins: plugins() });
  const { url } = await startStandaloneServer(server, { listen: { host: HOST, port: 0 } });
  return { gateway: url };
}

async function main(): Promise<void> {
  const [role, urls] = process.argv.slice(2);
  const ready =
    role === 'gateway'
      ? await startGateway(JSON.parse(urls ?? '{}') as Record<string, string>)
      : await startSubgraphs();
  // --profile: SIGUSR2 profiles a measured window, as in the hub's processes (bench/profile-signal.ts).
  if (process.env.BENCH_PROFILE_DIR) profileOnSignal(process.env.BENCH_PROFILE_DIR);
  process.stdout.write(`${JSON.stringify({ ready })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
