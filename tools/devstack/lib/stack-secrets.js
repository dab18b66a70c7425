// @ts-check
'use strict';
/**
 * The secrets a local stack cannot run without, generated once per data folder into
 * DATA_DIR/secrets/ (owner-only files) and handed to the API and worker as environment
 * variables. A value set in the environment or .env wins and nothing is written for it.
 * Backups copy this folder (tools/devstack/backup.js).
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

/** @param {string} dataDir */
function secretsDir(dataDir) {
  return path.join(dataDir, 'secrets');
}

/**
 * The content of DATA_DIR/secrets/<name>, created with `generate()` the first time.
 * @param {string} dataDir @param {string} name @param {() => string} generate
 */
function ensureSecretFile(dataDir, name, generate) {
  const dir = secretsDir(dataDir);
  const file = path.join(dir, name);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const value = generate();
  fs.writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  return value;
}

/**
 * A fresh TEMPORAL_CODEC_KEYS value: one AES-256 key, its id naming the day it was made
 * (README "Encrypted payloads": the format and how to rotate).
 */
function generateCodecKeys() {
  const id = `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${crypto.randomBytes(3).toString('hex')}`;
  return `${id}:${crypto.randomBytes(32).toString('base64')}`;
}

/**
 * The payload encryption keys of a data folder: `given` (TEMPORAL_CODEC_KEYS from the environment)
 * when set, else the folder's own key, generated the first time. What `npm start`, `npm test`,
 * the bench and the chaos run hand their processes.
 * @param {string} dataDir @param {string} [given]
 */
function codecKeysOf(dataDir, given) {
  return given?.trim() || ensureSecretFile(dataDir, 'codec-keys', generateCodecKeys);
}

/**
 * The Ed25519 key the worker signs the decision log's checkpoints with (PEM, PKCS#8), generated the
 * first time. Returns the key's path (the worker reads the file, not a variable).
 * @param {string} dataDir
 */
function auditSigningKeyFile(dataDir) {
  const name = 'audit-signing-key.pem';
  ensureSecretFile(dataDir, name, () => crypto.generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().trim());
  return path.join(secretsDir(dataDir), name);
}

/**
 * The id of a signing key's public half: the first 16 hex digits of sha256 over its SPKI DER
 * (the rule of libs/persistence/src/audit-checkpoint.ts, `keyIdOf`, which tools in plain
 * JavaScript cannot import).
 * @param {string} keyFile
 */
function auditKeyId(keyFile) {
  const spki = crypto.createPublicKey(crypto.createPrivateKey(fs.readFileSync(keyFile, 'utf8'))).export({ type: 'spki', format: 'der' });
  return crypto.createHash('sha256').update(spki).digest('hex').slice(0, 16);
}

/**
 * Every generated secret of the stack as the environment variables the processes read.
 * @param {string} dataDir @param {NodeJS.ProcessEnv} env the stack's environment (.env merged)
 * @returns {Record<string, string>}
 */
function stackSecrets(dataDir, env) {
  /** @type {Record<string, string>} */
  const out = {};
  // The HS256 key of access tokens: random per data folder, so no published value signs them.
  if (!env.JWT_SECRET?.trim()) out.JWT_SECRET = ensureSecretFile(dataDir, 'jwt-secret', () => crypto.randomBytes(48).toString('base64url'));
  if (!env.TEMPORAL_CODEC_KEYS?.trim()) out.TEMPORAL_CODEC_KEYS = codecKeysOf(dataDir);
  if (!env.AUDIT_SIGNING_KEY_FILE?.trim()) {
    out.AUDIT_SIGNING_KEY_FILE = auditSigningKeyFile(dataDir);
    // Verifications trust the generated key alone (README "Trusted keys"), unless told otherwise.
    if (!env.AUDIT_TRUSTED_KEY_IDS?.trim()) out.AUDIT_TRUSTED_KEY_IDS = auditKeyId(out.AUDIT_SIGNING_KEY_FILE);
  }
  // The signed checkpoints outside the database, in their own folder (backups keep it: backup-set.js).
  if (!env.AUDIT_CHECKPOINTS_FILE?.trim()) out.AUDIT_CHECKPOINTS_FILE = path.join(dataDir, 'audit', 'checkpoints.ndjson');
  return out;
}

module.exports = { stackSecrets, ensureSecretFile, secretsDir, codecKeysOf, auditSigningKeyFile, auditKeyId };
