// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const message = 'Import another library only through its index (libs/<name>/src), never its internals.';
// From one library to another: ../../<lib>/src/<file>.
const DEEP_LIB_IMPORT = { regex: '^(\\.\\./)+[a-z-]+/src/.+$', message };
// From apps, tests and migrations: ../../libs/<lib>/src/<file>.
const DEEP_LIBS_IMPORT = { regex: '^(\\.\\./)+libs/[a-z-]+/src/.+$', message };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', '**/*.js', '**/*.mjs', 'apps/web/dist/**', 'apps/web/node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      eqeqeq: ['error', 'always'],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Libraries never reach into apps, and use one another only through their index.
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/apps/**'], message: 'Libraries must not import apps.' }, DEEP_LIB_IMPORT] },
      ],
    },
  },
  {
    files: ['apps/**/*.ts', 'migrations/**/*.ts'],
    ignores: ['apps/web/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [DEEP_LIBS_IMPORT] }] },
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
            { regex: '^(\\.\\./)+(libs|apps)/', message: 'The web app shares only @lantoa/text with the backend.' },
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
