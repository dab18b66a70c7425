import { DEFAULT_POLICY } from '../../libs/domain';
import { EvaluationEnvironment } from './evaluation-driver';
import {
  ACTORS,
  APPROVE,
  approveWithConditions,
  COMMITTEE,
  condition,
  highProposal,
  lowProposal,
  mediumProposal,
  members,
  REJECT,
  RETURN_TO_REVIEW,
  tierOf,
} from './evaluation-fixtures';

jest.setTimeout(30_000);

/**
 * The routes of DOMAIN.md from submit to outcome: reviews, then the approval levels the tier
 * requires. Each test drives its own evaluation on the file's shared worker, so they run
 * concurrently.
 */
const env = new EvaluationEnvironment();
afterAll(() => env.close());

it('the fixtures have the tiers the tests rely on', () => {
  expect([tierOf(lowProposal()), tierOf(mediumProposal()), tierOf(highProposal())]).toEqual(['LOW', 'MEDIUM', 'HIGH']);
});

describe('approval routes by tier', () => {
  it.concurrent('LOW: both reviews, then the head of the digital unit alone approves', async () => {
    const run = await env.start(lowProposal());
    const technical = await run.fake.waitForTask('TECHNICAL_REVIEW');
    const finance = await run.fake.waitForTask('COST_EFFICIENCY_REVIEW');
    await run.review(technical, ACTORS.technicalReviewer, 'FAVOURABLE');
    await run.review(finance, ACTORS.financeReviewer, 'FAVOURABLE');
    const head = await run.fake.waitForTask('APPROVAL', { level: 'DIGITAL_HEAD' });
    const answer = await run.decide(head, ACTORS.digitalHead, APPROVE);

    expect(answer.status).toBe('APPROVED');
    const outcome = await run.outcome();
    expect(outcome).toMatchObject({
      status: 'APPROVED',
      tier: 'LOW',
      version: 1,
      requestedAmount: 30_000_000,
      approvedAmount: 30_000_000,
      conditions: [],
      catalogueVersion: '2026.1',
      policyVersion: '2026.1',
      by: null,
    });
    expect(outcome.approvals.map((a) => [a.level, a.by.email, a.decision.decision])).toEqual([['DIGITAL_HEAD', ACTORS.digitalHead.email, 'APPROVE']]);
    expect(outcome.opinions.map((o) => [o.type, o.decision.opinion]).sort()).toEqual([
      ['COST_EFFICIENCY_REVIEW', 'FAVOURABLE'],
      ['TECHNICAL_REVIEW', 'FAVOURABLE'],
    ]);
    // The finance figures travel with the outcome and with the finance decision.
    expect(outcome.metrics?.tco).toBeDefined();
    expect(run.fake.decisionsFor(finance.id)[0].metrics).toEqual(outcome.metrics);
    expect(run.fake.decisionsFor(technical.id)[0].metrics).toBeNull();
    // One task per stage; only DIGITAL_HEAD among the approval levels.
    expect(run.fake.tasks.map((t) => t.approvalLevel ?? t.type)).toEqual(['TECHNICAL_REVIEW', 'COST_EFFICIENCY_REVIEW', 'DIGITAL_HEAD']);
    expect(run.fake.calls.outcomes).toEqual([{ proposalId: run.input.proposalId, outcome, eventType: 'OUTCOME', requestId: run.input.requestId }]);
    expect(run.fake.calls.cancelTasks).toEqual([]);
  });

  it.concurrent('MEDIUM: the head of the digital unit, then the budget director; tasks carry their due dates', async () => {
    const run = await env.start(mediumProposal());
    const technical = await run.fake.waitForTask('TECHNICAL_REVIEW');
    const finance = await run.fake.waitForTask('COST_EFFICIENCY_REVIEW');
    await run.review(technical, ACTORS.technicalReviewer, 'FAVOURABLE');
    await run.review(finance, ACTORS.financeReviewer, 'FAVOURABLE');
    const head = await run.fake.waitForTask('APPROVAL', { level: 'DIGITAL_HEAD' });
    // The second level only opens once the first has decided.
    expect(run.fake.tasks.some((t) => t.approvalLevel === 'BUDGET_DIRECTOR')).toBe(false);
    const afterHead = await run.decide(head, ACTORS.digitalHead, APPROVE);
    expect(afterHead).toEqual({ status: 'IN_APPROVAL', stages: ['APPROVAL:BUDGET_DIRECTOR'] });
    const director = await run.fake.waitForTask('APPROVAL', { level: 'BUDGET_DIRECTOR' });
    await run.decide(director, ACTORS.budgetDirector, { decision: 'APPROVE', approvedAmount: 150_000_000 });

    const outcome = await run.outcome();
    expect(outcome).toMatchObject({ status: 'APPROVED', tier: 'MEDIUM', requestedAmount: 180_000_000, approvedAmount: 150_000_000 });
    expect(outcome.approvals.map((a) => a.level)).toEqual(['DIGITAL_HEAD', 'BUDGET_DIRECTOR']);

    // Due dates follow the pinned policy's working days: 10 for a review, 5 per approval level,
    // so every one lies days ahead of the moment its task was created.
    const created = run.fake.calls.createTasks;
    expect(created.map((c) => c.tasks.map((t) => t.type))).toEqual([['TECHNICAL_REVIEW'], ['COST_EFFICIENCY_REVIEW'], ['APPROVAL'], ['APPROVAL']]);
    for (const task of run.fake.tasks) expect(Date.parse(task.dueAt) - Date.now()).toBeGreaterThan(3 * 24 * 3600 * 1000);
    expect(Date.parse(technical.dueAt)).toBeGreaterThan(Date.parse(head.dueAt));
    // Who acted is excluded from the other stages' tasks (separation of duties).
    expect(created[3].excludedUserIds.sort()).toEqual([ACTORS.technicalReviewer.id, ACTORS.financeReviewer.id, ACTORS.digitalHead.id].sort());
    await (await env.harness()).recordHistory(run.workflowId, 'medium-approved');
  });

  it.concurrent('HIGH: three levels, the committee approving with a quorum of two of its three members', async () => {
    const run = await env.start(highProposal(), { committee: members(...COMMITTEE) });
    await run.review(await run.fake.waitForTask('TECHNICAL_REVIEW'), ACTORS.technicalReviewer, 'FAVOURABLE');
    await run.review(await run.fake.waitForTask('COST_EFFICIENCY_REVIEW'), ACTORS.financeReviewer, 'FAVOURABLE');
    await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'DIGITAL_HEAD' }), ACTORS.digitalHead, APPROVE);
    await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'BUDGET_DIRECTOR' }), ACTORS.budgetDirector, APPROVE);
    const seats = await run.fake.waitForTasks(3, 'APPROVAL', { level: 'COMMITTEE' });
    expect(seats.map((s) => s.assigneeId)).toEqual(COMMITTEE.map((m) => m.id));
    // The directory is asked for members excluding everyone who acted on an earlier stage.
    expect(run.fake.calls.committeeMembers[0].excludedUserIds.sort()).toEqual(
      [ACTORS.technicalReviewer.id, ACTORS.financeReviewer.id, ACTORS.digitalHead.id, ACTORS.budgetDirector.id].sort(),
    );
    const first = await run.decide(seats[0], COMMITTEE[0], APPROVE);
    // One approval is not yet a quorum.
    expect(first).toEqual({ status: 'IN_APPROVAL', stages: ['APPROVAL:COMMITTEE'] });
    await run.decide(seats[1], COMMITTEE[1], APPROVE);

    const outcome = await run.outcome();
    expect(outcome).toMatchObject({ status: 'APPROVED', tier: 'HIGH' });
    expect(outcome.approvals.map((a) => `${a.level}:${a.by.email}`)).toEqual([
      `DIGITAL_HEAD:${ACTORS.digitalHead.email}`,
      `BUDGET_DIRECTOR:${ACTORS.budgetDirector.email}`,
      `COMMITTEE:${COMMITTEE[0].email}`,
      `COMMITTEE:${COMMITTEE[1].email}`,
    ]);
    // The third member's vote is no longer needed: the task is cancelled, and only it.
    expect(run.fake.calls.cancelTasks).toEqual([expect.objectContaining({ taskIds: [seats[2].id], reason: expect.stringMatching(/no longer needed/) })]);
    await (await env.harness()).recordHistory(run.workflowId, 'high-committee-approved');
  });
});

