import { createHash } from 'node:crypto';
import type { ChainVerification } from '../../domain';

/**
 * The decision log is one global hash chain. A record's hash is
 *   sha256_hex(prevHash + "\n" + canonicalJson({ seq, at, proposalId, actor, type, data }))
 * where `at` is the ISO-8601 UTC timestamp with milliseconds and canonicalJson is JSON with
 * object keys sorted (recursively) and no insignificant white space. The first record's
 * prevHash is 64 zeros. The README repeats this so anyone can verify an export independently.
 * Pure (node:crypto only): the offline verifier (tools/audit) imports this file by its path.
 */
export const GENESIS_HASH = '0'.repeat(64);

/** The advisory lock (`pg_advisory_xact_lock(hashtext(CHAIN_LOCK))`) every writer of the chain holds while it appends. */
export const CHAIN_LOCK = 'appraise:records';

export interface ChainedFields {
  seq: number;
  at: Date;
  proposalId: string | null;
  actor: string;
  type: string;
  data: Record<string, unknown>;
}

export interface ChainedRecord extends ChainedFields {
  prevHash: string;
  hash: string;
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * The sha256 (hex) of a value's canonical JSON: what a record says of content kept in its own
 * table (a published policy or catalogue), so the chain vouches for it without repeating it.
 */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

export function recordHash(prevHash: string, fields: ChainedFields): string {
  const body = canonicalJson({
    seq: fields.seq,
    at: fields.at.toISOString(),
    proposalId: fields.proposalId,
    actor: fields.actor,
    type: fields.type,
    data: fields.data,
  });
  return createHash('sha256').update(`${prevHash}\n${body}`).digest('hex');
}

/** Where a verification starts: after a record already trusted (a verified checkpoint), or at the genesis. */
export interface ChainAnchor {
  seq: number;
  hash: string;
}

/**
 * Incremental verifier, so the whole log can be checked in pages without holding it in memory.
 * Given an anchor, the first record fed must be the one after it and link to its hash.
 */
export class ChainVerifier {
  private expectedPrev: string;
  private expectedSeq: number | null;
  private count = 0;
  private firstBad: number | null = null;

  constructor(anchor: ChainAnchor | null = null) {
    this.expectedPrev = anchor ? anchor.hash : GENESIS_HASH;
    this.expectedSeq = anchor ? anchor.seq + 1 : null;
  }

  feed(record: ChainedRecord): void {
    this.count += 1;
    if (this.firstBad !== null) return;
    const seqOk = this.expectedSeq === null || record.seq === this.expectedSeq;
    const ok = seqOk && record.prevHash === this.expectedPrev && recordHash(record.prevHash, record) === record.hash;
    if (!ok) this.firstBad = record.seq;
    this.expectedPrev = record.hash;
    this.expectedSeq = record.seq + 1;
  }

  /** Records fed so far. */
  get checked(): number {
    return this.count;
  }

  result(): ChainVerification {
    return { ok: this.firstBad === null, records: this.count, firstBadSeq: this.firstBad };
  }
}

export function verifyChain(records: Iterable<ChainedRecord>, anchor: ChainAnchor | null = null): ChainVerification {
  const verifier = new ChainVerifier(anchor);
  for (const record of records) verifier.feed(record);
  return verifier.result();
}
