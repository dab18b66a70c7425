// @ts-check
'use strict';

/**
 * The per-user cache of what the scripts obtain once (the Temporal CLI, the pinned Node.js
 * runtime...), ${XDG_CACHE_HOME:-~/.cache}/appraise/, and the lock file that lets concurrent
 * runs fill one of its folders only once. Node built-ins only: this runs before npm install.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const log = require('./log');

/** @param {NodeJS.ProcessEnv} [env] */
function cacheRoot(env = process.env) {
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(env.HOME || os.homedir(), '.cache');
  return path.join(base, 'appraise');
}

/** @param {number} pid */
function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return /** @type {NodeJS.ErrnoException} */ (err).code === 'EPERM';
  }
}

/**
 * Take an exclusive lock file. If another live process holds it, wait (bounded) for it.
 * @param {string} lockPath
 * @param {object} o
 * @param {number} o.timeoutMs     how long to wait for another holder
 * @param {number} o.staleAfterMs  a lock older than this is a leftover, whoever wrote it
 * @param {string} o.what          what the holder is doing, for the waiting message
 * @returns {Promise<{ release: () => void, waited: boolean }>}
 */
async function acquireLock(lockPath, { timeoutMs, staleAfterMs, what }) {
  const deadline = Date.now() + timeoutMs;
  let waited = false;
  let announced = false;
  const startedWaiting = Date.now();
  let lastNote = Date.now();
  for (;;) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      fs.writeSync(fd, JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() }));
      fs.closeSync(fd);
      const release = () => {
        process.off('exit', release);
        try {
          const holder = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
          if (holder.pid === process.pid) fs.unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      };
      process.on('exit', release); // dying while holding it must not block the next run
      return { release, waited };
    } catch (err) {
      if (/** @type {NodeJS.ErrnoException} */ (err).code !== 'EEXIST') throw err;
    }
    /** @type {{pid?: number, host?: string, since?: string}} */
    let holder = {};
    try {
      holder = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
    } catch {
      // being written right now, or garbage; garbage older than a minute is stale
      try {
        if (Date.now() - fs.statSync(lockPath).mtimeMs > 60000) fs.rmSync(lockPath, { force: true });
      } catch {
        /* gone */
      }
    }
    const sameHost = holder.host === os.hostname();
    const age = holder.since ? Date.now() - Date.parse(holder.since) : 0;
    if ((holder.pid && sameHost && !pidAlive(holder.pid)) || age > staleAfterMs) {
      log.info(`removing stale lock ${lockPath} (pid ${holder.pid} is gone)`);
      fs.rmSync(lockPath, { force: true });
      continue;
    }
    if (!announced) {
      log.info(`another process (pid ${holder.pid || '?'}) is already ${what}; waiting for it (lock: ${lockPath})`);
      announced = true;
    }
    waited = true;
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${Math.round(timeoutMs / 60000)} min waiting for the lock ${lockPath} held by pid ${holder.pid}. If nothing is running, delete that file.`);
    }
    if (Date.now() - lastNote >= 15000) {
      log.info(`... still waiting (${formatElapsed(Date.now() - startedWaiting)})`);
      lastNote = Date.now();
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** @param {number} ms */
function formatElapsed(ms) {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

module.exports = { cacheRoot, acquireLock, formatElapsed };
