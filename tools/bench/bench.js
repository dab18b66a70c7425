#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run bench`: installs what is missing and builds (like `npm test`), starts PostgreSQL and
 * a Temporal dev server of its own, prepares a template database, then runs the benchmark
 * (dist/tools/bench/main.js; see README.md beside this file), and stops what it started.
 *
 * PostgreSQL's data folder is kept between runs (BENCH_DATA_DIR, default
 * ~/.cache/appraise/bench-data/) so that the seeded portfolio is reused while its seed version
 * matches; Temporal starts empty every time.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const log = require('../devstack/lib/log');
const { ensureDependencies } = require('../devstack/lib/deps');
const { build } = require('../devstack/lib/build');
const { spawn } = require('node:child_process');
const { run } = require('../devstack/lib/exec');
const { freePort } = require('../devstack/lib/ports');
const { startInfrastructure } = require('../devstack/lib/infrastructure');
const { installSignalHandlers, stopAll } = require('../devstack/lib/processes');
const { TEMPORAL_CLI_VERSION } = require('../devstack/lib/temporal-cli');

const ROOT = path.resolve(__dirname, '..', '..');
const TEMPLATE = 'appraise_template';

/** @param {string} databaseUrl */
async function prepareTemplate(databaseUrl) {
  log.step('Preparing the template database (migrations + reference seed)');
  const { Client } = require('pg');
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${TEMPLATE} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${TEMPLATE}`);
  } finally {
    await client.end();
  }
  const url = new URL(databaseUrl);
  url.pathname = `/${TEMPLATE}`;
  const result = await run(process.execPath, [path.join(ROOT, 'dist/tools/devstack/setup-database.js')], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url.toString() },
    stream: true,
    timeoutMs: 120000,
  });
  if (result.code !== 0) throw new Error('migrating the template database failed');
}

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
  const { SEARCH_ATTRIBUTE_REGISTRATIONS } = /** @type {typeof import('../../libs/temporal/src/evaluation.contract')} */ (
    require(path.join(ROOT, 'dist/libs/temporal/src/evaluation.contract.js'))
  );
  const infra = await startInfrastructure({
    dataDir,
    postgresPort: await freePort(),
    temporalPort: await freePort(),
    temporalUiPort: null,
    namespace: 'default',
    searchAttributes: SEARCH_ATTRIBUTE_REGISTRATIONS,
    env: process.env,
    useExternal: false,
  });
  let code = 1;
  try {
    await prepareTemplate(infra.databaseUrl);
    log.step('Running the benchmark');
    code = await runBench({
      ...process.env,
      BENCH_DATABASE_URL: infra.databaseUrl,
      BENCH_TEMPLATE_DATABASE: TEMPLATE,
      BENCH_TEMPORAL_ADDRESS: infra.temporalAddress,
      BENCH_TEMPORAL_SERVER: `Temporal CLI ${TEMPORAL_CLI_VERSION} dev server (SQLite)`,
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

main().catch(async (error) => {
  log.fail(error && error.message ? error.message : String(error));
  await stopAll();
  process.exit(1);
});
