import { randomBytes } from 'node:crypto';
import { ensureTemporalFailure, type Payload } from '@temporalio/common';
import type { CodecKey } from '../../config';
import { EncryptionCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA } from './encryption.codec';
import { failureConverter } from './failure.converter';
import { payloadConverter, UndecodablePayloadError, UNDECODABLE_ENCODING } from './payload.converter';
import { REFUSAL_TYPES } from './evaluation.contract';

const key = (id: string): CodecKey => ({ id, key: randomBytes(32) });
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const decision = { verdict: 'APPROVE', comment: 'Ficha clínica electrónica: sin reparos' };

async function encrypt(codec: EncryptionCodec, value: unknown): Promise<Payload> {
  const [encoded] = await codec.encode([payloadConverter.toPayload(value)]);
  return encoded;
}

async function read(codec: EncryptionCodec, payload: Payload): Promise<unknown> {
  const [decoded] = await codec.decode([payload]);
  return payloadConverter.fromPayload(decoded);
}

describe('EncryptionCodec', () => {
  const k1 = key('k1');
  const k2 = key('k2');

  it('round-trips a value, nothing of it in clear on the wire', async () => {
    const codec = new EncryptionCodec([k1]);
    const encoded = await encrypt(codec, decision);
    expect(text(encoded.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(encoded.data)).not.toContain('clínica');
    expect(text(encoded.data)).not.toContain('json/plain');
    expect(await read(codec, encoded)).toEqual(decision);
  });

  it('encrypts with the newest key (the first) and names it', async () => {
    const encoded = await encrypt(new EncryptionCodec([k2, k1]), decision);
    expect(text(encoded.metadata?.[KEY_ID_METADATA])).toBe('k2');
    expect(await read(new EncryptionCodec([k2]), encoded)).toEqual(decision);
  });

  it('decodes a payload under a retired key while that key is configured', async () => {
    const old = await encrypt(new EncryptionCodec([k1]), decision);
    expect(await read(new EncryptionCodec([k2, k1]), old)).toEqual(decision);
  });

  it('fails clearly, where the value is read, once the retired key is gone', async () => {
    const old = await encrypt(new EncryptionCodec([k1]), decision);
    const [decoded] = await new EncryptionCodec([k2]).decode([old]);
    expect(text(decoded.metadata?.encoding)).toBe(UNDECODABLE_ENCODING);
    expect(text(decoded.data)).not.toContain('clínica');
    expect(() => payloadConverter.fromPayload(decoded)).toThrow(UndecodablePayloadError);
    expect(() => payloadConverter.fromPayload(decoded)).toThrow('payload could not be decoded: encrypted with key "k1", which is not configured here (TEMPORAL_CODEC_KEYS)');
  });

  it('passes plain payloads (written before the codec) as they are', async () => {
    const plain = payloadConverter.toPayload(decision);
    const [decoded] = await new EncryptionCodec([k1]).decode([plain]);
    expect(decoded).toBe(plain);
    expect(payloadConverter.fromPayload(decoded)).toEqual(decision);
  });

  it('refuses tampered ciphertext and bytes that are not ours', async () => {
    const codec = new EncryptionCodec([k1]);
    const encoded = await encrypt(codec, decision);
    const data = Buffer.from(encoded.data ?? []);
    data[20] ^= 0x01;
    await expect(read(codec, { ...encoded, data })).rejects.toThrow(/key "k1" but does not authenticate/);
    await expect(read(codec, { ...encoded, data: randomBytes(8) })).rejects.toThrow(/too short \(8 bytes\)/);
    const foreign = await encrypt(new EncryptionCodec([{ id: 'k1', key: randomBytes(32) }]), decision);
    await expect(read(codec, foreign)).rejects.toThrow(/does not authenticate/);
  });

  it('uses a fresh nonce for each payload', async () => {
    const codec = new EncryptionCodec([k1]);
    const [a, b] = await codec.encode([payloadConverter.toPayload(decision), payloadConverter.toPayload(decision)]);
    expect(Buffer.from(a.data ?? []).equals(Buffer.from(b.data ?? []))).toBe(false);
  });
});

describe('failure converter', () => {
  it('moves messages and stack traces into the encoded attributes', () => {
    const failure = failureConverter.errorToFailure(new Error('comentario: sin reparos'), payloadConverter);
    expect(failure.message).toBe('Encoded failure');
    expect(failure.stackTrace).toBe('');
    expect(text(failure.encodedAttributes?.data)).toContain('sin reparos');
    expect(failureConverter.failureToError(failure, payloadConverter).message).toBe('comentario: sin reparos');
  });

  it('leaves the refusal of an undecodable payload readable to a sender without our key', () => {
    const failure = failureConverter.errorToFailure(new UndecodablePayloadError('payload could not be decoded: encrypted with key "x"'), payloadConverter);
    expect(failure.message).toBe('payload could not be decoded: encrypted with key "x"');
    expect(failure.encodedAttributes).toBeFalsy();
  });

  it('does so for the failure the SDK makes of it when refusing an update', () => {
    const refusal = ensureTemporalFailure(new UndecodablePayloadError('payload could not be decoded: encrypted with key "x"'));
    const failure = failureConverter.errorToFailure(refusal, payloadConverter);
    expect(failure.message).toBe('payload could not be decoded: encrypted with key "x"');
    expect(failure.applicationFailureInfo?.type).toBe(REFUSAL_TYPES.undecodable);
  });
});
