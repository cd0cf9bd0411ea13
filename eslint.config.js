// Lint: the recommended JS and TypeScript rules plus typescript-eslint's type-checked set, no
// formatting opinions.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'coverage/', '.tmp/', 'node-red/lib/contract.gen.cjs', 'config/node-red/site-settings.gen.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      // Each file is checked against the nearest tsconfig.json: the root one for Node code,
      // dashboard/tsconfig.json for the dashboard.
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['dashboard/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The dashboard tests belong to dashboard/tsconfig.json (DOM types, bundler resolution), but
    // the project service would pick the root tsconfig.json, the nearest one, which excludes them.
    files: ['test/dashboard/**/*.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { projectService: false, project: './dashboard/tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    // Tests read untyped JSON on purpose (HTTP replies, MQTT payloads, log lines, fixture files)
    // and assert on its fields: typing every reply would repeat the contracts under test. The
    // promise-safety rules and the rest of the type-checked set stay on.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Plain JavaScript is in no tsconfig: no type information to check against.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Node-RED loads nodes and settings as CommonJS; `const node = this` is its node contract.
    files: ['node-red/**/*.js', 'config/node-red/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off', '@typescript-eslint/no-this-alias': 'off' },
  },
);
