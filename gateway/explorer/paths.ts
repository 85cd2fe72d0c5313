import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The files of a built explorer, all served by the gateway under /explorer/ (index.html also at /). */
export const EXPLORER_FILES = [
  'index.html',
  'app.js',
  'app.css',
  'editor.worker.js',
  'json.worker.js',
  'graphql.worker.js',
] as const;
export type ExplorerFile = (typeof EXPLORER_FILES)[number];

/** Written last into the output folder: which inputs the build came from. */
export const BUILD_INFO_FILE = 'build.json';

export interface BuildInfo {
  fingerprint: string;
  builtAt: string;
  graphiql: string;
}

export interface ExplorerPaths {
  root: string;
  /** Where the build goes (gitignored). */
  outDir: string;
  clientDir: string;
  contractDir: string;
}

/** The repository (or image) root: the nearest folder above this file with a package.json. */
function projectRoot(from = __dirname): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

export function explorerPaths(root = projectRoot()): ExplorerPaths {
  return {
    root,
    outDir: path.join(root, 'dist', 'explorer'),
    clientDir: path.join(root, 'gateway', 'explorer', 'client'),
    contractDir: path.join(root, 'test', 'contract'),
  };
}

/** The build's sources are there (a checkout); a production image has only the built files. */
export function sourcesPresent(paths: ExplorerPaths): boolean {
  return fs.existsSync(paths.clientDir) && fs.existsSync(paths.contractDir);
}

/** Packages whose version changes the bundle. */
const BUNDLED_PACKAGES = [
  'graphiql',
  '@graphiql/react',
  'monaco-editor',
  'monaco-graphql',
  'react',
  'react-dom',
  'graphql',
  'esbuild',
];

/**
 * A hash of everything the build reads: the client sources, the modules they import from the gateway, the
 * contract operations, the build script and the bundled packages' versions. Cheap (a few dozen small files),
 * so the gateway checks it once at start-up and rebuilds a stale explorer instead of serving it.
 */
export function inputFingerprint(paths: ExplorerPaths): string {
  const hash = crypto.createHash('sha256');
  const explorerDir = path.join(paths.root, 'gateway', 'explorer');
  const files = [
    ...listFiles(paths.clientDir),
    ...['build.ts', 'examples.ts', 'paths.ts'].map((f) => path.join(explorerDir, f)),
    path.join(paths.root, 'gateway', 'authorization', 'caller.ts'),
    path.join(paths.root, 'gateway', 'authorization', 'requirements.ts'),
    ...listFiles(paths.contractDir).filter((f) => f.endsWith('.graphql')),
  ];
  for (const file of files) {
    hash.update(path.relative(paths.root, file));
    hash.update('\0');
    hash.update(fs.existsSync(file) ? fs.readFileSync(file) : 'missing');
    hash.update('\0');
  }
  for (const name of BUNDLED_PACKAGES)
    hash.update(`${name}@${packageVersion(paths.root, name) ?? 'missing'}\0`);
  return hash.digest('hex');
}

export function packageVersion(root: string, name: string): string | null {
  try {
    const manifest = path.join(root, 'node_modules', ...name.split('/'), 'package.json');
    return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return listFiles(full);
      return entry.isFile() && !entry.name.endsWith('.spec.ts') ? [full] : [];
    })
    .sort();
}

export function readBuildInfo(outDir: string): BuildInfo | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(outDir, BUILD_INFO_FILE), 'utf8')) as BuildInfo;
  } catch {
    return null;
  }
}
