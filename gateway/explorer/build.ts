import fs from 'node:fs';
import path from 'node:path';
import type { BuildOptions, Metafile } from 'esbuild';
import { readContractExamples } from './examples';
import {
  BUILD_INFO_FILE,
  EXPLORER_FILES,
  explorerPaths,
  inputFingerprint,
  packageVersion,
  type BuildInfo,
  type ExplorerPaths,
} from './paths';

/**
 * Bundles the explorer (GraphiQL 5, React 19, Monaco and its language workers) with esbuild into a handful of
 * static files that the gateway serves itself: index.html, app.js, app.css and three workers. Fonts are
 * inlined into the CSS, dynamic imports into the bundle, so the page loads nothing from anywhere else. The
 * contract operations (test/contract) are parsed here and compiled into the bundle as the examples menu.
 *
 * `npm run build:explorer`, or lazily by the gateway on the first request (gateway/explorer/routes.ts).
 * Takes a few seconds. Writes to a temporary folder and renames it, so a reader never sees half a build.
 */
export async function buildExplorer(paths: ExplorerPaths = explorerPaths()): Promise<BuildInfo> {
  // Imported here, not at the top: the gateway imports this module, and esbuild is a development dependency.
  const { build } = await import('esbuild');
  const examples = readContractExamples(paths.contractDir);
  const info: BuildInfo = {
    fingerprint: inputFingerprint(paths),
    builtAt: new Date().toISOString(),
    graphiql: packageVersion(paths.root, 'graphiql') ?? 'unknown',
  };
  const tmp = `${paths.outDir}.tmp-${process.pid}-${Date.now()}`;
  fs.mkdirSync(tmp, { recursive: true });
  try {
    const common: BuildOptions = {
      absWorkingDir: paths.root,
      bundle: true,
      minify: true,
      // Browsers a few years old are still common on closed networks.
      target: ['chrome100', 'edge100', 'firefox100', 'safari15'],
      outdir: tmp,
      entryNames: '[name]',
      legalComments: 'eof',
      metafile: true,
      logLevel: 'silent',
      define: { 'process.env.NODE_ENV': '"production"' },
    };
    const [app, workers] = await Promise.all([
      build({
        ...common,
        entryPoints: { app: path.join(paths.clientDir, 'main.tsx') },
        format: 'esm',
        splitting: false,
        jsx: 'automatic',
        loader: { '.ttf': 'dataurl', '.woff': 'dataurl', '.woff2': 'dataurl', '.svg': 'dataurl' },
        define: { ...common.define, __EXPLORER_EXAMPLES__: JSON.stringify(examples) },
      }),
      build({
        ...common,
        entryPoints: {
          'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
          'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
          'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
        },
        format: 'iife',
      }),
    ]);
    fs.writeFileSync(path.join(tmp, 'index.html'), INDEX_HTML);
    const produced = [
      'index.html',
      ...[app.metafile, workers.metafile].flatMap((m: Metafile | undefined) =>
        Object.keys(m?.outputs ?? {}).map((file) => path.basename(file)),
      ),
    ].sort();
    const expected = [...EXPLORER_FILES].sort();
    if (JSON.stringify(produced) !== JSON.stringify(expected))
      throw new Error(`the explorer build produced ${produced.join(', ')}; expected ${expected.join(', ')}`);
    fs.writeFileSync(path.join(tmp, BUILD_INFO_FILE), `${JSON.stringify(info, null, 2)}\n`);
    fs.rmSync(paths.outDir, { recursive: true, force: true });
    fs.renameSync(tmp, paths.outDir);
    return info;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** No inline script or style: the Content-Security-Policy allows scripts from 'self' only. */
const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    <title>Border data hub · explorer</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/explorer/app.css" />
    <script type="module" src="/explorer/app.js"></script>
  </head>
  <body>
    <div id="root">Loading the explorer…</div>
    <noscript>The explorer needs JavaScript.</noscript>
  </body>
</html>
`;

if (require.main === module) {
  const started = Date.now();
  buildExplorer()
    .then((info) => {
      const { outDir, root } = explorerPaths();
      console.log(
        `explorer built in ${((Date.now() - started) / 1000).toFixed(1)} s: ${path.relative(root, outDir)}/ (graphiql ${info.graphiql})`,
      );
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
