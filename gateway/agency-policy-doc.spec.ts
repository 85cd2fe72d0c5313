import fs from 'node:fs';
import { withAgencyPolicy } from './agency-policy-doc';

describe('docs/architecture.md, "What each kind of agency may hold"', () => {
  test('holds the table `npm run docs` generates from shared/auth/agency-policy.ts', () => {
    const architecture = fs.readFileSync('docs/architecture.md', 'utf8');
    expect(architecture).toBe(withAgencyPolicy(architecture));
  });
});
