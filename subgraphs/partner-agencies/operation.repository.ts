import type { DataSource, EntityManager } from 'typeorm';
import type { Caller } from '../../shared/auth/caller';
import type { OperationGrant } from '../../shared/auth/operation-grants';
import {
  decodeCursor,
  timestampCursorSql,
  toConnection,
  type Connection,
} from '../../shared/schema/connection';
import { BorderPoint, type BorderPointKind } from './border-point.entity';
import { Operation, OperationParticipant } from './operation.entity';
import type { OperationFilter } from './operation.input';

type Db = Pick<EntityManager, 'getRepository' | 'query'> | DataSource;

/** The SQL of operations and border points, in one place. */

/** Operations the caller may see: all for the General Secretariat, else those it coordinates or takes part in. */
export async function listOperations(
  db: DataSource,
  caller: Caller,
  filter: OperationFilter | undefined,
  first: number,
  after: string | null | undefined,
): Promise<Connection<Operation>> {
  const query = db.getRepository(Operation).createQueryBuilder('o');
  if (caller.agencyKind !== 'GENERAL_SECRETARIAT') {
    query.andWhere(
      `(o.coordinator_id = :agency OR EXISTS (SELECT 1 FROM partners.operation_participants p
         WHERE p.operation_code = o.code AND p.agency_id = :agency))`,
      { agency: caller.agencyId },
    );
  }
  if (filter?.status) query.andWhere('o.status = :status', { status: filter.status });
  if (filter?.kind) query.andWhere('o.kind = :kind', { kind: filter.kind });
  const cursor = decodeCursor(after, 'timestampKey');
  const totalCount = await query.getCount();
  if (cursor) {
    query.andWhere('(o.starts_at, o.code) < (:cursorSort::timestamptz, :cursorCode)', {
      cursorSort: cursor.sort,
      cursorCode: cursor.id,
    });
  }
  const { entities, raw } = await query
    .addSelect(timestampCursorSql('o.starts_at'), 'cursor_sort')
    .orderBy('o.starts_at', 'DESC')
    .addOrderBy('o.code', 'DESC')
    .limit(first + 1)
    .getRawAndEntities<Record<string, string>>();
  const sortByCode = new Map(raw.map((row) => [row.o_code, row.cursor_sort]));
  return toConnection(
    entities,
    first,
    totalCount,
    (o) => ({ sort: sortByCode.get(o.code) ?? '', id: o.code }),
    (o) => o,
  );
}

/** The border points of a country or kind, by code (a few hundred at most: no paging). */
export function listBorderPoints(
  db: DataSource,
  country: string | null,
  kind: BorderPointKind | null,
): Promise<BorderPoint[]> {
  const query = db.getRepository(BorderPoint).createQueryBuilder('b');
  if (country) query.andWhere('b.country = :country', { country });
  if (kind) query.andWhere('b.kind = :kind', { kind });
  return query.orderBy('b.code', 'ASC').limit(1000).getMany();
}

/** The operation's row, locked until the transaction ends: every change of one operation runs one at a time. */
export function lockOperation(tx: EntityManager, code: string): Promise<Operation | null> {
  return tx
    .getRepository(Operation)
    .createQueryBuilder('o')
    .setLock('pessimistic_write')
    .where('o.code = :code', { code })
    .getOne();
}

export async function borderPointCodesOf(db: Db, operationCode: string): Promise<string[]> {
  const rows: { code: string }[] = await db.query(
    `SELECT border_point_code AS code FROM partners.operation_border_points
      WHERE operation_code = $1 ORDER BY border_point_code`,
    [operationCode],
  );
  return rows.map((row) => row.code);
}

export function participantsOf(db: Db, operationCode: string): Promise<OperationParticipant[]> {
  return db
    .getRepository(OperationParticipant)
    .find({ where: { operationCode }, order: { agencyId: 'ASC' } });
}

/**
 * The grants an agency's token carries at `now`: one per ACTIVE operation it takes part in whose window contains
 * `now`, with its own border points (all of the operation's when none are assigned) and the window's end. One
 * statement, on the participants' agency index.
 */
export async function activeGrantsOf(
  db: Db,
  agencyId: string,
  now: Date,
  onlyOperation: string | null = null,
): Promise<OperationGrant[]> {
  const rows: { code: string; scopes: string[]; border_points: string[]; ends_at: Date }[] = await db.query(
    `SELECT o.code, o.granted_scopes AS scopes, o.ends_at,
            ARRAY(SELECT b.border_point_code FROM partners.operation_border_points b
                   WHERE b.operation_code = o.code
                     AND (p.border_points IS NULL OR b.border_point_code = ANY (p.border_points))
                   ORDER BY b.border_point_code) AS border_points
       FROM partners.operation_participants p
       JOIN partners.operations o ON o.code = p.operation_code
      WHERE p.agency_id = $1 AND o.status = 'ACTIVE' AND o.starts_at <= $2 AND o.ends_at > $2
        AND ($3::text IS NULL OR o.code = $3)
      ORDER BY o.code`,
    [agencyId, now, onlyOperation],
  );
  return rows
    .filter((row) => row.border_points.length > 0)
    .map((row) => ({
      code: row.code,
      scopes: row.scopes,
      borderPoints: row.border_points,
      until: new Date(row.ends_at),
    }));
}

/** The border points of each of `codes`' operations, with the operation's code, by border point code. */
export async function borderPointsOfOperations(
  db: Db,
  codes: readonly string[],
): Promise<{ operationCode: string; point: BorderPoint }[]> {
  const rows: (BorderPoint & { operationCode: string })[] = await db.query(
    `SELECT ob.operation_code AS "operationCode", b.code, b.name, b.kind, b.country
       FROM partners.operation_border_points ob
       JOIN partners.border_points b ON b.code = ob.border_point_code
      WHERE ob.operation_code = ANY ($1) ORDER BY b.code`,
    [[...codes]],
  );
  return rows.map(({ operationCode, ...point }) => ({
    operationCode,
    point: Object.assign(new BorderPoint(), point),
  }));
}

/**
 * An operation's status and whether `agencyId` takes part in it, the row share-locked until the transaction ends
 * (a client bound to it is created while it cannot close, nor the agency leave it); null when there is none.
 */
export async function participationFor(
  tx: Pick<EntityManager, 'query'>,
  operationCode: string,
  agencyId: string,
): Promise<{ status: string; participant: boolean } | null> {
  const rows: { status: string; participant: boolean }[] = await tx.query(
    `SELECT o.status, EXISTS (SELECT 1 FROM partners.operation_participants p
             WHERE p.operation_code = o.code AND p.agency_id = $2) AS participant
       FROM partners.operations o WHERE o.code = $1 FOR SHARE`,
    [operationCode, agencyId],
  );
  return rows[0] ?? null;
}
