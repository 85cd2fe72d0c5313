import './workers';
import 'graphiql/style.css';
import './explorer.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { buildSchema } from 'graphql';
import { annotateSchema } from './access';
import { App } from './app';
import type { AccessRules, ExplorerExample } from './types';

/** The contract operations, parsed from test/contract at build time (gateway/explorer/build.ts). */
declare const __EXPLORER_EXAMPLES__: ExplorerExample[];

/**
 * The schema comes from GET /explorer/schema.graphql (the supergraph's API schema, public documentation)
 * instead of an introspection query: introspection through the gateway needs the scope schema:read, which
 * border clients such as bp-fra do not have, and the explorer must work for exactly those clients. Only data
 * is protected; the shape of the graph is not.
 */
async function start(root: HTMLElement) {
  const [sdl, rules] = await Promise.all([
    fetchOk('/explorer/schema.graphql').then((r) => r.text()),
    fetchOk('/explorer/access.json').then((r) => r.json() as Promise<AccessRules>),
  ]);
  const schema = annotateSchema(buildSchema(sdl), rules);
  createRoot(root).render(
    <StrictMode>
      <App schema={schema} rules={rules} examples={__EXPLORER_EXAMPLES__} />
    </StrictMode>,
  );
}

async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url, { credentials: 'omit' });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response;
}

const root = document.getElementById('root');
if (root) {
  start(root).catch((error: unknown) => {
    root.textContent = `The explorer could not start: ${error instanceof Error ? error.message : String(error)}`;
  });
}
