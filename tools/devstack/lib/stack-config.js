// @ts-check
'use strict';
/**
 * Where a local stack (`npm start`) keeps its state and which ports it uses, from .env and the
 * environment (real environment variables win). Shared by start, backup and restore.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * @param {string} [root]
 * @returns {Record<string, string>}
 */
function readDotEnv(root = ROOT) {
  const file = path.join(root, '.env');
  if (!fs.existsSync(file)) return {};
  /** @type {Record<string, string>} */
  const out = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m && !line.trim().startsWith('#')) out[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

/** @param {NodeJS.ProcessEnv} env @param {string} key @param {number} fallback @returns {number} */
function intEnv(env, key, fallback) {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${key} must be a port number, got "${raw}"`);
  return n;
}

/**
 * Which Temporal engine a stack runs and how (README "Engines"), every bad value named.
 * @param {NodeJS.ProcessEnv} env
 * @returns {{ engine: 'dev'|'server', shards: number, services: 'single'|'split', devSqliteDurable: boolean }}
 */
function engineSettings(env) {
  /** @type {string[]} */
  const problems = [];
  /** @template {string} T @param {string} key @param {readonly T[]} allowed @returns {T} */
  const oneOf = (key, allowed) => {
    const raw = (env[key] || '').trim() || allowed[0];
    if (!allowed.includes(/** @type {T} */ (raw))) problems.push(`${key} must be one of ${allowed.join(', ')}, got "${raw}"`);
    return /** @type {T} */ (raw);
  };
  const engine = oneOf('APPRAISE_ENGINE', /** @type {const} */ (['dev', 'server']));
  const services = oneOf('APPRAISE_TEMPORAL_SERVICES', /** @type {const} */ (['single', 'split']));
  const durable = oneOf('APPRAISE_DEV_SQLITE_DURABLE', /** @type {const} */ (['false', 'true']));
  const rawShards = (env.APPRAISE_TEMPORAL_SHARDS || '').trim() || '4';
  const shards = Number(rawShards);
  if (!Number.isInteger(shards) || shards < 1 || shards > 16384) problems.push(`APPRAISE_TEMPORAL_SHARDS must be a whole number from 1 to 16384, got "${rawShards}"`);
  if (problems.length > 0) throw new Error(`Invalid engine settings:\n  ${problems.join('\n  ')}`);
  return { engine, shards, services, devSqliteDurable: durable === 'true' };
}

/** The stack's settings: env merged over .env, the data folder and its parts, the ports. @param {NodeJS.ProcessEnv} [processEnv] */
function stackConfig(processEnv = process.env) {
  const env = { ...readDotEnv(), ...processEnv };
  const dataDir = path.resolve(ROOT, env.DATA_DIR || '.data');
  const postgresPort = intEnv(env, 'POSTGRES_PORT', 54329);
  return {
    env,
    dataDir,
    port: intEnv(env, 'PORT', 3000),
    postgresPort,
    temporalPort: intEnv(env, 'TEMPORAL_PORT', 7233),
    temporalUiPort: intEnv(env, 'TEMPORAL_UI_PORT', 8233),
    namespace: env.TEMPORAL_NAMESPACE || 'default',
    engine: engineSettings(env),
    postgresDir: path.join(dataDir, 'postgres'),
    temporalDb: path.join(dataDir, 'temporal', 'temporal.sqlite'),
    logsDir: path.join(dataDir, 'logs'),
    /** The private cluster's URL (startPostgres's defaults), unless DATABASE_URL names another. */
    databaseUrl: env.DATABASE_URL || `postgres://appraise:appraise@127.0.0.1:${postgresPort}/appraise`,
  };
}

module.exports = { readDotEnv, intEnv, engineSettings, stackConfig, ROOT };
