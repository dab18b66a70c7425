// @ts-check
'use strict';

/**
 * Run short-lived commands to completion, always with a deadline.
 * Children still running when this process exits are killed (no orphans).
 */

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

/** @type {Set<import('node:child_process').ChildProcess>} */
const running = new Set();

process.on('exit', () => {
  for (const child of running) {
    try {
      child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

/**
 * @typedef {object} RunOptions
 * @property {NodeJS.ProcessEnv} [env]
 * @property {string} [cwd]
 * @property {number} [timeoutMs]  default 60 s; the child gets SIGTERM, then SIGKILL 5 s later
 * @property {boolean} [stream]     also copy the child's output to our stderr while it runs
 * @property {string} [input]       written to the child's stdin
 * @property {number} [maxBuffer]   max captured chars per stream (tail kept), default 1 MiB
 * @property {number} [uid]
 * @property {number} [gid]
 */

/**
 * @typedef {object} RunResult
 * @property {number|null} code
 * @property {NodeJS.Signals|null} signal
 * @property {string} stdout
 * @property {string} stderr
 * @property {boolean} timedOut
 * @property {Error} [error]  spawn failure (e.g. ENOENT)
 */

/**
 * @param {string} command
 * @param {string[]} args
 * @param {RunOptions} [options]
 * @returns {Promise<RunResult>}
 */
function run(command, args, { env = process.env, cwd, timeoutMs = 60000, stream = false, input, maxBuffer = 1 << 20, uid, gid } = {}) {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    /** @type {Error|undefined} */
    let spawnError;
    const child = spawn(command, args, { env, cwd, uid, gid, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    running.add(child);
    const keepTail = (/** @type {string} */ s) => (s.length > maxBuffer ? s.slice(s.length - maxBuffer) : s);
    /** @type {import('node:stream').Readable} */ (child.stdout).on('data', (d) => {
      stdout = keepTail(stdout + d);
      if (stream) process.stderr.write(d);
    });
    /** @type {import('node:stream').Readable} */ (child.stderr).on('data', (d) => {
      stderr = keepTail(stderr + d);
      if (stream) process.stderr.write(d);
    });
    if (input !== undefined && child.stdin) {
      child.stdin.on('error', () => {});
      child.stdin.end(input);
    }
    /** @type {NodeJS.Timeout|undefined} */
    let killTimer;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), 5000);
    }, timeoutMs);
    child.once('error', (err) => {
      spawnError = err;
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      running.delete(child);
      resolve({ code, signal, stdout, stderr, timedOut, error: spawnError });
    });
  });
}

/**
 * Like run(), but rejects with a descriptive error unless the command exits 0.
 * @param {string} command @param {string[]} args @param {RunOptions & { what?: string, hint?: string }} [options]
 * @returns {Promise<RunResult>}
 */
async function runOrThrow(command, args, options = {}) {
  const result = await run(command, args, options);
  if (result.code === 0 && !result.error) return result;
  throw new Error(describeFailure(command, args, result, options));
}

/**
 * @param {string} command @param {string[]} args @param {RunResult} result @param {{ what?: string, hint?: string, timeoutMs?: number }} options
 */
function describeFailure(command, args, result, { what, hint, timeoutMs = 60000 } = {}) {
  const cmdline = [command, ...args].map(shellQuote).join(' ');
  let reason;
  if (result.error) reason = `could not be started (${result.error.message})`;
  else if (result.timedOut) reason = `did not finish within ${Math.round(timeoutMs / 1000)}s`;
  else if (result.signal) reason = `was killed by ${result.signal}`;
  else reason = `exited with code ${result.code}`;
  const output = tail(`${result.stderr}\n${result.stdout}`.trim(), 20);
  return [
    `${what || 'Command'} failed: \`${cmdline}\` ${reason}.`,
    output ? `Output (last lines):\n${indent(output)}` : '',
    hint || '',
  ]
    .filter(Boolean)
    .join('\n');
}

/** @param {string} text @param {number} n */
function tail(text, n) {
  const lines = text.split('\n');
  return lines.slice(Math.max(0, lines.length - n)).join('\n');
}

/** @param {string} text */
function indent(text) {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

/** Last lines of a (possibly missing) file, for error messages. @param {string} file @param {number} [n] */
function fileTail(file, n = 30) {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const len = Math.min(size, 64 * 1024);
      const buf = Buffer.alloc(len);
      fs.readSync(fd, buf, 0, len, size - len);
      return tail(buf.toString('utf8').trimEnd(), n);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}

/** @param {string} s */
function shellQuote(s) {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** @param {string} file */
function isExecutableFile(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Find an executable on PATH.
 * @param {string} name @param {NodeJS.ProcessEnv} [env]
 * @returns {string|null}
 */
function which(name, env = process.env) {
  for (const dir of (env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}

module.exports = { run, runOrThrow, describeFailure, fileTail, tail, indent, shellQuote, isExecutableFile, which };
