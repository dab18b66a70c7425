// @ts-check
'use strict';
/**
 * What a backup of a local stack holds (backup.js writes it, restore.js puts it back) and the
 * check that it can be restored, which both run: backup.js on what it has just written (and a
 * backup that fails it is deleted, never left behind), restore.js before it touches DATA_DIR.
 *
 * A backup folder:
 *   temporal.sqlite            the development engine's store (when DATA_DIR has one)
 *   temporal.dump, temporal_visibility.dump
 *                              the server engine's databases (when the stack's PostgreSQL has them)
 *   roles.json                 their owners, and those roles with their password hashes
 *   appraise.dump              the application database
 *   data/<KEY_MATERIAL>/...    the keys and certificates the stack cannot run without
 *   manifest.json              every file above: bytes, SHA-256, time taken; the tools used
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { run, runOrThrow, which, tail } = require('./exec');
const { readPostmasterPid } = require('./postgres');

/**
 * Folders (or files) of DATA_DIR the stack cannot run without, copied byte for byte with their
 * permissions: the generated secrets (JWT secret, codec keys, the checkpoint signing key:
 * lib/stack-secrets.js), the TLS files of the server engine (CA, server and client certificates
 * and keys), and the decision log's signed checkpoints outside the database (audit/). A feature
 * that adds a key of its own lists its place here.
 */
const KEY_MATERIAL = ['secrets', 'tls', 'audit'];
/** The server engine's databases in the stack's PostgreSQL (the Temporal persistence and visibility stores). */
const SERVER_ENGINE_DATABASES = ['temporal', 'temporal_visibility'];
const SQLITE_COPY = 'temporal.sqlite';
const APP_DUMP = 'appraise.dump';
const ROLES_FILE = 'roles.json';
const KEY_MATERIAL_DIR = 'data';
const MANIFEST = 'manifest.json';

/**
 * @typedef {{ at: string, bytes: number, sha256: string, mode?: number, integrity?: string }} ManifestFile
 * @typedef {{ createdAt: string, dataDir: string, tools?: Record<string, string>, files: Record<string, ManifestFile> }} Manifest
 * @typedef {{ name: string, login: boolean, createdb: boolean, passwordHash: string | null }} RoleRecord
 * @typedef {{ owners: Record<string, string>, roles: RoleRecord[] }} RolesRecord  each database's owner; the roles to create (not the superuser)
 */

