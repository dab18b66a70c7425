// @ts-check
'use strict';

/**
 * Run `temporal server start-dev` (SQLite-backed Temporal dev server) under the supervisor,
 * and wait until it is really usable (temporal-readiness.js): frontend SERVING, namespace
 * registered, and every requested search attribute visible (the dev server registers them
 * asynchronously).
 *
 * Its SQLite file runs in WAL mode with synchronous=NORMAL unless `durable` is set: a commit no
 * longer waits for the disk, so a power loss (not a killed process) may lose the last commits.
 */

const fs = require('node:fs');
const path = require('node:path');
const log = require('./log');
const { fileTail, indent } = require('./exec');
const { freePort, isPortFree } = require('./ports');
const { spawnService } = require('./processes');
const { cleanEnv, temporalCli, validateSearchAttributes, waitServing, waitNamespace, waitSearchAttributes } = require('./temporal-readiness');

/**
 * @typedef {object} TemporalDevServer
 * @property {string} address      host:port of the frontend gRPC service
 * @property {string|null} uiUrl   null when headless
 * @property {string} namespace
 * @property {string} logFile
 * @property {import('./processes').ServiceHandle} handle
 * @property {() => Promise<void>} stop
 */

/**
 * @param {object} options
 * @param {string} options.cliPath          from ensureTemporalCli()
 * @param {string} [options.ip]             default 127.0.0.1
 * @param {number} [options.port]           default: a free port
 * @param {number|null} [options.uiPort]    null = headless; default: a free port
 * @param {string} [options.dbFile]         SQLite file; omit for an in-memory (throw-away) server
 * @param {string} [options.namespace]      default 'default'
 * @param {Record<string, string>} [options.searchAttributes]  validated at run time
 * @param {boolean} [options.durable]       SQLite synchronous=FULL (default: NORMAL, in WAL mode either way)
 * @param {string} options.logFile          server output goes here
 * @param {boolean} [options.log]           print progress lines (default true)
 * @param {NodeJS.ProcessEnv} [options.env]
 * @param {(name: string, exit: {code: number|null, signal: NodeJS.Signals|null}) => void} [options.onUnexpectedExit]
 * @returns {Promise<TemporalDevServer>}
 */
async function startTemporalDevServer({
  cliPath,
  ip = '127.0.0.1',
  port,
  uiPort,
  dbFile,
  namespace = 'default',
  searchAttributes = {},
  durable = false,
  logFile,
  log: verbose = true,
  env = process.env,
  onUnexpectedExit,
}) {
  if (!cliPath) throw new Error('startTemporalDevServer: cliPath is required (use ensureTemporalCli())');
  if (!logFile) throw new Error('startTemporalDevServer: logFile is required');
  validateSearchAttributes(searchAttributes);
  const say = verbose ? log : { step() {}, info() {}, ok() {}, warn: log.warn, fail: log.fail };

  const grpcPort = port || (await freePort());
  const webPort = uiPort === null ? null : uiPort || (await freePort());
  const address = `${ip}:${grpcPort}`;
  // A busy port could even be another dev server, which would then answer our health checks.
  for (const [what, p] of /** @type {Array<[string, number|null]>} */ ([['gRPC', grpcPort], ['UI', webPort]])) {
    if (p && !(await isPortFree(ip, p))) {
      throw new Error(`Cannot start the Temporal dev server: ${what} port ${ip}:${p} is already in use. Choose another port, or stop whatever listens there (e.g. \`ss -ltnp 'sport = :${p}'\`).`);
    }
  }

  const args = ['server', 'start-dev', '--ip', ip, '--port', String(grpcPort)];
  if (webPort === null) args.push('--headless');
  else args.push('--ui-port', String(webPort));
  if (dbFile) {
    fs.mkdirSync(path.dirname(path.resolve(dbFile)), { recursive: true });
    args.push('--db-filename', path.resolve(dbFile));
    args.push('--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', `synchronous=${durable ? 'full' : 'normal'}`);
  }
  args.push('--namespace', namespace);
  for (const [name, type] of Object.entries(searchAttributes)) args.push('--search-attribute', `${name}=${type}`);
  args.push('--log-format', 'json', '--log-level', 'warn');

  say.step(`Starting Temporal dev server on ${address}`);
  say.info(`${dbFile ? `state: ${path.resolve(dbFile)} (WAL, synchronous=${durable ? 'FULL' : 'NORMAL'})` : 'state: in memory (lost on stop)'}; log: ${logFile}`);

  let exitedEarly = /** @type {null|{code: number|null, signal: NodeJS.Signals|null}} */ (null);
  let ready = false;
  const handle = spawnService('temporal', cliPath, args, {
    env: cleanEnv(env),
    logFile,
    onUnexpectedExit: (name, exit) => {
      exitedEarly = exit;
      if (!ready) return; // reported by the readiness wait below
      if (onUnexpectedExit) onUnexpectedExit(name, exit);
      else log.fail(`Temporal dev server exited unexpectedly (${exit.signal || `code ${exit.code}`}); log: ${logFile}`);
    },
  });

  /** @param {string} what */
  const failure = (what) => {
    const t = fileTail(logFile, 15);
    if (exitedEarly) {
      const e = /** @type {{code: number|null, signal: NodeJS.Signals|null}} */ (exitedEarly);
      what = `Temporal dev server exited during startup (${e.signal ? `signal ${e.signal}` : `exit code ${e.code}`}).`;
    }
    return new Error(
      `${what}\nLog file: ${logFile}` +
        (t ? `\nLast lines:\n${indent(t)}` : '') +
        (exitedEarly ? '\nUsual causes: a port in use, an unwritable or corrupt db file, or a db file in use by another dev server.' : ''),
    );
  };
  const cli = temporalCli({ cliPath, address, env });
  const aborted = () => exitedEarly;

  try {
    const started = Date.now();
    await waitServing(cli, aborted).catch((/** @type {Error} */ e) => {
      throw failure(`Temporal dev server on ${address}: ${e.message}.`);
    });
    await waitNamespace(cli, namespace, aborted).catch((/** @type {Error} */ e) => {
      throw failure(`Temporal dev server: ${e.message}.`);
    });
    await waitSearchAttributes(cli, namespace, searchAttributes, aborted).catch((/** @type {Error} */ e) => {
      throw failure(`Temporal dev server: ${e.message}`);
    });
    ready = true;
    say.ok(`Temporal dev server ready at ${address} (namespace ${namespace}) in ${((Date.now() - started) / 1000).toFixed(1)}s${webPort ? `, UI http://${ip}:${webPort}` : ''}`);
  } catch (err) {
    await handle.stop('SIGTERM', 10000);
    throw err;
  }

  return {
    address,
    uiUrl: webPort ? `http://${ip}:${webPort}` : null,
    namespace,
    logFile,
    handle,
    async stop() {
      const exit = await handle.stop('SIGTERM', 10000);
      say.ok(`Temporal dev server stopped${exit.signal ? ` (${exit.signal})` : ''}`);
    },
  };
}

module.exports = { startTemporalDevServer };
