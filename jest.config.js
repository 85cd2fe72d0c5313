// @swc/jest compiles TypeScript with decorator metadata (type-graphql and TypeORM read it);
// type checking is `npm run typecheck`, kept apart so tests start fast.
const transform = {
  '^.+\\.ts$': [
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

const common = {
  testEnvironment: 'node',
  transform,
  setupFiles: ['reflect-metadata'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.data/'],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  projects: [
    // Unit specs sit next to the code; those that need PostgreSQL start their own.
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/**/*.spec.ts'] },
    // End-to-end tests run the real hub over HTTP, on one database migrated and seeded once.
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
};
