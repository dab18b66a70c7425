#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run backup [-- --out DIR]`: a backup of a local stack's two stores, while it runs.
 *
 *   1. the Temporal dev server's SQLite file, through SQLite's online backup API (a consistent
 *      copy while the server writes), checked with PRAGMA integrity_check;
 *   2. then the PostgreSQL database, with pg_dump (custom format: one consistent snapshot).
 *
 * Temporal first: every write to PostgreSQL after the Temporal copy is one an evaluation restored
 * from that copy makes again, and those writes are idempotent. The other way round, the database
 * would miss what the restored workflows believe is already recorded.
 *
 * DIR (default backups/<time>) receives temporal.sqlite, appraise.dump and manifest.json (sizes,
 * SHA-256, times). See README "Backup and recovery".
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const log = require('./lib/log');
const { ensureSupportedNode } = require('./lib/node-runtime');
const { runOrThrow, which } = require('./lib/exec');
const { findPgBinDir } = require('./lib/postgres');
const { stackConfig, ROOT } = require('./lib/stack-config');

/** @param {string} name */
function argValue(name) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

/** @param {string} file */
function sha256(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** python3 for the SQLite backup API (the sqlite3 module is part of the standard library). @param {NodeJS.ProcessEnv} env */
function python(env) {
  const found = [env.PYTHON, which('python3', env), '/usr/bin/python3'].find((p) => p && fs.existsSync(p));
  if (!found) throw new Error('python3 is needed to copy the Temporal SQLite file consistently (apt-get install python3).');
  return found;
}

const SQLITE_BACKUP = `
import sqlite3, sys
source = sqlite3.connect(sys.argv[1], timeout=30)
target = sqlite3.connect(sys.argv[2])
source.backup(target)
result = target.execute("PRAGMA integrity_check").fetchone()[0]
target.close(); source.close()
print(result)
sys.exit(0 if result == "ok" else 1)
`;

/** Consistent copy of a live SQLite database. @param {string} source @param {string} target @param {NodeJS.ProcessEnv} env */
async function backupSqlite(source, target, env) {
  const result = await runOrThrow(python(env), ['-c', SQLITE_BACKUP, source, target], { env, timeoutMs: 5 * 60 * 1000, what: 'SQLite online backup' });
  return result.stdout.trim();
}

async function main() {
  const cfg = stackConfig();
  const out = path.resolve(ROOT, argValue('--out') || path.join('backups', new Date().toISOString().replace(/[:.]/g, '-')));
  if (fs.existsSync(out) && fs.readdirSync(out).length > 0) throw new Error(`${out} is not empty; choose another --out`);
  fs.mkdirSync(out, { recursive: true });
  /** @type {{ createdAt: string, dataDir: string, files: Record<string, { at: string, bytes: number, sha256: string, integrity?: string }> }} */
  const manifest = { createdAt: new Date().toISOString(), dataDir: cfg.dataDir, files: {} };

  log.step(`Backing up the Temporal store (${cfg.temporalDb})`);
  if (cfg.env.TEMPORAL_ADDRESS) throw new Error('TEMPORAL_ADDRESS names an external Temporal: back up its own persistence store as its operators do (this script covers the dev server of `npm start`).');
  if (!fs.existsSync(cfg.temporalDb)) throw new Error(`no Temporal store at ${cfg.temporalDb} (DATA_DIR=${cfg.dataDir})`);
  const temporalCopy = path.join(out, 'temporal.sqlite');
  const integrity = await backupSqlite(cfg.temporalDb, temporalCopy, cfg.env);
  manifest.files['temporal.sqlite'] = { at: new Date().toISOString(), bytes: fs.statSync(temporalCopy).size, sha256: sha256(temporalCopy), integrity };
  log.ok(`temporal.sqlite: ${fs.statSync(temporalCopy).size} bytes, integrity ${integrity}`);

  log.step('Backing up PostgreSQL (pg_dump, custom format)');
  const binDir = findPgBinDir(cfg.env);
  if (!binDir) throw new Error('pg_dump was not found (PG_BIN_DIR, /usr/lib/postgresql/*/bin).');
  const dump = path.join(out, 'appraise.dump');
  await runOrThrow(path.join(binDir, 'pg_dump'), ['--format=custom', '--no-owner', '--no-privileges', `--file=${dump}`, `--dbname=${cfg.databaseUrl}`], {
    env: cfg.env,
    timeoutMs: 30 * 60 * 1000,
    what: 'pg_dump',
  });
  manifest.files['appraise.dump'] = { at: new Date().toISOString(), bytes: fs.statSync(dump).size, sha256: sha256(dump) };
  log.ok(`appraise.dump: ${fs.statSync(dump).size} bytes`);

  fs.writeFileSync(path.join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  log.ok(`backup written to ${out}`);
  process.stdout.write(`${out}\n`);
}

ensureSupportedNode().then(main).catch((error) => {
  log.fail(error && error.message ? error.message : String(error));
  process.exit(1);
});
