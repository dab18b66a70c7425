import { createHash } from 'node:crypto';
import type { ChainVerification } from '../../domain';

/**
 * The decision log is one global hash chain. A record's hash is
 *   sha256_hex(prevHash + "\n" + canonicalJson({ seq, at, proposalId, actor, type, data }))
 * where `at` is the ISO-8601 UTC timestamp with milliseconds and canonicalJson is JSON with
 * object keys sorted (recursively) and no insignificant white space. The first record's
 * prevHash is 64 zeros. The README repeats this so anyone can verify an export independently.
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

/** Incremental verifier, so the whole log can be checked in pages without holding it in memory. */
export class ChainVerifier {
  private expectedPrev = GENESIS_HASH;
  private expectedSeq: number | null = null;
  private count = 0;
  private firstBad: number | null = null;

  feed(record: ChainedRecord): void {
    this.count += 1;
    if (this.firstBad !== null) return;
    const seqOk = this.expectedSeq === null || record.seq === this.expectedSeq;
    const ok = seqOk && record.prevHash === this.expectedPrev && recordHash(record.prevHash, record) === record.hash;
    if (!ok) this.firstBad = record.seq;
    this.expectedPrev = record.hash;
    this.expectedSeq = record.seq + 1;
  }

  result(): ChainVerification {
    return { ok: this.firstBad === null, records: this.count, firstBadSeq: this.firstBad };
  }
}

export function verifyChain(records: Iterable<ChainedRecord>): ChainVerification {
  const verifier = new ChainVerifier();
  for (const record of records) verifier.feed(record);
  return verifier.result();
}
