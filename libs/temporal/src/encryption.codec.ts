import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ValueError, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { CodecKey } from '../../config';
import { undecodablePayload } from './payload.converter';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/**
 * AES-256-GCM over the whole serialized payload (metadata included), the key id in the clear
 * beside it. The first key encrypts; any configured key decrypts, so keys rotate without
 * rewriting history. A payload without our encoding (written before the codec) passes as it is.
 *
 * A payload that cannot be decrypted does not make `decode` throw: a throw there would fail the
 * worker's whole workflow task on every attempt, so one foreign Update would wedge the evaluation.
 * It becomes an undecodable marker naming the reason, which throws only where it is read
 * (payload.converter.ts): the Update is refused and everything else goes on.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly current: CodecKey;

  constructor(keys: readonly CodecKey[]) {
    if (keys.length === 0) throw new ValueError('EncryptionCodec needs at least one key');
    this.current = keys[0];
    this.keys = new Map(keys.map((k) => [k.id, k.key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: utf8.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8.encode(this.current.id) }, data };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (!isEncrypted(payload)) return payload;
      const outcome = this.decrypt(payload);
      return typeof outcome === 'string' ? undecodablePayload(outcome) : outcome;
    });
  }

  /** The plain payload, or why there is none. */
  private decrypt(payload: Payload): Payload | string {
    const idBytes = payload.metadata?.[KEY_ID_METADATA];
    const id = idBytes ? fromUtf8.decode(idBytes) : '';
    const key = this.keys.get(id);
    if (!key) return `encrypted with key "${id}", which is not configured here (TEMPORAL_CODEC_KEYS)`;
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) return `encrypted payload too short (${data.length} bytes)`;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain);
    } catch {
      return `encrypted with key "${id}" but does not authenticate (altered, or not written by Appraise)`;
    }
  }
}

export function isEncrypted(payload: Payload): boolean {
  const encoding = payload.metadata?.encoding;
  return encoding !== undefined && encoding !== null && fromUtf8.decode(encoding) === ENCRYPTED_ENCODING;
}
