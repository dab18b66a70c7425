// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const { builtinModules } = require('node:module');

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/**
 * The browser loads the web interface, libs/http-contract and libs/domain as tsc writes them,
 * with no bundler: no Node built-ins, no packages, and an import is fetched by its literal path,
 * so a relative one names its `.js` file. `reach` says which of our folders `who` may import.
 */
function loadableByTheBrowser(who, reach) {
  return {
    'no-restricted-imports': [
      'error',
      {
        paths: nodeBuiltins,
        patterns: [
          { regex: '^(?!\\.{1,2}/)', message: `${who} is pure TypeScript for the browser too: no packages.` },
          reach,
          { regex: '^\\.{1,2}/(?!.*\\.js$)', message: 'The browser loads this module as it is: name the file, `./x.js` for x.ts.' },
        ],
      },
    ],
  };
}

/** TypeORM is libs/persistence's business; tests and the portfolio tools speak SQL on purpose. */
const TYPEORM_STAYS_IN_PERSISTENCE = { regex: '^(typeorm|@nestjs/typeorm)(/|$)', message: 'Only libs/persistence uses TypeORM: go through a repository or the evaluation ledger.' };

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', 'tools/bench/results/**', 'docker/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      'no-console': 'off',
    },
  },
  {
    // Nest resolves constructor parameters from emitted metadata: those imports must stay values.
    files: ['apps/api/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The API never runs workflow code: the worker SDK (and its native core bridge) stays out of it.
    files: ['apps/api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@temporalio/worker', message: 'The API talks to Temporal through EvaluationEngine; the worker SDK belongs to worker processes.' }], patterns: [{ regex: 'worker-runtime$', message: 'The worker runtime belongs to worker processes.' }] },
      ],
    },
  },
  {
    // Tools drive the system from outside: they start the built apps as processes and share code
    // through libs, never through an app's internals.
    files: ['tools/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)apps/', message: 'Tools may not import app internals (apps/**): move what they need into a lib.' }] }],
    },
  },
  {
    // Workflows are deterministic orchestration: only the workflow SDK, the contracts and pure
    // domain code. No Node built-ins, no I/O libraries, no other app code. The benchmark's bare
    // workflow is held to the same rule, so that it stays a fair floor for the real one.
    files: ['workflows/**/*.ts', 'tools/bench/**/*.workflow.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Workflows may not use Node built-ins: do I/O in an activity.' })),
          patterns: [
            { regex: '^(?!@temporalio/workflow$|\\.{1,2}/)', message: 'Workflows may import only @temporalio/workflow, the contracts and libs/domain.' },
            { regex: '^(\\.\\./)+(apps|libs/(persistence|auth|config|logging|calendar))', message: 'Workflows may import only the contracts and libs/domain.' },
            { regex: '^(\\.\\./)+libs/temporal(/index)?$', message: 'Import the contract module itself: the temporal lib index pulls in the client.' },
          ],
        },
      ],
    },
  },
  {
    // The domain is pure: no framework, no Node built-ins, no other layer.
    files: ['libs/domain/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: loadableByTheBrowser('libs/domain', { regex: '^\\.\\./\\.\\./', message: 'libs/domain depends on nothing else.' }),
  },
  {
    // Layers point one way: libs never import apps.
    files: ['libs/**/*.ts'],
    ignores: ['libs/domain/**', 'libs/persistence/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)apps/', message: 'libs may not depend on apps.' }, TYPEORM_STAYS_IN_PERSISTENCE] }],
    },
  },
  {
    // The HTTP contract: the API's and the web interface's, over libs/domain only.
    files: ['libs/http-contract/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: loadableByTheBrowser('libs/http-contract', {
      regex: '(^|/)(apps|workflows|scripts|test|persistence|temporal|auth|config|logging)(/|$)',
      message: 'libs/http-contract may import only libs/domain.',
    }),
  },
  {
    // The holiday calendar runs the holiday library when a policy is made (publishing, seeding):
    // that library and the domain, nothing else. The domain and persistence never import it.
    files: ['libs/calendar/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins,
          patterns: [
            { regex: '^(?!date-holidays$|\\.{1,2}/)', message: 'libs/calendar may import only date-holidays and libs/domain.' },
            { regex: '^\\.\\./\\.\\./(?!domain$)', message: 'libs/calendar may import only date-holidays and libs/domain.' },
          ],
        },
      ],
    },
  },
  {
    // Persistence knows the domain and its database libraries, nothing else of ours.
    files: ['libs/persistence/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '(^|/)(apps|workflows|tools|scripts)/|^(\\.\\./)+(libs/)?(temporal|auth|config|logging|calendar)(/|$)', message: 'libs/persistence may import only libs/domain (and its database libraries): the seed is handed the policies it writes.' }] },
      ],
    },
  },
  {
    // The API and the worker are separate processes: neither imports the other, and neither
    // speaks TypeORM (the evaluation ledger and the repositories of libs/persistence do).
    files: ['apps/api/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(\\.\\./)+(apps/)?worker/', message: 'The API does not import the worker.' }, TYPEORM_STAYS_IN_PERSISTENCE] }],
    },
  },
  {
    files: ['apps/worker/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(\\.\\./)+(apps/)?api/', message: 'The worker does not import the API.' }, TYPEORM_STAYS_IN_PERSISTENCE] }],
    },
  },
  {
    files: ['tools/**/*.js'],
    rules: {
      // The same boundary as for the tools' TypeScript (esquery regexes cannot hold a '/': \x2F).
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='require'][arguments.0.value=/(^|\\x2F)apps\\x2F/]", message: 'Tools may not import app internals (apps/**): move what they need into a lib.' },
      ],
    },
  },
  {
    // The web interface: its own files, the HTTP contract and the domain, nothing else.
    files: ['apps/web/src/**/*.ts'],
    rules: loadableByTheBrowser('apps/web', {
      regex: '^(\\.\\./){2,}(?!(\\.\\./)*libs/(http-contract|domain)/)',
      message: 'The web interface imports its own files, libs/http-contract and libs/domain only.',
    }),
  },
  {
    files: ['tools/**/*.js', 'eslint.config.js', 'jest.config.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly', URL: 'readonly', fetch: 'readonly', AbortController: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
