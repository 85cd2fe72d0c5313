import fs from 'node:fs';
import { renderSchemaDocs } from './schema-docs';

describe('docs/schema.md', () => {
  const sdl = fs.readFileSync('supergraph.graphql', 'utf8');
  const docs = renderSchemaDocs(sdl);
  const fieldRow = (type: string, field: string) => {
    const section = docs.split(/\n#{2,3} /).find((part) => part.startsWith(`${type}\n`)) ?? '';
    return section.split('\n').find((line) => line.startsWith(`| \`${field}`)) ?? '';
  };

  test('is what `npm run docs` generates from the committed supergraph', () => {
    expect(fs.readFileSync('docs/schema.md', 'utf8')).toBe(docs);
  });

  test('documents every type and field of the graph, and none of the federation machinery', () => {
    const typeNames = [...sdl.matchAll(/^(?:type|input|enum|scalar|interface|union) (\w+)/gm)].map(
      (m) => m[1],
    );
    for (const name of typeNames.filter((n) => !/^(join__|link__|requiresScopes__)/.test(n))) {
      expect(docs).toContain(`# ${name}\n`);
    }
    expect(docs).not.toMatch(/# (join|link)__/);
    expect(docs).not.toMatch(/\| `\w+` \| `join__/);
  });

  test('gives each field its description, owning subgraph and access rule', () => {
    expect(fieldRow('SltdRecord', 'holder')).toMatch(/\| travel-documents \| `sltd:read` \| .+ \|$/);
    expect(fieldRow('TravelDocument', 'notices')).toContain('| notices | `notices:read` OR');
    expect(fieldRow('TravelDocument', 'alerts')).toContain('| document-alerts | `alerts:read` |');
    expect(fieldRow('Query', 'checkDocuments')).toMatch(
      /^\| `checkDocuments\(context: CheckContextInput, input: \[DocumentCheckInput!\]!\)` \| `\[DocumentCheckResult!\]` \| travel-documents \| `sltd:check` \| Checks /,
    );
    expect(fieldRow('Agency', 'name')).toContain('| partner-agencies | authenticated |');
    expect(docs).toContain('Entity, key `id`: resolved by partner-agencies; referenced by');
  });
});
