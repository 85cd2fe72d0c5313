import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import { manyByKey, oneByKey } from '../../shared/loaders';
import { BorderPoint } from './border-point.entity';
import { Operation, OperationParticipant } from './operation.entity';
import { borderPointsOfOperations } from './operation.repository';

export interface OperationLoaders {
  operation: DataLoader<string, Operation | null>;
  borderPoint: DataLoader<string, BorderPoint | null>;
  /** The border points of each operation, by code. */
  operationBorderPoints: DataLoader<string, BorderPoint[]>;
  operationParticipants: DataLoader<string, OperationParticipant[]>;
}

/** Per request: one statement per batch of codes. */
export function createOperationLoaders(db: DataSource): OperationLoaders {
  return {
    operation: new DataLoader(async (codes) => {
      const rows = await db.getRepository(Operation).findBy({ code: In([...codes]) });
      return oneByKey(codes, rows, (row) => row.code);
    }),
    borderPoint: new DataLoader(async (codes) => {
      const rows = await db.getRepository(BorderPoint).findBy({ code: In([...codes]) });
      return oneByKey(codes, rows, (row) => row.code);
    }),
    operationBorderPoints: new DataLoader(async (codes) => {
      const points = await borderPointsOfOperations(db, codes);
      return manyByKey(codes, points, (row) => row.operationCode).map((list) => list.map((r) => r.point));
    }),
    operationParticipants: new DataLoader(async (codes) => {
      const rows = await db
        .getRepository(OperationParticipant)
        .find({ where: { operationCode: In([...codes]) }, order: { agencyId: 'ASC' } });
      return manyByKey(codes, rows, (row) => row.operationCode);
    }),
  };
}
