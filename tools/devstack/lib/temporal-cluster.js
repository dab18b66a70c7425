// @ts-check
'use strict';

/**
 * The Temporal server engine (APPRAISE_ENGINE=server): the real Temporal server on the stack's
 * PostgreSQL, with mutual TLS, under the supervisor (processes.js).
 *
 * At every start, idempotently:
 *  1. the role `temporal` (password generated once into DATA_DIR/secrets/temporal-db-password)
 *     and its databases `temporal` and `temporal_visibility`;
 *  2. their schemas: `sql setup-schema -v 0.0` the first time, then `update-schema` to the
 *     versions the binary ships;
 *  3. the TLS files (stack-tls.js) and the server's configuration in DATA_DIR/temporal-server/
 *     (from the module's config/development-postgres12.yaml, with TLS, our ports and shards; the
 *     database password is read from the environment, so the file holds no secret);
 *  4. the server: one process running every service, or (`split`) a frontend, a history, a
 *     matching and a worker process, each with its log in DATA_DIR/logs/;
 *  5. the namespace (with a retention) and the custom search attributes, registered as
 *     docker/temporal/register-search-attributes.sh does, then waited for (temporal-readiness.js).
 *
 * The history shard count is fixed when the databases are first used: a later start with another
 * count is refused.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const log = require('./log');
const { runOrThrow, fileTail, indent } = require('./exec');
const { freePortBetween, isPortFree, waitForPort } = require('./ports');
const { spawnService } = require('./processes');
const { ensureSecretFile } = require('./stack-secrets');
const { ensureStackTls, SERVER_DNS_NAMES } = require('./stack-tls');
const { READY_DEADLINE_MS, temporalCli, validateSearchAttributes, waitServing, waitNamespace, waitSearchAttributes, until } = require('./temporal-readiness');

const DB_ROLE = 'temporal';
const DATABASES = { temporal: 'temporal', visibility: 'temporal_visibility' };
const DB_PASSWORD_FILE = 'temporal-db-password';
/** The server reads the database password from this variable (the config file is a template). */
const DB_PASSWORD_ENV = 'APPRAISE_TEMPORAL_DB_PASSWORD';
/** Closed evaluations' histories are kept this long; the decision log in PostgreSQL is the record. */
const NAMESPACE_RETENTION = '30d';
const SERVICES = /** @type {const} */ (['history', 'matching', 'frontend', 'worker']);
const STOP_GRACE_MS = 20000;

/**
 * @typedef {typeof SERVICES[number]} TemporalService
 * @typedef {Record<TemporalService, { grpc: number, membership: number }>} ServicePorts
 *
 * @typedef {object} ServerProcess
 * @property {string} name          `temporal` (single) or `temporal-<service>` (split)
 * @property {TemporalService[]} services
 * @property {string} logFile
 * @property {import('./processes').ServiceHandle} handle   replaced on restart()
 * @property {() => Promise<void>} restart   start it (again, after a kill: same config, same ports), until its membership port listens (every service has one)
 *
 * @typedef {object} TemporalCluster
 * @property {string} address              host:port of the frontend
 * @property {string} namespace
 * @property {Record<string, string>} clientEnv   TEMPORAL_TLS_* for every client and worker
 * @property {import('./temporal-readiness').CliTls} tls
 * @property {ServerProcess[]} processes
 * @property {string} configDir
 * @property {(procs: ServerProcess[]) => Promise<void>} restart   start these again (after a kill) and wait until the frontend serves
 * @property {() => Promise<void>} stop
 */

