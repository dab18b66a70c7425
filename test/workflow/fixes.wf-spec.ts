import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { WorkflowUpdateStage } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { DEFAULT_POLICY } from '../../libs/domain';
import { REFUSAL_TYPES, withdrawUpdate, type ActorSnapshot, type DecisionRecord, type TaskSpec } from '../../libs/temporal';
import { EvaluationEnvironment, eventually, expectRefusal, type EvaluationRun } from './evaluation-driver';
import { ACTORS, APPROVE, COMMITTEE, highProposal, lowProposal, mediumProposal, members, policyWith } from './evaluation-fixtures';

jest.setTimeout(30_000);

/**
 * Regression tests for five defects of the evaluation workflow, each fixed behind a patch or in
 * a validator. Every test fails against the workflow as it was before the fixes: by a wrong
 * answer or task, or, where the old workflow hung, by a deadline instead of Jest's timeout.
 */
const env = new EvaluationEnvironment();
afterAll(() => env.close());

const DEADLINE_MS = 10_000;

/** The promise's value, or a failure naming what never came once the deadline passes. */
function within<T>(what: string, promise: Promise<T>, timeoutMs = DEADLINE_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Holds the recordDecision activity of the matching decisions until `release`, so a test can act
 * while a decision is accepted but not yet recorded. A worker shutting down cancels the hold.
 */
function holdRecordDecision(matching: (record: DecisionRecord) => boolean) {
  let entered: (record: DecisionRecord) => void = () => undefined;
  let release: () => void = () => undefined;
  const started = new Promise<DecisionRecord>((resolve) => (entered = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  return {
    started,
    release: () => release(),
    beforeRecordDecision: async (record: DecisionRecord) => {
      if (!matching(record)) return;
      entered(record);
      await Promise.race([released, Context.current().cancelled]);
    },
  };
}

/** A promise a test awaits later: a failure before then must not surface as an unhandled rejection. */
function later<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** After a refusal nothing changed: the task is still open, and nothing was recorded for it. */
async function expectUntouched(run: EvaluationRun, task: TaskSpec): Promise<void> {
  expect(run.fake.decisionsFor(task.id)).toEqual([]);
  expect((await run.snapshot()).openTasks).toContainEqual(expect.objectContaining({ id: task.id, status: 'OPEN' }));
}

/** The ids of the patches whose markers the run's history holds. */
async function patchMarkers(run: EvaluationRun): Promise<string[]> {
  const events = (await run.handle.fetchHistory()).events ?? [];
  return events
    .map((e) => e.markerRecordedEventAttributes)
    .filter((m) => m?.markerName === 'core_patch')
    .map((m) => defaultPayloadConverter.fromPayload<{ id: string }>(m!.details!['patch-data'].payloads![0]).id);
}

it.concurrent('A. SEQUENTIAL: after an answer to the technical review, the finance review still runs before approval', async () => {
  const run = await env.start(mediumProposal(), { policy: { ...DEFAULT_POLICY, reviewMode: 'SEQUENTIAL' } });
  const technical1 = await run.fake.waitForTask('TECHNICAL_REVIEW');
  // The technical review asks first, so in sequential mode the finance review never started.
  const asked = await run.review(technical1, ACTORS.technicalReviewer, 'CHANGES_REQUESTED');
  expect(asked).toEqual({ status: 'CHANGES_REQUESTED', stages: [] });
  expect(run.fake.tasks.map((t) => t.type)).toEqual(['TECHNICAL_REVIEW']);

  // An answer that changes only the summary touches only the technical review...
  const answer = await run.respond(ACTORS.submitter, { summary: 'Citizens book appointments online; the state platform was checked first.' });
  expect(answer).toEqual({ status: 'IN_REVIEW', stages: ['TECHNICAL_REVIEW'] });
  const technical2 = await run.fake.waitForTask('TECHNICAL_REVIEW');
  expect(technical2.version).toBe(2);

  // ...but the finance review has no opinion in force, so it runs next (before the fix the
  // evaluation went straight to approval on the technical opinion alone).
  const afterTechnical = await run.review(technical2, ACTORS.technicalReviewer, 'FAVOURABLE');
  expect(afterTechnical).toEqual({ status: 'IN_REVIEW', stages: ['COST_EFFICIENCY_REVIEW'] });
  const finance = await run.fake.waitForTask('COST_EFFICIENCY_REVIEW');
  expect(finance.version).toBe(2);
  expect(run.fake.tasks.some((t) => t.type === 'APPROVAL')).toBe(false);

  await run.review(finance, ACTORS.financeReviewer, 'FAVOURABLE');
  await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'DIGITAL_HEAD' }), ACTORS.digitalHead, APPROVE);
  await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'BUDGET_DIRECTOR' }), ACTORS.budgetDirector, APPROVE);

  const outcome = await run.outcome();
  expect(outcome).toMatchObject({ status: 'APPROVED', tier: 'MEDIUM', version: 2 });
  expect(outcome.opinions.map((o) => [o.type, o.taskId, o.decision.opinion]).sort()).toEqual(
    [
      ['COST_EFFICIENCY_REVIEW', finance.id, 'FAVOURABLE'],
      ['TECHNICAL_REVIEW', technical2.id, 'FAVOURABLE'],
    ].sort(),
  );
  expect(run.fake.tasks.map((t) => t.approvalLevel ?? t.type)).toEqual([
    'TECHNICAL_REVIEW',
    'TECHNICAL_REVIEW',
    'COST_EFFICIENCY_REVIEW',
    'DIGITAL_HEAD',
    'BUDGET_DIRECTOR',
  ]);
  // This run takes the patched paths, so its history is the replay suite's record of both.
  expect(await patchMarkers(run)).toEqual(expect.arrayContaining(['full-evaluation-v1', 'per-task-sla-v1', 'all-reviews-in-force-v1']));
  await (await env.harness()).recordHistory(run.workflowId, 'medium-approved-patched');
});

