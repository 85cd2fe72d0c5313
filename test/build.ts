import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * `dist/` as `npm run build` makes it, for the tests of what the image runs (test/production.e2e.ts,
 * test/image.spec.ts). A build takes most of a minute, so it is reused while every compiled file is at least as
 * new as its source; otherwise `npm run build` runs first.
 */
export const ROOT = path.resolve(__dirname, '..');
const SOURCE_DIRS = ['gateway', 'subgraphs', 'shared', 'db', 'scripts'];
const EXCLUDED = new Set(['node_modules', 'dist', 'client']);
const BUILD_TIMEOUT_MS = 300_000;

function sourcesUnder(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return EXCLUDED.has(entry.name) ? [] : sourcesUnder(relative);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [relative] : [];
  });
}

/** The source files whose compiled form is missing or older than they are. */
function staleSources(): string[] {
  return SOURCE_DIRS.flatMap(sourcesUnder).filter((source) => {
    const compiled = path.join(ROOT, 'dist', source.replace(/\.ts$/, '.js'));
    return (
      !fs.existsSync(compiled) || fs.statSync(compiled).mtimeMs < fs.statSync(path.join(ROOT, source)).mtimeMs
    );
  });
}

export async function ensureBuilt(): Promise<void> {
  if (staleSources().length === 0) return;
  await new Promise<void>((resolve, reject) => {
    execFile('npm', ['run', 'build'], { cwd: ROOT, timeout: BUILD_TIMEOUT_MS }, (error, stdout, stderr) =>
      error ? reject(new Error(`npm run build failed:\n${stdout}${stderr}`)) : resolve(),
    );
  });
}
