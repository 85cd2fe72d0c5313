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

/** The demo rows behind the specimen passport: its SLTD record and owner, its alert, its holder's YELLOW notice. */
export interface Specimen {
  record_id: string;
  uto_ncb: string;
  alert_id: string;
  notice_id: string;
  control_number: string;
}

export async function loadSpecimen(db: {
  query(text: string): Promise<{ rows: unknown[] }>;
}): Promise<Specimen> {
  const result = await db.query(`
    SELECT r.id AS record_id, r.owner_agency_id AS uto_ncb,
           (SELECT id FROM alerts.alerts WHERE alert_number = 'DD-GS-2026-00001') AS alert_id,
           n.id AS notice_id, n.control_number
      FROM sltd.records r, notices.notices n
     WHERE r.issuing_country = 'UTO' AND r.document_number = 'L898902C3'
       AND n.subject_surname = 'ERIKSSON' AND n.owner_country = 'UTO' AND n.type = 'YELLOW'`);
  return result.rows[0] as Specimen;
}

/**
 * The specimen's `document` as the contract's BorderCheck selects it; `notices` is what the caller may see of
 * them (null with an UNAUTHORIZED_FIELD_OR_TYPE error for a caller without notices:read).
 */
export function specimenDocument(specimen: Specimen, notices: unknown) {
  return {
    issuingCountry: 'UTO',
    documentNumber: 'L898902C3',
    sltdRecord: {
      id: specimen.record_id,
      status: 'STOLEN',
      documentType: 'PASSPORT',
      owner: { id: specimen.uto_ncb, name: 'NCB of Utopia', country: 'UTO' },
    },
    alerts: [
      {
        id: specimen.alert_id,
        alertNumber: 'DD-GS-2026-00001',
        fraudType: 'COUNTERFEIT',
        indicators: expect.arrayContaining([expect.any(String)]),
      },
    ],
    notices,
  };
}
