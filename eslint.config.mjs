// @ts-check
/**
 * Lint: ESLint's and typescript-eslint's recommended rules, plus the folder boundaries
 * that keep each part of the flow independent (no-restricted-imports):
 * - the proxy path (src/ingress, src/shadow) knows nothing of the report;
 * - the comparison engine (src/compare) reads no Redis and speaks no HTTP;
 * - translation (src/translate) does not import the example translators (translators/);
 * - the report and rediff import no Redis client: they read through the store's ResultsReader.
 * `npm run lint` runs it; `npm test` runs it before the suites.
 */
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const NODE_GLOBALS = Object.fromEntries(
  ['require', 'module', 'exports', 'process', '__dirname', 'console', 'Buffer'].map((g) => [g, 'readonly']),
);
const BROWSER_GLOBALS = Object.fromEntries(
  [
    'window',
    'document',
    'location',
    'history',
    'fetch',
    'URLSearchParams',
    'Node',
    'setInterval',
    'clearInterval',
    'setTimeout',
    'clearTimeout',
    'alert',
    'console',
    'Diff2Html',
    'Diff',
  ].map((g) => [g, 'readonly']),
);
const HTTP_MODULES = ['express', 'http-proxy-middleware', 'node:http', 'http', 'node:https', 'https', 'undici'];

/** A no-restricted-imports rule: these module names and these path patterns are forbidden, with why. */
function forbid(why, { paths = [], patterns = [] }) {
  return {
    'no-restricted-imports': [
      'error',
      {
        paths: paths.map((name) => ({ name, message: why })),
        patterns: patterns.length ? [{ group: patterns, message: why }] : [],
      },
    ],
  };
}

export default defineConfig(
  { ignores: ['dist/**', 'node_modules/**', 'reports/vendor/**', '.tandem/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // ESLint 10 additions the tree predates; both flag idiomatic code here (a wrapped error
      // that names its cause in the message; a default later overwritten in a catch).
      'preserve-caught-error': 'off',
      'no-useless-assignment': 'off',
      // Run-time `require` on purpose: the package's own version, an optional peer.
      '@typescript-eslint/no-require-imports': ['error', { allow: ['/package\\.json$', '^typescript$'] }],
      // Comma sequences such as `use(x), steps.push(y)` are used on purpose in places.
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
  {
    // Node entry points and the jest setup are CommonJS.
    files: ['bin/**/*.js', 'test/**/*.js', '*.js', '*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: NODE_GLOBALS },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The report page: browser ES modules; diff2html and jsdiff are loaded as globals.
    files: ['reports/**/*.js'],
    languageOptions: { sourceType: 'module', globals: BROWSER_GLOBALS },
  },
  {
    // Tests may poke at loosely typed JSON answers.
    files: ['test/**/*.ts', 'translators/**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/ingress/**/*.ts', 'src/shadow/**/*.ts', 'src/upstream/**/*.ts'],
    rules: forbid('The proxy path (ingress, shadow) must not know the report: the report is mounted by the composition root.', {
      patterns: ['**/report', '**/report/**', '**/reports', '**/reports/**'],
    }),
  },
  {
    files: ['src/compare/**/*.ts'],
    rules: forbid('The comparison engine is pure: no Redis (store) and no HTTP module.', {
      paths: [...HTTP_MODULES, 'ioredis', 'bullmq'],
      patterns: ['**/store', '**/store/**'],
    }),
  },
  {
    files: ['src/report/**/*.ts', 'src/worker/rediff.ts'],
    rules: forbid(
      "The report and rediff read results through the store's ResultsReader: only the store, the rollout store and the rules store talk to Redis, and only the key schema names keys.",
      {
        paths: ['ioredis', 'bullmq'],
      },
    ),
  },
  {
    files: ['src/translate/**/*.ts'],
    rules: forbid(
      'src/translate must not import the example translators (translators/ imports src/translate); pass them in from the composition root.',
      {
        patterns: ['**/translators', '**/translators/**'],
      },
    ),
  },
);
