import { createPrivateKey, type KeyObject } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { publicKeyInfo, signCheckpoint, type Checkpoint, type PublicKeyInfo } from '../../../libs/persistence';

/**
 * The worker's signing key and the append-only file of checkpoints beside it. Only the worker
 * holds the private key; the database gets the public half (GET /audit/public-key) and the
 * checkpoints, the file gets each checkpoint before the database does, so deleting checkpoints
 * from the database cannot hide a rewrite from whoever keeps the file.
 */
export class AuditSigner {
  private constructor(
    private readonly privateKey: KeyObject,
    readonly publicKey: PublicKeyInfo,
    private readonly checkpointsFile: string,
  ) {}

  /** Throws, naming the file, unless it holds an Ed25519 private key. */
  static load(keyFile: string, checkpointsFile: string): AuditSigner {
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey(readFileSync(keyFile));
    } catch (error) {
      throw new Error(`AUDIT_SIGNING_KEY_FILE ${keyFile}: cannot read a private key (${error instanceof Error ? error.message : String(error)})`);
    }
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`AUDIT_SIGNING_KEY_FILE ${keyFile}: must be an Ed25519 private key, got ${privateKey.asymmetricKeyType ?? 'another kind'}`);
    const { keyId, pem } = publicKeyInfo(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    return new AuditSigner(privateKey, { keyId, pem }, checkpointsFile);
  }

  sign(head: { seq: number; hash: string }, at: Date): Checkpoint {
    return signCheckpoint(this.privateKey, this.publicKey.keyId, head, at);
  }

  /** One NDJSON line, appended and flushed to disk before the caller writes the database. */
  append(checkpoint: Checkpoint): void {
    mkdirSync(dirname(this.checkpointsFile), { recursive: true, mode: 0o700 });
    const fd = openSync(this.checkpointsFile, 'a', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(checkpoint)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
