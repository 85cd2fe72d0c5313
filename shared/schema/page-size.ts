/** Relay connections: every list in the graph is paged, none is unbounded. (Apart from connection.ts, so the
 * gateway's demand estimate reads the default without loading type-graphql.) */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
