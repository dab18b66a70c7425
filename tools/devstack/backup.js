#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run backup [-- --out DIR]`: a backup of a local stack, while it runs (lib/backup-set.js
 * says what it holds):
 *
 *   1. the Temporal stores present: the development engine's SQLite file, through SQLite's online
 *      backup API (a consistent copy while the server writes); the server engine's databases
 *      `temporal` and `temporal_visibility` in the stack's PostgreSQL, with pg_dump as its
 *      superuser, and the roles that own them;
 *   2. then the application database, with pg_dump (custom format: one consistent snapshot);
 *   3. then the keys and certificates the stack cannot run without (DATA_DIR/secrets, DATA_DIR/tls,
 *      lib/backup-set.js KEY_MATERIAL), byte for byte with their permissions.
 *
 * Temporal first: every write to PostgreSQL after the Temporal copy is one an evaluation restored
 * from that copy makes again, and those writes are idempotent. The other way round, the database
 * would miss what the restored workflows believe is already recorded.
 *
 * Then it reads back what it wrote, as restore would (lib/backup-set.js verifyBackup): a backup
 * that fails is deleted, and the command exits non-zero. DIR (default backups/<time>) receives the
 * files and manifest.json (sizes, SHA-256, times, tools). See README "Backup and recovery".
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const log = require('./lib/log');
const { ensureSupportedNode } = require('./lib/node-runtime');
const { runOrThrow } = require('./lib/exec');
const { findPgBinDir } = require('./lib/postgres');
const { stackConfig, ROOT } = require('./lib/stack-config');
const set = require('./lib/backup-set');

const SERVER_ENGINE_LIST = set.SERVER_ENGINE_DATABASES.join(', ');

/** @param {string} name */
function argValue(name) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

// The copy is a file at rest: journal_mode DELETE, so it opens read-only without -wal/-shm files.
const SQLITE_BACKUP = `
import sqlite3, sys
source = sqlite3.connect(sys.argv[1], timeout=30)
target = sqlite3.connect(sys.argv[2])
source.backup(target)
target.execute("PRAGMA journal_mode=DELETE")
result = target.execute("PRAGMA integrity_check").fetchone()[0]
target.close(); source.close()
print(result)
sys.exit(0 if result == "ok" else 1)
`;

/**
 * Writes every part of the backup into out; returns its manifest (also written there).
 * @param {ReturnType<typeof stackConfig>} cfg @param {string} out @param {string} binDir
 */
