// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const message = 'Import another library only through its index (libs/<name>/src), never its internals.';
// Calls that run SQL: a query on a connection, entity manager, data source or pool, a query builder, and the
// platform's paging and prepared-statement helpers.
const SQL_MESSAGE =
  'SQL belongs in a *.repository.ts (or the resource scope, *.scope.ts): call a repository method here.';
const SQL_CALLS = [
  "CallExpression[callee.property.name='query'][callee.object.name=/^(m|manager|em|tx|db|client|runner|queryRunner|dataSource|pool)$/]",
  "CallExpression[callee.property.name='query'][callee.object.property.name=/^(dataSource|manager|reads|pool|db|queryRunner)$/]",
  "CallExpression[callee.property.name='createQueryBuilder']",
  'CallExpression[callee.name=/^(pagedQuery|prepared|returning)$/]',
];
// From one library to another: ../../<lib>/src/<file>.
const DEEP_LIB_IMPORT = { regex: '^(\\.\\./)+[a-z-]+/src/.+$', message };
// From apps, tests and migrations: ../../libs/<lib>/src/<file>.
const DEEP_LIBS_IMPORT = { regex: '^(\\.\\./)+libs/[a-z-]+/src/.+$', message };

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'data/**',
      'coverage/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
      'apps/web/dist/**',
      'apps/web/node_modules/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      eqeqeq: ['error', 'always'],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Libraries never reach into apps, and use one another only through their index.
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/apps/**'], message: 'Libraries must not import apps.' }, DEEP_LIB_IMPORT],
        },
      ],
    },
  },
  {
    // Repositories own the SQL: services, controllers, listeners, jobs and renderers call them (STYLE.md).
    files: ['libs/**/*.ts'],
    ignores: [
      'libs/**/*.repository.ts',
      'libs/**/*.scope.ts',
      'libs/platform/src/database/**',
      '**/*.spec.ts',
    ],
    rules: {
      'no-restricted-syntax': ['error', ...SQL_CALLS.map((selector) => ({ selector, message: SQL_MESSAGE }))],
    },
  },
  {
    // A library's index names its public surface one by one: nothing leaves it by accident.
    files: ['libs/*/src/index.ts'],
    rules: {
      // With the SQL rule's selectors too: a rule set again for the same files replaces the earlier setting.
      'no-restricted-syntax': [
        'error',
        ...SQL_CALLS.map((selector) => ({ selector, message: SQL_MESSAGE })),
        {
          selector: 'ExportAllDeclaration',
          message:
            'Export what other libraries use by name (export { … } from), not everything with export *.',
        },
      ],
    },
  },
  {
    // Each app is its own composition root: apps share code through libraries, never by importing each other.
    files: ['apps/**/*.ts', 'migrations/**/*.ts'],
    ignores: ['apps/web/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            DEEP_LIBS_IMPORT,
            { regex: '^(\\.\\./)+(apps/)?(api|worker|web)/', message: 'An app never imports another app.' },
          ],
        },
      ],
    },
  },
  {
    // The web app: React's rules of hooks; areas (auth, kpi, reports …) use one another only through their
    // index, as the backend's libraries do; of the backend it shares only the pure text helpers (@lantoa/text).
    files: ['apps/web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(libs|apps)/',
              message: 'The web app shares only @lantoa/text with the backend.',
            },
            {
              regex: '^(\\.\\./)+[a-z]+/.+$',
              message: 'Import another area of the web app only through its index (../<area>).',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests read loosely typed JSON responses; `any` there is the honest type.
    files: ['test/**/*.ts', '**/*.spec.ts', '**/*.e2e-spec.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-imports': ['error', { patterns: [DEEP_LIBS_IMPORT] }],
    },
  },
);