it.concurrent('B. a parallel group keeps each task on its own service level: only the short one is reminded and escalated', async () => {
  const policy = policyWith({ technicalReview: { seconds: 2 }, costEfficiencyReview: { workingDays: 10 }, reminderFraction: 0.5 });
  const run = await env.start(lowProposal(), { policy });
  const technical = await run.fake.waitForTask('TECHNICAL_REVIEW');
  const finance = await run.fake.waitForTask('COST_EFFICIENCY_REVIEW');
  expect(finance.round).toBe(technical.round);
  // Two seconds for the technical task; ten working days (days ahead, at least) for finance.
  expect(Date.parse(technical.dueAt) - run.fake.log[run.fake.indexOf('createTasks', technical.id)].at).toBeLessThanOrEqual(2_000);
  expect(Date.parse(finance.dueAt) - Date.parse(technical.dueAt)).toBeGreaterThan(3 * 24 * 3600 * 1000);

  await run.fake.waitForCall('escalateTask', technical.id);
  const due = Date.parse(technical.dueAt);
  const remind = run.fake.log[run.fake.indexOf('remindTask', technical.id)];
  const escalate = run.fake.log[run.fake.indexOf('escalateTask', technical.id)];
  expect(run.fake.indexOf('remindTask', technical.id)).toBeLessThan(run.fake.indexOf('escalateTask', technical.id));
  expect(remind.at).toBeGreaterThanOrEqual(due - 1000);
  expect(escalate.at).toBeGreaterThanOrEqual(due);

  // The decision is answered once the workflow is back to waiting, so whatever its clocks did
  // when the technical one ran out is logged by then: nothing for the finance task.
  expect(await run.review(technical, ACTORS.technicalReviewer, 'FAVOURABLE')).toEqual({ status: 'IN_REVIEW', stages: ['TECHNICAL_REVIEW', 'COST_EFFICIENCY_REVIEW'] });
  expect(run.fake.calls.remindTask).toEqual([{ proposalId: run.input.proposalId, taskId: technical.id, reason: 'reminder before the due date', dueAt: technical.dueAt, sequence: 1 }]);
  expect(run.fake.calls.escalateTask).toEqual([{ proposalId: run.input.proposalId, taskId: technical.id, reason: 'the task is past its due date', kind: 'BREACH', sequence: 1 }]);
  expect((await run.snapshot()).openTasks).toEqual([expect.objectContaining({ id: finance.id, status: 'OPEN', dueAt: finance.dueAt })]);

  await run.review(finance, ACTORS.financeReviewer, 'FAVOURABLE');
  await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'DIGITAL_HEAD' }), ACTORS.digitalHead, APPROVE);
  expect((await run.outcome()).status).toBe('APPROVED');
  expect(run.fake.calls.remindTask.map((r) => r.taskId)).toEqual([technical.id]);
  expect(run.fake.calls.escalateTask.map((r) => r.taskId)).toEqual([technical.id]);
});

