import { answerApplicable } from '../../libs/domain/src/testing/proposal.factory';
import { EvaluationEnvironment, eventually } from './evaluation-driver';
import { ACTORS, APPROVE, lowProposal, policyWith } from './evaluation-fixtures';

jest.setTimeout(60_000);

/**
 * Service-level clocks as the brief has them: a review that asked for changes continues, after
 * the agency's answer, with what was left of its clock (it stood still while the agency held the
 * proposal); a review run again because the tier changed starts afresh; every breach is escalated
 * and counted, also of a task already escalated; and the outcome carries the evaluation's time
 * against the whole-evaluation target, the agency's time apart. Second-scale clocks (DOMAIN.md
 * allows them for tests) run on plain elapsed time; the working-day arithmetic has unit tests.
 */
const env = new EvaluationEnvironment();
afterAll(() => env.close());

const SECOND = 1000;

it.concurrent('the review that asked for changes continues with what was left of its clock; the one that did not ask is not run again', async () => {
  // A target in seconds too, so the measurement does not depend on the day the test runs.
  const policy = policyWith({ technicalReview: { seconds: 8 }, wholeEvaluation: { seconds: 3600 }, reminderFraction: 0.5 });
  const run = await env.start(lowProposal(), { policy });
  const technical = await run.fake.waitForTask('TECHNICAL_REVIEW');
  // Past its reminder (half the clock): the reviewer then asks for changes.
  await run.fake.waitForCall('remindTask', technical.id);
  await run.review(technical, ACTORS.technicalReviewer, 'CHANGES_REQUESTED');
  const askedAt = run.fake.log[run.fake.indexOf('recordDecision', technical.id)].at;
  const used = askedAt - (Date.parse(technical.dueAt) - 8 * SECOND);
  await run.review(await run.fake.waitForTask('COST_EFFICIENCY_REVIEW'), ACTORS.financeReviewer, 'FAVOURABLE');
  await run.fake.waitFor('the change request', () => run.fake.calls.requestChanges[0]);
  await run.respond(ACTORS.submitter, { summary: 'Reuses the shared identity platform.' });

  const again = await run.fake.waitForTask('TECHNICAL_REVIEW');
  const opened = run.fake.log.filter((c) => c.activity === 'createTasks' && c.taskIds.includes(again.id))[0].at;
  const left = Date.parse(again.dueAt) - opened;
  // What was left, not a fresh 8 s (the second's tolerance is the worker's scheduling).
  expect(left).toBeLessThan(8 * SECOND - used + SECOND);
  expect(left).toBeGreaterThan(8 * SECOND - used - SECOND);
  // Its reminder point was passed before the agency had the proposal: no second reminder.
  await run.fake.waitForCall('escalateTask', again.id);
  expect(run.fake.calls.remindTask.filter((r) => r.taskId === again.id)).toEqual([]);
  expect(run.fake.calls.escalateTask.filter((e) => e.taskId === again.id)).toEqual([expect.objectContaining({ kind: 'BREACH', sequence: 1 })]);
  expect(run.fake.tasks.filter((t) => t.type === 'COST_EFFICIENCY_REVIEW')).toHaveLength(1);

  await run.review(again, ACTORS.technicalReviewer, 'FAVOURABLE');
  await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'DIGITAL_HEAD' }), ACTORS.digitalHead, APPROVE);
  const outcome = await run.outcome();
  // The agency's time is apart from the evaluation's, both in the target's unit.
  const timing = outcome.timing;
  expect(timing).toMatchObject({ unit: 'seconds', target: 3600, withinTarget: true });
  expect(timing?.withAgency).toBeGreaterThan(0);
  expect(timing?.evaluation).toBeCloseTo((timing?.total ?? 0) - (timing?.withAgency ?? 0), 3);
  await (await env.harness()).recordHistory(run.workflowId, 'changes-requested-clock-continued');
});

