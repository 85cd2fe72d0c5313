import { Directive, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { SelectQueryBuilder } from 'typeorm';
import { BadUserInputError } from '../errors';

import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './page-size';

export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE };

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

export interface Edge<T> {
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

/** A keyset cursor: the sort value and id of the last row, opaque to clients. */
export interface Keyset {
  sort: string;
  id: string;
}

export function encodeCursor(keyset: Keyset): string {
  return Buffer.from(JSON.stringify([keyset.sort, keyset.id])).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined, field = 'after'): Keyset | null {
  if (cursor === null || cursor === undefined) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) {
      return { sort: value[0], id: value[1] };
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
 * deep in the list costs what the first one does), with the total count of the filtered query.
 */
export async function pageNewestFirst<Row extends { id: string }>(
  query: SelectQueryBuilder<Row>,
  column: { alias: string; name: string; of: (row: Row) => Date },
  first: number,
  after: string | null | undefined,
): Promise<Connection<Row>> {
  const totalCount = await query.getCount();
  const cursor = decodeCursor(after);
  const sortColumn = `${column.alias}.${column.name}`;
  if (cursor) {
    query.andWhere(`(${sortColumn}, ${column.alias}.id) < (:cursorSort::timestamptz, :cursorId::uuid)`, {
      cursorSort: cursor.sort,
      cursorId: cursor.id,
    });
  }
  const rows = await query
    .orderBy(sortColumn, 'DESC')
    .addOrderBy(`${column.alias}.id`, 'DESC')
    .limit(first + 1)
    .getMany();
  return toConnection(
    rows,
    first,
    totalCount,
    (row) => ({ sort: column.of(row).toISOString(), id: row.id }),
    (row) => row,
  );
}
