import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import { isUuid, manyByKey, oneByKey } from '../../shared/loaders';
import type { Agency } from './agency.entity';
import { findAgenciesByIds } from './agency.repository';
import { DataSharingAgreement } from './agreement.entity';
import { createOperationLoaders, type OperationLoaders } from './operation.loader';

export interface PartnerLoaders extends OperationLoaders {
  agency: DataLoader<string, Agency | null>;
  agreementsOfAgency: DataLoader<string, DataSharingAgreement[]>;
}

/** Per request: one SQL statement per batch of agency ids, whatever their number. */
export function createPartnerLoaders(db: DataSource): PartnerLoaders {
  return {
    ...createOperationLoaders(db),
    agency: new DataLoader(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = valid.length ? await findAgenciesByIds(db, valid) : [];
      return oneByKey(ids, rows, (row) => row.id);
    }),
    agreementsOfAgency: new DataLoader(async (ids) => {
      const rows = await db
        .getRepository(DataSharingAgreement)
        .find({ where: { agencyId: In([...ids]) }, order: { validFrom: 'DESC' } });
      return manyByKey(ids, rows, (row) => row.agencyId);
    }),
  };
}
