import { randomUUID } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import type { ReviewDecision } from '../../libs/domain';
import { REFUSAL_TYPES, type DecideArgs, type TaskSpec } from '../../libs/temporal';
import { EvaluationEnvironment, expectRefusal, type EvaluationRun } from './evaluation-driver';
import { ACTORS, APPROVE, COMMITTEE, highProposal, members, mediumProposal } from './evaluation-fixtures';

jest.setTimeout(30_000);

/**
 * The workflow's update validators are the last word on who may decide what. A refused update
 * reaches the client as WorkflowUpdateFailedError caused by an ApplicationFailure whose type the
 * API maps to 422 / 403 / 409, and it never enters the workflow's history.
 */
const env = new EvaluationEnvironment();
afterAll(() => env.close());

/** A MEDIUM evaluation with both review tasks open. */
async function inReview(): Promise<{ run: EvaluationRun; technical: TaskSpec; finance: TaskSpec }> {
  const run = await env.start(mediumProposal());
  const technical = await run.fake.waitForTask('TECHNICAL_REVIEW');
  const finance = await run.fake.waitForTask('COST_EFFICIENCY_REVIEW');
  return { run, technical, finance };
}

/** After a refusal nothing changed: the task is still open, and nothing was recorded for it. */
async function expectUntouched(run: EvaluationRun, task: TaskSpec): Promise<void> {
  expect(run.fake.decisionsFor(task.id)).toEqual([]);
  expect((await run.snapshot()).openTasks).toContainEqual(expect.objectContaining({ id: task.id, status: 'OPEN' }));
}

/** Ends an evaluation a test no longer needs, through the workflow's own path. */
async function finish(run: EvaluationRun): Promise<void> {
  await run.withdraw(ACTORS.submitter);
  expect((await run.outcome()).status).toBe('WITHDRAWN');
}

describe('the content of a review decision (invalid)', () => {
  const cases: [string, (technical: (extra?: Partial<ReviewDecision>) => ReviewDecision) => ReviewDecision, RegExp][] = [
    ['a verdict missing for an applicable standard', (t) => ({ ...t(), verdicts: t().verdicts.filter((v) => v.standardCode !== 'SEC-01') }), /verdict is missing for SEC-01/],
    [
      'no comment on a verdict other than MEETS',
      (t) => ({ ...t(), verdicts: t().verdicts.map((v) => (v.standardCode === 'ARC-01' ? { standardCode: 'ARC-01', verdict: 'PARTIAL' as const } : v)) }),
      /comment is required for a PARTIAL verdict on ARC-01/,
    ],
    [
      'a favourable technical opinion over a mandatory standard NOT_MET',
      (t) => ({ ...t(), verdicts: t().verdicts.map((v) => (v.standardCode === 'SEC-02' ? { standardCode: 'SEC-02', verdict: 'NOT_MET' as const, comment: 'No named owner.' } : v)) }),
      /favourable opinion is not allowed while mandatory standard\(s\) SEC-02 are NOT_MET/,
    ],
    ['FAVOURABLE_WITH_CONDITIONS without conditions', (t) => ({ ...t(), opinion: 'FAVOURABLE_WITH_CONDITIONS' }), /needs at least one condition/],
    ['CHANGES_REQUESTED without questions', (t) => ({ ...t(), opinion: 'CHANGES_REQUESTED', questions: [] }), /needs at least one question/],
  ];

  it.concurrent.each(cases)('%s', async (_name, build, message) => {
    const { run, technical } = await inReview();
    const decision = build((extra = {}) => run.reviewDecision('TECHNICAL_REVIEW', 'FAVOURABLE', extra));
    const failure = await expectRefusal(run.decide(technical, ACTORS.technicalReviewer, decision), REFUSAL_TYPES.invalid, message);
    // The problems travel with the refusal, one per field, for the API's 422 body.
    expect(failure.details?.[0]).toEqual(expect.arrayContaining([expect.objectContaining({ field: expect.any(String), message: expect.stringMatching(message) })]));
    await expectUntouched(run, technical);
    await finish(run);
  });
});

