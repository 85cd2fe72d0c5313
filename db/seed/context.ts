import type { DocumentRegistry } from './documents';
import type { Random } from './random';
import type { AgencyRow } from './tables';

/**
 * What every generator draws from: the one random stream, the reference date and the agencies that own rows.
 */
export interface SeedContext {
  random: Random;
  now: Date;
  documents: DocumentRegistry;
  /** NCB per country code. */
  ncbs: ReadonlyMap<string, AgencyRow>;
  generalSecretariat: AgencyRow;
}

export function ncbOf(context: SeedContext, country: string): AgencyRow {
  const ncb = context.ncbs.get(country);
  if (!ncb) throw new Error(`No NCB for ${country}`);
  return ncb;
}