/**
 * @param {object} o
 * @param {import('./temporal-server-binaries').TemporalServerBinaries} o.binaries
 * @param {string} o.cliPath                 the Temporal CLI (namespace, search attributes, health)
 * @param {import('./postgres').PostgresInstance} o.postgres   the stack's private cluster (its superuser creates the role)
 * @param {string} o.dataDir
 * @param {number} o.port                    the frontend's gRPC port
 * @param {boolean} o.derivePorts            the other ports are port+1..port+7 (npm start); else free ones
 * @param {number} o.shards
 * @param {'single'|'split'} o.services
 * @param {string} o.namespace
 * @param {Record<string, string>} o.searchAttributes
 * @param {NodeJS.ProcessEnv} o.env
 * @param {(name: string, exit: import('./processes').ExitInfo) => void} [o.onUnexpectedExit]
 * @returns {Promise<TemporalCluster>}
 */
async function startTemporalCluster(o) {
  validateSearchAttributes(o.searchAttributes);
  const serverDir = path.join(o.dataDir, 'temporal-server');
  const configDir = path.join(serverDir, 'config');
  const configFile = path.join(configDir, 'appraise.yaml');
  checkShards(configFile, o.shards);

  log.step(`Starting the Temporal server ${o.services === 'split' ? '(frontend, history, matching and worker processes)' : '(every service in one process)'} on PostgreSQL`);
  const password = ensureSecretFile(o.dataDir, DB_PASSWORD_FILE, () => crypto.randomBytes(24).toString('base64url'));
  await o.postgres.ensureRole({ user: DB_ROLE, password, databases: [DATABASES.temporal, DATABASES.visibility] });
  await ensureSchemas(o.binaries, o.postgres.port, password, o.env);

  const { files, created } = ensureStackTls(o.dataDir);
  if (created.length > 0) log.info(`mutual TLS: ${created.join(', ')} written into ${files.dir}`);
  const ports = await choosePorts(o.port, o.derivePorts);
  const dynamicConfigFile = path.join(serverDir, 'dynamicconfig.yaml');
  fs.mkdirSync(configDir, { recursive: true });
  fs.writeFileSync(dynamicConfigFile, DYNAMIC_CONFIG);
  fs.writeFileSync(configFile, renderConfig({ shards: o.shards, ports, postgresPort: o.postgres.port, tls: files, dynamicConfigFile }));

  const address = `127.0.0.1:${ports.frontend.grpc}`;
  // The name in the server certificate (stack-tls.js), whatever address the client dials.
  const tls = { caFile: files.ca, certFile: files.client, keyFile: files.clientKey, serverName: SERVER_DNS_NAMES[0] };
  const groups = o.services === 'split' ? SERVICES.map((s) => [s]) : [[...SERVICES]];
  /** @type {ServerProcess[]} */
  const processes = [];
  let starting = true;
  let exitedEarly = /** @type {string|null} */ (null);
  const serverEnv = { PATH: o.env.PATH || '', HOME: o.env.HOME || '', [DB_PASSWORD_ENV]: password };
  for (const services of groups) {
    const name = services.length === 1 ? `temporal-${services[0]}` : 'temporal';
    const logFile = path.join(o.dataDir, 'logs', `${name}.log`);
    const args = ['--root', serverDir, '--config', 'config', '--env', 'appraise', '--allow-no-auth', 'start', ...services.flatMap((s) => ['--service', s])];
    /** @type {ServerProcess} */
    const proc = {
      name,
      services,
      logFile,
      handle: /** @type {any} */ (null),
      async restart() {
        proc.handle = spawnService(name, o.binaries.server, args, {
          env: serverEnv,
          cwd: serverDir,
          logFile,
          onUnexpectedExit: (n, exit) => {
            if (starting) {
              exitedEarly = `${n} exited during startup (${exit.signal || `code ${exit.code}`}); log: ${logFile}\n${indent(logSummary(logFile))}`;
              return;
            }
            if (o.onUnexpectedExit) o.onUnexpectedExit(n, exit);
            else log.fail(`${n} exited unexpectedly (${exit.signal || `code ${exit.code}`}); log: ${logFile}`);
          },
        });
        // One at a time: processes that start together race to write the cluster's metadata.
        await waitForPort('127.0.0.1', ports[services[0]].membership, { timeoutMs: 60000, label: `${name} (membership)`, isAborted: () => exitedEarly });
      },
    };
    processes.push(proc);
  }
  log.info(`frontend ${address} (mutual TLS), ${o.shards} history shards; config ${configFile}; logs ${processes.map((p) => path.basename(p.logFile)).join(', ')}`);

  const stop = async () => {
    starting = false;
    // The frontend first, so clients stop arriving; history last, so shards hand over cleanly.
    for (const proc of [...processes].reverse()) if (proc.handle) await proc.handle.stop('SIGTERM', STOP_GRACE_MS);
    log.ok('Temporal server stopped');
  };

  const cli = temporalCli({ cliPath: o.cliPath, address, tls, env: o.env });
  const aborted = () => exitedEarly;
  /** @param {Error} e */
  const failure = (e) => new Error(`Temporal server: ${exitedEarly || e.message}`);
  try {
    const started = Date.now();
    for (const proc of processes) {
      await proc.restart().catch((e) => {
        throw failure(e);
      });
    }
    await waitServing(cli, aborted).catch((e) => {
      throw failure(e);
    });
    await ensureNamespace(cli, o.namespace);
    await waitNamespace(cli, o.namespace, aborted).catch((e) => {
      throw failure(e);
    });
    await registerSearchAttributes(cli, o.namespace, o.searchAttributes, aborted);
    await waitSearchAttributes(cli, o.namespace, o.searchAttributes, aborted).catch((e) => {
      throw failure(e);
    });
    starting = false;
    log.ok(`Temporal server ready at ${address} (namespace ${o.namespace}, retention ${NAMESPACE_RETENTION}) in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    address,
    namespace: o.namespace,
    async restart(procs) {
      for (const proc of procs) await proc.restart();
      await waitServing(cli, () => null);
    },
    clientEnv: { TEMPORAL_TLS_CA_FILE: tls.caFile, TEMPORAL_TLS_CERT_FILE: tls.certFile, TEMPORAL_TLS_KEY_FILE: tls.keyFile, TEMPORAL_TLS_SERVER_NAME: tls.serverName },
    tls,
    processes,
    configDir,
    stop,
  };
}

/** The last lines of a server log, each cut to its message and error (its lines are JSON with stack traces). @param {string} logFile */
function logSummary(logFile) {
  return fileTail(logFile, 6)
    .split('\n')
    .map((line) => {
      try {
        const entry = JSON.parse(line);
        return `${entry.level}: ${entry.msg}${entry.error ? ` (${entry.error})` : ''}`;
      } catch {
        return line.slice(0, 300);
      }
    })
    .join('\n');
}

/**
 * The shard count is written into the databases at the first start and cannot change: refuse
 * early, in words, rather than let the server fail on it.
 * @param {string} configFile @param {number} shards
 */
function checkShards(configFile, shards) {
  if (!fs.existsSync(configFile)) return;
  const m = /"numHistoryShards":\s*(\d+)/.exec(fs.readFileSync(configFile, 'utf8'));
  if (m && Number(m[1]) !== shards) {
    throw new Error(
      `This data folder's Temporal server was created with ${m[1]} history shards, and the count cannot change after the first start; ` +
        `APPRAISE_TEMPORAL_SHARDS asks for ${shards}. Set APPRAISE_TEMPORAL_SHARDS=${m[1]} (or unset it if ${m[1]} is the default), or start from a new DATA_DIR.`,
    );
  }
}

