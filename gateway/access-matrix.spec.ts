import fs from 'node:fs';
import { DEMO_CLIENTS } from '../db/seed/agencies';
import { renderAccessMatrix } from './access-matrix';

describe('docs/access-matrix.md', () => {
  const sdl = fs.readFileSync('supergraph.graphql', 'utf8');

  test('is what `npm run docs` generates from the committed supergraph', () => {
    expect(fs.readFileSync('docs/access-matrix.md', 'utf8')).toBe(renderAccessMatrix(sdl, DEMO_CLIENTS));
  });

  test('shows a border police seeing the SLTD status but not the holder', () => {
    const matrix = renderAccessMatrix(sdl, DEMO_CLIENTS);
    const header = matrix.split('\n').find((line) => line.startsWith('| Field |')) as string;
    const column = header.split(' | ').findIndex((cell) => cell.includes('bp-fra'));
    const cell = (field: string) =>
      (matrix.split('\n').find((line) => line.startsWith(`| \`${field}\``)) as string).split(' | ')[column];
    expect(cell('SltdRecord.status')).toBe('✓');
    expect(cell('SltdRecord.holder')).toBe('—');
  });

  test('lists every pair of scopes for each read rule: notices:read:yellow reads YELLOW only, even beside notices:screen', () => {
    const lines = renderAccessMatrix(sdl, DEMO_CLIENTS).split('\n');
    const section = (title: string) => {
      const start = lines.indexOf(title);
      expect(start).toBeGreaterThan(0);
      const end = lines.findIndex((line, i) => i > start && line.startsWith('### '));
      return lines.slice(start, end < 0 ? undefined : end);
    };
    const header = (rows: string[]) => (rows.find((l) => l.startsWith('| with →')) as string).split(' | ');
    const cell = (rows: string[], row: string, column: string) =>
      (rows.find((l) => l.startsWith(`| \`${row}\` |`)) as string).split(' | ')[
        header(rows).indexOf(`\`${column}\``)
      ];
    const full = section(
      '### `notices:read` OR `notices:read:yellow` OR `notices:publish` (notice full fields)',
    );
    expect(cell(full, 'notices:read:yellow', 'notices:screen')).toBe('YELLOW');
    expect(cell(full, 'notices:read:yellow', 'notices:read:yellow')).toBe('YELLOW');
    expect(cell(full, 'notices:read:yellow', 'notices:read')).toBe('every type');
    const identity = section(
      '### `notices:screen` OR `notices:read` OR `notices:read:yellow` OR `notices:publish` (notice identity fields)',
    );
    expect(cell(identity, 'notices:read:yellow', 'notices:screen')).toBe('every type');
    expect(cell(identity, 'notices:read:yellow', 'alerts:read')).toBe('YELLOW');
    const holder = section('### `sltd:read`');
    expect(cell(holder, 'sltd:read', 'sltd:check')).toBe('✓');
  });
});
