import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { AuditRecord, ChainVerification } from '../../domain';
import { ChainVerifier, type ChainedRecord } from './record-chain';

/**
 * Signed checkpoints of the decision log. A checkpoint says "the chain's record `seq` had hash
 * `hash` at `signedAt`", signed with Ed25519 by the worker's key, which lives outside the
 * database. The signed message is this text, UTF-8, with no trailing newline:
 *
 *   appraise-checkpoint-v1\n<seq>\n<hash>\n<signedAt, ISO-8601 UTC with milliseconds>
 *
 * A key's id is the first 16 hex digits of sha256 over its public key's SPKI DER. The README
 * repeats both. Pure (node:crypto only): the offline verifier (tools/audit) imports this file by
 * its path, the worker signs and the API verifies with it.
 */
export const CHECKPOINT_MESSAGE_VERSION = 'appraise-checkpoint-v1';

export interface Checkpoint {
  seq: number;
  hash: string;
  /** ISO-8601 UTC with milliseconds, exactly as signed. */
  signedAt: string;
  keyId: string;
  /** Ed25519 signature of `checkpointMessage`, base64. */
  signature: string;
}

export interface PublicKeyInfo {
  keyId: string;
  pem: string;
}

export function checkpointMessage(checkpoint: Pick<Checkpoint, 'seq' | 'hash' | 'signedAt'>): string {
  return `${CHECKPOINT_MESSAGE_VERSION}\n${checkpoint.seq}\n${checkpoint.hash}\n${checkpoint.signedAt}`;
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

/** The public half of a PEM (private PKCS#8 or public SPKI) with its id; throws unless it is an Ed25519 key. */
export function publicKeyInfo(pem: string): PublicKeyInfo & { key: KeyObject } {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`not an Ed25519 key (${key.asymmetricKeyType ?? 'unknown type'})`);
  return { key, keyId: keyIdOf(key), pem: key.export({ type: 'spki', format: 'pem' }).toString() };
}

export function signCheckpoint(privateKey: KeyObject, keyId: string, head: { seq: number; hash: string }, signedAt: Date): Checkpoint {
  const fields = { seq: head.seq, hash: head.hash, signedAt: signedAt.toISOString() };
  return { ...fields, keyId, signature: sign(null, Buffer.from(checkpointMessage(fields), 'utf8'), privateKey).toString('base64') };
}

/** Whether the checkpoint's signature verifies with the key it names, among `keys` (by id). */
export function checkpointSignatureValid(checkpoint: Checkpoint, keys: ReadonlyMap<string, KeyObject>): boolean {
  const key = keys.get(checkpoint.keyId);
  if (!key) return false;
  try {
    return verify(null, Buffer.from(checkpointMessage(checkpoint), 'utf8'), key, Buffer.from(checkpoint.signature, 'base64'));
  } catch {
    return false;
  }
}

/**
 * Why a checkpoint does not vouch for the stored log, or null when it does: its signature must
 * verify with the published key it names, and its hash must be the stored record's at its seq.
 */
export function checkpointProblem(checkpoint: Checkpoint, keys: ReadonlyMap<string, KeyObject>, storedHash: string | null): string | null {
  if (!checkpointSignatureValid(checkpoint, keys)) return `checkpoint at seq ${checkpoint.seq}: its signature does not verify with published key ${checkpoint.keyId}`;
  if (storedHash !== checkpoint.hash) return `checkpoint at seq ${checkpoint.seq} signed hash ${checkpoint.hash}; the log has ${storedHash ?? 'no such record'}`;
  return null;
}

/** The checkpoints of a checkpoints file (one JSON object a line, as the worker appends them); blank lines skipped. */
export function checkpointLines(text: string): Checkpoint[] {
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Checkpoint);
}

/** Public keys by their id, computed from the keys themselves (a declared id is never trusted). */
export function keyring(pems: Iterable<string>): Map<string, KeyObject> {
  const out = new Map<string, KeyObject>();
  for (const pem of pems) {
    const { key, keyId } = publicKeyInfo(pem);
    out.set(keyId, key);
  }
  return out;
}

/**
 * The keys a verifier inside the system may trust: those the database lists, narrowed to
 * `trustedIds` where the deployment pins them (AUDIT_TRUSTED_KEY_IDS), since whoever can write the
 * database can also add a key of their own. A listed key outside the pin is named, never used.
 */
export function trustedKeyring(pems: Iterable<string>, trustedIds: readonly string[] | null): { keys: Map<string, KeyObject>; untrusted: string[] } {
  const all = keyring(pems);
  if (!trustedIds) return { keys: all, untrusted: [] };
  return { keys: new Map([...all].filter(([id]) => trustedIds.includes(id))), untrusted: [...all.keys()].filter((id) => !trustedIds.includes(id)) };
}