/**
 * Schemas of both databases: set up once, then updated to what the binary ships (each a no-op
 * when already there).
 * @param {import('./temporal-server-binaries').TemporalServerBinaries} binaries @param {number} port @param {string} password @param {NodeJS.ProcessEnv} env
 */
async function ensureSchemas(binaries, port, password, env) {
  const { Client } = require('pg');
  for (const [kind, database] of Object.entries(DATABASES)) {
    const client = new Client({ host: '127.0.0.1', port, user: DB_ROLE, password, database });
    await client.connect();
    let version = null;
    try {
      const exists = await client.query(`SELECT to_regclass('schema_version') IS NOT NULL AS present`);
      if (exists.rows[0].present) version = (await client.query('SELECT curr_version FROM schema_version LIMIT 1')).rows[0]?.curr_version ?? null;
    } finally {
      await client.end();
    }
    const sql = (/** @type {string[]} */ args) =>
      runOrThrow(binaries.sql, ['--plugin', 'postgres12', '--endpoint', '127.0.0.1', '--port', String(port), '--user', DB_ROLE, '--database', database, ...args], {
        env: { PATH: env.PATH || '', SQL_PASSWORD: password },
        timeoutMs: 120000,
        what: `temporal-sql-tool on ${database}`,
      });
    if (version === null) await sql(['setup-schema', '-v', '0.0']);
    await sql(['update-schema', '-d', path.join(binaries.schemaDir, kind, 'versioned')]);
    log.info(`schema of ${database}: ${version === null ? 'set up' : `was ${version}`}, updated`);
  }
}

