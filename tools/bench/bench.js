#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run bench`: installs what is missing and builds (like `npm test`), starts PostgreSQL and
 * a Temporal of its own (the engine APPRAISE_ENGINE names: the dev server by default, or the
 * Temporal server on PostgreSQL with mutual TLS), prepares a template database, then runs the
 * benchmark (dist/tools/bench/main.js; see README.md beside this file), and stops what it started.
 *
 * PostgreSQL's data folder is kept between runs (BENCH_DATA_DIR, default
 * ~/.cache/appraise/bench-data/) so that the seeded portfolio is reused while its seed version
 * matches; the dev engine starts empty every time, the server engine keeps its databases there.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const log = require('../devstack/lib/log');
const { ensureSupportedNode } = require('../devstack/lib/node-runtime');
const { ensureDependencies } = require('../devstack/lib/deps');
const { build } = require('../devstack/lib/build');
const { spawn } = require('node:child_process');
const { createTemplateDatabase, startPrivateInfrastructure } = require('../devstack/lib/infrastructure');
const { installSignalHandlers, stopAll } = require('../devstack/lib/processes');
const { TEMPORAL_CLI_VERSION } = require('../devstack/lib/temporal-cli');
const { codecKeysOf } = require('../devstack/lib/stack-secrets');
const { TEMPORAL_SERVER_VERSION } = require('../devstack/lib/temporal-server-binaries');
const { engineSettings } = require('../devstack/lib/stack-config');

const ROOT = path.resolve(__dirname, '..', '..');
const TEMPLATE = 'appraise_template';

/** @type {import('node:child_process').ChildProcess | null} */
let bench = null;

/**
 * Runs the benchmark in a child; a signal here reaches it first, so it stops what it started.
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<number>} its exit code
 */
function runBench(env) {
  return new Promise((resolve) => {
    bench = spawn(process.execPath, [path.join(ROOT, 'dist/tools/bench/main.js')], { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
    bench.once('error', () => resolve(1));
    bench.once('exit', (code) => {
      bench = null;
      resolve(code === null ? 1 : code);
    });
  });
}

async function stopBench() {
  const child = bench;
  if (!child) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30000);
  await exited;
  clearTimeout(timer);
}

async function main() {
  const started = Date.now();
  installSignalHandlers(stopBench);
  await ensureDependencies(ROOT);
  await build(ROOT);
  const dataDir = path.resolve(process.env.BENCH_DATA_DIR || path.join(os.homedir(), '.cache', 'appraise', 'bench-data'));
  fs.mkdirSync(dataDir, { recursive: true });
  fs.chmodSync(dataDir, 0o755);
  // Temporal starts empty every run; PostgreSQL keeps its databases (the seeded portfolio).
  fs.rmSync(path.join(dataDir, 'temporal'), { recursive: true, force: true });
  const engine = engineSettings(process.env);
  const infra = await startPrivateInfrastructure(ROOT, dataDir);
  let code = 1;
  try {
    log.step('Preparing the template database (migrations + reference seed)');
    await createTemplateDatabase({ root: ROOT, databaseUrl: infra.databaseUrl, name: TEMPLATE, dropForce: true });
    log.step('Running the benchmark');
    code = await runBench({
      ...process.env,
      ...infra.temporalEnv,
      BENCH_DATABASE_URL: infra.databaseUrl,
      BENCH_TEMPLATE_DATABASE: TEMPLATE,
      BENCH_TEMPORAL_ADDRESS: infra.temporalAddress,
      // The stack and the engine floor encrypt payloads, as `npm start` does.
      TEMPORAL_CODEC_KEYS: codecKeysOf(dataDir, process.env.TEMPORAL_CODEC_KEYS),
      BENCH_TEMPORAL_SERVER:
        engine.engine === 'server'
          ? `Temporal server ${TEMPORAL_SERVER_VERSION} on PostgreSQL, mutual TLS, ${engine.shards} history shards, ${engine.services === 'split' ? 'one process per service' : 'one process'}`
          : `Temporal CLI ${TEMPORAL_CLI_VERSION} dev server (SQLite, WAL, synchronous=${engine.devSqliteDurable ? 'FULL' : 'NORMAL'})`,
    });
  } finally {
    await infra.stop();
    await stopAll();
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  if (code === 0) log.ok(`benchmark done in ${seconds}s: tools/bench/results/latest.md`);
  else log.fail(`benchmark failed (exit ${code}) after ${seconds}s; service logs in ${path.join(dataDir, 'logs')}`);
  process.exit(code);
}

ensureSupportedNode().then(main).catch(async (error) => {
  log.fail(error && error.message ? error.message : String(error));
  await stopAll();
  process.exit(1);
});
