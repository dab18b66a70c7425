/** Test tiers. `npm test` runs them all against throw-away services; `npm test -- --selectProjects unit` runs one. */
// Type-checking is tsc's job (npm test runs it first); Jest only transpiles, file by file.
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.jest.json', diagnostics: false }];
const base = { testEnvironment: 'node', transform: { '^.+\\.ts$': tsJest }, moduleFileExtensions: ['ts', 'js', 'json'] };

module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,workflows}/**/*.spec.ts'] },
    { ...base, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'] },
    { ...base, displayName: 'workflow', testMatch: ['<rootDir>/test/workflow/**/*.wf-spec.ts'] },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
    // The smoke configuration of `npm run bench` (bench/README.md).
    { ...base, displayName: 'bench', testMatch: ['<rootDir>/test/bench/**/*.bench-spec.ts'] },
  ],
};
