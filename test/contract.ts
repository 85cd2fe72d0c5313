import fs from 'node:fs';
import path from 'node:path';

/** The contract operations (../shared/contract and ../shared/contract-next), copied into test/contract so a clone tests on its own. */
export const CONTRACT_DIR = path.join(__dirname, 'contract');

export function readContract(file: string): string {
  return fs.readFileSync(path.join(CONTRACT_DIR, file), 'utf8');
}

/** The ICAO 9303 specimen passport's machine readable zone (TD3), every check digit valid. */
export const SPECIMEN_MRZ =
  'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10';

/** SPECIMEN_MRZ as BorderCheck's `mrz` selection decodes it. */
export const SPECIMEN_DECODED = {
  documentCode: 'P',
  issuingCountry: 'UTO',
  documentNumber: 'L898902C3',
  surname: 'ERIKSSON',
  forenames: 'ANNA MARIA',
  nationality: 'UTO',
  dateOfBirth: '1974-08-12',
  sex: 'F',
  expiryDate: '2012-04-15',
  valid: true,
};