it.concurrent('C. a committee member votes once: having approved on their own seat, they may not take the unassigned one', async () => {
  const run = await env.start(highProposal(), { committee: members(COMMITTEE[0]) });
  await run.review(await run.fake.waitForTask('TECHNICAL_REVIEW'), ACTORS.technicalReviewer, 'FAVOURABLE');
  await run.review(await run.fake.waitForTask('COST_EFFICIENCY_REVIEW'), ACTORS.financeReviewer, 'FAVOURABLE');
  await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'DIGITAL_HEAD' }), ACTORS.digitalHead, APPROVE);
  await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'BUDGET_DIRECTOR' }), ACTORS.budgetDirector, APPROVE);
  expect(run.fake.calls.triage[0].route.committeeQuorum).toBe(2);
  const [own, seat] = await run.fake.waitForTasks(2, 'APPROVAL', { level: 'COMMITTEE' });
  expect([own.assigneeId, seat.assigneeId]).toEqual([COMMITTEE[0].id, null]);
  await run.fake.waitForCall('escalateTask', seat.id);

  expect(await run.decide(own, COMMITTEE[0], APPROVE)).toEqual({ status: 'IN_APPROVAL', stages: ['APPROVAL:COMMITTEE'] });
  // Before the fix the second vote was accepted and one person made the quorum of two.
  await expectRefusal(run.decide(seat, COMMITTEE[0], APPROVE), REFUSAL_TYPES.forbidden, /votes once/);
  await expectUntouched(run, seat);
  expect(await run.snapshot()).toMatchObject({ status: 'IN_APPROVAL', stages: ['APPROVAL:COMMITTEE'] });

  // Another member seated by a supervisor takes it, and the quorum is two people.
  await run.decide(seat, COMMITTEE[1], APPROVE);
  const outcome = await run.outcome();
  expect(outcome.status).toBe('APPROVED');
  expect(outcome.approvals.filter((a) => a.level === 'COMMITTEE').map((a) => [a.taskId, a.by.id])).toEqual([
    [own.id, COMMITTEE[0].id],
    [seat.id, COMMITTEE[1].id],
  ]);
});

