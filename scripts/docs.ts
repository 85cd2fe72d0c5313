import fs from 'node:fs';
import { renderAccessMatrix } from '../gateway/access-matrix';
import { SUPERGRAPH_FILE } from '../gateway/compose';

/** `npm run docs`: regenerates the documents derived from the supergraph. */
export const ACCESS_MATRIX_FILE = 'docs/access-matrix.md';

if (require.main === module) {
  const sdl = fs.readFileSync(SUPERGRAPH_FILE, 'utf8');
  fs.mkdirSync('docs', { recursive: true });
  fs.writeFileSync(ACCESS_MATRIX_FILE, renderAccessMatrix(sdl));
  console.log(`wrote ${ACCESS_MATRIX_FILE}`);
}
