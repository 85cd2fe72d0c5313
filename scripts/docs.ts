import fs from 'node:fs';
import { DEMO_CLIENTS } from '../db/seed/agencies';
import { renderAccessMatrix } from '../gateway/access-matrix';
import { withAgencyPolicy } from '../gateway/agency-policy-doc';
import { SUPERGRAPH_FILE } from '../gateway/compose';
import { renderSchemaDocs } from '../gateway/schema-docs';

/** `npm run docs`: regenerates the documents derived from the supergraph. */
export const ACCESS_MATRIX_FILE = 'docs/access-matrix.md';
export const SCHEMA_DOCS_FILE = 'docs/schema.md';
export const ARCHITECTURE_FILE = 'docs/architecture.md';

if (require.main === module) {
  const sdl = fs.readFileSync(SUPERGRAPH_FILE, 'utf8');
  fs.mkdirSync('docs', { recursive: true });
  fs.writeFileSync(ACCESS_MATRIX_FILE, renderAccessMatrix(sdl, DEMO_CLIENTS));
  console.log(`wrote ${ACCESS_MATRIX_FILE}`);
  fs.writeFileSync(SCHEMA_DOCS_FILE, renderSchemaDocs(sdl));
  console.log(`wrote ${SCHEMA_DOCS_FILE}`);
  fs.writeFileSync(ARCHITECTURE_FILE, withAgencyPolicy(fs.readFileSync(ARCHITECTURE_FILE, 'utf8')));
  console.log(`wrote the agency policy table of ${ARCHITECTURE_FILE}`);
}
