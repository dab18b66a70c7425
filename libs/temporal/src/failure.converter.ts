import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Failure messages and stack traces travel as an encoded payload, so the payload codec encrypts
 * them too (a refusal's message may quote what a person typed). Loaded by path
 * (`failureConverterPath`): the worker also runs it inside the workflow sandbox.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
