import { EvaluationEnvironment } from './evaluation-driver';
import { ACTORS, APPROVE, lowProposal, mediumProposal, policyWith } from './evaluation-fixtures';

jest.setTimeout(30_000);

/**
 * Service levels run on workflow timers. The pinned policy shrinks them to seconds (as DOMAIN.md
 * allows for tests), so reminders, escalations and the lapse happen within the test.
 */
const env = new EvaluationEnvironment();
afterAll(() => env.close());

it.concurrent('a change request the agency leaves unanswered: one reminder, then the proposal LAPSES', async () => {
  const policy = policyWith({ agencyResponse: { seconds: 2 }, reminderFraction: 0.5 });
  const run = await env.start(mediumProposal(), { policy });
  await run.review(await run.fake.waitForTask('TECHNICAL_REVIEW'), ACTORS.technicalReviewer, 'CHANGES_REQUESTED');
  await run.review(await run.fake.waitForTask('COST_EFFICIENCY_REVIEW'), ACTORS.financeReviewer, 'FAVOURABLE');
  const request = await run.fake.waitFor('the change request', () => run.fake.calls.requestChanges[0]);
  const due = Date.parse(request.dueAt);

  const outcome = await run.outcome();
  expect(outcome).toMatchObject({ status: 'LAPSED', version: 1, approvedAmount: null, by: null, reason: expect.stringMatching(/did not answer/) });
  expect(run.fake.calls.remindAgency).toEqual([{ proposalId: run.input.proposalId, key: expect.stringMatching(/^agency-reminder:/), about: 'CHANGES_REQUESTED', dueAt: request.dueAt }]);
  expect(run.fake.calls.outcomes).toEqual([expect.objectContaining({ eventType: 'LAPSED', outcome })]);
  // Reminder first, at half the time (the policy's fraction); the lapse not before the due date.
  const reminded = run.fake.log[run.fake.indexOf('remindAgency')];
  const lapsed = run.fake.log[run.fake.indexOf('recordOutcome')];
  expect(run.fake.indexOf('remindAgency')).toBeLessThan(run.fake.indexOf('recordOutcome'));
  expect(reminded.at).toBeGreaterThanOrEqual(due - 1000);
  expect(lapsed.at).toBeGreaterThanOrEqual(due);
  expect(run.fake.calls.responses).toEqual([]);
  await (await env.harness()).recordHistory(run.workflowId, 'lapsed');
});

it.concurrent('review tasks past their reminder and due date are reminded, then escalated, and a decision is still accepted', async () => {
  // Both reviews get the same short clock. The workflow times a parallel group by its first
  // task's service level, so a finance clock different from the technical one is not honoured
  // (a known defect); equal clocks keep this test about reminders and escalation.
  const policy = policyWith({ technicalReview: { seconds: 2 }, costEfficiencyReview: { seconds: 2 }, reminderFraction: 0.5 });
  const run = await env.start(lowProposal(), { policy });
  const technical = await run.fake.waitForTask('TECHNICAL_REVIEW');
  const finance = await run.fake.waitForTask('COST_EFFICIENCY_REVIEW');
  await run.fake.waitForCall('escalateTask', technical.id);
  await run.fake.waitForCall('escalateTask', finance.id);

  for (const task of [technical, finance]) {
    const due = Date.parse(task.dueAt);
    const remind = run.fake.log[run.fake.indexOf('remindTask', task.id)];
    const escalate = run.fake.log[run.fake.indexOf('escalateTask', task.id)];
    expect(run.fake.indexOf('remindTask', task.id)).toBeLessThan(run.fake.indexOf('escalateTask', task.id));
    expect(remind.at).toBeGreaterThanOrEqual(due - 1000);
    expect(escalate.at).toBeGreaterThanOrEqual(due);
  }
  // Each reminder and each breach is numbered: a later one is never taken for a retry of this one.
  expect(run.fake.calls.remindTask).toEqual(
    [technical, finance].map((t) => ({ proposalId: run.input.proposalId, taskId: t.id, reason: 'reminder before the due date', dueAt: t.dueAt, sequence: 1 })),
  );
  expect(run.fake.calls.escalateTask).toEqual(
    [technical, finance].map((t) => ({ proposalId: run.input.proposalId, taskId: t.id, reason: 'the task is past its due date', kind: 'BREACH', sequence: 1 })),
  );

  // Escalated tasks stay open: a decision after the due date counts.
  await run.review(technical, ACTORS.technicalReviewer, 'FAVOURABLE');
  await run.review(finance, ACTORS.financeReviewer, 'FAVOURABLE');
  const head = await run.fake.waitForTask('APPROVAL', { level: 'DIGITAL_HEAD' });
  await run.decide(head, ACTORS.digitalHead, APPROVE);
  expect((await run.outcome()).status).toBe('APPROVED');
  // The approval level keeps the default working-day clock: nothing reminded or escalated there.
  expect(run.fake.calls.remindTask.map((r) => r.taskId)).not.toContain(head.id);
  expect(run.fake.calls.escalateTask.map((r) => r.taskId)).not.toContain(head.id);
  await (await env.harness()).recordHistory(run.workflowId, 'reviews-escalated-then-approved');
});

it.concurrent('an approval level past its due date is escalated to its supervisor, and its decision still counts', async () => {
  const policy = policyWith({ approvalLevel: { seconds: 1 }, reminderFraction: 0.5 });
  const run = await env.start(lowProposal(), { policy });
  await run.review(await run.fake.waitForTask('TECHNICAL_REVIEW'), ACTORS.technicalReviewer, 'FAVOURABLE');
  await run.review(await run.fake.waitForTask('COST_EFFICIENCY_REVIEW'), ACTORS.financeReviewer, 'FAVOURABLE');
  const head = await run.fake.waitForTask('APPROVAL', { level: 'DIGITAL_HEAD' });
  await run.fake.waitForCall('escalateTask', head.id);
  expect(run.fake.indexOf('remindTask', head.id)).toBeLessThan(run.fake.indexOf('escalateTask', head.id));
  expect((await run.snapshot()).openTasks).toEqual([expect.objectContaining({ id: head.id, status: 'OPEN' })]);
  await run.decide(head, ACTORS.digitalHead, APPROVE);
  expect((await run.outcome()).status).toBe('APPROVED');
});
