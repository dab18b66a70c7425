#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run restore -- --from DIR`: puts a backup made by `npm run backup` back into DATA_DIR, with
 * the stack stopped. The backup is verified first, as backup.js verified it when writing
 * (lib/backup-set.js verifyBackup): a damaged one is refused before DATA_DIR is touched. What
 * DATA_DIR held (postgres/, temporal/, and the key folders the backup holds: secrets/, tls/) is
 * moved aside into DATA_DIR/replaced-<time>/, never deleted. Then `npm start` resumes from the
 * backup: the restored workflows continue where the Temporal copy left them. See README "Backup
 * and recovery".
 */
const fs = require('node:fs');
const path = require('node:path');
const log = require('./lib/log');
const { ensureSupportedNode } = require('./lib/node-runtime');
const { runOrThrow } = require('./lib/exec');
const { isPortFree } = require('./lib/ports');
const { findPgBinDir, startPostgres, ident, literal } = require('./lib/postgres');
const { stopAll } = require('./lib/processes');
const { stackConfig, ROOT } = require('./lib/stack-config');
const set = require('./lib/backup-set');

/** @param {string} name */
function argValue(name) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const fromArg = argValue('--from');
  if (!fromArg) throw new Error('usage: npm run restore -- --from <backup folder>');
  const from = path.resolve(ROOT, fromArg);
  const cfg = stackConfig();
  if (cfg.env.DATABASE_URL || cfg.env.TEMPORAL_ADDRESS) {
    throw new Error('DATABASE_URL or TEMPORAL_ADDRESS is set: restore external services with their own tools (pg_restore, your Temporal persistence backups); this script restores the private stores of `npm start`.');
  }
  const binDir = findPgBinDir(cfg.env);
  if (!binDir) throw new Error('pg_restore was not found (PG_BIN_DIR, /usr/lib/postgresql/*/bin).');

  log.step(`Verifying ${from}`);
  const manifest = await set.verifyBackup(from, binDir, cfg.env).catch((error) => {
    throw new Error(`${from} cannot be restored, nothing was changed: ${error.message}`);
  });
  const names = Object.keys(manifest.files);
  const serverDumps = set.SERVER_ENGINE_DATABASES.filter((db) => names.includes(`${db}.dump`));
  const keyFiles = names.filter((n) => n.startsWith(`${set.KEY_MATERIAL_DIR}/`));
  log.ok(`${names.length} files verified (taken ${manifest.createdAt})`);

  log.step(`Restoring into ${cfg.dataDir}`);
  /** @type {Array<[string, number]>} */
  const ports = [['PostgreSQL', cfg.postgresPort], ['Temporal', cfg.temporalPort], ['the API', cfg.port]];
  for (const [what, port] of ports) {
    if (!(await isPortFree('127.0.0.1', port))) throw new Error(`${what}'s port ${port} is in use: stop the stack (Ctrl-C on npm start) before restoring.`);
  }

  const aside = path.join(cfg.dataDir, `replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  const keyParts = set.KEY_MATERIAL.filter((k) => keyFiles.some((n) => n.startsWith(`${set.KEY_MATERIAL_DIR}/${k}/`) || n === `${set.KEY_MATERIAL_DIR}/${k}`));
  for (const part of [cfg.postgresDir, path.dirname(cfg.temporalDb), ...keyParts.map((k) => path.join(cfg.dataDir, k))]) {
    if (!fs.existsSync(part)) continue;
    fs.mkdirSync(aside, { recursive: true });
    fs.renameSync(part, path.join(aside, path.basename(part)));
    log.info(`moved ${part} aside to ${aside}`);
  }

  if (names.includes(set.SQLITE_COPY)) {
    log.step('Temporal store (development engine)');
    fs.mkdirSync(path.dirname(cfg.temporalDb), { recursive: true });
    fs.copyFileSync(path.join(from, set.SQLITE_COPY), cfg.temporalDb);
    log.ok(`copied to ${cfg.temporalDb}`);
  }

  log.step('PostgreSQL: a fresh cluster, then pg_restore');
  const pg = await startPostgres({ dataDir: cfg.postgresDir, port: cfg.postgresPort, logFile: path.join(cfg.logsDir, 'postgres.log'), env: cfg.env });
  try {
    await runOrThrow(path.join(binDir, 'pg_restore'), ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${pg.url}`, path.join(from, set.APP_DUMP)], {
      env: cfg.env,
      timeoutMs: 30 * 60 * 1000,
      what: 'pg_restore',
    });
    log.ok('application database restored');

    if (serverDumps.length > 0) {
      if (!pg.socketDir) throw new Error("the server engine's databases need the system PostgreSQL's superuser (unix socket); the embedded fallback has none");
      const conn = ['-h', pg.socketDir, '-p', String(pg.port), '-U', 'postgres'];
      /** @type {import('./lib/backup-set').RolesRecord} */
      const roles = names.includes(set.ROLES_FILE) ? JSON.parse(fs.readFileSync(path.join(from, set.ROLES_FILE), 'utf8')) : { owners: {}, roles: [] };
      for (const role of roles.roles) {
        // The password hash as it was: whatever password the engine set still opens it.
        const attrs = `${role.login ? 'LOGIN' : 'NOLOGIN'} ${role.createdb ? 'CREATEDB' : 'NOCREATEDB'}${role.passwordHash ? ` PASSWORD ${literal(role.passwordHash)}` : ''}`;
        const exists = (await set.superuserQuery(binDir, conn, `SELECT 1 FROM pg_roles WHERE rolname = ${literal(role.name)}`, cfg.env)).length > 0;
        await set.superuserQuery(binDir, conn, `${exists ? 'ALTER' : 'CREATE'} ROLE ${ident(role.name)} ${attrs}`, cfg.env);
      }
      for (const database of serverDumps) {
        const owner = roles.owners[database] ? ` OWNER ${ident(roles.owners[database])}` : '';
        await set.superuserQuery(binDir, conn, `CREATE DATABASE ${ident(database)}${owner} ENCODING 'UTF8' TEMPLATE template0`, cfg.env);
        await runOrThrow(path.join(binDir, 'pg_restore'), ['--exit-on-error', ...conn, `--dbname=${database}`, path.join(from, `${database}.dump`)], {
          env: cfg.env,
          timeoutMs: 30 * 60 * 1000,
          what: `pg_restore ${database}`,
        });
        log.ok(`${database} restored (server engine)`);
      }
    }
  } finally {
    await pg.stop();
  }

  if (keyFiles.length > 0) {
    log.step('Keys and certificates');
    for (const name of keyFiles) {
      const target = path.join(cfg.dataDir, ...name.slice(set.KEY_MATERIAL_DIR.length + 1).split('/'));
      fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
      fs.copyFileSync(path.join(from, ...name.split('/')), target);
      fs.chmodSync(target, manifest.files[name].mode ?? 0o600);
    }
    log.ok(keyFiles.map((n) => n.slice(set.KEY_MATERIAL_DIR.length + 1)).join(', '));
  }
  log.ok(`restored; start the stack with npm start, then re-verify the record (README "Backup and recovery")`);
}

ensureSupportedNode()
  .then(main)
  .catch(async (error) => {
    log.fail(error && error.message ? error.message : String(error));
    process.exitCode = 1;
  })
  .finally(() => stopAll());
