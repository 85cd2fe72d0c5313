import {
  coerceInputValue,
  GraphQLBoolean,
  GraphQLString,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  type GraphQLInputObjectType,
  type GraphQLInputType,
} from 'graphql';
import type { FieldProblem } from '../../shared/errors';

/**
 * A line's object through GraphQL's own input coercion, against the mutation's input type: what the server does
 * to a mutation's variables before any resolver runs (required fields, enum values, strings that are strings,
 * no unknown fields). Every problem is kept, named by its field path like the validators' problems.
 *
 * graphql-js's coerceInputValue costs about 50 µs for one SLTD line (a minute for a million lines), so a
 * compiled fast path takes the lines it can prove valid with the same rules (strings, booleans, known enum
 * values, arrays, known fields, no missing required field) and builds the same object; anything else (every
 * line with a problem, and any type it does not handle) goes through coerceInputValue itself, which also
 * words the problems. coerce.spec.ts checks that both agree on random inputs.
 */
export type CoerceResult<T> = { input: T; problems: null } | { input: null; problems: FieldProblem[] };

export interface InputCoercer<T> {
  (value: Record<string, unknown>): CoerceResult<T>;
}

export function inputCoercer<T>(type: GraphQLInputObjectType): InputCoercer<T> {
  const fast = compile(type);
  return (value) => {
    const input = fast(value);
    return input === FALLBACK ? coerceInput<T>(value, type) : { input: input as T, problems: null };
  };
}

/** The reference path: graphql-js's coercion, its errors turned into field problems. */
export function coerceInput<T>(
  value: Record<string, unknown>,
  type: GraphQLInputObjectType,
): CoerceResult<T> {
  const problems: FieldProblem[] = [];
  const input = coerceInputValue(value, type, (path, _invalid, error) => {
    const prefix = path.map(String);
    const missing = /^Field "([^"]+)" of required type "[^"]+" was not provided\./.exec(error.message);
    if (missing) return problems.push({ field: [...prefix, missing[1]].join('.'), reason: 'is required' });
    const unknown = /^Field "([^"]+)" is not defined by type "([^"]+)"\./.exec(error.message);
    if (unknown) {
      return problems.push({
        field: [...prefix, unknown[1]].join('.'),
        reason: `is not a field of ${unknown[2]}`,
      });
    }
    problems.push({ field: prefix.join('.') || '(line)', reason: error.message });
  }) as T;
  return problems.length ? { input: null, problems } : { input, problems: null };
}

const FALLBACK = Symbol('fallback');
type Fast = (value: unknown) => unknown;

function compile(type: GraphQLInputType): Fast {
  if (isNonNullType(type)) {
    const inner = compile(type.ofType);
    return (value) => (value === null || value === undefined ? FALLBACK : inner(value));
  }
  if (isListType(type)) {
    const item = compile(type.ofType);
    return (value) => {
      if (value === null) return null;
      // A single value for a list is wrapped by GraphQL: rare enough to leave to it.
      if (!Array.isArray(value)) return FALLBACK;
      const out = new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i++) {
        const coerced = value[i] === null ? null : item(value[i]);
        if (coerced === FALLBACK) return FALLBACK;
        out[i] = coerced;
      }
      return out;
    };
  }
  if (isInputObjectType(type)) return compileObject(type);
  if (isEnumType(type)) {
    const values = new Map(type.getValues().map((v) => [v.name, v.value as unknown]));
    return (value) => {
      if (value === null) return null;
      return typeof value === 'string' && values.has(value) ? values.get(value) : FALLBACK;
    };
  }
  if (type === GraphQLString)
    return (value) => (value === null || typeof value === 'string' ? value : FALLBACK);
  if (type === GraphQLBoolean)
    return (value) => (value === null || typeof value === 'boolean' ? value : FALLBACK);
  // Other scalars (numbers, IDs, custom ones) have rules of their own: GraphQL applies them.
  return () => FALLBACK;
}

function compileObject(type: GraphQLInputObjectType): Fast {
  const fields = Object.values(type.getFields());
  // Default values and @oneOf have rules of their own: left to GraphQL.
  if (fields.some((f) => f.defaultValue !== undefined) || (type as { isOneOf?: boolean }).isOneOf) {
    return () => FALLBACK;
  }
  const known = new Set(fields.map((f) => f.name));
  const compiled = fields.map((f) => ({
    name: f.name,
    required: isNonNullType(f.type),
    coerce: compile(f.type),
  }));
  return (value) => {
    if (value === null) return null;
    if (typeof value !== 'object' || Array.isArray(value)) return FALLBACK;
    const source = value as Record<string, unknown>;
    for (const key in source) if (!known.has(key)) return FALLBACK;
    const out: Record<string, unknown> = {};
    for (const field of compiled) {
      const given = source[field.name];
      if (given === undefined) {
        if (field.required) return FALLBACK;
        continue;
      }
      const coerced = field.coerce(given);
      if (coerced === FALLBACK) return FALLBACK;
      out[field.name] = coerced;
    }
    return out;
  };
}
