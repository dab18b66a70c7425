// @ts-check
'use strict';

/**
 * Human-friendly progress lines for the local-infrastructure scripts.
 * Everything goes to stderr so stdout stays free for machine-readable output.
 * Colors only when stderr is a TTY and NO_COLOR is not set.
 */

const useColor = Boolean(process.stderr.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';

/** @param {string} code @param {string} text */
function paint(code, text) {
  return useColor ? `\u001b[${code}m${text}\u001b[0m` : text;
}

/** @param {string} prefix @param {unknown} msg */
function write(prefix, msg) {
  const lines = String(msg).split('\n');
  const pad = ' '.repeat(stripAnsi(prefix).length);
  process.stderr.write(lines.map((line, i) => (i === 0 ? prefix : pad) + line).join('\n') + '\n');
}

/** @param {string} s */
function stripAnsi(s) {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*m/g, '');
}

/** A new phase of work, e.g. "Starting PostgreSQL". @param {unknown} msg */
function step(msg) {
  write(paint('1;36', '==> '), useColor ? paint('1', String(msg)) : msg);
}

/** Something succeeded. @param {unknown} msg */
function ok(msg) {
  write(paint('32', '  ✓ '), msg);
}

/** Something noteworthy but not fatal. @param {unknown} msg */
function warn(msg) {
  write(paint('33', '  ! '), msg);
}

/** Something failed. @param {unknown} msg */
function fail(msg) {
  write(paint('31', '  ✗ '), msg);
}

/** Detail line. @param {unknown} msg */
function info(msg) {
  write('    ', msg);
}

module.exports = { step, ok, warn, fail, info, useColor };
