import { createHash } from 'node:crypto';
import { canonicalJson, GENESIS_HASH, recordHash, verifyChain, type ChainedRecord } from './record-chain';

function chain(n: number): ChainedRecord[] {
  const out: ChainedRecord[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq += 1) {
    const fields = {
      seq,
      at: new Date(Date.UTC(2026, 10, 28, 12, 0, seq)),
      proposalId: 'b3c1f7a2-0000-4000-8000-000000000001',
      actor: 'ana.torres@minsal.example',
      type: 'SUBMITTED',
      data: { version: seq, note: 'x' },
    };
    const hash = recordHash(prev, fields);
    out.push({ ...fields, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

describe('canonicalJson', () => {
  it('sorts keys recursively and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
  });
});

describe('recordHash', () => {
  it('is sha256 over the previous hash, a newline and the canonical body, as the README documents', () => {
    const fields = { seq: 1, at: new Date('2026-11-28T12:00:00.000Z'), proposalId: null, actor: 'system', type: 'X', data: {} };
    const expected = createHash('sha256')
      .update(`${GENESIS_HASH}\n{"actor":"system","at":"2026-11-28T12:00:00.000Z","data":{},"proposalId":null,"seq":1,"type":"X"}`)
      .digest('hex');
    expect(recordHash(GENESIS_HASH, fields)).toBe(expected);
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain', () => {
    expect(verifyChain(chain(5))).toEqual({ ok: true, records: 5, firstBadSeq: null });
  });

  it('names the first altered record', () => {
    const records = chain(5);
    records[2] = { ...records[2], data: { version: 99 } };
    expect(verifyChain(records)).toEqual({ ok: false, records: 5, firstBadSeq: 3 });
  });

  it('detects a removed record', () => {
    const records = chain(5);
    records.splice(1, 1);
    expect(verifyChain(records).firstBadSeq).toBe(3);
  });
});
