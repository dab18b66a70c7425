// @ts-check
'use strict';

/**
 * Make sure node_modules matches package.json / package-lock.json, running `npm ci` only when needed.
 * Node built-ins only: this runs before anything is installed.
 */

const fs = require('node:fs');
const path = require('node:path');
const log = require('./log');
const { run, which, isExecutableFile } = require('./exec');

const NPM_CI_TIMEOUT_MS = 20 * 60 * 1000;

/** @param {string} file */
function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** @param {string} file */
function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return null;
  }
}

/** @param {Record<string, any>} pkg */
function declaredDependencies(pkg) {
  return { ...(pkg.optionalDependencies || {}), ...(pkg.devDependencies || {}), ...(pkg.dependencies || {}) };
}

/**
 * Why an install is needed, or null when node_modules is up to date.
 * @param {string} root
 * @returns {string|null}
 */
function installReason(root) {
  const nodeModules = path.join(root, 'node_modules');
  if (!fs.existsSync(nodeModules)) return 'node_modules is missing';
  const hiddenLock = path.join(nodeModules, '.package-lock.json');
  const hiddenLockTime = mtime(hiddenLock);
  if (hiddenLockTime === null) return 'node_modules was not installed by npm (no node_modules/.package-lock.json)';
  const lockTime = mtime(path.join(root, 'package-lock.json'));
  if (lockTime !== null && lockTime > hiddenLockTime) return 'package-lock.json is newer than node_modules';

  const pkg = readJson(path.join(root, 'package.json'));
  for (const [name, spec] of Object.entries(declaredDependencies(pkg))) {
    const manifest = path.join(nodeModules, ...name.split('/'), 'package.json');
    if (!fs.existsSync(manifest)) {
      if (pkg.optionalDependencies && name in pkg.optionalDependencies) continue;
      return `${name} is not installed`;
    }
    // Exact pins (as this repo uses) are compared; ranges only need presence.
    if (/^\d+\.\d+\.\d+(?:[-+][\w.-]+)?$/.test(String(spec))) {
      let installed;
      try {
        installed = readJson(manifest).version;
      } catch {
        return `${name} has an unreadable package.json`;
      }
      if (installed !== spec) return `${name} is ${installed}, package.json wants ${spec}`;
    }
  }
  const hidden = readJson(hiddenLock).packages || {};
  for (const key of Object.keys(hidden)) {
    const name = key.replace(/^.*node_modules\//, '');
    if (key.split('node_modules/').length === 2 && !fs.existsSync(path.join(root, key, 'package.json')) && !hidden[key].optional) {
      return `${name} is recorded as installed but missing from node_modules`;
    }
  }
  return null;
}

/**
 * package.json and package-lock.json must agree, or `npm ci` refuses to run.
 * @param {string} root
 * @returns {string|null}
 */
function lockMismatch(root) {
  const lockFile = path.join(root, 'package-lock.json');
  if (!fs.existsSync(lockFile)) return 'package-lock.json is missing: run `npm install` once to create it, and commit it';
  const pkg = readJson(path.join(root, 'package.json'));
  const lockRoot = (readJson(lockFile).packages || {})[''] || {};
  const want = declaredDependencies(pkg);
  const have = declaredDependencies(lockRoot);
  const changed = [...new Set([...Object.keys(want), ...Object.keys(have)])].filter((n) => want[n] !== have[n]);
  if (changed.length === 0) return null;
  return `package.json and package-lock.json disagree about ${changed.slice(0, 5).join(', ')}${changed.length > 5 ? ', ...' : ''}: run \`npm install\` to update the lock file, and commit it`;
}

/**
 * Run `npm ci` when node_modules is missing or stale; otherwise say it's up to date.
 * @param {string} root  project root (holds package.json)
 * @param {{ env?: NodeJS.ProcessEnv }} [options]
 * @returns {Promise<{ installed: boolean, reason: string|null }>}
 */
async function ensureDependencies(root, { env = process.env } = {}) {
  log.step('Checking npm dependencies');
  const reason = installReason(root);
  if (!reason) {
    log.ok('dependencies up to date');
    return { installed: false, reason: null };
  }
  const mismatch = lockMismatch(root);
  if (mismatch) throw new Error(`Cannot install dependencies: ${mismatch}.`);

  const npm = which('npm', env) || path.join(path.dirname(process.execPath), 'npm');
  if (!isExecutableFile(npm)) throw new Error('npm was not found on PATH; install Node.js with npm (https://nodejs.org/).');
  // npm is a Node script: run it on this process's Node (the pinned runtime, where the machine's is
  // older: lib/node-runtime.js), so install scripts and native builds target the Node that runs the code.
  const npmCli = fs.realpathSync(npm);
  const [command, prefix] = npmCli.endsWith('.js') ? [process.execPath, [npmCli]] : [npm, []];
  log.info(`${reason}: running npm ci --no-audit --no-fund on Node.js ${process.versions.node} (this can take a few minutes)`);
  const started = Date.now();
  const result = await run(command, [...prefix, 'ci', '--no-audit', '--no-fund'], { cwd: root, env, stream: true, timeoutMs: NPM_CI_TIMEOUT_MS });
  if (result.code !== 0 || result.error) {
    const why = result.error ? result.error.message : result.timedOut ? `did not finish within ${NPM_CI_TIMEOUT_MS / 60000} min` : `exited with code ${result.code}`;
    throw new Error(
      `npm ci ${why}. See its output above. Common fixes: check network access to the npm registry; ` +
        'delete node_modules and retry; if package.json changed, run `npm install` to refresh package-lock.json.',
    );
  }
  log.ok(`dependencies installed in ${Math.round((Date.now() - started) / 1000)}s`);
  return { installed: true, reason };
}

module.exports = { ensureDependencies, installReason };
