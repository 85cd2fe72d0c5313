import fs from 'node:fs';
import path from 'node:path';
import { parse, validate } from 'graphql';
import { buildSupergraphApiSchema } from '../gateway/supergraph';
import { CONTRACT_DIR, readContract } from './contract';

/** The contract operations are the public face of the graph: each must validate against the committed supergraph. */

/**
 * Where the contract's source of truth sits, when this clone has it: HUB_SHARED_CONTRACT names the contract folder
 * (then it must exist, or the copy check fails), else the folder beside the clone is used when present. The
 * operations that joined the contract later sit in the contract-next folder beside it and are part of the contract
 * when that folder exists. A clone alone has neither; its copy in test/contract is then the contract, and the check
 * says so in its title.
 */
const EXPECTED_SHARED_CONTRACT = process.env.HUB_SHARED_CONTRACT;
const SHARED_CONTRACT_DIR =
  EXPECTED_SHARED_CONTRACT ?? path.join(__dirname, '..', '..', 'shared', 'contract');
const SHARED_CONTRACT_NEXT_DIR = path.join(path.dirname(SHARED_CONTRACT_DIR), 'contract-next');
const contractFiles = fs
  .readdirSync(CONTRACT_DIR)
  .filter((f) => f.endsWith('.graphql'))
  .sort();

/** The shared contract's operations (file name -> folder), the contract-next folder's included when present. */
function sharedContract(): Map<string, string> {
  const files = new Map<string, string>();
  for (const dir of [SHARED_CONTRACT_DIR, SHARED_CONTRACT_NEXT_DIR]) {
    if (!fs.existsSync(dir)) continue;
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.graphql'))) {
      expect(files.has(file)).toBe(false);
      files.set(file, dir);
    }
  }
  return files;
}

describe('contract operations', () => {
  const schema = buildSupergraphApiSchema(fs.readFileSync('supergraph.graphql', 'utf8'));

  test.each(contractFiles)('%s validates against the supergraph', (file) => {
    const errors = validate(schema, parse(readContract(file))).map((e) => e.message);
    expect(errors).toEqual([]);
  });

  const checked = EXPECTED_SHARED_CONTRACT !== undefined || fs.existsSync(SHARED_CONTRACT_DIR);
  const title = checked
    ? `the copy in test/contract is the same as ${SHARED_CONTRACT_DIR} and ${SHARED_CONTRACT_NEXT_DIR} when present`
    : 'the copy in test/contract is the contract (no shared contract beside this clone; set HUB_SHARED_CONTRACT)';
  (checked ? test : test.skip)(title, () => {
    expect(fs.existsSync(SHARED_CONTRACT_DIR)).toBe(true);
    const shared = sharedContract();
    expect(contractFiles).toEqual([...shared.keys()].sort());
    for (const [file, dir] of shared) {
      expect(readContract(file)).toBe(fs.readFileSync(path.join(dir, file), 'utf8'));
    }
  });
});
