// @ts-check
'use strict';

const net = require('node:net');

/**
 * Ask the OS for a currently free TCP port on 127.0.0.1.
 * (There is an unavoidable small race between closing and the caller binding it.)
 * @returns {Promise<number>}
 */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = address && typeof address === 'object' ? address.port : 0;
      server.close((err) => (err ? reject(err) : port ? resolve(port) : reject(new Error('could not read the port the OS assigned'))));
    });
  });
}

/**
 * A currently free TCP port on 127.0.0.1 in [low, high], tried at random (for programs that cannot
 * take the OS's ephemeral ports, e.g. the Temporal server stores its membership ports as SQL
 * smallint, at most 32767).
 * @param {number} low @param {number} high @param {Set<number>} [taken]  ports already chosen
 * @returns {Promise<number>}
 */
async function freePortBetween(low, high, taken = new Set()) {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (!taken.has(port) && (await isPortFree('127.0.0.1', port))) return port;
  }
  throw new Error(`no free port between ${low} and ${high} after 200 tries`);
}

/**
 * Can we bind host:port right now?
 * @param {string} host @param {number} port
 * @returns {Promise<boolean>}
 */
function isPortFree(host, port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * Single TCP connection attempt.
 * @param {string} host @param {number} port @param {number} timeoutMs
 * @returns {Promise<boolean>}
 */
function tryConnect(host, port, timeoutMs) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (/** @type {boolean} */ result) => {
      socket.removeAllListeners();
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Retry TCP connects until something listens on host:port or the deadline passes.
 * @param {string} host
 * @param {number} port
 * @param {{ timeoutMs?: number, label?: string, intervalMs?: number, isAborted?: () => (string|null|undefined) }} [options]
 *   isAborted: return a reason string to stop waiting early (e.g. "the process exited").
 * @returns {Promise<void>}
 */
async function waitForPort(host, port, { timeoutMs = 30000, label, intervalMs = 200, isAborted } = {}) {
  const name = label || `${host}:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = isAborted && isAborted();
    if (reason) throw new Error(`Gave up waiting for ${name} on ${host}:${port}: ${reason}`);
    const remaining = deadline - Date.now();
    if (await tryConnect(host, port, Math.max(100, Math.min(2000, remaining)))) return;
    if (Date.now() + intervalMs > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs / 1000}s waiting for ${name} to accept TCP connections on ${host}:${port}. ` +
          'Check its log for startup errors, or whether another program holds the port.',
      );
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

module.exports = { freePort, freePortBetween, isPortFree, waitForPort };
