import { HttpError } from '../http/server';

/**
 * The report the gateway sends partner-agencies for the fields it refused a caller (gateway/refusal-audit.ts,
 * subgraphs/partner-agencies/refusals.routes.ts): one per request, bounded.
 */
export const REFUSALS_PATH = '/internal/refusals';
/** At most this many coordinates per row; the number left out is on the row (`details.omitted`). */
export const MAX_REFUSED_FIELDS = 50;

const NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;
// `Type.field`, the root type's name alone (a whole operation refused), or `unknown` (a path the gateway could not
// map back to the schema).
const COORDINATE = /^[_A-Za-z][_0-9A-Za-z]{0,99}(\.[_A-Za-z][_0-9A-Za-z]{0,99})?$/;

export interface RefusalReport {
  operation: string | null;
  fields: string[];
  omitted: number;
}

export function readRefusalReport(body: unknown): RefusalReport {
  const bad = (field: string) => new HttpError(400, `Bad refusal report: ${field}`);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bad('body');
  const { operation, fields, omitted } = body as Record<string, unknown>;
  if (
    operation !== null &&
    operation !== undefined &&
    (typeof operation !== 'string' || !NAME.test(operation))
  )
    throw bad('operation');
  if (
    !Array.isArray(fields) ||
    fields.length === 0 ||
    fields.length > MAX_REFUSED_FIELDS ||
    !fields.every((f) => typeof f === 'string' && COORDINATE.test(f))
  )
    throw bad('fields');
  if (omitted !== undefined && (typeof omitted !== 'number' || !Number.isSafeInteger(omitted) || omitted < 0))
    throw bad('omitted');
  return { operation: operation ?? null, fields: [...new Set(fields as string[])], omitted: omitted ?? 0 };
}