describe('outcomes other than a plain approval', () => {
  it.concurrent('a review favourable with conditions makes the outcome APPROVED_WITH_CONDITIONS', async () => {
    const run = await env.start(lowProposal());
    await run.review(await run.fake.waitForTask('TECHNICAL_REVIEW'), ACTORS.technicalReviewer, 'FAVOURABLE_WITH_CONDITIONS', {
      conditions: [condition('Security sign-off before go-live', 'SEC-02')],
    });
    await run.review(await run.fake.waitForTask('COST_EFFICIENCY_REVIEW'), ACTORS.financeReviewer, 'FAVOURABLE');
    await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'DIGITAL_HEAD' }), ACTORS.digitalHead, APPROVE);
    const outcome = await run.outcome();
    expect(outcome.status).toBe('APPROVED_WITH_CONDITIONS');
    expect(outcome.conditions).toEqual([expect.objectContaining({ text: 'Security sign-off before go-live', standardCode: 'SEC-02', source: 'TECHNICAL_REVIEW' })]);
  });

  it.concurrent('an approver approving with conditions makes the outcome APPROVED_WITH_CONDITIONS', async () => {
    const run = await env.start(mediumProposal());
    await run.review(await run.fake.waitForTask('TECHNICAL_REVIEW'), ACTORS.technicalReviewer, 'FAVOURABLE');
    await run.review(await run.fake.waitForTask('COST_EFFICIENCY_REVIEW'), ACTORS.financeReviewer, 'FAVOURABLE');
    await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'DIGITAL_HEAD' }), ACTORS.digitalHead, APPROVE);
    await run.decide(
      await run.fake.waitForTask('APPROVAL', { level: 'BUDGET_DIRECTOR' }),
      ACTORS.budgetDirector,
      approveWithConditions(condition('Quarterly report on take-up')),
    );
    const outcome = await run.outcome();
    expect(outcome.status).toBe('APPROVED_WITH_CONDITIONS');
    expect(outcome.conditions).toEqual([expect.objectContaining({ text: 'Quarterly report on take-up', source: 'APPROVAL:BUDGET_DIRECTOR' })]);
    expect(outcome.approvedAmount).toBe(outcome.requestedAmount);
  });

  it.concurrent('an approver rejecting ends the evaluation REJECTED without the later levels', async () => {
    const run = await env.start(mediumProposal());
    await run.review(await run.fake.waitForTask('TECHNICAL_REVIEW'), ACTORS.technicalReviewer, 'FAVOURABLE');
    // Conditions of an opinion do not survive a rejection.
    await run.review(await run.fake.waitForTask('COST_EFFICIENCY_REVIEW'), ACTORS.financeReviewer, 'FAVOURABLE_WITH_CONDITIONS');
    const answer = await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'DIGITAL_HEAD' }), ACTORS.digitalHead, REJECT);
    expect(answer.status).toBe('REJECTED');
    const outcome = await run.outcome();
    expect(outcome).toMatchObject({ status: 'REJECTED', approvedAmount: null, conditions: [] });
    expect(outcome.approvals.map((a) => a.decision.decision)).toEqual(['REJECT']);
    expect(run.fake.tasks.some((t) => t.approvalLevel === 'BUDGET_DIRECTOR')).toBe(false);
    expect(run.fake.calls.outcomes[0].eventType).toBe('OUTCOME');
  });

  it.concurrent('a return to review from an approval level runs both reviews again, then approval from the first level', async () => {
    const run = await env.start(mediumProposal());
    const technical1 = await run.fake.waitForTask('TECHNICAL_REVIEW');
    const finance1 = await run.fake.waitForTask('COST_EFFICIENCY_REVIEW');
    await run.review(technical1, ACTORS.technicalReviewer, 'FAVOURABLE');
    await run.review(finance1, ACTORS.financeReviewer, 'FAVOURABLE_WITH_CONDITIONS');
    await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'DIGITAL_HEAD' }), ACTORS.digitalHead, APPROVE);
    const answer = await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'BUDGET_DIRECTOR' }), ACTORS.budgetDirector, RETURN_TO_REVIEW);
    expect(answer).toEqual({ status: 'IN_REVIEW', stages: ['TECHNICAL_REVIEW', 'COST_EFFICIENCY_REVIEW'] });

    const technical2 = await run.fake.waitForTask('TECHNICAL_REVIEW');
    const finance2 = await run.fake.waitForTask('COST_EFFICIENCY_REVIEW');
    expect(technical2.round).toBeGreaterThan(technical1.round);
    // The same reviewers may review again: it is still their stage.
    await run.review(technical2, ACTORS.technicalReviewer, 'FAVOURABLE');
    await run.review(finance2, ACTORS.financeReviewer, 'FAVOURABLE');
    const head2 = await run.fake.waitForTask('APPROVAL', { level: 'DIGITAL_HEAD' });
    await run.decide(head2, ACTORS.digitalHead, APPROVE);
    await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'BUDGET_DIRECTOR' }), ACTORS.budgetDirector, APPROVE);

    const outcome = await run.outcome();
    // The superseded finance opinion's conditions no longer count, nor the superseded approvals.
    expect(outcome.status).toBe('APPROVED');
    expect(outcome.opinions.map((o) => o.taskId).sort()).toEqual([technical2.id, finance2.id].sort());
    expect(outcome.approvals.map((a) => a.level)).toEqual(['DIGITAL_HEAD', 'BUDGET_DIRECTOR']);
    expect(outcome.approvals[0].taskId).toBe(head2.id);
    expect(run.fake.tasks.map((t) => t.approvalLevel ?? t.type)).toEqual([
      'TECHNICAL_REVIEW',
      'COST_EFFICIENCY_REVIEW',
      'DIGITAL_HEAD',
      'BUDGET_DIRECTOR',
      'TECHNICAL_REVIEW',
      'COST_EFFICIENCY_REVIEW',
      'DIGITAL_HEAD',
      'BUDGET_DIRECTOR',
    ]);
  });
});

