import type { DataSource } from 'typeorm';
import { decodeCursor, toConnection, type Connection } from '../../shared/schema/connection';
import { Agency } from './agency.entity';
import type { AgencyFilter } from './agency.input';

/** The SQL of agency lists, in one place. Ordered by code, which is unique and stable. */
export async function listAgencies(
  db: DataSource,
  filter: AgencyFilter | undefined,
  first: number,
  after: string | null | undefined,
): Promise<Connection<Agency>> {
  const query = db.getRepository(Agency).createQueryBuilder('a');
  if (filter?.kind) query.andWhere('a.kind = :kind', { kind: filter.kind });
  if (filter?.country) query.andWhere('a.country = :country', { country: filter.country.toUpperCase() });
  const cursor = decodeCursor(after, 'code');
  const totalCount = await query.getCount();
  if (cursor) query.andWhere('a.code > :code', { code: cursor.sort });
  const rows = await query
    .orderBy('a.code', 'ASC')
    .limit(first + 1)
    .getMany();
  return toConnection(
    rows,
    first,
    totalCount,
    (a) => ({ sort: a.code, id: a.id }),
    (a) => a,
  );
}
