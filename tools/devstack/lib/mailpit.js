// @ts-check
'use strict';

/**
 * Mailpit, the local mail server: an SMTP server that keeps every message it accepts and shows
 * them through an HTTP API (and a web inbox). `npm start` runs one unless SMTP_URL names a real
 * server; `npm test` runs one per test run. Built from the Go module proxy into
 * ${XDG_CACHE_HOME:-~/.cache}/appraise/mailpit-<ver>/ once (go-install.js: a lock, progress
 * lines), or taken from MAILPIT_BIN.
 *
 * The module on the proxy carries no compiled web UI (server/ui/dist is built by Mailpit's
 * release with npm, and its pinned sass-embedded is not on the npm registry), so this build
 * serves the HTTP API (/api/v1/...) and its own API docs (/api/v1/), not the inbox pages.
 */

const fs = require('node:fs');
const path = require('node:path');
const log = require('./log');
const { run, isExecutableFile } = require('./exec');
const { findGo, goInstallIntoCache } = require('./go-install');
const { cacheRoot } = require('./user-cache');
const { freePort, isPortFree, waitForPort } = require('./ports');
const { spawnService } = require('./processes');

const MAILPIT_VERSION = '1.33.1';
const GO_PACKAGE = 'github.com/axllent/mailpit';
const VERSION_LDFLAG = `-s -w -X github.com/axllent/mailpit/config.Version=v${MAILPIT_VERSION}`;

/** @param {NodeJS.ProcessEnv} [env] */
function mailpitCacheDir(env = process.env) {
  return path.join(cacheRoot(env), `mailpit-${MAILPIT_VERSION}`);
}

/** `mailpit version` prints e.g. "mailpit v1.33.1 compiled with go1.26 on linux/amd64". @param {string} bin */
async function probeVersion(bin) {
  const r = await run(bin, ['version', '--no-release-check'], { timeoutMs: 20000 });
  const text = (r.stdout || r.stderr).trim();
  const m = /mailpit\s+v?(\S+)/i.exec(text);
  return { ok: r.code === 0 && !r.error, version: m ? m[1] : null, text };
}

/** @param {string} bin */
async function cachedUsable(bin) {
  if (!fs.existsSync(bin)) return false;
  const probe = await probeVersion(bin);
  if (probe.ok && probe.version === MAILPIT_VERSION) return true;
  log.warn(`cached ${bin} reports ${probe.ok ? `version ${probe.version || '?'}` : `an error (${probe.text})`}; it will be rebuilt`);
  return false;
}

/**
 * The Mailpit binary: MAILPIT_BIN, else the cached build, else a build with Go.
 * @param {{ env?: NodeJS.ProcessEnv }} [options]
 * @returns {Promise<string>}
 */
async function ensureMailpit({ env = process.env } = {}) {
  log.step(`Locating Mailpit ${MAILPIT_VERSION}`);
  if (env.MAILPIT_BIN) {
    const bin = path.resolve(env.MAILPIT_BIN);
    if (!isExecutableFile(bin)) throw new Error(`MAILPIT_BIN is set to ${env.MAILPIT_BIN}, but that is not an executable file. Fix the path, or unset MAILPIT_BIN to let the scripts build Mailpit.`);
    log.info(`using MAILPIT_BIN=${bin}`);
    return bin;
  }
  const dir = mailpitCacheDir(env);
  const bin = path.join(dir, 'mailpit');
  if (await cachedUsable(bin)) {
    log.ok(`Mailpit ${MAILPIT_VERSION}: ${bin}`);
    return bin;
  }
  const go = findGo(env);
  if (!go) {
    throw new Error(
      `Mailpit ${MAILPIT_VERSION} is built with Go, and Go is not installed (neither on PATH nor /usr/local/go/bin/go). ` +
        `Install Go >= 1.25 (https://go.dev/dl/), or point MAILPIT_BIN at a Mailpit binary, or set SMTP_URL to a mail server of your own.`,
    );
  }
  await goInstallIntoCache({
    go,
    dir,
    packages: [`${GO_PACKAGE}@v${MAILPIT_VERSION}`],
    binaries: ['mailpit'],
    flags: [`-ldflags=${VERSION_LDFLAG}`],
    what: `Mailpit ${MAILPIT_VERSION}`,
    duration: 'a few minutes (about 4 min on 2 cores)',
    usable: () => cachedUsable(bin),
    hint: 'The build needs Go >= 1.25 and access to the Go module proxy; or set MAILPIT_BIN, or SMTP_URL.',
    env,
  });
  return bin;
}

/**
 * @typedef {object} MailpitInstance
 * @property {string} smtpUrl    smtp://127.0.0.1:<port>, what SMTP_URL is set to
 * @property {string} apiUrl     http://127.0.0.1:<port>, the HTTP API (/api/v1/messages, /api/v1/search)
 * @property {number} smtpPort
 * @property {number} uiPort
 * @property {() => Promise<void>} stop
 */

/**
 * Run Mailpit on 127.0.0.1 and wait until both its ports answer.
 * @param {object} o
 * @param {string} o.bin
 * @param {number} [o.smtpPort]   default: a free port
 * @param {number} [o.uiPort]     default: a free port
 * @param {string|null} o.database  the SQLite file of its messages; null keeps them in memory
 * @param {string} o.logFile
 * @param {NodeJS.ProcessEnv} [o.env]
 * @returns {Promise<MailpitInstance>}
 */
async function startMailpit({ bin, smtpPort, uiPort, database, logFile, env = process.env }) {
  const ip = '127.0.0.1';
  const smtp = smtpPort || (await freePort());
  const ui = uiPort || (await freePort());
  for (const [what, p] of /** @type {Array<[string, number]>} */ ([['SMTP', smtp], ['HTTP', ui]])) {
    if (!(await isPortFree(ip, p))) {
      throw new Error(`Cannot start Mailpit: its ${what} port ${ip}:${p} is already in use. Choose another (SMTP_PORT / MAIL_UI_PORT), or stop whatever listens there.`);
    }
  }
  const args = ['--smtp', `${ip}:${smtp}`, '--listen', `${ip}:${ui}`, '--smtp-auth-accept-any', '--smtp-auth-allow-insecure', '--smtp-disable-rdns', '--disable-version-check', '--quiet'];
  if (database) {
    fs.mkdirSync(path.dirname(database), { recursive: true });
    args.push('--database', database);
  }
  let exited = /** @type {string|null} */ (null);
  const handle = spawnService('mailpit', bin, args, {
    env,
    logFile,
    onUnexpectedExit: (_name, exit) => {
      exited = exit.signal || `code ${exit.code}`;
      log.warn(`Mailpit exited unexpectedly (${exited}); log: ${logFile}`);
    },
  });
  const isAborted = () => (exited ? `Mailpit exited (${exited}); log: ${logFile}` : null);
  await waitForPort(ip, smtp, { label: 'Mailpit SMTP', isAborted });
  await waitForPort(ip, ui, { label: 'Mailpit HTTP', isAborted });
  return {
    smtpUrl: `smtp://${ip}:${smtp}`,
    apiUrl: `http://${ip}:${ui}`,
    smtpPort: smtp,
    uiPort: ui,
    stop: async () => {
      await handle.stop();
    },
  };
}

module.exports = { MAILPIT_VERSION, ensureMailpit, startMailpit, mailpitCacheDir };