describe('review modes', () => {
  it.concurrent('PARALLEL (the default): both review tasks are created at once', async () => {
    const run = await env.start(mediumProposal());
    const technical = await run.fake.waitForTask('TECHNICAL_REVIEW');
    const finance = await run.fake.waitForTask('COST_EFFICIENCY_REVIEW');
    // One createTasks call per stage, both before anyone decided, in the same round and with
    // the same clock (the default policy gives both reviews 10 working days).
    expect(run.fake.calls.createTasks.map((c) => c.tasks.map((t) => t.type))).toEqual([['TECHNICAL_REVIEW'], ['COST_EFFICIENCY_REVIEW']]);
    expect(finance.round).toBe(technical.round);
    expect(finance.dueAt).toBe(technical.dueAt);
    expect(await run.snapshot()).toMatchObject({ status: 'IN_REVIEW', stages: ['TECHNICAL_REVIEW', 'COST_EFFICIENCY_REVIEW'] });
    await run.withdraw(ACTORS.submitter);
    expect((await run.outcome()).status).toBe('WITHDRAWN');
  });

  it.concurrent('SEQUENTIAL: the finance task only appears after the technical decision', async () => {
    const run = await env.start(mediumProposal(), { policy: { ...DEFAULT_POLICY, reviewMode: 'SEQUENTIAL' } });
    const technical = await run.fake.waitForTask('TECHNICAL_REVIEW');
    expect(run.fake.calls.createTasks).toHaveLength(1);
    expect(run.fake.calls.createTasks[0].tasks.map((t) => t.type)).toEqual(['TECHNICAL_REVIEW']);
    expect((await run.snapshot()).stages).toEqual(['TECHNICAL_REVIEW']);

    // The decision's answer comes once the next review is open.
    const answer = await run.review(technical, ACTORS.technicalReviewer, 'FAVOURABLE');
    expect(answer).toEqual({ status: 'IN_REVIEW', stages: ['COST_EFFICIENCY_REVIEW'] });
    const finance = await run.fake.waitForTask('COST_EFFICIENCY_REVIEW');
    expect(run.fake.indexOf('createTasks', finance.id)).toBeGreaterThan(run.fake.indexOf('recordDecision', technical.id));
    await run.review(finance, ACTORS.financeReviewer, 'FAVOURABLE');
    await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'DIGITAL_HEAD' }), ACTORS.digitalHead, APPROVE);
    await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'BUDGET_DIRECTOR' }), ACTORS.budgetDirector, APPROVE);
    expect((await run.outcome()).status).toBe('APPROVED');
    expect(run.fake.calls.createTasks.map((c) => c.tasks.map((t) => t.type))).toEqual([['TECHNICAL_REVIEW'], ['COST_EFFICIENCY_REVIEW'], ['APPROVAL'], ['APPROVAL']]);
  });
});

