// @ts-check
'use strict';
/**
 * PostgreSQL and Temporal for a stack: the ones named by DATABASE_URL / TEMPORAL_ADDRESS when
 * set, otherwise private ones under the data folder; and the template database cloned from them.
 * Temporal is one of two engines (APPRAISE_ENGINE): `dev`, the Temporal CLI's dev server on a
 * SQLite file, or `server`, the Temporal server on the stack's PostgreSQL with mutual TLS.
 * Shared by `npm start`, `npm test`, `npm run bench` and the chaos run.
 */
const path = require('node:path');
const log = require('./log');
const { run } = require('./exec');
const { freePort } = require('./ports');
const { ensureTemporalCli } = require('./temporal-cli');
const { startTemporalDevServer } = require('./temporal-server');
const { ensureTemporalServerBinaries } = require('./temporal-server-binaries');
const { startTemporalCluster } = require('./temporal-cluster');
const { startPostgres } = require('./postgres');
const { engineSettings } = require('./stack-config');

/**
 * The custom search attributes the workflows use, from the compiled contract (after the build).
 * @param {string} root the repository
 */
function searchAttributeRegistrations(root) {
  const contract = /** @type {typeof import('../../../libs/temporal/src/evaluation.contract')} */ (require(path.join(root, 'dist/libs/temporal/src/evaluation.contract.js')));
  return contract.SEARCH_ATTRIBUTE_REGISTRATIONS;
}

/**
 * @param {object} o
 * @param {string} o.dataDir
 * @param {number} o.postgresPort
 * @param {number} o.temporalPort    the dev server's port, or the server's frontend
 * @param {number|null} o.temporalUiPort  null runs the dev server headless
 * @param {string} o.namespace
 * @param {Record<string, string>} o.searchAttributes
 * @param {NodeJS.ProcessEnv} o.env  APPRAISE_ENGINE and the engine's settings are read from it
 * @param {boolean} [o.useExternal]  honour DATABASE_URL / TEMPORAL_ADDRESS (start: yes; test: never); the server engine's other ports follow TEMPORAL_PORT
 */
async function startInfrastructure(o) {
  const settings = engineSettings(o.env);
  /** @type {Array<() => Promise<void>>} */
  const stops = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((e) => log.warn(String(e && e.message)));
  };
  try {
    let databaseUrl = o.useExternal ? o.env.DATABASE_URL : undefined;
    let temporalAddress = o.useExternal ? o.env.TEMPORAL_ADDRESS : undefined;
    if (databaseUrl && !temporalAddress && settings.engine === 'server') {
      throw new Error(
        'APPRAISE_ENGINE=server runs the Temporal server on the stack\'s private PostgreSQL, where it creates its own role and databases; with DATABASE_URL set there is none. ' +
          'Unset DATABASE_URL, or point TEMPORAL_ADDRESS at a Temporal server of your own.',
      );
    }
    /** @type {import('./postgres').PostgresInstance|null} */
    let pg = null;
    if (databaseUrl) {
      log.ok(`using PostgreSQL at DATABASE_URL`);
    } else {
      const started = await startPostgres({ dataDir: path.join(o.dataDir, 'postgres'), port: o.postgresPort, logFile: path.join(o.dataDir, 'logs', 'postgres.log'), env: o.env });
      stops.push(() => started.stop());
      databaseUrl = started.url;
      pg = started;
    }

    /** TEMPORAL_* settings every client and worker of this engine needs besides the address (e.g. mutual TLS files). */
    /** @type {Record<string, string>} */
    let temporalEnv = {};
    /** @type {string|null} */
    let uiUrl = null;
    /** @type {import('./temporal-cluster').TemporalCluster|null} */
    let cluster = null;
    if (temporalAddress) {
      log.ok(`using Temporal at TEMPORAL_ADDRESS=${temporalAddress}`);
    } else if (settings.engine === 'server') {
      const binaries = await ensureTemporalServerBinaries({ env: o.env });
      const cliPath = await ensureTemporalCli({ env: o.env });
      cluster = await startTemporalCluster({
        binaries,
        cliPath,
        postgres: /** @type {import('./postgres').PostgresInstance} */ (pg),
        dataDir: o.dataDir,
        port: o.temporalPort,
        derivePorts: Boolean(o.useExternal),
        shards: settings.shards,
        services: settings.services,
        namespace: o.namespace,
        searchAttributes: o.searchAttributes,
        env: o.env,
      });
      stops.push(() => /** @type {import('./temporal-cluster').TemporalCluster} */ (cluster).stop());
      temporalAddress = cluster.address;
      temporalEnv = cluster.clientEnv;
    } else {
      const cliPath = await ensureTemporalCli({ env: o.env });
      const temporal = await startTemporalDevServer({
        cliPath,
        port: o.temporalPort,
        uiPort: o.temporalUiPort,
        dbFile: path.join(o.dataDir, 'temporal', 'temporal.sqlite'),
        namespace: o.namespace,
        searchAttributes: o.searchAttributes,
        durable: settings.devSqliteDurable,
        logFile: path.join(o.dataDir, 'logs', 'temporal.log'),
        env: o.env,
      });
      stops.push(() => temporal.stop());
      temporalAddress = temporal.address;
      uiUrl = temporal.uiUrl;
    }
    return { engine: settings.engine, databaseUrl, temporalAddress, temporalEnv, uiUrl, cluster, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * A private PostgreSQL and Temporal (namespace `default`; the dev server headless, or the server
 * engine when `env` says APPRAISE_ENGINE=server) on free ports under dataDir, whatever
 * DATABASE_URL and TEMPORAL_ADDRESS say: what tests and benchmarks run on.
 * @param {string} root the repository @param {string} dataDir @param {NodeJS.ProcessEnv} [env]
 */
async function startPrivateInfrastructure(root, dataDir, env = process.env) {
  return startInfrastructure({
    dataDir,
    postgresPort: await freePort(),
    temporalPort: await freePort(),
    temporalUiPort: null,
    namespace: 'default',
    searchAttributes: searchAttributeRegistrations(root),
    env,
    useExternal: false,
  });
}

/**
 * Creates the database `name` afresh, then migrates and seeds it (tools/devstack/setup-database):
 * a template that test files and benchmark phases clone with CREATE DATABASE ... TEMPLATE, which
 * takes milliseconds instead of a migration run.
 * @param {object} o
 * @param {string} o.root          the repository
 * @param {string} o.databaseUrl   an administrative connection to the cluster
 * @param {string} o.name
 * @param {boolean} [o.dropForce]  end other sessions on an older one first (a cluster kept between runs)
 */
async function createTemplateDatabase({ root, databaseUrl, name, dropForce = false }) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name}${dropForce ? ' WITH (FORCE)' : ''}`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  const result = await run(process.execPath, [path.join(root, 'dist/tools/devstack/setup-database.js')], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url.toString() },
    stream: true,
    timeoutMs: 120000,
  });
  if (result.code !== 0) throw new Error('migrating the template database failed');
}

module.exports = { startInfrastructure, startPrivateInfrastructure, createTemplateDatabase, searchAttributeRegistrations };
