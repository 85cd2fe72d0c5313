import { composeServices } from '@apollo/composition';
import type { BuiltSubgraphSchema } from '../shared/schema/build-subgraph-schema';

export const SUPERGRAPH_FILE = 'supergraph.graphql';

/** What composition needs of a subgraph (subgraphs/index.ts lists them; the gateway never imports a subgraph). */
export interface ComposedSubgraph {
  module: { name: string; buildSchema(): Promise<BuiltSubgraphSchema> };
  defaultPort: number;
}

/**
 * Composes the four subgraph SDLs into the supergraph the gateway serves. The URLs written into it are the
 * development defaults; the gateway replaces them with the configured ones at start.
 */
export async function composeSupergraph(subgraphs: readonly ComposedSubgraph[]): Promise<string> {
  const services = await Promise.all(
    subgraphs.map(async ({ module, defaultPort }) => ({
      name: module.name,
      url: `http://localhost:${defaultPort}/graphql`,
      typeDefs: (await module.buildSchema()).typeDefs,
    })),
  );
  const result = composeServices(services);
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}