it.concurrent('D. a withdrawal while a decision is being recorded: the record finishes, the run ends WITHDRAWN, both updates answer', async () => {
  const hold = holdRecordDecision((record) => record.taskType === 'TECHNICAL_REVIEW');
  const run = await env.start(mediumProposal(), { beforeRecordDecision: hold.beforeRecordDecision });
  try {
    const technical = await run.fake.waitForTask('TECHNICAL_REVIEW');
    const finance = await run.fake.waitForTask('COST_EFFICIENCY_REVIEW');
    const decided = later(run.review(technical, ACTORS.technicalReviewer, 'FAVOURABLE'));
    expect((await within('recordDecision to start', hold.started)).taskId).toBe(technical.id);
    expect((await run.snapshot()).openTasks).toContainEqual(expect.objectContaining({ id: technical.id, status: 'DECIDING' }));

    const withdrawal = await run.handle.startUpdate(withdrawUpdate, {
      args: [{ actor: ACTORS.submitter, reason: 'Covered by a shared platform.', requestId: `withdraw-${randomUUID()}`, expiresAt: '2999-01-01T00:00:00.000Z' }],
      waitForStage: WorkflowUpdateStage.ACCEPTED,
    });
    const withdrawn = later(withdrawal.result());
    // Let the evaluation go as far as it goes while the record is held: until nothing but the
    // record is in flight. It must wait there, before closing (before the fix it cancelled the
    // tasks and recorded the outcome, and the decision, recorded later, never answered).
    await eventually('the evaluation to wait with only the held record in flight', async () => {
      const { raw } = await run.handle.describe();
      const pending = raw.pendingActivities ?? [];
      return !raw.pendingWorkflowTask && pending.length === 1 && pending[0].activityType?.name === 'recordDecision';
    });
    expect(run.fake.calls.cancelTasks).toEqual([]);
    expect(run.fake.calls.outcomes).toEqual([]);
    hold.release();

    await expect(within('the decision to be answered', decided)).resolves.toEqual({ status: 'WITHDRAWN', stages: [] });
    await expect(within('the withdrawal to be answered', withdrawn)).resolves.toEqual({ status: 'WITHDRAWN', stages: [] });
    const outcome = await within('the outcome', run.outcome());
    expect(outcome).toMatchObject({ status: 'WITHDRAWN', reason: 'Covered by a shared platform.', by: { id: ACTORS.submitter.id, email: ACTORS.submitter.email } });

    // The decision was recorded once, and before the outcome: the log and the outcome agree.
    expect(run.fake.decisionsFor(technical.id)).toHaveLength(1);
    expect(run.fake.calls.cancelTasks).toEqual([expect.objectContaining({ taskIds: [finance.id], reason: 'evaluation ended: WITHDRAWN' })]);
    expect(run.fake.calls.outcomes).toEqual([expect.objectContaining({ eventType: 'WITHDRAWN', outcome })]);
    expect(run.fake.indexOf('recordDecision', technical.id)).toBeLessThan(run.fake.indexOf('cancelTasks'));
    expect(run.fake.indexOf('cancelTasks')).toBeLessThan(run.fake.indexOf('recordOutcome'));
  } finally {
    hold.release();
  }
});

it.concurrent('E. separation of duties holds while the first decision is still being recorded', async () => {
  // Both review roles, of an agency other than the proposal's.
  const both: ActorSnapshot = { id: randomUUID(), email: 'rosa.mena@digital.example', roles: ['technical_reviewer', 'finance_reviewer'], agencyCode: 'DIGITAL', approvalLevel: null };
  const hold = holdRecordDecision((record) => record.taskType === 'TECHNICAL_REVIEW');
  const run = await env.start(lowProposal(), { beforeRecordDecision: hold.beforeRecordDecision });
  try {
    const technical = await run.fake.waitForTask('TECHNICAL_REVIEW');
    const finance = await run.fake.waitForTask('COST_EFFICIENCY_REVIEW');
    const decided = later(run.review(technical, both, 'FAVOURABLE'));
    expect((await within('recordDecision to start', hold.started)).taskId).toBe(technical.id);
    expect((await run.snapshot()).openTasks).toContainEqual(expect.objectContaining({ id: technical.id, status: 'DECIDING' }));

    // Before the fix the stage was taken only once recorded, so this decision was accepted.
    await expectRefusal(run.review(finance, both, 'FAVOURABLE'), REFUSAL_TYPES.forbidden, /separation of duties: you already acted on TECHNICAL_REVIEW/);
    await expectUntouched(run, finance);

    hold.release();
    await expect(within('the technical decision to be answered', decided)).resolves.toEqual({ status: 'IN_REVIEW', stages: ['TECHNICAL_REVIEW', 'COST_EFFICIENCY_REVIEW'] });
    await expectRefusal(run.review(finance, both, 'FAVOURABLE'), REFUSAL_TYPES.forbidden, /separation of duties/);

    await run.review(finance, ACTORS.financeReviewer, 'FAVOURABLE');
    await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'DIGITAL_HEAD' }), ACTORS.digitalHead, APPROVE);
    const outcome = await run.outcome();
    expect(outcome.status).toBe('APPROVED');
    expect(outcome.opinions.map((o) => [o.type, o.by.id]).sort()).toEqual(
      [
        ['COST_EFFICIENCY_REVIEW', ACTORS.financeReviewer.id],
        ['TECHNICAL_REVIEW', both.id],
      ].sort(),
    );
  } finally {
    hold.release();
  }
});
