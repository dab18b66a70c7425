/**
 * Checks a proposal's records in the browser, by the rule the README states: a record's hash is
 *   sha256_hex(prevHash + "\n" + canonicalJson({ seq, at, proposalId, actor, type, data }))
 * with object keys sorted. Each record's hash is recomputed from what the API returned, and where
 * two records of the proposal are neighbours in the global chain, the link between them too.
 * (The whole chain, across proposals, is `GET /audit/verify`, for auditors and admins.)
 */
export interface ChainRecord {
  seq: number;
  at: string;
  actor: string;
  type: string;
  data: unknown;
  prevHash: string;
  hash: string;
}

export interface LocalVerification {
  ok: boolean;
  records: number;
  links: number;
  firstBadSeq: number | null;
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function verifyProposalRecords(proposalId: string, records: ChainRecord[]): Promise<LocalVerification> {
  let links = 0;
  const sorted = [...records].sort((a, b) => a.seq - b.seq);
  for (const [i, r] of sorted.entries()) {
    const body = canonicalJson({ seq: r.seq, at: r.at, proposalId, actor: r.actor, type: r.type, data: r.data });
    if ((await sha256Hex(`${r.prevHash}\n${body}`)) !== r.hash) return { ok: false, records: sorted.length, links, firstBadSeq: r.seq };
    const previous = sorted[i - 1];
    if (previous && previous.seq === r.seq - 1) {
      links += 1;
      if (r.prevHash !== previous.hash) return { ok: false, records: sorted.length, links, firstBadSeq: r.seq };
    }
  }
  return { ok: true, records: sorted.length, links, firstBadSeq: null };
}
