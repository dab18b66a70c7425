#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run restore -- --from DIR`: puts a backup made by `npm run backup` back into DATA_DIR, with
 * the stack stopped. What DATA_DIR held (postgres/, temporal/) is moved aside into
 * DATA_DIR/replaced-<time>/, never deleted. Then `npm start` resumes from the backup: the
 * restored workflows continue where the Temporal copy left them. See README "Backup and recovery".
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const log = require('./lib/log');
const { ensureSupportedNode } = require('./lib/node-runtime');
const { runOrThrow } = require('./lib/exec');
const { isPortFree } = require('./lib/ports');
const { findPgBinDir, startPostgres } = require('./lib/postgres');
const { stopAll } = require('./lib/processes');
const { stackConfig, ROOT } = require('./lib/stack-config');

/** @param {string} name */
function argValue(name) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

/**
 * The backup's file `name`, once its SHA-256 matches the manifest's.
 * @param {string} from @param {string} name @param {{ files?: Record<string, { sha256?: string }> }} manifest
 */
function checkFile(from, name, manifest) {
  const file = path.join(from, name);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: is ${from} a backup made by npm run backup?`);
  const want = manifest.files?.[name]?.sha256;
  const have = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  if (want && want !== have) throw new Error(`${file} does not match its SHA-256 in manifest.json: the backup is damaged`);
  return file;
}

async function main() {
  const fromArg = argValue('--from');
  if (!fromArg) throw new Error('usage: npm run restore -- --from <backup folder>');
  const from = path.resolve(ROOT, fromArg);
  const cfg = stackConfig();
  if (cfg.env.DATABASE_URL || cfg.env.TEMPORAL_ADDRESS) {
    throw new Error('DATABASE_URL or TEMPORAL_ADDRESS is set: restore external services with their own tools (pg_restore, your Temporal persistence backups); this script restores the private stores of `npm start`.');
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(from, 'manifest.json'), 'utf8'));
  const dump = checkFile(from, 'appraise.dump', manifest);
  const temporalCopy = checkFile(from, 'temporal.sqlite', manifest);

  log.step(`Restoring ${from} (taken ${manifest.createdAt}) into ${cfg.dataDir}`);
  /** @type {Array<[string, number]>} */
  const ports = [['PostgreSQL', cfg.postgresPort], ['Temporal', cfg.temporalPort], ['the API', cfg.port]];
  for (const [what, port] of ports) {
    if (!(await isPortFree('127.0.0.1', port))) throw new Error(`${what}'s port ${port} is in use: stop the stack (Ctrl-C on npm start) before restoring.`);
  }

  const aside = path.join(cfg.dataDir, `replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  for (const part of [cfg.postgresDir, path.dirname(cfg.temporalDb)]) {
    if (!fs.existsSync(part)) continue;
    fs.mkdirSync(aside, { recursive: true });
    fs.renameSync(part, path.join(aside, path.basename(part)));
    log.info(`moved ${part} aside to ${aside}`);
  }

  log.step('Temporal store');
  fs.mkdirSync(path.dirname(cfg.temporalDb), { recursive: true });
  fs.copyFileSync(temporalCopy, cfg.temporalDb);
  log.ok(`copied to ${cfg.temporalDb}`);

  log.step('PostgreSQL: a fresh cluster, then pg_restore');
  const pg = await startPostgres({ dataDir: cfg.postgresDir, port: cfg.postgresPort, logFile: path.join(cfg.logsDir, 'postgres.log'), env: cfg.env });
  try {
    const binDir = /** @type {string} */ (findPgBinDir(cfg.env));
    await runOrThrow(path.join(binDir, 'pg_restore'), ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${pg.url}`, dump], {
      env: cfg.env,
      timeoutMs: 30 * 60 * 1000,
      what: 'pg_restore',
    });
    log.ok('database restored');
  } finally {
    await pg.stop();
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