describe('the committee', () => {
  async function atCommittee(committee = members(...COMMITTEE)) {
    const run = await env.start(highProposal(), { committee });
    await run.review(await run.fake.waitForTask('TECHNICAL_REVIEW'), ACTORS.technicalReviewer, 'FAVOURABLE');
    await run.review(await run.fake.waitForTask('COST_EFFICIENCY_REVIEW'), ACTORS.financeReviewer, 'FAVOURABLE');
    await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'DIGITAL_HEAD' }), ACTORS.digitalHead, APPROVE);
    await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'BUDGET_DIRECTOR' }), ACTORS.budgetDirector, APPROVE);
    return run;
  }

  it.concurrent('quorum reached: two approvals of three members approve, and the third seat is cancelled', async () => {
    const run = await atCommittee();
    const seats = await run.fake.waitForTasks(3, 'APPROVAL', { level: 'COMMITTEE' });
    // A rejection among them does not stop the quorum from being reached by the other two.
    await run.decide(seats[2], COMMITTEE[2], REJECT);
    await run.decide(seats[0], COMMITTEE[0], APPROVE);
    expect((await run.snapshot()).openTasks.map((t) => t.id)).toEqual([seats[1].id]);
    await run.decide(seats[1], COMMITTEE[1], approveWithConditions(condition('Independent security audit in year 1', 'SEC-01')));
    const outcome = await run.outcome();
    expect(outcome.status).toBe('APPROVED_WITH_CONDITIONS');
    expect(outcome.conditions.map((c) => c.source)).toEqual(['APPROVAL:COMMITTEE']);
    expect(run.fake.cancelledTaskIds()).toEqual([]);
  });

  it.concurrent('quorum reached early: the member who has not voted has the task cancelled', async () => {
    const run = await atCommittee();
    const seats = await run.fake.waitForTasks(3, 'APPROVAL', { level: 'COMMITTEE' });
    await run.decide(seats[1], COMMITTEE[1], APPROVE);
    await run.decide(seats[2], COMMITTEE[2], APPROVE);
    expect((await run.outcome()).status).toBe('APPROVED');
    expect(run.fake.cancelledTaskIds()).toEqual([seats[0].id]);
    expect(run.fake.decisionsFor(seats[0].id)).toEqual([]);
  });

  it.concurrent('quorum impossible: two rejections of three members reject at once', async () => {
    const run = await atCommittee();
    const seats = await run.fake.waitForTasks(3, 'APPROVAL', { level: 'COMMITTEE' });
    await run.decide(seats[0], COMMITTEE[0], REJECT);
    const answer = await run.decide(seats[1], COMMITTEE[1], REJECT);
    expect(answer.status).toBe('REJECTED');
    const outcome = await run.outcome();
    expect(outcome).toMatchObject({ status: 'REJECTED', approvedAmount: null });
    expect(outcome.approvals.filter((a) => a.level === 'COMMITTEE').map((a) => a.decision.decision)).toEqual(['REJECT', 'REJECT']);
    expect(run.fake.cancelledTaskIds()).toEqual([seats[2].id]);
  });

  it.concurrent('fewer eligible members than the quorum: an unassigned seat is created and escalated', async () => {
    const run = await atCommittee(members(COMMITTEE[0]));
    const [own, seat] = await run.fake.waitForTasks(2, 'APPROVAL', { level: 'COMMITTEE' });
    expect(own.assigneeId).toBe(COMMITTEE[0].id);
    expect(seat.assigneeId).toBeNull();
    const escalation = await run.fake.waitForCall('escalateTask', seat.id);
    expect(run.fake.calls.escalateTask).toEqual([expect.objectContaining({ taskId: seat.id, reason: expect.stringMatching(/nobody eligible/) })]);
    expect(run.fake.indexOf('createTasks', seat.id)).toBeLessThan(run.fake.log.indexOf(escalation));

    // A supervisor seats another eligible member, who takes the open seat.
    await run.decide(own, COMMITTEE[0], APPROVE);
    await run.decide(seat, COMMITTEE[1], APPROVE);
    const outcome = await run.outcome();
    expect(outcome.status).toBe('APPROVED');
    expect(outcome.approvals.filter((a) => a.level === 'COMMITTEE').map((a) => a.by.id)).toEqual([COMMITTEE[0].id, COMMITTEE[1].id]);
  });
});
