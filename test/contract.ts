import fs from 'node:fs';
import path from 'node:path';

/** The contract operations (../shared/contract), copied into test/contract so a clone tests on its own. */
export const CONTRACT_DIR = path.join(__dirname, 'contract');

export function readContract(file: string): string {
  return fs.readFileSync(path.join(CONTRACT_DIR, file), 'utf8');
}
