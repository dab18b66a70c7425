// @ts-check
'use strict';
/**
 * Schemathesis (the OpenAPI fuzzer, from PyPI) in a per-user virtualenv:
 * ~/.cache/appraise/schemathesis-<version>/venv. Installed on first use with the machine's
 * python3 (3.9+) and pip; later runs reuse it. Node built-ins only.
 *
 * The venv is built in a private folder beside the final one and renamed into place when it
 * works, so a half-installed venv never sits at the final path and two runs never share one.
 * It is run as `<venv>/bin/python -m schemathesis.cli`, which does not depend on the folder's name.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const log = require('./log');
const { run, which, describeFailure } = require('./exec');

const SCHEMATHESIS_VERSION = '4.32.5';
const INSTALL_TIMEOUT_MS = 10 * 60 * 1000;

function cacheDir(env = process.env) {
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'appraise', `schemathesis-${SCHEMATHESIS_VERSION}`);
}

/** The command line prefix that runs the cached Schemathesis. @param {string} venv */
function commandIn(venv) {
  return { command: path.join(venv, 'bin', 'python'), args: ['-m', 'schemathesis.cli'] };
}

/** @param {string} venv @param {NodeJS.ProcessEnv} env */
async function reportsVersion(venv, env) {
  const { command, args } = commandIn(venv);
  if (!fs.existsSync(command)) return false;
  const result = await run(command, [...args, '--version'], { env, timeoutMs: 60000 });
  return result.code === 0 && result.stdout.includes(SCHEMATHESIS_VERSION);
}

/** A python3 of version 3.9 or later: PYTHON, else python3 on PATH, else /usr/bin/python3. @param {NodeJS.ProcessEnv} env */
async function findPython(env) {
  const candidates = [env.PYTHON, which('python3', env), '/usr/bin/python3'].filter(Boolean);
  for (const candidate of /** @type {string[]} */ (candidates)) {
    const probe = await run(candidate, ['-c', 'import sys, venv, ensurepip; print("%d.%d" % sys.version_info[:2])'], { env, timeoutMs: 30000 });
    const [major, minor] = probe.stdout.trim().split('.').map(Number);
    if (probe.code === 0 && (major > 3 || (major === 3 && minor >= 9))) return candidate;
  }
  throw new Error(
    'Schemathesis needs Python 3.9+ with the venv and ensurepip modules (none found as PYTHON, python3 on PATH or /usr/bin/python3). ' +
      'On Debian: apt-get install python3 python3-venv.',
  );
}

/**
 * The Schemathesis command line, installing it into the cache when missing.
 * @param {{ env?: NodeJS.ProcessEnv }} [options]
 * @returns {Promise<{ command: string, args: string[], version: string }>}
 */
async function ensureSchemathesis({ env = process.env } = {}) {
  log.step(`Checking Schemathesis ${SCHEMATHESIS_VERSION}`);
  const dir = cacheDir(env);
  const venv = path.join(dir, 'venv');
  if (await reportsVersion(venv, env)) {
    log.ok(`Schemathesis ${SCHEMATHESIS_VERSION}: ${venv}`);
    return { ...commandIn(venv), version: SCHEMATHESIS_VERSION };
  }
  fs.rmSync(venv, { recursive: true, force: true }); // broken or partial: start again
  fs.mkdirSync(dir, { recursive: true });
  const python = await findPython(env);
  const staging = fs.mkdtempSync(path.join(dir, '.install-'));
  const started = Date.now();
  log.info(`installing schemathesis==${SCHEMATHESIS_VERSION} from PyPI into ${venv} with ${python} (about a minute, once)`);
  const ticker = setInterval(() => log.info(`... installing (${Math.round((Date.now() - started) / 1000)}s)`), 15000);
  try {
    const steps = [
      [python, ['-m', 'venv', staging], 'creating the virtualenv'],
      [path.join(staging, 'bin', 'python'), ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--progress-bar', 'off', `schemathesis==${SCHEMATHESIS_VERSION}`], 'pip install'],
    ];
    for (const [command, args, what] of /** @type {[string, string[], string][]} */ (steps)) {
      const result = await run(command, args, { env: { ...env, PIP_NO_INPUT: '1' }, timeoutMs: INSTALL_TIMEOUT_MS });
      if (result.code !== 0 || result.error) {
        throw new Error(describeFailure(command, args, result, { what: `Installing Schemathesis (${what})`, timeoutMs: INSTALL_TIMEOUT_MS, hint: 'It needs access to PyPI.' }));
      }
    }
    if (!(await reportsVersion(staging, env))) throw new Error(`the freshly installed Schemathesis in ${staging} does not report version ${SCHEMATHESIS_VERSION}`);
    try {
      fs.renameSync(staging, venv); // atomic; fails when another run got there first
    } catch {
      if (!(await reportsVersion(venv, env))) throw new Error(`could not move ${staging} to ${venv}`);
    }
  } finally {
    clearInterval(ticker);
    fs.rmSync(staging, { recursive: true, force: true });
  }
  log.ok(`Schemathesis ${SCHEMATHESIS_VERSION} installed in ${Math.round((Date.now() - started) / 1000)}s: ${venv}`);
  return { ...commandIn(venv), version: SCHEMATHESIS_VERSION };
}

module.exports = { SCHEMATHESIS_VERSION, ensureSchemathesis, cacheDir };
