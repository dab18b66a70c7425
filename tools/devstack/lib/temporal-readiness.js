// @ts-check
'use strict';

/**
 * Talking to a Temporal frontend with the Temporal CLI while a stack starts, for both engines
 * (the dev server, temporal-server.js; the Temporal server, temporal-cluster.js): the CLI bound
 * to one address with its mutual-TLS flags, and the waits that tell a frontend is really usable:
 * SERVING, the namespace there, every search attribute there with its type.
 */

const { run } = require('./exec');

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
 * @typedef {object} CliTls  the files a client presents and trusts (mutual TLS)
 * @property {string} caFile
 * @property {string} certFile
 * @property {string} keyFile
 * @property {string} [serverName]
 *
 * @typedef {(args: string[]) => Promise<import('./exec').RunResult>} TemporalCli
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

/** The CLI's mutual-TLS flags (the same any operator types by hand). @param {CliTls|null|undefined} tls */
function cliTlsFlags(tls) {
  if (!tls) return [];
  return ['--tls-ca-path', tls.caFile, '--tls-cert-path', tls.certFile, '--tls-key-path', tls.keyFile, ...(tls.serverName ? ['--tls-server-name', tls.serverName] : [])];
}

/**
 * The Temporal CLI against one frontend, with a short command timeout.
 * @param {{ cliPath: string, address: string, tls?: CliTls|null, env: NodeJS.ProcessEnv }} o
 * @returns {TemporalCli}
 */
function temporalCli({ cliPath, address, tls, env }) {
  return (args) => run(cliPath, [...args, '--address', address, ...cliTlsFlags(tls), '--command-timeout', '5s'], { env: cleanEnv(env), timeoutMs: 10000 });
}

/** Refuse a bad name or type before anything starts. @param {Record<string, string>} searchAttributes */
function validateSearchAttributes(searchAttributes) {
  for (const [name, type] of Object.entries(searchAttributes)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`Invalid search attribute name "${name}": use letters, digits and _`);
    if (!SEARCH_ATTRIBUTE_TYPES.includes(type)) throw new Error(`Invalid type "${type}" for search attribute ${name}; one of ${SEARCH_ATTRIBUTE_TYPES.join(', ')}`);
  }
}

/**
 * Wait until the frontend is SERVING.
 * @param {TemporalCli} cli @param {() => unknown} aborted  truthy once the server process exited
 * @returns {Promise<void>} rejects with the reason (deadline, exit)
 */
function waitServing(cli, aborted) {
  return until(HEALTH_DEADLINE_MS, aborted, async () => {
    const r = await cli(['operator', 'cluster', 'health']);
    return r.code === 0 && /SERVING/.test(r.stdout);
  }).catch((/** @type {Error} */ e) => {
    throw new Error(`the frontend did not become healthy within ${HEALTH_DEADLINE_MS / 1000}s (${e.message})`);
  });
}

/** @param {TemporalCli} cli @param {string} namespace @param {() => unknown} aborted */
function waitNamespace(cli, namespace, aborted) {
  return until(READY_DEADLINE_MS, aborted, async () => (await cli(['operator', 'namespace', 'describe', '--namespace', namespace])).code === 0).catch((/** @type {Error} */ e) => {
    throw new Error(`namespace "${namespace}" was not available within ${READY_DEADLINE_MS / 1000}s (${e.message})`);
  });
}

/**
 * Wait until every search attribute is registered with its type (servers make them visible
 * asynchronously); a wrong type fails at once, since it never fixes itself.
 * @param {TemporalCli} cli @param {string} namespace @param {Record<string, string>} searchAttributes @param {() => unknown} aborted
 */
async function waitSearchAttributes(cli, namespace, searchAttributes, aborted) {
  const wanted = Object.entries(searchAttributes);
  if (wanted.length === 0) return;
  /** @type {string[]} */
  let missing = wanted.map(([n]) => n);
  await until(READY_DEADLINE_MS, aborted, async () => {
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
    if (wanted.some(([n, t]) => custom[n] && custom[n] !== want(t))) throw new Error('type mismatch');
    return missing.length === 0;
  }).catch((/** @type {Error} */ e) => {
    throw new Error(
      `search attributes not registered as requested: ${missing.join(', ')} (${e.message === 'type mismatch' ? 'registered earlier with another type' : `not there after ${READY_DEADLINE_MS / 1000}s`}). ` +
        "If an attribute already exists with another type in this engine's store, start from a fresh data folder or rename the attribute.",
    );
  });
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

module.exports = { SEARCH_ATTRIBUTE_TYPES, READY_DEADLINE_MS, cleanEnv, cliTlsFlags, temporalCli, validateSearchAttributes, waitServing, waitNamespace, waitSearchAttributes, until };
