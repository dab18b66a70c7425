// @ts-check
'use strict';
/**
 * PostgreSQL and Temporal for a stack: the ones named by DATABASE_URL / TEMPORAL_ADDRESS when
 * set, otherwise private ones under the data folder. Shared by `npm start` and `npm test`.
 */
const path = require('node:path');
const log = require('./log');
const { ensureTemporalCli } = require('./temporal-cli');
const { startTemporalDevServer } = require('./temporal-server');
const { startPostgres } = require('./postgres');

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
    return { databaseUrl, temporalAddress, uiUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

module.exports = { startInfrastructure };