/** The problem a verification reports for a stored key outside the pin. */
export function untrustedKeyProblem(keyId: string): string {
  return `public key ${keyId} is in the database but not among AUDIT_TRUSTED_KEY_IDS: checkpoints it signed are not trusted`;
}

// ----- the export format ------------------------------------------------------------------------

/** One line of `GET /audit/export` (NDJSON): a record with every field its hash covers. */
export type ExportedRecord = AuditRecord;

export function exportedRecord(record: ChainedRecord): ExportedRecord {
  return { seq: record.seq, at: record.at.toISOString(), proposalId: record.proposalId, actor: record.actor, type: record.type, data: record.data, prevHash: record.prevHash, hash: record.hash };
}

export function chainedRecordOf(exported: ExportedRecord): ChainedRecord {
  return { ...exported, at: new Date(exported.at) };
}

// ----- verifying an export offline --------------------------------------------------------------

export interface ExportVerification {
  ok: boolean;
  /** The chain's own check: every hash and link of the records given. */
  chain: ChainVerification;
  firstSeq: number | null;
  lastSeq: number | null;
  checkpoints: { total: number; verified: number; latestSeq: number | null };
  /** Every reason the export fails, in English; empty when it passes. */
  problems: string[];
}

/**
 * Verifies an export against checkpoints and public keys, fed a record at a time (an export of
 * millions of records never sits in memory; the checkpoints do). Every record's hash and link;
 * every checkpoint's signature; each checkpoint's hash equals the exported record at its seq; the
 * export reaches the latest checkpoint. An export that starts after seq 1 must start right after
 * a checkpoint, whose hash anchors its first link.
 */
export class ExportVerifier {
  private readonly bySeq = new Map<number, Checkpoint[]>();
  private readonly problems: string[] = [];
  private verifier: ChainVerifier | null = null;
  private firstSeq: number | null = null;
  private lastSeq: number | null = null;
  private verified = 0;
  private latestSeq: number | null = null;

  constructor(
    private readonly checkpoints: readonly Checkpoint[],
    keys: ReadonlyMap<string, KeyObject>,
  ) {
    for (const checkpoint of checkpoints) {
      if (!checkpointSignatureValid(checkpoint, keys)) {
        this.problems.push(
          keys.has(checkpoint.keyId)
            ? `checkpoint at seq ${checkpoint.seq} (signed ${checkpoint.signedAt}): the signature does not verify`
            : `checkpoint at seq ${checkpoint.seq} (signed ${checkpoint.signedAt}): key ${checkpoint.keyId} is not among the public keys given`,
        );
        continue;
      }
      this.verified += 1;
      this.latestSeq = Math.max(this.latestSeq ?? 0, checkpoint.seq);
      this.bySeq.set(checkpoint.seq, [...(this.bySeq.get(checkpoint.seq) ?? []), checkpoint]);
    }
  }

  feed(record: ChainedRecord): void {
    if (!this.verifier) {
      this.firstSeq = record.seq;
      if (record.seq === 1) this.verifier = new ChainVerifier();
      else {
        const anchor = this.bySeq.get(record.seq - 1)?.[0];
        if (!anchor) this.problems.push(`the export starts at seq ${record.seq}, not right after a verified checkpoint: its first link cannot be checked (export from seq 1, or from a checkpoint's seq + 1)`);
        this.verifier = new ChainVerifier(anchor ?? { seq: record.seq - 1, hash: record.prevHash });
      }
    }
    this.verifier.feed(record);
    this.lastSeq = record.seq;
    for (const checkpoint of this.bySeq.get(record.seq) ?? []) {
      if (checkpoint.hash !== record.hash) this.problems.push(`checkpoint at seq ${record.seq} (signed ${checkpoint.signedAt}) signed hash ${checkpoint.hash}, the export has ${record.hash}`);
    }
  }

  result(): ExportVerification {
    const chain = this.verifier?.result() ?? { ok: true, records: 0, firstBadSeq: null };
    const problems = [...this.problems];
    if (!chain.ok) problems.unshift(`the chain breaks at seq ${chain.firstBadSeq}: its hash or its link to the record before does not match`);
    if (this.latestSeq !== null && (this.lastSeq === null || this.lastSeq < this.latestSeq)) {
      problems.push(`the export ends at seq ${this.lastSeq ?? 'none'} but the latest checkpoint is at seq ${this.latestSeq}: records are missing`);
    }
    if (this.checkpoints.length === 0) problems.push('no checkpoints given: nothing signed vouches for the export');
    return {
      ok: problems.length === 0,
      chain,
      firstSeq: this.firstSeq,
      lastSeq: this.lastSeq,
      checkpoints: { total: this.checkpoints.length, verified: this.verified, latestSeq: this.latestSeq },
      problems,
    };
  }
}
