import fs from 'node:fs';
import { renderAccessMatrix } from './access-matrix';

describe('docs/access-matrix.md', () => {
  const sdl = fs.readFileSync('supergraph.graphql', 'utf8');

  test('is what `npm run docs` generates from the committed supergraph', () => {
    expect(fs.readFileSync('docs/access-matrix.md', 'utf8')).toBe(renderAccessMatrix(sdl));
  });

  test('shows a border police seeing the SLTD status but not the holder', () => {
    const matrix = renderAccessMatrix(sdl);
    const header = matrix.split('\n').find((line) => line.startsWith('| Field |')) as string;
    const column = header.split(' | ').findIndex((cell) => cell.includes('bp-fra'));
    const cell = (field: string) =>
      (matrix.split('\n').find((line) => line.startsWith(`| \`${field}\``)) as string).split(' | ')[column];
    expect(cell('SltdRecord.status')).toBe('✓');
    expect(cell('SltdRecord.holder')).toBe('—');
  });
});
