import './workers';
import 'graphiql/style.css';
import './explorer.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { buildSchema } from 'graphql';
import { annotateSchema } from './access';
import { App, type LoadedSchema } from './app';
import type { AccessRules, ExplorerExample } from './types';

/** The contract operations, parsed from test/contract at build time (gateway/explorer/build.ts). */
declare const __EXPLORER_EXAMPLES__: ExplorerExample[];

/**
 * The schema comes from GET /explorer/schema.graphql (the supergraph's API schema) instead of an
 * introspection query: introspection through the gateway needs the scope schema:read, which border clients
 * such as bp-fra do not have, and the explorer must work for exactly those clients. In development the file
 * and the rules are public; in production the gateway shows them to signed-in clients only (401), and the page
 * loads them again with the token once a client has signed in.
 */
async function loadSchema(token: string | null): Promise<LoadedSchema | 'sign-in'> {
  const init: RequestInit = {
    credentials: 'omit',
    cache: 'no-store',
    headers: token ? { authorization: `Bearer ${token}` } : {},
  };
  const [sdl, rules] = await Promise.all([
    fetch('/explorer/schema.graphql', init),
    fetch('/explorer/access.json', init),
  ]);
  if (sdl.status === 401 || rules.status === 401) return 'sign-in';
  for (const response of [sdl, rules])
    if (!response.ok) throw new Error(`${new URL(response.url).pathname}: HTTP ${response.status}`);
  const accessRules = (await rules.json()) as AccessRules;
  return { schema: annotateSchema(buildSchema(await sdl.text()), accessRules), rules: accessRules };
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App load={loadSchema} examples={__EXPLORER_EXAMPLES__} />
    </StrictMode>,
  );
}
