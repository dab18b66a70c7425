import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testEnvironment } from './test-env';

/**
 * A fresh Ed25519 signing key for a test's worker, in a folder of its own under the test run's
 * data folder (its checkpoints file is written beside it). Returns the key file's path.
 */
export function testSigningKeyFile(): string {
  const dir = mkdtempSync(join(testEnvironment().dataDir, 'audit-key-'));
  const file = join(dir, 'audit-signing-key.pem');
  writeFileSync(file, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return file;
}
