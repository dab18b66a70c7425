// @ts-check
'use strict';

/**
 * Run `temporal server start-dev` (SQLite-backed Temporal dev server) under the supervisor,
 * and wait until it is really usable: frontend SERVING, namespace registered, and every
 * requested search attribute visible (the dev server registers them asynchronously).
 */

const fs = require('node:fs');
const path = require('node:path');
const log = require('./log');
const { run, fileTail, indent } = require('./exec');
const { freePort, isPortFree } = require('./ports');
const { spawnService } = require('./processes');

const SEARCH_ATTRIBUTE_TYPES = ['Keyword', 'Int', 'Datetime', 'Text', 'Double', 'Bool', 'KeywordList'];
/** search-attribute list -o json reports e.g. INDEXED_VALUE_TYPE_KEYWORD_LIST */
const INDEXED_TYPE = {
  Keyword: 'INDEXED_VALUE_TYPE_KEYWORD',
  Int: 'INDEXED_VALUE_TYPE_INT',
  Datetime: 'INDEXED_VALUE_TYPE_DATETIME',
  Text: 'INDEXED_VALUE_TYPE_TEXT',
  Double: 'INDEXED_VALUE_TYPE_DOUBLE',
  Bool: 'INDEXED_VALUE_TYPE_BOOL',
  KeywordList: 'INDEXED_VALUE_TYPE_KEYWORD_LIST',
};
const HEALTH_DEADLINE_MS = 60000;
const READY_DEADLINE_MS = 60000;

/**
 * @typedef {'Keyword'|'Int'|'Datetime'|'Text'|'Double'|'Bool'|'KeywordList'} SearchAttributeType
 *
 * @typedef {object} TemporalDevServer
 * @property {string} address      host:port of the frontend gRPC service
 * @property {string|null} uiUrl   null when headless
 * @property {string} namespace
 * @property {string} logFile
 * @property {import('./processes').ServiceHandle} handle
 * @property {() => Promise<void>} stop
 */

/**
 * The temporal CLI honours TEMPORAL_* variables (address, TLS, API key...); our probes must not.
 * @param {NodeJS.ProcessEnv} env
 */
function cleanEnv(env) {
  /** @type {NodeJS.ProcessEnv} */
  const out = {};
  for (const [k, v] of Object.entries(env)) if (!k.startsWith('TEMPORAL_')) out[k] = v;
  return out;
}

/**
 * @param {object} options
 * @param {string} options.cliPath          from ensureTemporalCli()
 * @param {string} [options.ip]             default 127.0.0.1
 * @param {number} [options.port]           default: a free port
 * @param {number|null} [options.uiPort]    null = headless; default: a free port
 * @param {string} [options.dbFile]         SQLite file; omit for an in-memory (throw-away) server
 * @param {string} [options.namespace]      default 'default'
 * @param {Record<string, SearchAttributeType|string>} [options.searchAttributes]  validated at run time
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
  logFile,
  log: verbose = true,
  env = process.env,
  onUnexpectedExit,
}) {
  if (!cliPath) throw new Error('startTemporalDevServer: cliPath is required (use ensureTemporalCli())');
  if (!logFile) throw new Error('startTemporalDevServer: logFile is required');
  for (const [name, type] of Object.entries(searchAttributes)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`Invalid search attribute name "${name}": use letters, digits and _`);
    if (!SEARCH_ATTRIBUTE_TYPES.includes(type)) throw new Error(`Invalid type "${type}" for search attribute ${name}; one of ${SEARCH_ATTRIBUTE_TYPES.join(', ')}`);
  }
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
  }
  args.push('--namespace', namespace);
  for (const [name, type] of Object.entries(searchAttributes)) args.push('--search-attribute', `${name}=${type}`);
  args.push('--log-format', 'json', '--log-level', 'warn');

  say.step(`Starting Temporal dev server on ${address}`);
  say.info(`${dbFile ? `state: ${path.resolve(dbFile)}` : 'state: in memory (lost on stop)'}; log: ${logFile}`);

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
  const cli = (/** @type {string[]} */ a) => run(cliPath, [...a, '--address', address, '--command-timeout', '5s'], { env: cleanEnv(env), timeoutMs: 10000 });

  try {
    const started = Date.now();
    // 1. frontend answers
    await until(HEALTH_DEADLINE_MS, () => exitedEarly, async () => {
      const r = await cli(['operator', 'cluster', 'health']);
      return r.code === 0 && /SERVING/.test(r.stdout);
    }).catch((/** @type {Error} */ e) => {
      throw failure(`Temporal dev server did not become healthy on ${address} within ${HEALTH_DEADLINE_MS / 1000}s (${e.message}).`);
    });
    // 2. namespace registered
    await until(READY_DEADLINE_MS, () => exitedEarly, async () => (await cli(['operator', 'namespace', 'describe', '--namespace', namespace])).code === 0).catch(
      (/** @type {Error} */ e) => {
        throw failure(`Temporal namespace "${namespace}" was not available within ${READY_DEADLINE_MS / 1000}s (${e.message}).`);
      },
    );
    // 3. search attributes registered
    const wanted = Object.entries(searchAttributes);
    if (wanted.length > 0) {
      /** @type {string[]} */
      let missing = wanted.map(([n]) => n);
      await until(READY_DEADLINE_MS, () => exitedEarly, async () => {
        const r = await cli(['operator', 'search-attribute', 'list', '--namespace', namespace, '-o', 'json']);
        if (r.code !== 0) return false;
        /** @type {Record<string,string>} */
        let custom = {};
        try {
          custom = JSON.parse(r.stdout).customAttributes || {};
        } catch {
          return false;
        }
        const want = (/** @type {string} */ t) => INDEXED_TYPE[/** @type {SearchAttributeType} */ (t)];
        missing = wanted.filter(([n, t]) => custom[n] !== want(t)).map(([n, t]) => (custom[n] ? `${n} (is ${custom[n]}, want ${t})` : n));
        // A wrong type never fixes itself (it was registered earlier in this db file): fail at once.
        if (wanted.some(([n, t]) => custom[n] && custom[n] !== want(t))) throw new Error('type mismatch');
        return missing.length === 0;
      }).catch((/** @type {Error} */ e) => {
        throw failure(
          `Temporal search attributes not registered as requested: ${missing.join(', ')} (${e.message === 'type mismatch' ? 'registered earlier with another type' : `not there after ${READY_DEADLINE_MS / 1000}s`}). ` +
            'If an attribute already exists with another type in this db file, delete the db file or rename the attribute.',
        );
      });
    }
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

/**
 * Poll check() every 250 ms until it returns true; reject on deadline or when aborted() returns truthy.
 * @param {number} timeoutMs @param {() => unknown} aborted @param {() => Promise<boolean>} check
 */
async function until(timeoutMs, aborted, check) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (aborted()) throw new Error('the server process exited');
    if (await check()) return;
    if (aborted()) throw new Error('the server process exited');
    if (Date.now() > deadline) throw new Error('deadline reached');
    await new Promise((r) => setTimeout(r, 250));
  }
}

module.exports = { startTemporalDevServer, SEARCH_ATTRIBUTE_TYPES };
