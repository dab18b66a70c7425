import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { decideUpdate, REFUSAL_TYPES, temporalDataConverter, type DecideArgs } from '../../libs/temporal';
import { EncryptionCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA } from '../../libs/temporal/src/encryption.codec';
import { readableForms, temporalWorkflowShow } from '../support/temporal-cli';
import { testTemporalSecurity } from '../support/test-env';
import { EvaluationEnvironment, expectRefusal, type EvaluationRun } from './evaluation-driver';
import { ACTORS, APPROVE, lowProposal } from './evaluation-fixtures';

jest.setTimeout(60_000);

/**
 * Payloads are encrypted on every client and worker (README "Encrypted payloads"). What the
 * engine stores reveals nothing a person wrote, and a payload the worker cannot decrypt is
 * refused instead of failing the workflow task over and over (which would freeze the evaluation).
 */
const env = new EvaluationEnvironment();
afterAll(() => env.close());

const security = testTemporalSecurity();
const utf8 = (text: string) => new TextEncoder().encode(text);

it('runs encrypted: npm test gives every client and worker a codec key', () => {
  expect(security.codecKeys.length).toBeGreaterThan(0);
});

/** A client of the same engine whose codec is `codec`: what another deployment or an intruder would send. */
async function clientWith(codec: PayloadCodec): Promise<Client> {
  const { client } = await env.harness();
  return new Client({ connection: client.connection, dataConverter: { ...temporalDataConverter({ codecKeys: [] }), payloadCodecs: [codec] } });
}

function technicalDecision(run: EvaluationRun, taskId: string, comment: string): DecideArgs {
  return {
    taskId,
    actor: ACTORS.technicalReviewer,
    decision: run.reviewDecision('TECHNICAL_REVIEW', 'FAVOURABLE', { comment }),
    requestId: `foreign-${randomUUID()}`,
    expiresAt: '2999-01-01T00:00:00.000Z',
  };
}

describe('a payload the worker cannot decrypt never wedges an evaluation', () => {
  const foreignKey = { id: 'foreign-key', key: randomBytes(32) };
  const garbage: PayloadCodec = {
    // Our encoding and our key id, over bytes that were never encrypted with our key.
    encode: async (payloads: Payload[]) =>
      payloads.map(() => ({ metadata: { encoding: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(security.codecKeys[0].id) }, data: randomBytes(96) })),
    decode: async (payloads: Payload[]) => payloads,
  };
  const cases: [string, () => PayloadCodec, RegExp][] = [
    ['a key the worker does not have', () => new EncryptionCodec([foreignKey]), /encrypted with key "foreign-key", which is not configured here/],
    ['garbage under our encoding and key id', () => garbage, /does not authenticate/],
  ];

  it.concurrent.each(cases)('%s: the decision is refused at once, and the evaluation goes on', async (_name, codec, reason) => {
    const run = await env.start(lowProposal());
    const technical = await run.fake.waitForTask('TECHNICAL_REVIEW');
    const foreign = await clientWith(codec());
    // The refusal is readable to a sender without our key: it names the reason, nothing else.
    await expectRefusal(foreign.workflow.getHandle(run.workflowId).executeUpdate(decideUpdate, { args: [technicalDecision(run, technical.id, 'never read')] }), REFUSAL_TYPES.undecodable, reason);
    expect(run.fake.decisionsFor(technical.id)).toEqual([]);
    // The evaluation's own people are served as before: the review is taken, and so is a withdrawal.
    await run.review(technical, ACTORS.technicalReviewer, 'FAVOURABLE');
    expect(run.fake.decisionsFor(technical.id)).toHaveLength(1);
    await run.withdraw(ACTORS.submitter);
    expect((await run.outcome()).status).toBe('WITHDRAWN');
    expect((await run.handle.describe()).status.name).toBe('COMPLETED');
  });
});

describe('what the engine stores', () => {
  it('shows no proposal title, comment or failure message in clear to the plain CLI', async () => {
    const secret = `confidencial-${randomBytes(6).toString('hex')}`;
    const title = `Historia clínica ${secret}-título`;
    const comment = `Revisado: ${secret}-comentario`;
    const run = await env.start(lowProposal({ title }), { failing: [{ activity: 'recordDecision', times: 1 }] });
    const technical = await run.fake.waitForTask('TECHNICAL_REVIEW');
    // The first attempt fails in the activity (its failure message enters the history), the second is recorded.
    await expectRefusal(run.review(technical, ACTORS.technicalReviewer, 'FAVOURABLE', { comment }), REFUSAL_TYPES.notRecorded);
    await run.review(technical, ACTORS.technicalReviewer, 'FAVOURABLE', { comment });
    await run.review(await run.fake.waitForTask('COST_EFFICIENCY_REVIEW'), ACTORS.financeReviewer, 'FAVOURABLE', { comment });
    await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'DIGITAL_HEAD' }), ACTORS.digitalHead, { ...APPROVE, comment });
    expect((await run.outcome()).status).toBe('APPROVED');

    // Through our codec the history holds all of it, so the check below looks where it is.
    const decoded = readableForms(historyToJSON(await (await env.harness()).decodedHistory(run.workflowId)));
    for (const text of [`${secret}-título`, `${secret}-comentario`, 'invalid input syntax']) expect(decoded).toContain(text);

    const stored = await temporalWorkflowShow(run.workflowId);
    expect(stored).toContain(Buffer.from(ENCRYPTED_ENCODING).toString('base64'));
    const readable = readableForms(stored);
    expect(readable).toMatch(/ACTIVITY_TASK_FAILED/);
    for (const text of [secret, 'invalid input syntax', 'Historia clínica']) expect(readable).not.toContain(text);
  });
});
