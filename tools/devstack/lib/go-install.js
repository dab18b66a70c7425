// @ts-check
'use strict';

/**
 * `go install` of pinned Go programs into a per-user cache folder keyed by version
 * (${XDG_CACHE_HOME:-~/.cache}/appraise/<name>-<version>/), built once: a lock file makes
 * concurrent runs wait for the one that builds, progress is printed while it compiles, and a
 * binary lands at its final path only once it is complete (rename). Used for the Temporal CLI
 * (temporal-cli.js) and for the Temporal server and its SQL tool (temporal-server-binaries.js).
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const log = require('./log');
const { run, which, isExecutableFile, describeFailure } = require('./exec');
const { acquireLock, formatElapsed } = require('./user-cache');

const GO_BUILD_TIMEOUT_MS = Number(process.env.APPRAISE_TEMPORAL_BUILD_TIMEOUT_MS) || 30 * 60 * 1000;

/** `go` on PATH, else the official tarball's /usr/local/go/bin/go, else null. @param {NodeJS.ProcessEnv} env */
function findGo(env) {
  return which('go', env) || (isExecutableFile('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : null);
}

/**
 * Build Go programs into `dir` once. Under the lock: when another process built them meanwhile
 * (`usable()` says so), nothing is done; otherwise `go install` runs into a private GOBIN, then
 * each binary is renamed into `dir`, then `after(go)` (e.g. copying files of the module) runs.
 * @param {object} o
 * @param {string} o.go                 the go command
 * @param {string} o.dir                the cache folder, e.g. ~/.cache/appraise/temporal-server-1.29.1
 * @param {string[]} o.packages         `<import path>@v<version>`, all of one module version
 * @param {string[]} o.binaries         the binaries `go install` writes (the last element of each import path)
 * @param {string} o.what               e.g. "Temporal CLI 1.5.1", for messages
 * @param {string} o.duration           how long a first build takes, for the progress message
 * @param {string[]} [o.flags]          extra `go install` flags (e.g. -ldflags=...)
 * @param {() => Promise<boolean>} o.usable   whether `dir` already holds a working build
 * @param {(go: string) => Promise<void>} [o.after]
 * @param {string} o.hint               what to say when the build fails
 * @param {NodeJS.ProcessEnv} o.env
 */
async function goInstallIntoCache({ go, dir, packages, binaries, what, duration, flags = [], usable, after, hint, env }) {
  fs.mkdirSync(dir, { recursive: true });
  const lock = await acquireLock(path.join(dir, '.build.lock'), {
    timeoutMs: GO_BUILD_TIMEOUT_MS + 60000,
    staleAfterMs: GO_BUILD_TIMEOUT_MS + 5 * 60000,
    what: `building ${what}`,
  });
  try {
    if (lock.waited && (await usable())) return; // the other process built it

    const gobin = fs.mkdtempSync(path.join(dir, '.gobin-'));
    const buildLog = path.join(dir, 'build.log');
    log.step(`Building ${what} from source with ${go}`);
    log.info(`go install ${packages.join(' ')}  (GOBIN=${dir})`);
    log.info(`The first build downloads its modules and compiles: it takes ${duration}. Later runs reuse the cached binaries.`);
    const started = Date.now();
    const ticker = setInterval(() => log.info(`... building ${what} (${formatElapsed(Date.now() - started)} elapsed)`), 15000);
    let result;
    try {
      result = await run(go, ['install', ...flags, ...packages], {
        env: { ...env, GOBIN: gobin, CGO_ENABLED: '0' }, // CGO off: static binaries, like the official releases
        cwd: os.tmpdir(), // outside any module, so the @version form is used as-is
        timeoutMs: GO_BUILD_TIMEOUT_MS,
      });
    } finally {
      clearInterval(ticker);
    }
    fs.writeFileSync(buildLog, `${result.stdout}\n${result.stderr}`);
    const missing = binaries.filter((b) => !fs.existsSync(path.join(gobin, b)));
    if (result.code !== 0 || result.error || missing.length > 0) {
      fs.rmSync(gobin, { recursive: true, force: true });
      throw new Error(describeFailure(go, ['install', ...packages], result, { what: `Building ${what}`, timeoutMs: GO_BUILD_TIMEOUT_MS, hint: `Full output: ${buildLog}. ${hint}` }));
    }
    // atomic: a half-written binary never sits at the final path
    for (const b of binaries) fs.renameSync(path.join(gobin, b), path.join(dir, b));
    fs.rmSync(gobin, { recursive: true, force: true });
    if (after) await after(go);
    log.ok(`built ${what} into ${dir} in ${formatElapsed(Date.now() - started)}`);
  } finally {
    lock.release();
  }
}

module.exports = { findGo, goInstallIntoCache };
