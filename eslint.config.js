// @ts-check
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // Build output, generated reports and prose are not source.
  globalIgnores([
    'out/**',
    'dist/**',
    'node_modules/**',
    'docs/**',
    'coverage/**',
    'test-results/**',
    'playwright-report/**',
    '.data/**',
  ]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_name` marks a parameter or binding that is deliberately unused (callbacks with fixed signatures).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Everything that runs under Node: main process, engine, CLI, scripts, tests, benchmarks, configs.
    files: [
      'src/main/**',
      'bin/**',
      'scripts/**',
      'test/**',
      'bench/**',
      'e2e/**',
      'resources/**',
      '*.config.{js,ts,mjs,cjs}',
    ],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The sandboxed preload sees a DOM window plus Electron's limited `process`.
    files: ['src/preload/**'],
    languageOptions: { globals: { ...globals.browser, process: 'readonly' } },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  // src/shared gets no environment globals on purpose: it must run in both Node and the browser.
);
