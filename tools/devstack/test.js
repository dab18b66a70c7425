#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm test`: installs what is missing, builds, type-checks and lints, starts a throw-away
 * PostgreSQL and Temporal dev server on free ports in a temporary folder, runs every test tier
 * against them, and stops what it started; then the `server` tier on a second throw-away stack
 * on the Temporal server engine (PostgreSQL, mutual TLS). Extra arguments go to Jest
 * (e.g. `npm test -- --selectProjects unit`). With APPRAISE_ENGINE=server every tier runs on the
 * server engine, in one stack (`npm run test:server`).
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
const { runsProject, selectedProjects, withoutProjectSelection } = require('./lib/jest-args');
const { engineSettings } = require('./lib/stack-config');
const { schemathesisForJest } = require('./lib/fuzz-setup');
const { codecKeysOf } = require('./lib/stack-secrets');
const { ensureMailpit, startMailpit } = require('./lib/mailpit');

const ROOT = path.resolve(__dirname, '..', '..');

/** @param {string} label @param {string} command @param {string[]} args @param {NodeJS.ProcessEnv} env */
async function step(label, command, args, env) {
  log.step(label);
  const result = await run(command, args, { cwd: ROOT, env, stream: true, timeoutMs: 30 * 60 * 1000 });
  if (result.code !== 0) throw new Error(`${label} failed`);
}

/**
 * Throw-away PostgreSQL and Temporal (the engine `infraEnv` names) in a temporary folder, the
 * template database, one Jest run against them; the folder is deleted when the run passed.
 * @param {string} label @param {NodeJS.ProcessEnv} infraEnv @param {string[]} jestArgs @param {Record<string, string>} extraEnv
 * @returns {Promise<number>} Jest's exit code
 */
async function runOnFreshStack(label, infraEnv, jestArgs, extraEnv) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'appraise-test-'));
  fs.chmodSync(dataDir, 0o755);
  const infra = await startPrivateInfrastructure(ROOT, dataDir, infraEnv);
  let code = 1;
  /** @type {import('./lib/mailpit').MailpitInstance|null} */
  let mailpit = null;
  try {
    const mailpitBin = await ensureMailpit({ env: infraEnv });
    mailpit = await startMailpit({ bin: mailpitBin, database: null, logFile: path.join(dataDir, 'logs', 'mailpit.log'), env: infraEnv });
    log.step('Preparing the template test database (migrations + seed)');
    await createTemplateDatabase({ root: ROOT, databaseUrl: infra.databaseUrl, name: 'appraise_template' });
    /** The engine's client settings (mutual TLS files), as test/support/test-env.ts reads them. */
    const temporalEnv = Object.fromEntries(Object.entries(infra.temporalEnv).map(([k, v]) => [`APPRAISE_TEST_${k}`, v]));
    const env = {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
      APPRAISE_TEST_DATABASE_URL: infra.databaseUrl,
      APPRAISE_TEST_TEMPORAL_ADDRESS: infra.temporalAddress,
      ...temporalEnv,
      APPRAISE_TEST_DATA_DIR: dataDir,
      // The run's Mailpit (test/support/test-env.ts): what the mail tests send to and read back, and
      // the binary for a test that runs a Mailpit of its own to stop it mid-run.
      APPRAISE_TEST_SMTP_URL: mailpit.smtpUrl,
      APPRAISE_TEST_MAIL_API_URL: mailpit.apiUrl,
      APPRAISE_TEST_MAILPIT_BIN: mailpitBin,
      // Tests that start stacks of their own (the chaos run) use the same engine.
      APPRAISE_ENGINE: engineSettings(infraEnv).engine,
      // Every test stack, worker and client encrypts payloads with this run's key (test/support/test-env.ts);
      // kept in the data folder, so a failed run's histories can still be decoded.
      APPRAISE_TEST_TEMPORAL_CODEC_KEYS: codecKeysOf(dataDir),
      ...extraEnv,
    };
    log.step(`Running the tests: ${label}`);
    const result = await run(process.execPath, [path.join(ROOT, 'node_modules', 'jest', 'bin/jest.js'), '--ci', ...jestArgs], { cwd: ROOT, env, stream: true, timeoutMs: 30 * 60 * 1000 });
    code = result.code === null ? 1 : result.code;
  } finally {
    await mailpit?.stop();
    await infra.stop();
    if (code === 0) fs.rmSync(dataDir, { recursive: true, force: true });
    else log.info(`service logs kept in ${path.join(dataDir, 'logs')}`);
  }
  return code;
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

  const engine = engineSettings(process.env).engine;
  /** @type {Array<{ label: string, env: NodeJS.ProcessEnv, args: string[] }>} */
  const runs = [];
  if (engine === 'server') {
    runs.push({ label: 'every Jest project of jest.config.js, on the Temporal server engine', env: process.env, args: jestArgs });
  } else {
    const selected = selectedProjects(jestArgs);
    if (selected.length === 0 || selected.some((p) => p !== 'server')) runs.push({ label: 'every Jest project of jest.config.js but `server`', env: process.env, args: [...jestArgs, '--ignoreProjects', 'server'] });
    if (runsProject(jestArgs, 'server')) {
      runs.push({
        label: 'the `server` tier, on the Temporal server engine (PostgreSQL, mutual TLS, 4 history shards)',
        env: { ...process.env, APPRAISE_ENGINE: 'server', APPRAISE_TEMPORAL_SHARDS: '4', APPRAISE_TEMPORAL_SERVICES: 'single' },
        args: [...withoutProjectSelection(jestArgs), '--selectProjects', 'server'],
      });
    }
  }

  let code = 0;
  for (const tier of runs) {
    const tierStarted = Date.now();
    const result = await runOnFreshStack(tier.label, tier.env, tier.args, { ...fuzzEnv, ...(chromium ? { APPRAISE_CHROMIUM: chromium } : {}) });
    log.info(`${tier.label}: ${Math.round((Date.now() - tierStarted) / 1000)}s`);
    if (result !== 0) code = result;
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
