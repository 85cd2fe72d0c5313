import type { ComponentProps } from 'react';
import type { GraphiQL } from 'graphiql';
import { Kind, parse } from 'graphql';
import { currentSession } from './session';

type Fetcher = ComponentProps<typeof GraphiQL>['fetcher'];

interface GraphQLErrorBody {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string } & Record<string, unknown>;
}

/** The last answer the page received, for the Access panel ("which fields came back null, and why"). */
export interface LastResponse {
  query: string;
  operationName: string | null;
  status: number;
  errors: GraphQLErrorBody[];
}

let last: LastResponse | null = null;
const listeners = new Set<() => void>();

export function lastResponse(): LastResponse | null {
  return last;
}

export function subscribeLastResponse(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * POSTs every operation to the gateway's /graphql (same origin), with `Authorization: Bearer <token>` when a
 * client is signed in. A header typed into GraphiQL's headers editor wins, so a pasted token can be tried.
 */
export function createFetcher(endpoint = '/graphql'): Fetcher {
  return async (graphiqlParams, options) => {
    const params = {
      ...graphiqlParams,
      operationName: operationToRun(graphiqlParams.query, graphiqlParams.operationName),
    };
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
    };
    for (const [name, value] of Object.entries(options?.headers ?? {}))
      headers[name.toLowerCase()] = String(value);
    const session = currentSession();
    if (session && !headers.authorization) headers.authorization = `Bearer ${session.token}`;
    const response = await fetch(endpoint, {
      method: 'POST',
      headers,
      body: JSON.stringify(params),
      credentials: 'omit',
      cache: 'no-store',
    });
    const text = await response.text();
    let body: { errors?: GraphQLErrorBody[] } & Record<string, unknown>;
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      body = { errors: [{ message: `HTTP ${response.status}: ${text.slice(0, 500)}` }] };
    }
    if (params.operationName !== 'IntrospectionQuery') {
      last = {
        query: params.query,
        operationName: params.operationName ?? null,
        status: response.status,
        errors: Array.isArray(body.errors) ? body.errors : [],
      };
      for (const listener of listeners) listener();
    }
    return body;
  };
}

/**
 * The operation name to send. GraphiQL works out the editor's operations a moment after the text changes, so an
 * example pasted into the editor and run at once goes out with the name of the query it replaced ("Me"), which
 * the gateway rightly refuses. A document of one operation runs that operation; otherwise GraphiQL's choice.
 */
export function operationToRun(
  query: string,
  requested: string | null | undefined,
): string | null | undefined {
  let names: (string | undefined)[];
  try {
    names = parse(query)
      .definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION)
      .map((definition) => definition.name?.value);
  } catch {
    return requested;
  }
  if (requested && names.includes(requested)) return requested;
  return names.length === 1 ? (names[0] ?? null) : requested;
}