describe('who may decide (forbidden)', () => {
  it.concurrent('the wrong role: a finance reviewer on the technical task', async () => {
    const { run, technical } = await inReview();
    await expectRefusal(run.review(technical, ACTORS.financeReviewer, 'FAVOURABLE'), REFUSAL_TYPES.forbidden, /needs the technical_reviewer role/);
    await expectUntouched(run, technical);
    await finish(run);
  });

  it.concurrent('the wrong approval level: the budget director on the digital head task', async () => {
    const { run, technical, finance } = await inReview();
    await run.review(technical, ACTORS.technicalReviewer, 'FAVOURABLE');
    await run.review(finance, ACTORS.financeReviewer, 'FAVOURABLE');
    const head = await run.fake.waitForTask('APPROVAL', { level: 'DIGITAL_HEAD' });
    await expectRefusal(run.decide(head, ACTORS.budgetDirector, APPROVE), REFUSAL_TYPES.forbidden, /needs approval level DIGITAL_HEAD/);
    await expectUntouched(run, head);
    await finish(run);
  });

  it.concurrent('a reviewer from the submitting agency', async () => {
    const { run, technical } = await inReview();
    await expectRefusal(run.review(technical, ACTORS.ownAgencyReviewer, 'FAVOURABLE'), REFUSAL_TYPES.forbidden, /own agency/);
    await expectUntouched(run, technical);
    await finish(run);
  });

  it.concurrent('separation of duties: the technical reviewer who also sits on the committee may not vote there', async () => {
    const run = await env.start(highProposal(), { committee: members(ACTORS.reviewerOnCommittee, ...COMMITTEE) });
    await run.review(await run.fake.waitForTask('TECHNICAL_REVIEW'), ACTORS.reviewerOnCommittee, 'FAVOURABLE');
    await run.review(await run.fake.waitForTask('COST_EFFICIENCY_REVIEW'), ACTORS.financeReviewer, 'FAVOURABLE');
    await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'DIGITAL_HEAD' }), ACTORS.digitalHead, APPROVE);
    await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'BUDGET_DIRECTOR' }), ACTORS.budgetDirector, APPROVE);
    const seats = await run.fake.waitForTasks(3, 'APPROVAL', { level: 'COMMITTEE' });
    // He is not offered a seat: the directory is asked without him...
    expect(run.fake.calls.committeeMembers[0].excludedUserIds).toContain(ACTORS.reviewerOnCommittee.id);
    expect(seats.map((s) => s.assigneeId)).not.toContain(ACTORS.reviewerOnCommittee.id);
    // ...and the workflow refuses him even so.
    await expectRefusal(run.decide(seats[0], ACTORS.reviewerOnCommittee, APPROVE), REFUSAL_TYPES.forbidden, /separation of duties: you already acted on TECHNICAL_REVIEW/);
    await expectUntouched(run, seats[0]);
    // Nor may an approver of an earlier level review or vote again elsewhere.
    await expectRefusal(run.decide(seats[1], { ...ACTORS.digitalHead, approvalLevel: 'COMMITTEE' }, APPROVE), REFUSAL_TYPES.forbidden, /separation of duties/);
    await finish(run);
  });

  it.concurrent('withdrawal by staff of another agency', async () => {
    const { run, technical } = await inReview();
    await expectRefusal(run.withdraw(ACTORS.otherAgencySubmitter), REFUSAL_TYPES.forbidden, /only staff of MINSAL/);
    expect(await run.snapshot()).toMatchObject({ status: 'IN_REVIEW' });
    await expectUntouched(run, technical);
    await finish(run);
  });
});

