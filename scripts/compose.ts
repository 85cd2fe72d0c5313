import 'reflect-metadata';
import fs from 'node:fs';
import { composeSupergraph, SUPERGRAPH_FILE } from '../gateway/compose';
import { SUBGRAPHS } from '../subgraphs';

/** `npm run compose`: rewrites the committed supergraph.graphql from the subgraphs' code. */
async function main(): Promise<void> {
  const sdl = await composeSupergraph(SUBGRAPHS);
  fs.writeFileSync(SUPERGRAPH_FILE, sdl);
  console.log(`wrote ${SUPERGRAPH_FILE} (${sdl.length} bytes)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