/** The server keeps its membership ports in a SQL smallint. */
const MAX_MEMBERSHIP_PORT = 32767;

/**
 * The frontend's port as given; the others port+1..port+7 (derive) or free ones below 32768.
 * @param {number} frontend @param {boolean} derive
 * @returns {Promise<ServicePorts>}
 */
async function choosePorts(frontend, derive) {
  /** @type {number[]} */
  const others = [];
  const taken = new Set([frontend]);
  for (let i = 1; i <= 7; i += 1) {
    const port = derive ? frontend + i : await freePortBetween(20000, MAX_MEMBERSHIP_PORT, taken);
    taken.add(port);
    others.push(port);
  }
  const all = [frontend, ...others];
  if (Math.max(...others.slice(3)) > MAX_MEMBERSHIP_PORT) {
    throw new Error(`The server engine uses TEMPORAL_PORT (${frontend}) to TEMPORAL_PORT+7, and the last four must be at most ${MAX_MEMBERSHIP_PORT} (the server stores them as SQL smallint): choose a lower TEMPORAL_PORT.`);
  }
  for (const p of all) {
    if (!(await isPortFree('127.0.0.1', p))) {
      throw new Error(
        `Cannot start the Temporal server: port 127.0.0.1:${p} is in use. The server engine uses TEMPORAL_PORT (${frontend}) to TEMPORAL_PORT+7; ` +
          `choose another TEMPORAL_PORT, or stop whatever listens there (e.g. \`ss -ltnp 'sport = :${p}'\`).`,
      );
    }
  }
  const [, history, matching, worker, fm, hm, mm, wm] = all;
  return {
    frontend: { grpc: frontend, membership: fm },
    history: { grpc: history, membership: hm },
    matching: { grpc: matching, membership: mm },
    worker: { grpc: worker, membership: wm },
  };
}

/**
 * Operators of a long-lived cluster tune these; these are the dev server's own settings that
 * matter here (search attributes visible at once) and nothing else.
 */
const DYNAMIC_CONFIG = `# Written by tools/devstack/lib/temporal-cluster.js at every start.
system.forceSearchAttributesCacheRefreshOnRead:
  - value: true
frontend.persistenceMaxQPS:
  - value: 10000
history.persistenceMaxQPS:
  - value: 45000
`;

/**
 * The server's configuration (config/development-postgres12.yaml of the module, with our
 * ports, shards and TLS), as JSON, which is YAML; a template, so the password stays in the
 * environment.
 * @param {{ shards: number, ports: ServicePorts, postgresPort: number, tls: ReturnType<typeof import('./stack-tls').tlsFiles>, dynamicConfigFile: string }} o
 */
