import fs from 'node:fs';
import path from 'node:path';
import { parse, validate } from 'graphql';
import { buildSupergraphApiSchema } from '../gateway/supergraph';
import { CONTRACT_DIR, readContract } from './contract';

/** The contract operations are the public face of the graph: each must validate against the committed supergraph. */

/**
 * Where the contract's source of truth sits, when this clone has it: HUB_SHARED_CONTRACT names it (then it must
 * exist, or the copy check fails), else the folder beside the clone is used when present. A clone alone has
 * neither; its copy in test/contract is then the contract, and the check says so in its title.
 */
const EXPECTED_SHARED_CONTRACT = process.env.HUB_SHARED_CONTRACT;
const SHARED_CONTRACT_DIR =
  EXPECTED_SHARED_CONTRACT ?? path.join(__dirname, '..', '..', 'shared', 'contract');
const contractFiles = fs
  .readdirSync(CONTRACT_DIR)
  .filter((f) => f.endsWith('.graphql'))
  .sort();

describe('contract operations', () => {
  const schema = buildSupergraphApiSchema(fs.readFileSync('supergraph.graphql', 'utf8'));

  test.each(contractFiles)('%s validates against the supergraph', (file) => {
    const errors = validate(schema, parse(readContract(file))).map((e) => e.message);
    expect(errors).toEqual([]);
  });

  const checked = EXPECTED_SHARED_CONTRACT !== undefined || fs.existsSync(SHARED_CONTRACT_DIR);
  const title = checked
    ? `the copy in test/contract is the same as ${SHARED_CONTRACT_DIR}`
    : 'the copy in test/contract is the contract (no shared contract beside this clone; set HUB_SHARED_CONTRACT)';
  (checked ? test : test.skip)(title, () => {
    expect(fs.existsSync(SHARED_CONTRACT_DIR)).toBe(true);
    const shared = fs
      .readdirSync(SHARED_CONTRACT_DIR)
      .filter((f) => f.endsWith('.graphql'))
      .sort();
    expect(contractFiles).toEqual(shared);
    for (const file of shared) {
      expect(readContract(file)).toBe(fs.readFileSync(path.join(SHARED_CONTRACT_DIR, file), 'utf8'));
    }
  });
});
