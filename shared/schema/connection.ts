import { Directive, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { SelectQueryBuilder } from 'typeorm';
import { BadUserInputError } from '../errors';

import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './page-size';

@Directive('@shareable')
@ObjectType({ description: 'Where a page stands in its list (Relay cursor connections).' })
export class PageInfo {
  @Field({ description: 'True when more items follow this page.' })
  hasNextPage: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the last item of this page; pass it as `after`.',
  })
  endCursor: string | null;
}

interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  totalCount: number;
  pageInfo: PageInfo;
  edges: Edge<T>[];
}

/** Builds the connection and edge types for one node type, with descriptions partners can read. */
export function ConnectionType<T extends object>(nodeType: ClassType<T>, nodeName: string) {
  @ObjectType(`${nodeName}Edge`, { description: `One ${nodeName} in a page, with its cursor.` })
  class EdgeType {
    @Field({ description: 'Opaque position of this item; pass it as `after` to read on from here.' })
    cursor: string;

    @Field(() => nodeType, { description: `The ${nodeName}.` })
    node: T;
  }

  @ObjectType(`${nodeName}Connection`, { description: `A page of ${nodeName} items.` })
  class ConnectionClass {
    @Field(() => Int, { description: 'How many items match the filter, over all pages.' })
    totalCount: number;

    @Field(() => PageInfo, { description: 'Whether more pages follow.' })
    pageInfo: PageInfo;

    @Field(() => [EdgeType], { description: 'The items of this page.' })
    edges: EdgeType[];
  }
  return ConnectionClass;
}

/**
 * A keyset cursor: the full sort key of the last row of a page, opaque to clients. It must hold the key exactly as
 * the database compares it, or rows that share a truncated value are skipped: a timestamp travels as PostgreSQL
 * prints it, with its microseconds (rows written by one statement share one `now()`), and the id breaks ties.
 */
export interface Keyset {
  sort: string;
  id: string;
}

/** What a list is ordered by, which decides what a valid cursor holds. */
export type CursorKind = 'timestamp' | 'integer' | 'code' | 'timestampKey';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A UTC instant with up to microseconds, as `timestampCursorSql` prints it (and as cursors before it did).
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d{1,6})?Z$/;
const INTEGER = /^(0|[1-9]\d{0,17})$/;
const NATURAL_KEY = /^[A-Z0-9][A-Z0-9-]{0,99}$/;

function isTimestamp(value: string): boolean {
  const match = TIMESTAMP.exec(value);
  if (!match) return false;
  // Round trip to the second: refuses 2026-02-30, 24:00 and the like, which Date would roll over.
  const ms = Date.parse(`${match[1]}Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 19) === match[1];
}

const VALID_KEYSET: Record<CursorKind, (keyset: Keyset) => boolean> = {
  timestamp: (k) => isTimestamp(k.sort) && UUID.test(k.id),
  integer: (k) => INTEGER.test(k.sort) && k.id === k.sort,
  code: (k) => k.sort.length > 0 && k.sort.length <= 100 && UUID.test(k.id),
  // A timestamp, ties broken by a natural key (an operation's code) instead of a uuid.
  timestampKey: (k) => isTimestamp(k.sort) && NATURAL_KEY.test(k.id),
};

/**
 * The SQL that prints a timestamptz column as a cursor's sort key: UTC, microseconds, the form `decodeCursor`
 * accepts and PostgreSQL reads back as the same instant.
 */
export function timestampCursorSql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

export function encodeCursor(keyset: Keyset): string {
  return Buffer.from(JSON.stringify([keyset.sort, keyset.id])).toString('base64url');
}

/**
 * Reads a cursor this list handed out. Anything else (not base64url JSON, another list's key, a forged value)
 * is BAD_USER_INPUT naming `field`, checked here so that no bad value reaches SQL.
 */
export function decodeCursor(
  cursor: string | null | undefined,
  kind: CursorKind,
  field = 'after',
): Keyset | null {
  if (cursor === null || cursor === undefined) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) {
      const keyset = { sort: value[0], id: value[1] };
      if (VALID_KEYSET[kind](keyset)) return keyset;
    }
  } catch {
    // reported below
  }
  throw new BadUserInputError([{ field, reason: 'is not a cursor returned by this list' }]);
}

export function pageSize(first: number | null | undefined, field = 'first'): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new BadUserInputError([{ field, reason: `must be between 0 and ${MAX_PAGE_SIZE}` }]);
  }
  return first;
}

/** Turns `limit + 1` fetched rows into a page: the extra row only tells that another page exists. */
export function toConnection<Row, Node>(
  rows: Row[],
  limit: number,
  totalCount: number,
  keysetOf: (row: Row) => Keyset,
  toNode: (row: Row) => Node,
): Connection<Node> {
  const page = rows.slice(0, limit);
  const edges = page.map((row) => ({ cursor: encodeCursor(keysetOf(row)), node: toNode(row) }));
  return {
    totalCount,
    pageInfo: {
      hasNextPage: rows.length > limit,
      endCursor: edges.length ? edges[edges.length - 1].cursor : null,
    },
    edges,
  };
}

/**
 * The usual list: newest first on a timestamp column, ties broken by id, keyset-paged (no OFFSET, so a page
 * deep in the list costs what the first one does), with the total count of the filtered query. The cursor is
 * read from the database in full precision (`timestampCursorSql`), so every row appears exactly once across
 * pages however many share a timestamp.
 */
export async function pageNewestFirst<Row extends { id: string }>(
  query: SelectQueryBuilder<Row>,
  column: { alias: string; name: string },
  first: number,
  after: string | null | undefined,
): Promise<Connection<Row>> {
  const cursor = decodeCursor(after, 'timestamp');
  const totalCount = await query.getCount();
  const sortColumn = `${column.alias}.${column.name}`;
  if (cursor) {
    query.andWhere(`(${sortColumn}, ${column.alias}.id) < (:cursorSort::timestamptz, :cursorId::uuid)`, {
      cursorSort: cursor.sort,
      cursorId: cursor.id,
    });
  }
  const { entities, raw } = await query
    .addSelect(timestampCursorSql(sortColumn), 'cursor_sort')
    .orderBy(sortColumn, 'DESC')
    .addOrderBy(`${column.alias}.id`, 'DESC')
    .limit(first + 1)
    .getRawAndEntities<Record<string, string>>();
  const sortById = new Map(raw.map((row) => [row[`${column.alias}_id`], row.cursor_sort]));
  return toConnection(
    entities,
    first,
    totalCount,
    (row) => ({ sort: sortById.get(row.id) ?? '', id: row.id }),
    (row) => row,
  );
}
