// @ts-check
'use strict';

/**
 * A small supervisor for long-running local services (Temporal dev server, app, worker...).
 *
 * - spawnService() starts a child in its own process group and remembers it.
 * - stopAll() stops everything in reverse start order (SIGTERM, SIGKILL after a grace period).
 * - registerCleanup() lets non-child resources (e.g. a pg_ctl-managed PostgreSQL) join that order.
 * - installSignalHandlers() wires SIGINT/SIGTERM to stopAll(); a second Ctrl-C forces.
 * - On process exit, anything still running is SIGKILLed and sync cleanups run, so a crash
 *   of the calling script does not leave orphans behind.
 */

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const log = require('./log');

/**
 * @typedef {{ code: number|null, signal: NodeJS.Signals|null }} ExitInfo
 *
 * @typedef {object} ServiceHandle
 * @property {string} name
 * @property {import('node:child_process').ChildProcess} child
 * @property {Promise<ExitInfo>} exited   resolves once the process has exited (never rejects)
 * @property {() => boolean} isRunning
 * @property {(signal?: NodeJS.Signals, graceMs?: number) => Promise<ExitInfo>} stop
 *
 * @typedef {object} SpawnOptions
 * @property {NodeJS.ProcessEnv} [env]
 * @property {string} [cwd]
 * @property {string} [logFile]           stdout+stderr are appended to this file
 * @property {boolean} [inheritOutput]    share our stdout/stderr (ignored when logFile is set)
 * @property {number} [uid]
 * @property {number} [gid]
 * @property {(name: string, exit: ExitInfo) => void} [onUnexpectedExit]  called when it exits without stop() having been called
 */

/**
 * @typedef {{ name: string, stop: () => Promise<unknown>, stopSync?: () => void, kind: 'service'|'cleanup', handle?: ServiceHandle }} Entry
 * @type {Entry[]}
 */
const entries = [];

/** @param {number} pid @param {NodeJS.Signals} signal */
function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal); // whole process group (child was spawned detached)
    return true;
  } catch {
    try {
      process.kill(pid, signal);
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * Start a long-running service.
 * @param {string} name  short label used in messages
 * @param {string} command
 * @param {string[]} args
 * @param {SpawnOptions} [options]
 * @returns {ServiceHandle}
 */
function spawnService(name, command, args, { env = process.env, cwd, logFile, inheritOutput = false, uid, gid, onUnexpectedExit } = {}) {
  /** @type {import('node:child_process').StdioOptions} */
  let stdio = ['ignore', 'ignore', 'ignore'];
  /** @type {number|undefined} */
  let logFd;
  if (logFile) {
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    logFd = fs.openSync(logFile, 'a');
    fs.writeSync(logFd, `\n---- ${new Date().toISOString()} starting ${name}: ${command} ${args.join(' ')}\n`);
    stdio = ['ignore', logFd, logFd];
  } else if (inheritOutput) {
    stdio = ['ignore', 'inherit', 'inherit'];
  }

  const child = spawn(command, args, { env, cwd, stdio, uid, gid, detached: true });
  if (logFd !== undefined) fs.closeSync(logFd); // the child holds its own copy

  let stopping = false;
  let exitedFlag = false;
  /** @type {Promise<ExitInfo>} */
  const exited = new Promise((resolve) => {
    child.once('error', (err) => {
      // spawn failure: 'exit' will not fire
      if (exitedFlag) return;
      exitedFlag = true;
      log.fail(`${name}: could not start \`${command}\`: ${err.message}`);
      resolve({ code: null, signal: null });
    });
    child.once('exit', (code, signal) => {
      if (exitedFlag) return;
      exitedFlag = true;
      resolve({ code, signal });
    });
  });

  exited.then((exit) => {
    removeEntry(entry);
    if (!stopping) {
      const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
      if (onUnexpectedExit) onUnexpectedExit(name, exit);
      else log.warn(`${name} ${how} unexpectedly${logFile ? ` (log: ${logFile})` : ''}`);
    }
  });

  /** @type {ServiceHandle} */
  const handle = {
    name,
    child,
    exited,
    isRunning: () => !exitedFlag,
    async stop(signal = 'SIGTERM', graceMs = 10000) {
      stopping = true;
      if (exitedFlag || child.pid === undefined) return exited;
      killGroup(child.pid, signal);
      /** @type {NodeJS.Timeout|undefined} */
      let timer;
      const timedOut = await Promise.race([
        exited.then(() => false),
        new Promise((r) => (timer = setTimeout(() => r(true), graceMs))),
      ]);
      clearTimeout(timer);
      if (timedOut && !exitedFlag) {
        log.warn(`${name} did not stop within ${graceMs / 1000}s after ${signal}; sending SIGKILL`);
        killGroup(child.pid, 'SIGKILL');
        const gone = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 5000))]);
        if (!gone) log.fail(`${name} (pid ${child.pid}) is still running after SIGKILL`);
      }
      return exited;
    },
  };

  /** @type {Entry} */
  const entry = {
    name,
    kind: 'service',
    handle,
    stop: () => handle.stop(),
    stopSync: () => {
      if (!exitedFlag && child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
    },
  };
  if (child.pid !== undefined) entries.push(entry);
  return handle;
}

