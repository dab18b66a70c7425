#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm test`: installs what is missing, builds, type-checks and lints, starts a throw-away
 * PostgreSQL and Temporal dev server on free ports in a temporary folder, runs every test tier
 * against them, and stops what it started. Extra arguments go to Jest
 * (e.g. `npm test -- --selectProjects unit`).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const log = require('./lib/log');
const { ensureSupportedNode } = require('./lib/node-runtime');
const { ensureDependencies } = require('./lib/deps');
const { build } = require('./lib/build');
const { run } = require('./lib/exec');
const { createTemplateDatabase, startPrivateInfrastructure } = require('./lib/infrastructure');
const { installSignalHandlers, stopAll } = require('./lib/processes');
const { ensureChromium } = require('./lib/chromium');
const { runsProject } = require('./lib/jest-args');
const { schemathesisForJest } = require('./lib/fuzz-setup');

const ROOT = path.resolve(__dirname, '..', '..');

/** @param {string} label @param {string} command @param {string[]} args @param {NodeJS.ProcessEnv} env */
async function step(label, command, args, env) {
  log.step(label);
  const result = await run(command, args, { cwd: ROOT, env, stream: true, timeoutMs: 30 * 60 * 1000 });
  if (result.code !== 0) throw new Error(`${label} failed`);
}

async function main() {
  const started = Date.now();
  const jestArgs = process.argv.slice(2);
  installSignalHandlers();
  await ensureDependencies(ROOT);
  await build(ROOT);
  const node = process.execPath;
  const bin = (/** @type {string} */ pkg, /** @type {string} */ file) => path.join(ROOT, 'node_modules', pkg, file);
  await step('Type-checking (tests included)', node, [bin('typescript', 'bin/tsc'), '-p', 'tsconfig.json', '--noEmit'], process.env);
  await step('Type-checking the web interface', node, [bin('typescript', 'bin/tsc'), '-p', 'apps/web/tsconfig.json', '--noEmit'], process.env);
  await step('Type-checking the development tools (plain JavaScript, checked from JSDoc)', node, [bin('typescript', 'bin/tsc'), '-p', 'tools/devstack/tsconfig.json'], process.env);
  await step('Linting', node, [bin('eslint', 'bin/eslint.js'), '--max-warnings', '0', '.'], process.env);

  const chromium = runsProject(jestArgs, 'browser') ? await ensureChromium() : null;
  // The browser tests' screenshots and accessibility report describe this run only.
  if (chromium) fs.rmSync(path.join(ROOT, 'test-artifacts'), { recursive: true, force: true });
  const fuzzEnv = await schemathesisForJest(jestArgs);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'appraise-test-'));
  fs.chmodSync(dataDir, 0o755);
  const infra = await startPrivateInfrastructure(ROOT, dataDir);

  let code = 1;
  try {
    log.step('Preparing the template test database (migrations + seed)');
    await createTemplateDatabase({ root: ROOT, databaseUrl: infra.databaseUrl, name: 'appraise_template' });
    const env = {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
      APPRAISE_TEST_DATABASE_URL: infra.databaseUrl,
      APPRAISE_TEST_TEMPORAL_ADDRESS: infra.temporalAddress,
      APPRAISE_TEST_DATA_DIR: dataDir,
      ...(chromium ? { APPRAISE_CHROMIUM: chromium } : {}),
      ...fuzzEnv,
    };
    log.step('Running the tests (every Jest project of jest.config.js)');
    const result = await run(node, [bin('jest', 'bin/jest.js'), '--ci', ...jestArgs], { cwd: ROOT, env, stream: true, timeoutMs: 30 * 60 * 1000 });
    code = result.code === null ? 1 : result.code;
  } finally {
    await infra.stop();
    await stopAll();
    if (code === 0) fs.rmSync(dataDir, { recursive: true, force: true });
    else log.info(`service logs kept in ${path.join(dataDir, 'logs')}`);
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  if (chromium) log.info(`browser screenshots and accessibility report: ${path.join(ROOT, 'test-artifacts')}`);
  if (code === 0) log.ok(`all tests passed in ${seconds}s`);
  else log.fail(`tests failed (exit ${code}) after ${seconds}s`);
  process.exit(code);
}

ensureSupportedNode().then(main).catch(async (error) => {
  log.fail(error && error.message ? error.message : String(error));
  await stopAll();
  process.exit(1);
});
