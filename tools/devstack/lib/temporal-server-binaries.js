// @ts-check
'use strict';

/**
 * The Temporal server (binary `server`) and its SQL tool (binary `sql`, temporal-sql-tool), built
 * from the Go module proxy into ${XDG_CACHE_HOME:-~/.cache}/appraise/temporal-server-<ver>/ with
 * the module's PostgreSQL schemas beside them (schema/postgresql/v12/{temporal,visibility}), so a
 * stack needs nothing from the module cache once they are there. Built once (go-install.js: a lock,
 * progress lines); 4 to 10 minutes on two cores the first time.
 */

const fs = require('node:fs');
const path = require('node:path');
const log = require('./log');
const { run, runOrThrow } = require('./exec');
const { findGo, goInstallIntoCache } = require('./go-install');
const { cacheRoot } = require('./user-cache');

/** The release docker/compose.yaml pins (temporalio/auto-setup). */
const TEMPORAL_SERVER_VERSION = '1.29.1';
const MODULE = 'go.temporal.io/server';
const PACKAGES = ['cmd/server', 'cmd/tools/sql'];
const SCHEMA = 'schema/postgresql/v12';

/** @param {NodeJS.ProcessEnv} [env] */
function serverCacheDir(env = process.env) {
  return path.join(cacheRoot(env), `temporal-server-${TEMPORAL_SERVER_VERSION}`);
}

/**
 * @typedef {object} TemporalServerBinaries
 * @property {string} server      the server binary (`server --root ... start`)
 * @property {string} sql         temporal-sql-tool
 * @property {string} schemaDir   .../schema/postgresql/v12 (temporal/versioned, visibility/versioned)
 */

/** @param {string} dir @returns {TemporalServerBinaries} */
function layout(dir) {
  return { server: path.join(dir, 'server'), sql: path.join(dir, 'sql'), schemaDir: path.join(dir, 'schema', 'postgresql', 'v12') };
}

/** Both binaries report the pinned version and the schemas are there. @param {string} dir */
async function usable(dir) {
  const b = layout(dir);
  if (!fs.existsSync(path.join(b.schemaDir, 'temporal', 'versioned')) || !fs.existsSync(path.join(b.schemaDir, 'visibility', 'versioned'))) return false;
  for (const bin of [b.server, b.sql]) {
    if (!fs.existsSync(bin)) return false;
    const r = await run(bin, ['--version'], { timeoutMs: 20000 });
    if (r.code !== 0 || !r.stdout.includes(TEMPORAL_SERVER_VERSION)) {
      log.warn(`cached ${bin} does not report version ${TEMPORAL_SERVER_VERSION} (${(r.stdout || r.stderr).trim() || 'no output'}); it will be rebuilt`);
      return false;
    }
  }
  return true;
}

/**
 * The cached server binaries, built when missing.
 * @param {{ env?: NodeJS.ProcessEnv }} [options]
 * @returns {Promise<TemporalServerBinaries>}
 */
async function ensureTemporalServerBinaries({ env = process.env } = {}) {
  log.step(`Locating the Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool`);
  const dir = serverCacheDir(env);
  if (await usable(dir)) {
    log.ok(`Temporal server ${TEMPORAL_SERVER_VERSION}: ${dir}`);
    return layout(dir);
  }
  const go = findGo(env);
  if (!go) {
    throw new Error(
      `The Temporal server engine (APPRAISE_ENGINE=server) needs the Temporal server ${TEMPORAL_SERVER_VERSION}, built with Go, and Go is not installed ` +
        '(neither on PATH nor /usr/local/go/bin/go). Install Go >= 1.25 (https://go.dev/dl/), or use the development engine (APPRAISE_ENGINE=dev).',
    );
  }
  await goInstallIntoCache({
    go,
    dir,
    packages: PACKAGES.map((p) => `${MODULE}/${p}@v${TEMPORAL_SERVER_VERSION}`),
    binaries: ['server', 'sql'],
    what: `the Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool`,
    duration: 'about 4-10 minutes on 2 cores (once; the Go build cache makes a rebuild take seconds)',
    usable: () => usable(dir),
    after: (g) => copySchemas(g, dir, env),
    hint: 'The build needs Go >= 1.25 and access to the Go module proxy.',
    env,
  });
  if (!(await usable(dir))) throw new Error(`the Temporal server built into ${dir} does not report version ${TEMPORAL_SERVER_VERSION}`);
  return layout(dir);
}

/**
 * The module's PostgreSQL schemas into the cache (the module cache can be cleaned; ours stays).
 * @param {string} go @param {string} dir @param {NodeJS.ProcessEnv} env
 */
async function copySchemas(go, dir, env) {
  const r = await runOrThrow(go, ['mod', 'download', '-json', `${MODULE}@v${TEMPORAL_SERVER_VERSION}`], { env, timeoutMs: 10 * 60 * 1000, what: 'Locating the Temporal server module' });
  const moduleDir = /** @type {{ Dir?: string }} */ (JSON.parse(r.stdout)).Dir;
  if (!moduleDir || !fs.existsSync(path.join(moduleDir, SCHEMA))) throw new Error(`go mod download did not give the module's folder with ${SCHEMA} (got ${moduleDir})`);
  const target = path.join(dir, SCHEMA);
  const staging = `${target}.tmp-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.cpSync(path.join(moduleDir, SCHEMA), staging, { recursive: true });
  // The module cache is read-only; our copy must stay removable.
  chmodTree(staging);
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(staging, target);
}

/** u+w on a copied tree. @param {string} dir */
function chmodTree(dir) {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) chmodTree(p);
    else fs.chmodSync(p, 0o644);
  }
}

module.exports = { TEMPORAL_SERVER_VERSION, ensureTemporalServerBinaries, serverCacheDir };
