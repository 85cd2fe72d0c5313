import { composeServices } from '@apollo/composition';
import { SUBGRAPHS } from '../subgraphs';

export const SUPERGRAPH_FILE = 'supergraph.graphql';

/**
 * Composes the four subgraph SDLs into the supergraph the gateway serves. The URLs written into it are the
 * development defaults; the gateway replaces them with the configured ones at start.
 */
export async function composeSupergraph(): Promise<string> {
  const services = await Promise.all(
    SUBGRAPHS.map(async ({ module, defaultPort }) => ({
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
