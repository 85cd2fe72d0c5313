// The layers (docs/architecture.md, "Layers"), checked by `npm run lint` (depcruise). Bottom to top:
//   1. shared/ and the database connection files (db/pool.ts, db/data-source.ts, db/statement-counter.ts,
//      db/read-router.ts)
//   2. subgraphs/<name>/ — one subgraph each; subgraphs/index.ts lists the four
//   3. db/ — migrations runner, seed, bulk import: they know every subgraph's tables
//   4. gateway/ — knows the subgraphs by their SDL and URLs only
//   5. main: the composition roots that wire everything together — hub/ and subgraphs/main.ts
//   6. scripts/, bench/, test/ and the specs beside the code
// A file imports its own layer and those below it only. The demo seed (db/seed) and the benchmarks (bench/)
// are never imported by what runs in production: only scripts, bench, tests and the hub (which seeds demo data).
const SPEC = '\\.spec\\.ts$|/__fixtures__/';
const CONNECTION = '^db/(pool|data-source|statement-counter|read-router)\\.ts$';
const ROOTS = '^(hub/|subgraphs/main\\.ts$)';
const TOOLS = '^(scripts|bench|test)/';

module.exports = {
  forbidden: [
    {
      name: 'shared-imports-only-shared',
      comment:
        'shared/ is the bottom layer: it imports nothing above it (only the database connection files of db/).',
      severity: 'error',
      from: { path: '^shared/', pathNot: SPEC },
      to: { path: '^(subgraphs|db|gateway|hub|scripts|bench|test)/', pathNot: CONNECTION },
    },
    {
      name: 'connection-files-import-nothing-above',
      comment: "db's connection files are part of the bottom layer: they import only each other and shared/.",
      severity: 'error',
      from: { path: CONNECTION },
      to: { path: '^(subgraphs|db|gateway|hub|scripts|bench|test)/', pathNot: CONNECTION },
    },
    {
      name: 'subgraph-imports-shared-only',
      comment:
        'A subgraph imports shared/ and its own folder: never another subgraph, the gateway, db, the hub.',
      severity: 'error',
      from: { path: '^subgraphs/([^/]+)/', pathNot: SPEC },
      to: {
        path: '^(subgraphs|db|gateway|hub|scripts|bench|test)/',
        pathNot: ['^subgraphs/$1/', CONNECTION],
      },
    },
    {
      name: 'db-below-gateway-and-roots',
      comment:
        'db/ (migrations, seed, import) imports shared/ and the subgraphs, never the gateway or the roots.',
      severity: 'error',
      from: { path: '^db/', pathNot: SPEC },
      to: { path: '^(gateway|hub|scripts|bench|test)/|^subgraphs/main\\.ts$' },
    },
    {
      name: 'gateway-never-imports-a-subgraph',
      comment:
        'The gateway knows the subgraphs by their SDL and URLs only; whoever needs both passes them in.',
      severity: 'error',
      from: { path: '^gateway/', pathNot: SPEC },
      to: { path: '^(subgraphs|hub|scripts|bench|test)/|^db/', pathNot: CONNECTION },
    },
    {
      name: 'roots-below-tools',
      comment: 'The composition roots run in production: they import no script, benchmark or test.',
      severity: 'error',
      from: { path: ROOTS, pathNot: SPEC },
      to: { path: TOOLS },
    },
    {
      name: 'seed-and-bench-only-from-tools',
      comment:
        'The demo seed and the benchmarks are for scripts, benchmarks, tests and the hub, never the runtime.',
      severity: 'error',
      from: { path: '.', pathNot: [SPEC, TOOLS, '^hub/', '^db/seed/'] },
      to: { path: '^(db/seed|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|docs|\\.data)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] },
  },
};
