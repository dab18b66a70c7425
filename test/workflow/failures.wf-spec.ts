import { WorkflowFailedError } from '@temporalio/client';
import { isClosedStatus } from '../../libs/domain';
import { REFUSAL_TYPES, type TaskSpec } from '../../libs/temporal';
import { EvaluationEnvironment, expectRefusal, type EvaluationRun } from './evaluation-driver';
import { ACTORS, APPROVE, COMMITTEE, highProposal, lowProposal, members, policyWith } from './evaluation-fixtures';
import type { ActivityName } from './fake-activities';

jest.setTimeout(60_000);

/**
 * Nothing an activity cannot store may wedge an evaluation. Each activity in turn fails for good,
 * as the real ones do on data PostgreSQL refuses (a non-retryable AppraiseDataRejected): a
 * person's decision, claim or answer is refused and can be sent again; any other step raises an
 * operator alert and the evaluation goes on to its outcome, or to a withdrawal.
 */
const env = new EvaluationEnvironment();
afterAll(() => env.close());

/**
 * Decides whatever the LOW evaluation has open, as the workflow shows it (not only what the
 * fake saw created: a task whose creation failed exists all the same), until it is APPROVED.
 */
async function approveLow(run: EvaluationRun): Promise<void> {
  const who = { TECHNICAL_REVIEW: ACTORS.technicalReviewer, COST_EFFICIENCY_REVIEW: ACTORS.financeReviewer } as const;
  for (;;) {
    const { status, openTasks } = await run.snapshot();
    if (isClosedStatus(status)) break;
    const task = openTasks.find((t) => t.status === 'OPEN');
    if (!task) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    if (task.type === 'APPROVAL') await run.decide(task.id, ACTORS.digitalHead, APPROVE);
    else await run.decide(task.id, who[task.type], run.reviewDecision(task.type, 'FAVOURABLE'));
  }
  expect((await run.outcome()).status).toBe('APPROVED');
}

function alertsOf(run: EvaluationRun, activity: ActivityName) {
  return run.fake.calls.alerts.filter((a) => a.activity === activity);
}

async function alerted(run: EvaluationRun, activity: ActivityName) {
  const [alert] = await run.fake.waitFor(`an alert about ${activity}`, () => {
    const found = alertsOf(run, activity);
    return found.length ? found : undefined;
  });
  expect(alert).toMatchObject({ proposalId: run.input.proposalId, activity, reason: expect.stringMatching(/invalid input syntax/), sequence: expect.any(Number) });
  return alert;
}

describe('a person’s input the store refuses is refused, and can be sent again', () => {
  it.concurrent('recordDecision: the decision is refused with the reason, the task is open and unclaimed again, and a second try is recorded', async () => {
    const run = await env.start(lowProposal(), { failing: [{ activity: 'recordDecision', times: 1 }] });
    const technical = await run.fake.waitForTask('TECHNICAL_REVIEW');
    await expectRefusal(run.review(technical, ACTORS.technicalReviewer, 'FAVOURABLE'), REFUSAL_TYPES.notRecorded, /could not be recorded.*invalid input syntax/);
    const snapshot = await run.snapshot();
    expect(snapshot.openTasks).toContainEqual(expect.objectContaining({ id: technical.id, status: 'OPEN', assigneeId: null }));
    expect(run.fake.decisionsFor(technical.id)).toEqual([]);
    // Told why, the reviewer sends it again: recorded once, the evaluation goes on.
    await run.review(technical, ACTORS.technicalReviewer, 'FAVOURABLE');
    expect(run.fake.decisionsFor(technical.id)).toHaveLength(1);
    await run.review(await run.fake.waitForTask('COST_EFFICIENCY_REVIEW'), ACTORS.financeReviewer, 'FAVOURABLE');
    await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'DIGITAL_HEAD' }), ACTORS.digitalHead, APPROVE);
    expect((await run.outcome()).status).toBe('APPROVED');
    expect(run.fake.calls.alerts).toEqual([]);
    await (await env.harness()).recordHistory(run.workflowId, 'decision-refused-then-recorded');
  });

  it.concurrent('recordAssignment: the claim is refused, the task stays unheld, and a second claim holds it', async () => {
    const run = await env.start(lowProposal(), { failing: [{ activity: 'recordAssignment', times: 1 }] });
    const technical = await run.fake.waitForTask('TECHNICAL_REVIEW');
    await expectRefusal(run.claim(technical, ACTORS.technicalReviewer), REFUSAL_TYPES.notRecorded, /claim could not be recorded/);
    expect((await run.snapshot()).openTasks).toContainEqual(expect.objectContaining({ id: technical.id, assigneeId: null }));
    await run.claim(technical, ACTORS.technicalReviewer);
    expect(run.fake.calls.assignments).toEqual([expect.objectContaining({ taskId: technical.id, kind: 'CLAIMED', sequence: 1, holder: { id: ACTORS.technicalReviewer.id, email: ACTORS.technicalReviewer.email } })]);
    await approveLow(run);
  });

  it.concurrent('recordResponse: the answer is refused, the change request still awaits one, and a second answer goes on', async () => {
    const run = await env.start(lowProposal(), { failing: [{ activity: 'recordResponse', times: 1 }] });
    await run.review(await run.fake.waitForTask('TECHNICAL_REVIEW'), ACTORS.technicalReviewer, 'CHANGES_REQUESTED');
    await run.review(await run.fake.waitForTask('COST_EFFICIENCY_REVIEW'), ACTORS.financeReviewer, 'FAVOURABLE');
    await run.fake.waitFor('the change request', () => run.fake.calls.requestChanges[0]);
    await expectRefusal(run.respond(ACTORS.submitter, { summary: 'Reuses the shared platform.' }), REFUSAL_TYPES.notRecorded, /answer could not be recorded/);
    expect((await run.snapshot()).status).toBe('CHANGES_REQUESTED');
    await run.respond(ACTORS.submitter, { summary: 'Reuses the shared platform.' });
    expect(run.fake.calls.responses).toHaveLength(1);
    await approveLow(run);
  });
});

