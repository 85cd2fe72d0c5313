import fs from 'node:fs';
import path from 'node:path';
import { parse, validate } from 'graphql';
import { buildSupergraphApiSchema } from '../gateway/supergraph';
import { CONTRACT_DIR, readContract } from './contract';

/** The contract operations are the public face of the graph: each must validate against the committed supergraph. */
const SHARED_CONTRACT_DIR = path.join(__dirname, '..', '..', 'shared', 'contract');
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

  const sharedExists = fs.existsSync(SHARED_CONTRACT_DIR);
  (sharedExists ? test : test.skip)('the copy in test/contract is the same as ../shared/contract', () => {
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
