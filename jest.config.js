/** Test tiers. `npm test` runs them all against throw-away services; `npm test -- --selectProjects unit` runs one. */
// Type-checking is tsc's job (npm test runs it first); Jest only transpiles, file by file.
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.jest.json', diagnostics: false }];
// Modules the browser also loads (libs/domain, libs/http-contract) name their imports `./x.js`, as
// ES modules must; tsc and the workflow bundler find x.ts for them, Jest needs telling.
const base = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': tsJest },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};

// What the scale-out and server tiers run of the e2e suite: a MEDIUM evaluation, races, the engine unavailable.
const REPRESENTATIVE_E2E = ['medium-evaluation', 'races', 'engine-unavailable'].map((f) => `<rootDir>/test/e2e/${f}.e2e-spec.ts`);

module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,workflows}/**/*.spec.ts'] },
    // 30 s a test (test/support/integration-timeout.ts): each file clones a database first.
    { ...base, displayName: 'integration', setupFilesAfterEnv: ['<rootDir>/test/support/integration-timeout.ts'], testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'] },
    { ...base, displayName: 'workflow', testMatch: ['<rootDir>/test/workflow/**/*.wf-spec.ts'] },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
    { ...base, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'] },
    // Schemathesis against the running stack (short profile here; `npm run fuzz` for the full one).
    { ...base, displayName: 'fuzz', testMatch: ['<rootDir>/test/fuzz/**/*.fuzz-spec.ts'] },
    // Backup and restore of a stack of real processes (README "Backup and recovery").
    { ...base, displayName: 'recovery', testMatch: ['<rootDir>/test/recovery/**/*.recovery-spec.ts'] },
    // Reliability: fault injection with its own killable services (short version of `npm run chaos`).
    { ...base, displayName: 'chaos', testMatch: ['<rootDir>/test/chaos/**/*.chaos-spec.ts'] },
    // Scale-out: a representative part of the e2e suite against 2 API + 2 worker processes
    // (`npm run test:scale-out` runs all of it that way).
    {
      ...base,
      displayName: 'scale-out',
      globals: { APPRAISE_SCALE_OUT: 2 },
      testMatch: REPRESENTATIVE_E2E,
    },
    // The Temporal server engine (PostgreSQL, mutual TLS): its own checks and part of the e2e suite.
    // `npm test` runs it on a second stack of that engine after the others (`npm run test:server`
    // runs the whole e2e suite there).
    // Besides: no proposal text in clear in a history read without the codec, production refusing the
    // published secret, the short fault-injection run (it kills the server's process too), and the
    // decision log's housekeeping schedules and signed checkpoints.
    {
      ...base,
      displayName: 'server',
      testMatch: [
        '<rootDir>/test/server/**/*.server-spec.ts',
        ...REPRESENTATIVE_E2E,
        '<rootDir>/test/workflow/encrypted-payloads.wf-spec.ts',
        '<rootDir>/test/e2e/production-mode.e2e-spec.ts',
        '<rootDir>/test/chaos/fault-injection.chaos-spec.ts',
        '<rootDir>/test/e2e/audit-log.e2e-spec.ts',
      ],
    },
    // The smoke configuration of `npm run bench` (tools/bench/README.md).
    { ...base, displayName: 'bench', testMatch: ['<rootDir>/test/bench/**/*.bench-spec.ts'] },
  ],
};
