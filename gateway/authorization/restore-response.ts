import type { GraphQLFormattedError } from 'graphql';
import { type FilteredOperation, LIST_MARKER, type RemovedSelection } from './filter-operation';

export const UNAUTHORIZED_MESSAGE = 'Unauthorized field or type';
export const UNAUTHORIZED_CODE = 'UNAUTHORIZED_FIELD_OR_TYPE';

type ResponseObject = Record<string, unknown>;

/**
 * Puts back null for each removed selection wherever its parent object exists in `data` (walking lists at "@"
 * levels; stopping at null parents), strips the __typename placeholders, and returns the
 * UNAUTHORIZED_FIELD_OR_TYPE errors to append, in document order.
 *
 * `data` is edited in place (and returned): it is the fresh result of one execution, and copying every
 * response on the hot path would cost more than the whole filter. Restored nulls are appended after the
 * object's other keys.
 */
export function restoreUnauthorized(
  data: Record<string, unknown> | null | undefined,
  filtered: FilteredOperation,
): { data: Record<string, unknown> | null; errors: GraphQLFormattedError[] } {
  const errors = filtered.removed.map(unauthorizedError);
  if (filtered.nothingLeft || data === null || data === undefined) return { data: null, errors };
  // Nulls first: a removal that only applies to some runtime types reads the __typename placeholders.
  for (const removal of filtered.removed) {
    if (removal.kind === 'field' && removal.path.length > 0) putBackNull(data, removal);
  }
  for (const path of filtered.typenamePlaceholders) {
    forEachObjectAt(data, path, 0, (object) => {
      delete object.__typename;
    });
  }
  return { data, errors };
}

function unauthorizedError(removal: RemovedSelection): GraphQLFormattedError {
  return { message: UNAUTHORIZED_MESSAGE, path: [...removal.path], extensions: { code: UNAUTHORIZED_CODE } };
}

function putBackNull(data: ResponseObject, removal: RemovedSelection): void {
  const responseKey = removal.path[removal.path.length - 1];
  const parentPath = removal.path.slice(0, -1);
  const typenames = removal.onlyForTypenames;
  forEachObjectAt(data, parentPath, 0, (object) => {
    // Another fragment may legitimately have filled the same key for this runtime type.
    if (responseKey in object) return;
    if (typenames !== undefined && !typenames.includes(String(object.__typename))) return;
    object[responseKey] = null;
  });
}

/** Calls `visit` on every object found at `path`; null, missing and mistyped values end that branch. */
function forEachObjectAt(
  value: unknown,
  path: readonly string[],
  depth: number,
  visit: (object: ResponseObject) => void,
): void {
  if (typeof value !== 'object' || value === null) return;
  if (depth === path.length) {
    if (!Array.isArray(value)) visit(value as ResponseObject);
    return;
  }
  const segment = path[depth];
  if (segment === LIST_MARKER) {
    if (Array.isArray(value)) for (const item of value) forEachObjectAt(item, path, depth + 1, visit);
    return;
  }
  if (Array.isArray(value)) return;
  forEachObjectAt((value as ResponseObject)[segment], path, depth + 1, visit);
}