function renderConfig({ shards, ports, postgresPort, tls, dynamicConfigFile }) {
  const datastore = (/** @type {string} */ databaseName, /** @type {number} */ maxConns) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `127.0.0.1:${postgresPort}`,
      connectProtocol: 'tcp',
      user: DB_ROLE,
      password: `{{ env \`${DB_PASSWORD_ENV}\` }}`,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  // The server pair is also the client certificate of the services between themselves.
  const server = { certFile: tls.server, keyFile: tls.serverKey, requireClientAuth: true, clientCaFiles: [tls.ca] };
  const client = { serverName: SERVER_DNS_NAMES[0], rootCaFiles: [tls.ca] };
  const rpc = (/** @type {{ grpc: number, membership: number }} */ p) => ({ grpcPort: p.grpc, membershipPort: p.membership, bindOnLocalHost: true });
  const config = {
    log: { stdout: true, level: 'warn', format: 'json' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: shards,
      datastores: { 'postgres-default': datastore(DATABASES.temporal, 20), 'postgres-visibility': datastore(DATABASES.visibility, 10) },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      tls: {
        frontend: { server, client },
        internode: { server, client },
        systemWorker: { certFile: tls.server, keyFile: tls.serverKey, client },
      },
    },
    services: {
      frontend: { rpc: { ...rpc(ports.frontend), httpPort: 0 } },
      history: { rpc: rpc(ports.history) },
      matching: { rpc: rpc(ports.matching) },
      worker: { rpc: rpc(ports.worker) },
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `localhost:${ports.frontend.grpc}` } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
    publicClient: { hostPort: `localhost:${ports.frontend.grpc}` },
    dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: '60s' },
  };
  return `# enable-template\n# Written by tools/devstack/lib/temporal-cluster.js at every start (JSON is YAML).\n${JSON.stringify(config, null, 2)}\n`;
}

/** @param {import('./temporal-readiness').TemporalCli} cli @param {string} namespace */
async function ensureNamespace(cli, namespace) {
  if ((await cli(['operator', 'namespace', 'describe', '--namespace', namespace])).code === 0) return;
  const r = await cli(['operator', 'namespace', 'create', '--namespace', namespace, '--retention', NAMESPACE_RETENTION]);
  if (r.code !== 0 && !/already exists|AlreadyExists/i.test(`${r.stdout}${r.stderr}`)) {
    throw new Error(`Temporal server: creating namespace ${namespace} failed: ${(r.stderr || r.stdout).trim()}`);
  }
  log.info(`namespace ${namespace} registered (retention ${NAMESPACE_RETENTION})`);
}

/**
 * As docker/temporal/register-search-attributes.sh: once the namespace has reached every
 * service's cache (listing works), create each; an existing one is fine (its type is checked by
 * the wait that follows).
 * @param {import('./temporal-readiness').TemporalCli} cli @param {string} namespace @param {Record<string, string>} searchAttributes @param {() => unknown} aborted
 */
async function registerSearchAttributes(cli, namespace, searchAttributes, aborted) {
  await until(READY_DEADLINE_MS, aborted, async () => (await cli(['operator', 'search-attribute', 'list', '--namespace', namespace])).code === 0).catch((/** @type {Error} */ e) => {
    throw new Error(`Temporal server: namespace ${namespace} not usable for search attributes after ${READY_DEADLINE_MS / 1000}s (${e.message})`);
  });
  for (const [name, type] of Object.entries(searchAttributes)) {
    const r = await cli(['operator', 'search-attribute', 'create', '--namespace', namespace, '--name', name, '--type', type]);
    const out = `${r.stdout}${r.stderr}`;
    if (r.code !== 0 && !/already exists|AlreadyExists/i.test(out)) throw new Error(`Temporal server: registering search attribute ${name} (${type}) failed: ${out.trim()}`);
  }
}

module.exports = { startTemporalCluster, DB_PASSWORD_FILE, DATABASES };
