import { alertsImport } from './alerts';
import type { ImportKind, ImportKindName } from './kind';
import { noticesImport } from './notices';
import { sltdImport } from './sltd';

/** The kinds `npm run import -- --kind <name>` knows. */
export const IMPORT_KINDS: Readonly<Record<ImportKindName, ImportKind<unknown>>> = {
  sltd: sltdImport as ImportKind<unknown>,
  notices: noticesImport as ImportKind<unknown>,
  alerts: alertsImport as ImportKind<unknown>,
};
