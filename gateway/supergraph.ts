import fs from 'node:fs';
import type { GraphQLSchema } from 'graphql';
import { Supergraph } from '@apollo/federation-internals';

/**
 * The committed supergraph keeps the standard form Apollo Router reads (`@link(..., for: SECURITY)` on the
 * authorization specs). @apollo/gateway refuses SECURITY links it does not implement, so the gateway loads a
 * copy without that purpose; the directive applications stay in the document, and the gateway's own
 * enforcement (gateway/authorization) reads them.
 */
const SECURITY_LINK =
  /(@link\(url: "https:\/\/specs\.apollo\.dev\/(?:requiresScopes|authenticated|policy)\/v[0-9.]+"), for: SECURITY\)/g;

export function supergraphForGateway(sdl: string): string {
  return sdl.replace(SECURITY_LINK, '$1)');
}

export function readSupergraph(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

/** The schema clients see (federation machinery removed), as the gateway builds it from the supergraph. */
export function buildSupergraphApiSchema(sdl: string): GraphQLSchema {
  return Supergraph.build(supergraphForGateway(sdl)).apiSchema().toGraphQLJSSchema();
}