describe('the state of the evaluation (conflict)', () => {
  it.concurrent('a task already decided, or not of this evaluation', async () => {
    const { run, technical } = await inReview();
    await run.review(technical, ACTORS.technicalReviewer, 'FAVOURABLE');
    await expectRefusal(run.review(technical, ACTORS.secondTechnicalReviewer, 'UNFAVOURABLE'), REFUSAL_TYPES.conflict, /is not open \(DONE\)/);
    // The same person again (a client retrying after a lost answer): told so, distinctly.
    await expectRefusal(run.review(technical, ACTORS.technicalReviewer, 'UNFAVOURABLE'), REFUSAL_TYPES.alreadyDecided, /you already decided/);
    await expectRefusal(run.review({ ...technical, id: randomUUID() }, ACTORS.technicalReviewer, 'FAVOURABLE'), REFUSAL_TYPES.conflict, /not a task of this evaluation/);
    // The first decision stands, recorded once.
    expect(run.fake.decisionsFor(technical.id)).toEqual([expect.objectContaining({ decision: expect.objectContaining({ opinion: 'FAVOURABLE' }) })]);
    await finish(run);
  });

  it.concurrent('an expired request: the API gave up on it, so it must not apply', async () => {
    const { run, technical } = await inReview();
    const expiresAt = new Date(Date.now() - 1000).toISOString();
    await expectRefusal(run.review(technical, ACTORS.technicalReviewer, 'FAVOURABLE', {}, { expiresAt }), REFUSAL_TYPES.expired, /expired/);
    await expectRefusal(run.withdraw(ACTORS.submitter, 'late', { expiresAt }), REFUSAL_TYPES.expired, /expired/);
    await expectUntouched(run, technical);
    await finish(run);
  });

  it.concurrent('an answer from the agency when none is awaited', async () => {
    const { run, technical } = await inReview();
    await expectRefusal(run.respond(ACTORS.submitter, { summary: 'Unasked.' }), REFUSAL_TYPES.conflict, /no answer is awaited/);
    expect(run.fake.calls.responses).toEqual([]);
    expect(await run.snapshot()).toMatchObject({ version: 1 });
    await expectUntouched(run, technical);
    await finish(run);
  });
});

it.concurrent('approving against an UNFAVOURABLE opinion needs a written justification', async () => {
  const { run, technical, finance } = await inReview();
  await run.review(technical, ACTORS.technicalReviewer, 'FAVOURABLE');
  await run.review(finance, ACTORS.financeReviewer, 'UNFAVOURABLE', { comment: 'The hosting costs are twice the reference.' });
  const head = await run.fake.waitForTask('APPROVAL', { level: 'DIGITAL_HEAD' });
  await expectRefusal(run.decide(head, ACTORS.digitalHead, APPROVE), REFUSAL_TYPES.invalid, /against an UNFAVOURABLE opinion needs a written justification/);
  await expectUntouched(run, head);
  const answer = await run.decide(head, ACTORS.digitalHead, { decision: 'APPROVE', comment: 'Strategic priority; hosting to be re-tendered.' });
  expect(answer).toEqual({ status: 'IN_APPROVAL', stages: ['APPROVAL:BUDGET_DIRECTOR'] });
  await finish(run);
});

it.concurrent('a refused decision never enters the history; an accepted one does', async () => {
  const { run, technical } = await inReview();
  const refusedId = `refused-${randomUUID()}`;
  const acceptedId = `accepted-${randomUUID()}`;
  await expectRefusal(run.review(technical, ACTORS.financeReviewer, 'FAVOURABLE', {}, { requestId: refusedId }), REFUSAL_TYPES.forbidden);
  await run.review(technical, ACTORS.technicalReviewer, 'FAVOURABLE', {}, { requestId: acceptedId });

  const events = (await (await env.harness()).decodedHistory(run.workflowId)).events ?? [];
  const accepted = events
    .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest)
    .filter((request) => request?.input?.name === 'decide')
    .map((request) => defaultPayloadConverter.fromPayload<DecideArgs>(request!.input!.args!.payloads![0]).requestId);
  expect(accepted).toEqual([acceptedId]);
  expect(events.some((e) => e.workflowExecutionUpdateRejectedEventAttributes)).toBe(false);
  expect(run.fake.calls.decisions.map((d) => d.requestId)).toEqual([acceptedId]);
  await finish(run);
});
