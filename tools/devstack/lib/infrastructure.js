// @ts-check
'use strict';
/**
 * PostgreSQL and Temporal for a stack: the ones named by DATABASE_URL / TEMPORAL_ADDRESS when
 * set, otherwise private ones under the data folder; and the template database cloned from them.
 * Shared by `npm start`, `npm test` and `npm run bench`.
 */
const path = require('node:path');
const log = require('./log');
const { run } = require('./exec');
const { freePort } = require('./ports');
const { ensureTemporalCli } = require('./temporal-cli');
const { startTemporalDevServer } = require('./temporal-server');
const { startPostgres } = require('./postgres');

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
 * @param {number} o.temporalPort
 * @param {number|null} o.temporalUiPort  null runs the dev server headless
 * @param {string} o.namespace
 * @param {Record<string, string>} o.searchAttributes
 * @param {NodeJS.ProcessEnv} o.env
 * @param {boolean} [o.useExternal]  honour DATABASE_URL / TEMPORAL_ADDRESS (start: yes; test: never)
 */
async function startInfrastructure(o) {
  /** @type {Array<() => Promise<void>>} */
  const stops = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((e) => log.warn(String(e && e.message)));
  };
  try {
    let databaseUrl = o.useExternal ? o.env.DATABASE_URL : undefined;
    if (databaseUrl) {
      log.ok(`using PostgreSQL at DATABASE_URL`);
    } else {
      const pg = await startPostgres({ dataDir: path.join(o.dataDir, 'postgres'), port: o.postgresPort, logFile: path.join(o.dataDir, 'logs', 'postgres.log'), env: o.env });
      stops.push(() => pg.stop());
      databaseUrl = pg.url;
    }

    let temporalAddress = o.useExternal ? o.env.TEMPORAL_ADDRESS : undefined;
    let uiUrl = null;
    if (temporalAddress) {
      log.ok(`using Temporal at TEMPORAL_ADDRESS=${temporalAddress}`);
    } else {
      const cliPath = await ensureTemporalCli({ env: o.env });
      const temporal = await startTemporalDevServer({
        cliPath,
        port: o.temporalPort,
        uiPort: o.temporalUiPort,
        dbFile: path.join(o.dataDir, 'temporal', 'temporal.sqlite'),
        namespace: o.namespace,
        searchAttributes: o.searchAttributes,
        logFile: path.join(o.dataDir, 'logs', 'temporal.log'),
        env: o.env,
      });
      stops.push(() => temporal.stop());
      temporalAddress = temporal.address;
      uiUrl = temporal.uiUrl;
    }
    /** TEMPORAL_* settings every client and worker of this engine needs besides the address (e.g. mutual TLS files). */
    /** @type {Record<string, string>} */
    const temporalEnv = {};
    return { databaseUrl, temporalAddress, temporalEnv, uiUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * A private PostgreSQL and a headless Temporal dev server (namespace `default`) on free ports
 * under dataDir, whatever DATABASE_URL and TEMPORAL_ADDRESS say: what tests and benchmarks run on.
 * @param {string} root the repository @param {string} dataDir
 */
async function startPrivateInfrastructure(root, dataDir) {
  return startInfrastructure({
    dataDir,
    postgresPort: await freePort(),
    temporalPort: await freePort(),
    temporalUiPort: null,
    namespace: 'default',
    searchAttributes: searchAttributeRegistrations(root),
    env: process.env,
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