/** @param {string} file */
function sha256(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** The manifest entry of a file just written into the backup. @param {string} file @param {Partial<ManifestFile>} [extra] @returns {ManifestFile} */
function describeFile(file, extra = {}) {
  return { at: new Date().toISOString(), bytes: fs.statSync(file).size, sha256: sha256(file), ...extra };
}

/** python3, for SQLite (its sqlite3 module is part of the standard library). @param {NodeJS.ProcessEnv} env */
function python(env) {
  const found = [env.PYTHON, which('python3', env), '/usr/bin/python3'].find((p) => p && fs.existsSync(p));
  if (!found) throw new Error('python3 is needed to copy and check the Temporal SQLite file (apt-get install python3).');
  return found;
}

const SQLITE_INTEGRITY = `
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
result = db.execute("PRAGMA integrity_check").fetchone()[0]
db.close()
print(result)
sys.exit(0 if result == "ok" else 1)
`;

/** PRAGMA integrity_check on a SQLite file, read only. @param {string} file @param {NodeJS.ProcessEnv} env */
async function sqliteIntegrity(file, env) {
  const r = await run(python(env), ['-c', SQLITE_INTEGRITY, file], { env, timeoutMs: 5 * 60 * 1000 });
  if (r.code !== 0) throw new Error(`${path.basename(file)} fails SQLite's integrity check: ${tail((r.stdout || r.stderr).trim(), 5) || `exit ${r.code}`}`);
  return r.stdout.trim();
}

/**
 * A custom-format dump pg_restore can read to its end: its table of contents (--list), then every
 * data block, decompressed and turned into SQL that goes nowhere. A truncated or damaged dump
 * passes --list alone, so the second pass is the one that counts.
 * @param {string} pgBinDir @param {string} file @param {NodeJS.ProcessEnv} env
 */
async function checkDump(pgBinDir, file, env) {
  const pgRestore = path.join(pgBinDir, 'pg_restore');
  for (const args of [['--list', file], ['--file=/dev/null', file]]) {
    const r = await run(pgRestore, args, { env, timeoutMs: 30 * 60 * 1000 });
    if (r.code !== 0 || r.error) {
      throw new Error(`${path.basename(file)} cannot be restored: pg_restore ${args[0]} says ${tail((r.stderr || r.stdout).trim(), 5) || (r.error ? r.error.message : `exit ${r.code}`)}`);
    }
  }
}

/**
 * Throws unless the backup in dir can be restored: every file of its manifest is there with its
 * size and SHA-256, every dump reads to its end, the SQLite copy passes its integrity check.
 * @param {string} dir @param {string} pgBinDir @param {NodeJS.ProcessEnv} env
 * @returns {Promise<Manifest>}
 */
async function verifyBackup(dir, pgBinDir, env) {
  const manifestFile = path.join(dir, MANIFEST);
  if (!fs.existsSync(manifestFile)) throw new Error(`${manifestFile} is missing: is ${dir} a backup made by npm run backup?`);
  /** @type {Manifest} */
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  if (!manifest.files || !manifest.files[APP_DUMP]) throw new Error(`${manifestFile} lists no ${APP_DUMP}: not a backup made by npm run backup`);
  for (const [name, entry] of Object.entries(manifest.files)) {
    const file = path.join(dir, ...name.split('/'));
    if (!fs.existsSync(file)) throw new Error(`${name} is listed in the manifest but missing from ${dir}`);
    if (entry.bytes !== undefined && fs.statSync(file).size !== entry.bytes) throw new Error(`${name} has ${fs.statSync(file).size} bytes, the manifest says ${entry.bytes}: the backup is damaged`);
    if (sha256(file) !== entry.sha256) throw new Error(`${name} does not match its SHA-256 in the manifest: the backup is damaged`);
    if (name.endsWith('.dump')) await checkDump(pgBinDir, file, env);
    if (name === SQLITE_COPY) await sqliteIntegrity(file, env);
    if (name === ROLES_FILE) JSON.parse(fs.readFileSync(file, 'utf8'));
  }
  return manifest;
}

/**
 * Every file of DATA_DIR's KEY_MATERIAL, as its path relative to DATA_DIR (with `/`).
 * @param {string} dataDir @returns {string[]}
 */
function keyMaterialFiles(dataDir) {
  /** @type {string[]} */
  const found = [];
  /** @param {string} rel */
  const walk = (rel) => {
    const abs = path.join(dataDir, ...rel.split('/'));
    if (!fs.existsSync(abs)) return;
    if (fs.statSync(abs).isDirectory()) for (const entry of fs.readdirSync(abs).sort()) walk(`${rel}/${entry}`);
    else found.push(rel);
  };
  for (const entry of KEY_MATERIAL) walk(entry);
  return found;
}

/**
 * The private cluster's superuser over its unix socket (initdb --auth-local=trust, lib/postgres.js):
 * the server engine's databases belong to their own role, which the application's cannot read.
 * @param {string} postgresDir @param {number} port @returns {string[]} psql / pg_dump / pg_restore connection arguments
 */
function superuserArgs(postgresDir, port) {
  const running = readPostmasterPid(postgresDir);
  const socketDir = running && running.socketDir;
  if (!socketDir) throw new Error(`the stack's PostgreSQL in ${postgresDir} is not running (no postmaster.pid): start the stack (npm start) first`);
  return ['-h', socketDir, '-p', String(port), '-U', 'postgres'];
}

/** @param {string} pgBinDir @param {string[]} conn @param {string} sql @param {NodeJS.ProcessEnv} env @returns {Promise<string[]>} rows, columns joined by `|` */
async function superuserQuery(pgBinDir, conn, sql, env) {
  const r = await runOrThrow(path.join(pgBinDir, 'psql'), ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', ...conn, '-d', 'postgres', '-c', sql], { env, timeoutMs: 60000, what: 'psql' });
  return r.stdout.split('\n').filter(Boolean);
}

module.exports = {
  KEY_MATERIAL,
  SERVER_ENGINE_DATABASES,
  SQLITE_COPY,
  APP_DUMP,
  ROLES_FILE,
  KEY_MATERIAL_DIR,
  MANIFEST,
  sha256,
  describeFile,
  python,
  verifyBackup,
  keyMaterialFiles,
  superuserArgs,
  superuserQuery,
};