/** @param {Entry} entry */
function removeEntry(entry) {
  const i = entries.indexOf(entry);
  if (i >= 0) entries.splice(i, 1);
}

/**
 * Register a non-child resource to be cleaned up by stopAll() (and, via stopSync, on process exit).
 * @param {string} name
 * @param {() => Promise<unknown>} stop
 * @param {() => void} [stopSync]  best-effort synchronous variant run from process 'exit'
 * @returns {() => void} unregister
 */
function registerCleanup(name, stop, stopSync) {
  /** @type {Entry} */
  const entry = { name, kind: 'cleanup', stop, stopSync };
  entries.push(entry);
  return () => removeEntry(entry);
}

/** @type {Promise<void>|null} */
let stopAllPromise = null;

/**
 * Stop every spawned service / registered cleanup, most recent first. Safe to call repeatedly.
 * @returns {Promise<void>}
 */
function stopAll() {
  if (stopAllPromise) return stopAllPromise;
  stopAllPromise = (async () => {
    while (entries.length > 0) {
      const entry = /** @type {Entry} */ (entries.pop());
      try {
        log.info(`stopping ${entry.name}`);
        await entry.stop();
      } catch (err) {
        log.fail(`stopping ${entry.name} failed: ${err instanceof Error ? err.message : err}`);
      }
    }
  })().finally(() => {
    stopAllPromise = null;
  });
  return stopAllPromise;
}

/** Services currently supervised, in stop order (most recent first). */
function list() {
  return entries.map((e) => e.name).reverse();
}

process.on('exit', () => {
  for (const entry of entries.slice().reverse()) {
    try {
      if (entry.stopSync) entry.stopSync();
    } catch {
      /* best effort */
    }
  }
});

/**
 * SIGINT/SIGTERM: run onStop (optional), stopAll() once, then exit (130 / 143).
 * A second signal while stopping SIGKILLs what is left and exits immediately.
 * @param {(signal: NodeJS.Signals) => (void|Promise<void>)} [onStop]
 * @returns {() => void} uninstall
 */
function installSignalHandlers(onStop) {
  let received = 0;
  /** @param {NodeJS.Signals} signal */
  const handler = (signal) => {
    received += 1;
    if (received > 1) {
      log.warn(`${signal} again: forcing shutdown`);
      process.exit(signal === 'SIGINT' ? 130 : 143); // 'exit' hook SIGKILLs what is left
    }
    log.step(`${signal} received: stopping ${list().join(', ') || 'services'} (press Ctrl-C again to force)`);
    const forceTimer = setTimeout(() => {
      log.fail('shutdown took longer than 60s; forcing');
      process.exit(1);
    }, 60000);
    forceTimer.unref();
    Promise.resolve()
      .then(() => onStop && onStop(signal))
      .catch((err) => log.fail(`shutdown hook failed: ${err instanceof Error ? err.message : err}`))
      .then(() => stopAll())
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

module.exports = { spawnService, stopAll, registerCleanup, installSignalHandlers, list };
