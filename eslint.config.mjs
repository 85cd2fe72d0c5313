import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', 'docs/explorer/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['*.js', '*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' },
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // No connection taken twice (docs/architecture.md, "Database connections"). Code inside a transaction must
    // run on that transaction's EntityManager: reaching the pool again (`tx.connection`, the DataSource, the
    // per-request loaders, which read through the DataSource) asks for a second connection while the first is
    // held, and a pool-sized burst of such requests then waits on itself forever.
    files: ['subgraphs/**/*.ts', 'shared/**/*.ts', 'db/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='connection']",
          message:
            "Use the transaction's own EntityManager: `.connection` is the pool, and taking a second connection inside a transaction deadlocks under load.",
        },
        {
          selector:
            "CallExpression[callee.property.name='transaction'] > :function MemberExpression[object.name='ctx'][property.name=/^(db|loaders)$/]",
          message:
            'Inside a transaction use its EntityManager (tx), not ctx.db or ctx.loaders: they take a second pool connection.',
        },
        {
          selector:
            "CallExpression[callee.property.name='transaction'] > :function Identifier[name=/^(db|dataSource)$/]:not(MemberExpression > Identifier.property)",
          message:
            'Inside a transaction use its EntityManager (tx), not the DataSource: it takes a second pool connection.',
        },
      ],
    },
  },
  {
    // Configuration is read once, at start, and passed down (docs/architecture.md, "Processes"): the environment
    // and loadConfig belong to the config modules and to the code that runs once when a process starts.
    files: ['subgraphs/**/*.ts', 'shared/**/*.ts', 'gateway/**/*.ts', 'db/**/*.ts'],
    ignores: [
      '**/*.spec.ts',
      '**/config.ts',
      'gateway/main.ts',
      'subgraphs/main.ts',
      'shared/subgraph/main.ts',
      'shared/subgraph/start.ts',
      'shared/logger.ts',
      'shared/retention/worker.ts',
      'subgraphs/partner-agencies/index.ts',
    ],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read the environment in a config module at start and pass the settings down.',
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)config$',
              importNames: ['loadConfig'],
              message: 'Read configuration once at start (an entry point or readSettings) and pass it down.',
            },
          ],
        },
      ],
    },
  },
);
