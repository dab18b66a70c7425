import { generateKeyPairSync } from 'node:crypto';
import { checkpointMessage, checkpointProblem, checkpointSignatureValid, ExportVerifier, keyIdOf, keyring, publicKeyInfo, signCheckpoint, trustedKeyring, type Checkpoint } from './audit-checkpoint';
import { GENESIS_HASH, recordHash, type ChainedRecord } from './record-chain';

function chain(n: number, tamper?: { fromSeq: number }): ChainedRecord[] {
  const out: ChainedRecord[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq += 1) {
    const fields = { seq, at: new Date(Date.UTC(2026, 10, 28, 12, 0, seq)), proposalId: null, actor: 'system', type: 'SUBMITTED', data: { n: seq, amount: tamper && seq >= tamper.fromSeq ? 1 : 1_000_000 } };
    const hash = recordHash(prev, fields);
    out.push({ ...fields, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

const newKey = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, keyId: keyIdOf(publicKey), pem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
};

function verify(records: ChainedRecord[], checkpoints: Checkpoint[], pems: string[]) {
  const verifier = new ExportVerifier(checkpoints, keyring(pems));
  for (const record of records) verifier.feed(record);
  return verifier.result();
}

describe('checkpoint signatures', () => {
  const key = newKey();
  const at = new Date('2026-12-01T03:00:00.000Z');

  it('signs the documented message with Ed25519; the key id is sha256 of the SPKI DER, 16 hex', () => {
    const checkpoint = signCheckpoint(key.privateKey, key.keyId, { seq: 42, hash: 'a'.repeat(64) }, at);
    expect(checkpointMessage(checkpoint)).toBe(`appraise-checkpoint-v1\n42\n${'a'.repeat(64)}\n2026-12-01T03:00:00.000Z`);
    expect(key.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(publicKeyInfo(key.pem).keyId).toBe(key.keyId);
    expect(checkpointSignatureValid(checkpoint, keyring([key.pem]))).toBe(true);
  });

  it('refuses a changed seq, hash or time, another key, and a key that is not Ed25519', () => {
    const checkpoint = signCheckpoint(key.privateKey, key.keyId, { seq: 42, hash: 'a'.repeat(64) }, at);
    const keys = keyring([key.pem]);
    expect(checkpointSignatureValid({ ...checkpoint, seq: 43 }, keys)).toBe(false);
    expect(checkpointSignatureValid({ ...checkpoint, hash: 'b'.repeat(64) }, keys)).toBe(false);
    expect(checkpointSignatureValid({ ...checkpoint, signedAt: '2026-12-01T03:00:00.001Z' }, keys)).toBe(false);
    const other = newKey();
    expect(checkpointSignatureValid({ ...checkpoint, keyId: other.keyId }, keyring([key.pem, other.pem]))).toBe(false);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => publicKeyInfo(rsa)).toThrow(/not an Ed25519 key/);
  });
});

describe('ExportVerifier', () => {
  const key = newKey();
  const at = new Date('2026-12-01T03:00:00.000Z');
  const honest = chain(10);
  const signAt = (records: ChainedRecord[], seq: number, k = key) => signCheckpoint(k.privateKey, k.keyId, records[seq - 1], at);

  it('passes an honest export that reaches the latest checkpoint', () => {
    const result = verify(honest, [signAt(honest, 4), signAt(honest, 10)], [key.pem]);
    expect(result).toMatchObject({ ok: true, problems: [], firstSeq: 1, lastSeq: 10, checkpoints: { total: 2, verified: 2, latestSeq: 10 } });
  });

  it('fails a chain rewritten from seq 6 with every hash recomputed, at the checkpoint signed before', () => {
    const rewritten = chain(10, { fromSeq: 6 });
    expect(rewritten[9].prevHash).toBe(rewritten[8].hash);
    const result = verify(rewritten, [signAt(honest, 4), signAt(honest, 10)], [key.pem]);
    expect(result.chain.ok).toBe(true);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.stringMatching(/^checkpoint at seq 10 .* signed hash [0-9a-f]{64}, the export has [0-9a-f]{64}$/)]);
  });

  it('fails an export that stops before the latest checkpoint, and one with no checkpoints', () => {
    expect(verify(honest.slice(0, 8), [signAt(honest, 4), signAt(honest, 10)], [key.pem]).problems).toEqual([
      'the export ends at seq 8 but the latest checkpoint is at seq 10: records are missing',
    ]);
    expect(verify(honest, [], [key.pem]).ok).toBe(false);
  });

  it('fails a checkpoint forged with another key, or whose key is not given', () => {
    const forger = newKey();
    const rewritten = chain(10, { fromSeq: 6 });
    const forged = signAt(rewritten, 10, forger);
    expect(verify(rewritten, [forged], [key.pem]).problems).toEqual([expect.stringMatching(/key [0-9a-f]{16} is not among the public keys given$/)]);
    expect(verify(rewritten, [{ ...forged, keyId: key.keyId }], [key.pem]).problems).toEqual([expect.stringMatching(/the signature does not verify/)]);
  });

  it('keeps checkpoints of a retired key verifiable after a rotation', () => {
    const next = newKey();
    expect(verify(honest, [signAt(honest, 4), signAt(honest, 10, next)], [next.pem, key.pem]).ok).toBe(true);
    expect(verify(honest, [signAt(honest, 4), signAt(honest, 10, next)], [next.pem]).ok).toBe(false);
  });

  it('verifies an export that starts right after a checkpoint from its hash, and refuses one that starts elsewhere', () => {
    expect(verify(honest.slice(4), [signAt(honest, 4), signAt(honest, 10)], [key.pem])).toMatchObject({ ok: true, firstSeq: 5 });
    expect(verify(honest.slice(5), [signAt(honest, 4), signAt(honest, 10)], [key.pem]).problems).toEqual([expect.stringMatching(/^the export starts at seq 6, not right after a verified checkpoint/)]);
  });

  it('names the first record whose content no longer matches its hash', () => {
    const edited = honest.map((r) => (r.seq === 3 ? { ...r, data: { ...r.data, amount: 1 } } : r));
    const result = verify(edited, [signAt(honest, 10)], [key.pem]);
    expect(result).toMatchObject({ ok: false, chain: { ok: false, firstBadSeq: 3 } });
    expect(result.problems[0]).toMatch(/the chain breaks at seq 3/);
  });
});

describe('checkpointProblem', () => {
  const key = newKey();
  const checkpoint = signCheckpoint(key.privateKey, key.keyId, { seq: 7, hash: 'c'.repeat(64) }, new Date('2026-12-01T03:00:00.000Z'));

  it('is null for a checkpoint whose signature verifies and whose hash is the stored one', () => {
    expect(checkpointProblem(checkpoint, keyring([key.pem]), 'c'.repeat(64))).toBeNull();
  });

  it('names a bad signature, a different stored hash, and a missing record', () => {
    expect(checkpointProblem(checkpoint, keyring([newKey().pem]), 'c'.repeat(64))).toMatch(/^checkpoint at seq 7: its signature does not verify/);
    expect(checkpointProblem(checkpoint, keyring([key.pem]), 'd'.repeat(64))).toBe(`checkpoint at seq 7 signed hash ${'c'.repeat(64)}; the log has ${'d'.repeat(64)}`);
    expect(checkpointProblem(checkpoint, keyring([key.pem]), null)).toMatch(/the log has no such record$/);
  });
});

describe('trusted keys (AUDIT_TRUSTED_KEY_IDS)', () => {
  const ours = newKey();
  const planted = newKey();
  const head = { seq: 7, hash: 'a'.repeat(64) };
  const forged = signCheckpoint(planted.privateKey, planted.keyId, head, new Date('2026-12-01T03:00:00.000Z'));

  it('trusts every stored key when nothing is pinned', () => {
    const { keys, untrusted } = trustedKeyring([ours.pem, planted.pem], null);
    expect([...keys.keys()].sort()).toEqual([ours.keyId, planted.keyId].sort());
    expect(untrusted).toEqual([]);
  });

  it('uses only the pinned keys and names a key someone added to the database; its checkpoints do not hold', () => {
    const { keys, untrusted } = trustedKeyring([ours.pem, planted.pem], [ours.keyId]);
    expect([...keys.keys()]).toEqual([ours.keyId]);
    expect(untrusted).toEqual([planted.keyId]);
    expect(checkpointProblem(forged, keys, head.hash)).toMatch(/signature does not verify/);
    expect(checkpointProblem(forged, keyring([planted.pem]), head.hash)).toBeNull();
  });
});