it.concurrent('an answer that changes the tier runs both reviews again on fresh clocks', async () => {
  const policy = policyWith({ technicalReview: { seconds: 8 }, costEfficiencyReview: { seconds: 8 }, reminderFraction: 0.5 });
  const run = await env.start(lowProposal(), { policy });
  const technical = await run.fake.waitForTask('TECHNICAL_REVIEW');
  await run.fake.waitForCall('remindTask', technical.id);
  await run.review(technical, ACTORS.technicalReviewer, 'CHANGES_REQUESTED');
  await run.review(await run.fake.waitForTask('COST_EFFICIENCY_REVIEW'), ACTORS.financeReviewer, 'FAVOURABLE');
  await run.fake.waitFor('the change request', () => run.fake.calls.requestChanges[0]);
  // Citizen-facing with personal data: MEDIUM now, with the standards that asks answered.
  const changes = { citizenFacing: true, handlesPersonalData: true };
  await run.respond(ACTORS.submitter, { ...changes, selfAssessment: answerApplicable({ ...run.fake.currentData, ...changes }).selfAssessment });

  for (const type of ['TECHNICAL_REVIEW', 'COST_EFFICIENCY_REVIEW'] as const) {
    const again = await run.fake.waitForTask(type);
    const opened = run.fake.log.filter((c) => c.activity === 'createTasks' && c.taskIds.includes(again.id))[0].at;
    expect(Date.parse(again.dueAt) - opened).toBeGreaterThan(7 * SECOND);
  }
  await run.withdraw(ACTORS.submitter);
  expect((await run.outcome()).status).toBe('WITHDRAWN');
});

it.concurrent('a task escalated because nobody could take it is escalated again when its clock runs out: each escalation recorded, the breach counted', async () => {
  const policy = policyWith({ technicalReview: { seconds: 1 }, reminderFraction: 0.5 });
  const run = await env.start(lowProposal(), {
    policy,
    withoutEligibleCandidate: (record) => record.tasks.filter((t) => t.type === 'TECHNICAL_REVIEW').map((t) => t.id),
  });
  const technical = await run.fake.waitForTask('TECHNICAL_REVIEW');
  await run.fake.waitFor('the breach', () => run.fake.calls.escalateTask.filter((e) => e.taskId === technical.id).length === 2);
  expect(run.fake.calls.escalateTask.filter((e) => e.taskId === technical.id)).toEqual([
    expect.objectContaining({ kind: 'NO_CANDIDATE', sequence: 1, reason: 'nobody eligible can take this task' }),
    expect.objectContaining({ kind: 'BREACH', sequence: 2, reason: 'the task is past its due date' }),
  ]);
  await run.withdraw(ACTORS.submitter);
  expect((await run.outcome()).status).toBe('WITHDRAWN');
});

it.concurrent('the outcome measures submit to outcome against the target: a second-scale target is missed, and says so', async () => {
  const policy = policyWith({ wholeEvaluation: { seconds: 1 } });
  const run = await env.start(lowProposal(), { policy });
  await run.review(await run.fake.waitForTask('TECHNICAL_REVIEW'), ACTORS.technicalReviewer, 'FAVOURABLE');
  // The target is one second: let it pass (nothing in the evaluation happens meanwhile to wake a wait on).
  await eventually('a second to pass', async () => Date.now() - run.fake.log[0].at > 1100);
  await run.review(await run.fake.waitForTask('COST_EFFICIENCY_REVIEW'), ACTORS.financeReviewer, 'FAVOURABLE');
  await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'DIGITAL_HEAD' }), ACTORS.digitalHead, APPROVE);
  const { timing } = await run.outcome();
  expect(timing).toMatchObject({ unit: 'seconds', target: 1, withAgency: 0, withinTarget: false });
  expect(timing?.total).toBeGreaterThan(1);
  expect(timing?.evaluation).toBe(timing?.total);
});

it.concurrent('a due date past the pinned calendar escalates the task and alerts an operator; the evaluation goes on', async () => {
  // A calendar that ends with 2020: every due date now lies past it.
  const policy = policyWith({}, { calendar: { timeZone: 'America/Santiago', holidays: ['2020-01-01', '2020-12-25'] } });
  const run = await env.start(lowProposal(), { policy });
  const technical = await run.fake.waitForTask('TECHNICAL_REVIEW');
  const finance = await run.fake.waitForTask('COST_EFFICIENCY_REVIEW');
  const [alert] = await run.fake.waitFor('the calendar alert', () => (run.fake.calls.alerts.length ? run.fake.calls.alerts : undefined));
  expect(alert).toMatchObject({ activity: 'calendar', reason: expect.stringMatching(/ends on 2020-12-31/) });
  expect(alert.taskIds.sort()).toEqual([technical.id, finance.id].sort());
  await run.review(technical, ACTORS.technicalReviewer, 'FAVOURABLE');
  await run.review(finance, ACTORS.financeReviewer, 'FAVOURABLE');
  await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'DIGITAL_HEAD' }), ACTORS.digitalHead, APPROVE);
  expect((await run.outcome()).status).toBe('APPROVED');
});