async function writeBackup(cfg, out, binDir) {
  const env = cfg.env;
  const pgDump = path.join(binDir, 'pg_dump');
  /** @type {import('./lib/backup-set').Manifest} */
  const manifest = {
    createdAt: new Date().toISOString(),
    dataDir: cfg.dataDir,
    tools: { pgDump, pgDumpVersion: (await runOrThrow(pgDump, ['--version'], { env, what: 'pg_dump --version' })).stdout.trim() },
    files: {},
  };

  log.step('Backing up the Temporal stores');
  let temporalStores = 0;
  if (fs.existsSync(cfg.temporalDb)) {
    const copy = path.join(out, set.SQLITE_COPY);
    const r = await runOrThrow(set.python(env), ['-c', SQLITE_BACKUP, cfg.temporalDb, copy], { env, timeoutMs: 5 * 60 * 1000, what: 'SQLite online backup' });
    manifest.files[set.SQLITE_COPY] = set.describeFile(copy, { integrity: r.stdout.trim() });
    log.ok(`${set.SQLITE_COPY} (development engine, ${cfg.temporalDb}): ${fs.statSync(copy).size} bytes, integrity ${r.stdout.trim()}`);
    temporalStores++;
  }
  if (cfg.env.DATABASE_URL) {
    log.info(`DATABASE_URL is set: the server engine's databases are looked for in the stack's own PostgreSQL only (${SERVER_ENGINE_LIST})`);
  } else {
    const conn = set.superuserArgs(cfg.postgresDir, cfg.postgresPort);
    const names = set.SERVER_ENGINE_DATABASES.map((n) => `'${n}'`).join(', ');
    const present = await set.superuserQuery(binDir, conn, `SELECT datname FROM pg_database WHERE datname IN (${names}) ORDER BY datname`, env);
    if (present.length > 0) {
      const rows = await set.superuserQuery(
        binDir,
        conn,
        `SELECT d.datname, r.rolname, r.rolsuper, r.rolcanlogin, r.rolcreatedb, coalesce(r.rolpassword, '') FROM pg_database d JOIN pg_authid r ON r.oid = d.datdba WHERE d.datname IN (${names}) ORDER BY 1`,
        env,
      );
      /** @type {import('./lib/backup-set').RolesRecord} */
      const roles = { owners: {}, roles: [] };
      for (const row of rows) {
        const [database, name, superuser, login, createdb, hash] = row.split('|');
        roles.owners[database] = name;
        if (superuser !== 't' && !roles.roles.some((r) => r.name === name)) roles.roles.push({ name, login: login === 't', createdb: createdb === 't', passwordHash: hash || null });
      }
      const rolesFile = path.join(out, set.ROLES_FILE);
      fs.writeFileSync(rolesFile, `${JSON.stringify(roles, null, 2)}\n`, { mode: 0o600 });
      manifest.files[set.ROLES_FILE] = set.describeFile(rolesFile, { mode: 0o600 });
      for (const database of present) {
        const dump = path.join(out, `${database}.dump`);
        await runOrThrow(pgDump, ['--format=custom', ...conn, `--file=${dump}`, database], { env, timeoutMs: 30 * 60 * 1000, what: `pg_dump ${database}` });
        manifest.files[`${database}.dump`] = set.describeFile(dump);
        log.ok(`${database}.dump (server engine): ${fs.statSync(dump).size} bytes`);
        temporalStores++;
      }
      log.ok(`${set.ROLES_FILE}: owners ${Object.entries(roles.owners).map(([d, r]) => `${d}: ${r}`).join(', ')}`);
    }
  }
  if (temporalStores === 0) {
    throw new Error(`no Temporal store: neither ${cfg.temporalDb} (development engine) nor the databases ${SERVER_ENGINE_LIST} (server engine) exist (DATA_DIR=${cfg.dataDir})`);
  }

  log.step('Backing up the application database (pg_dump, custom format)');
  const dump = path.join(out, set.APP_DUMP);
  await runOrThrow(pgDump, ['--format=custom', '--no-owner', '--no-privileges', `--file=${dump}`, `--dbname=${cfg.databaseUrl}`], { env, timeoutMs: 30 * 60 * 1000, what: 'pg_dump' });
  manifest.files[set.APP_DUMP] = set.describeFile(dump);
  log.ok(`${set.APP_DUMP}: ${fs.statSync(dump).size} bytes`);

  log.step(`Backing up the keys and certificates (DATA_DIR/{${set.KEY_MATERIAL.join(',')}})`);
  const keyFiles = set.keyMaterialFiles(cfg.dataDir);
  for (const rel of keyFiles) {
    const source = path.join(cfg.dataDir, ...rel.split('/'));
    const name = `${set.KEY_MATERIAL_DIR}/${rel}`;
    const target = path.join(out, ...name.split('/'));
    const mode = fs.statSync(source).mode & 0o777;
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
    const content = fs.readFileSync(source);
    fs.writeFileSync(target, content, { mode: 0o600 });
    const entry = set.describeFile(target, { mode });
    if (entry.sha256 !== crypto.createHash('sha256').update(content).digest('hex')) throw new Error(`${name} was not written as read`);
    manifest.files[name] = entry;
  }
  log.ok(keyFiles.length > 0 ? `${keyFiles.length} file(s): ${keyFiles.join(', ')}` : 'none in this DATA_DIR');

  fs.writeFileSync(path.join(out, set.MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

async function main() {
  const cfg = stackConfig();
  const out = path.resolve(ROOT, argValue('--out') || path.join('backups', new Date().toISOString().replace(/[:.]/g, '-')));
  if (fs.existsSync(out) && fs.readdirSync(out).length > 0) throw new Error(`${out} is not empty; choose another --out`);
  if (cfg.env.TEMPORAL_ADDRESS) throw new Error('TEMPORAL_ADDRESS names an external Temporal: back up its own persistence store as its operators do (this script covers the engines of `npm start`).');
  const binDir = findPgBinDir(cfg.env);
  if (!binDir) throw new Error('pg_dump was not found (PG_BIN_DIR, /usr/lib/postgresql/*/bin).');
  fs.mkdirSync(out, { recursive: true, mode: 0o700 });
  try {
    const manifest = await writeBackup(cfg, out, binDir);
    log.step('Verifying the backup as restore reads it (checksums, pg_restore of every dump to its end, SQLite integrity)');
    await set.verifyBackup(out, binDir, cfg.env);
    log.ok(`${Object.keys(manifest.files).length} files verified`);
  } catch (error) {
    fs.rmSync(out, { recursive: true, force: true });
    throw new Error(`backup refused: ${error instanceof Error ? error.message : String(error)}\nNothing was kept at ${out}.`);
  }
  log.ok(`backup written to ${out}`);
  process.stdout.write(`${out}\n`);
}

ensureSupportedNode().then(main).catch((error) => {
  log.fail(error && error.message ? error.message : String(error));
  process.exit(1);
});
