// @ts-check
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

/**
 * The linter of `npm test`, after Temporal's samples-typescript: a promise nobody awaits is an error
 * everywhere (a lost write, or a workflow command issued out of order), and workflow code may not
 * import Node's built-ins — the workflow sandbox has none, and what they give (clock, files, network,
 * randomness) would break determinism. Such work belongs in an activity.
 */
const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/results/**', '**/*.js', '**/*.mjs'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [tseslint.configs.base],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: nodeBuiltins.map((name) => ({ name, message: 'Workflow code runs in a deterministic sandbox without Node built-ins: do this in an activity.' })) }],
    },
  },
);
