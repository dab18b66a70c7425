import { DefaultFailureConverter, type PayloadConverter, type ProtoFailure, type SerializationContext } from '@temporalio/common';
import { isUndecodablePayloadRefusal } from './payload.converter';

const plain = new DefaultFailureConverter({ encodeCommonAttributes: false });

/**
 * Failure messages and stack traces travel as an encoded payload, so the payload codec encrypts
 * them too (a refusal's message may quote what a person typed). One exception: the refusal of an
 * undecodable payload stays readable, since its sender may not hold our key and it names only a
 * key id. Loaded by path (`failureConverterPath`) in clients, workers and the prebuilt workflow
 * bundle: keep it free of Node built-ins.
 */
class AppraiseFailureConverter extends DefaultFailureConverter {
  constructor() {
    super({ encodeCommonAttributes: true });
  }

  override errorToFailure(err: unknown, payloadConverter: PayloadConverter, context?: SerializationContext): ProtoFailure {
    if (isUndecodablePayloadRefusal(err)) return plain.errorToFailure(err, payloadConverter, context);
    return super.errorToFailure(err, payloadConverter, context);
  }
}

export const failureConverter = new AppraiseFailureConverter();