describe('any other step raises an operator alert and the evaluation goes on', () => {
  it.concurrent('beginEvaluation: the alert names the evaluation; with no version to evaluate, the run fails', async () => {
    const run = await env.start(lowProposal(), { failing: [{ activity: 'beginEvaluation' }] });
    await expect(run.outcome()).rejects.toBeInstanceOf(WorkflowFailedError);
    await alerted(run, 'beginEvaluation');
  });

  for (const activity of ['recordScreening', 'recordTriage'] as const) {
    it.concurrent(`${activity}: alert, then the reviews, approval and outcome as usual`, async () => {
      const run = await env.start(lowProposal(), { failing: [{ activity, times: 1 }] });
      await alerted(run, activity);
      await approveLow(run);
    });
  }

  it.concurrent('createTasks: the tasks it could not open are escalated with the alert, and stay decidable', async () => {
    const run = await env.start(lowProposal(), { failing: [{ activity: 'createTasks', times: 1 }] });
    const alert = await alerted(run, 'createTasks');
    expect(alert.taskIds).toHaveLength(1);
    await approveLow(run);
    await (await env.harness()).recordHistory(run.workflowId, 'create-tasks-alert-then-approved');
  });

  it.concurrent('committeeMembers: nobody found is nobody eligible: the seats wait escalated, and a withdrawal still ends it', async () => {
    const run = await env.start(highProposal(), { committee: members(...COMMITTEE), failing: [{ activity: 'committeeMembers' }] });
    await run.review(await run.fake.waitForTask('TECHNICAL_REVIEW'), ACTORS.technicalReviewer, 'FAVOURABLE');
    await run.review(await run.fake.waitForTask('COST_EFFICIENCY_REVIEW'), ACTORS.financeReviewer, 'FAVOURABLE');
    await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'DIGITAL_HEAD' }), ACTORS.digitalHead, APPROVE);
    await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'BUDGET_DIRECTOR' }), ACTORS.budgetDirector, APPROVE);
    await alerted(run, 'committeeMembers');
    const seats = await run.fake.waitForTasks(2, 'APPROVAL', { level: 'COMMITTEE', assigneeId: null });
    for (const seat of seats) await run.fake.waitForCall('escalateTask', seat.id);
    await run.withdraw(ACTORS.submitter);
    expect((await run.outcome()).status).toBe('WITHDRAWN');
  });

  it.concurrent('remindTask and escalateTask: alerts about the task, which stays open and decidable', async () => {
    const policy = policyWith({ technicalReview: { seconds: 1 }, reminderFraction: 0.5 });
    const run = await env.start(lowProposal(), { policy, failing: [{ activity: 'remindTask' }, { activity: 'escalateTask' }] });
    const technical = await run.fake.waitForTask('TECHNICAL_REVIEW');
    expect((await alerted(run, 'remindTask')).taskIds).toEqual([technical.id]);
    await alerted(run, 'escalateTask');
    await approveLow(run);
  });

  it.concurrent('cancelTasks: the withdrawal still ends the evaluation, with the alert about the tasks it left', async () => {
    const run = await env.start(lowProposal(), { failing: [{ activity: 'cancelTasks' }] });
    const tasks: TaskSpec[] = [await run.fake.waitForTask('TECHNICAL_REVIEW'), await run.fake.waitForTask('COST_EFFICIENCY_REVIEW')];
    await run.withdraw(ACTORS.submitter);
    expect((await run.outcome()).status).toBe('WITHDRAWN');
    expect((await alerted(run, 'cancelTasks')).taskIds.sort()).toEqual(tasks.map((t) => t.id).sort());
  });

  it.concurrent('requestChanges and remindAgency: the change request still awaits the answer, which is taken', async () => {
    const policy = policyWith({ agencyResponse: { seconds: 4 }, reminderFraction: 0.25 });
    const run = await env.start(lowProposal(), { policy, failing: [{ activity: 'requestChanges' }, { activity: 'remindAgency' }] });
    await run.review(await run.fake.waitForTask('TECHNICAL_REVIEW'), ACTORS.technicalReviewer, 'CHANGES_REQUESTED');
    await run.review(await run.fake.waitForTask('COST_EFFICIENCY_REVIEW'), ACTORS.financeReviewer, 'FAVOURABLE');
    await alerted(run, 'requestChanges');
    await alerted(run, 'remindAgency');
    await run.respond(ACTORS.submitter, { summary: 'Reuses the shared platform.' });
    await approveLow(run);
  });

  it.concurrent('recordOutcome: the evaluation still ends with its outcome, and the alert says the record lacks it', async () => {
    const run = await env.start(lowProposal(), { failing: [{ activity: 'recordOutcome' }] });
    await approveLow(run);
    await alerted(run, 'recordOutcome');
  });

  it.concurrent('an alert that cannot be recorded either does not stop the evaluation (the worker log keeps it)', async () => {
    const run = await env.start(lowProposal(), { failing: [{ activity: 'recordTriage', times: 1 }, { activity: 'raiseAlert' }] });
    await approveLow(run);
    expect(run.fake.log.filter((c) => c.activity === 'raiseAlert' && c.failed).length).toBeGreaterThan(0);
  });
});
