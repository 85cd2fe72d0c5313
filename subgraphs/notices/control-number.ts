import type { EntityManager } from 'typeorm';
import { formatControlNumber } from '../../db/seed/control-number';
import type { NoticeType } from './notice.entity';

/**
 * Issues the control number of a new notice: the next value of the hub's one sequence (never reused, even when
 * the notice is refused), in the format the demo seed also writes (db/seed/control-number.ts, the one copy of the
 * letters), with the month and year of the request.
 */
export async function issueControlNumber(
  tx: Pick<EntityManager, 'query'>,
  type: NoticeType,
  requestedAt: Date,
): Promise<string> {
  const [{ sequence }] = (await tx.query(
    `SELECT nextval('notices.control_number_seq')::bigint AS sequence`,
  )) as {
    sequence: string;
  }[];
  return formatControlNumber(type, Number(sequence), requestedAt);
}
