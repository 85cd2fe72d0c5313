import type { AccessRequirement } from '../../authorization/requirements';

export type { AccessRequirement };

/** One contract file offered as an example: its operations, the query text and the sample variables (JSON). */
export interface ExplorerExample {
  file: string;
  /** The operation names, joined: what the examples menu shows. */
  name: string;
  operations: string[];
  query: string;
  /** Pretty-printed JSON, or '' when the file has none. */
  variables: string;
}

/** GET /explorer/access.json: every access rule of the supergraph, keyed "Type.field" or "Type". */
export type AccessRules = Record<string, AccessRequirement>;
