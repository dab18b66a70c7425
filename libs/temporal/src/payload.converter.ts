import {
  ApplicationFailure,
  BinaryPayloadConverter,
  CompositePayloadConverter,
  JsonPayloadConverter,
  UndefinedPayloadConverter,
  type Payload,
  type PayloadConverterWithEncoding,
} from '@temporalio/common';
import { decode, encode } from '@temporalio/common/lib/encoding';
import { REFUSAL_TYPES } from './evaluation.contract';

/**
 * What the codec hands on in place of a payload it cannot decrypt (a key not configured here,
 * tampered or foreign bytes): the reason, never the bytes. Reading it throws, wherever that is.
 */
export const UNDECODABLE_ENCODING = 'binary/undecodable';

/**
 * Thrown where an undecodable payload is read. In the workflow sandbox an Update's arguments are
 * read before it is accepted, so such an Update is refused (the SDK rejects any error raised while
 * reading them) and never enters history: the evaluation goes on. Not a TemporalFailure, so
 * anywhere else it fails the workflow task (retried once the key is configured), never the workflow.
 */
export class UndecodablePayloadError extends Error {
  override readonly name = REFUSAL_TYPES.undecodable;
}
// The SDK names the refusal's failure type after the error's constructor: the contract's name.
Object.defineProperty(UndecodablePayloadError, 'name', { value: REFUSAL_TYPES.undecodable });

/** Whether an error (or the failure the SDK made of it) is the refusal of an undecodable payload. */
export function isUndecodablePayloadRefusal(error: unknown): boolean {
  return error instanceof UndecodablePayloadError || (error instanceof ApplicationFailure && error.type === REFUSAL_TYPES.undecodable);
}

export function undecodablePayload(reason: string): Payload {
  return { metadata: { encoding: encode(UNDECODABLE_ENCODING) }, data: encode(reason) };
}

class UndecodablePayloadConverter implements PayloadConverterWithEncoding {
  readonly encodingType = UNDECODABLE_ENCODING;

  /** Never chosen to encode a value. */
  toPayload(): undefined {
    return undefined;
  }

  fromPayload<T>(payload: Payload): T {
    throw new UndecodablePayloadError(`payload could not be decoded: ${payload.data ? decode(payload.data) : 'no reason given'}`);
  }
}

/**
 * The SDK's default converters, plus the undecodable marker. Loaded by path
 * (`payloadConverterPath`) in clients, workers and the prebuilt workflow bundle: keep it free of
 * Node built-ins.
 */
export const payloadConverter = new CompositePayloadConverter(
  new UndefinedPayloadConverter(),
  new BinaryPayloadConverter(),
  new JsonPayloadConverter(),
  new UndecodablePayloadConverter(),
);
