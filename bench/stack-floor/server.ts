import http from 'node:http';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import nodeFetch from 'node-fetch';
import { FLOOR_SUBGRAPHS } from './schema';

/**
 * A process of the stack floor (bench/scenarios/stack-floor.ts), in the hub's `pair` layout:
 *
 *   server.ts subgraphs          the four floor subgraphs, each an Apollo Server on a free loopback port
 *   server.ts gateway <urls>     an Apollo Gateway over them (the JSON of `{ name: url }`)
 *
 * Stock servers with the plugins the hub turns off turned off here too (cache control, inline traces, landing page),
 * and the gateway calls the subgraphs the way the hub's does (node-fetch over keep-alive agents,
 * gateway/subgraph-data-source.ts), so the floor is below the hub in every respect. Prints one line,
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

async function startGateway(subgraphUrls: Record<string, string>): Promise<Record<string, string>> {
  const composed = composeServices(
    FLOOR_SUBGRAPHS.map(({ name, typeDefs }) => ({ name, typeDefs, url: subgraphUrls[name] })),
  );
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  const agent = new http.Agent({ keepAlive: true, timeout: 30_000 });
  const gateway = new ApolloGateway({
    supergraphSdl: composed.supergraphSdl,
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource({ url, fetcher: (input, init) => nodeFetch(input, { ...init, agent }) }),
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
  process.stdout.write(`${JSON.stringify({ ready })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
