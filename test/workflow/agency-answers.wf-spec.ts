import { EvaluationEnvironment } from './evaluation-driver';
import { ACTORS, APPROVE, mediumProposal } from './evaluation-fixtures';
import { answering, applicableCodes } from '../../libs/domain/src/testing/proposal.factory';

jest.setTimeout(30_000);

/**
 * What happens while the proposal is with the agency: change requests from the reviews and the
 * answers to them, screening's return of an incomplete proposal, and a withdrawal.
 */
const env = new EvaluationEnvironment();
afterAll(() => env.close());

describe('changes requested by a review', () => {
  it.concurrent('by the technical review: the answer is version 2, the technical review runs again and the finance opinion stands', async () => {
    const run = await env.start(mediumProposal());
    const technical1 = await run.fake.waitForTask('TECHNICAL_REVIEW');
    const finance = await run.fake.waitForTask('COST_EFFICIENCY_REVIEW');
    await run.review(technical1, ACTORS.technicalReviewer, 'CHANGES_REQUESTED', { questions: ['Which platform did the reuse check consider?'] });
    const afterFinance = await run.review(finance, ACTORS.financeReviewer, 'FAVOURABLE');
    // Both reviews have spoken; one asked, so the proposal goes back to the agency.
    expect(afterFinance).toEqual({ status: 'CHANGES_REQUESTED', stages: [] });
    expect(run.fake.calls.requestChanges).toEqual([
      expect.objectContaining({
        version: 1,
        status: 'CHANGES_REQUESTED',
        requestedBy: ['TECHNICAL_REVIEW'],
        questions: [{ from: 'TECHNICAL_REVIEW', question: 'Which platform did the reuse check consider?' }],
        missing: [],
      }),
    ]);
    expect(await run.snapshot()).toMatchObject({ status: 'CHANGES_REQUESTED', version: 1, openTasks: [] });

    const summary = 'Citizens book public hospital appointments online; ClaveÚnica and the state platform were checked first.';
    const answer = await run.respond(ACTORS.submitter, { summary }, 'The reuse check is described in the summary.');
    expect(answer).toEqual({ status: 'IN_REVIEW', stages: ['TECHNICAL_REVIEW'] });
    expect(run.fake.calls.responses).toEqual([
      expect.objectContaining({ version: 2, changedFields: ['summary'], actor: { id: ACTORS.submitter.id, email: ACTORS.submitter.email } }),
    ]);
    expect(run.fake.calls.responses[0].data.summary).toBe(summary);
    // The new version is triaged again before the review reruns.
    expect(run.fake.calls.triage.map((t) => t.version)).toEqual([1, 2]);

    const technical2 = await run.fake.waitForTask('TECHNICAL_REVIEW');
    expect(technical2).toMatchObject({ version: 2 });
    expect(technical2.id).not.toBe(technical1.id);
    expect(await run.snapshot()).toMatchObject({
      version: 2,
      opinions: [{ type: 'COST_EFFICIENCY_REVIEW', opinion: 'FAVOURABLE', version: 1 }],
      openTasks: [expect.objectContaining({ id: technical2.id })],
    });
    await run.review(technical2, ACTORS.technicalReviewer, 'FAVOURABLE');
    await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'DIGITAL_HEAD' }), ACTORS.digitalHead, APPROVE);
    await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'BUDGET_DIRECTOR' }), ACTORS.budgetDirector, APPROVE);

    const outcome = await run.outcome();
    expect(outcome).toMatchObject({ status: 'APPROVED', version: 2 });
    expect(outcome.opinions.map((o) => [o.type, o.taskId, o.version]).sort()).toEqual(
      [
        ['COST_EFFICIENCY_REVIEW', finance.id, 1],
        ['TECHNICAL_REVIEW', technical2.id, 2],
      ].sort(),
    );
    // The finance review was not asked again.
    expect(run.fake.tasks.filter((t) => t.type === 'COST_EFFICIENCY_REVIEW')).toHaveLength(1);
    await (await env.harness()).recordHistory(run.workflowId, 'changes-requested');
  });

  it.concurrent('by the finance review, answered with new costs: the finance review runs again and the technical opinion stands', async () => {
    const data = mediumProposal();
    const run = await env.start(data);
    const technical = await run.fake.waitForTask('TECHNICAL_REVIEW');
    const finance1 = await run.fake.waitForTask('COST_EFFICIENCY_REVIEW');
    await run.review(finance1, ACTORS.financeReviewer, 'CHANGES_REQUESTED', { questions: ['Why does hosting cost 16,000,000 a year?'] });
    await run.review(technical, ACTORS.technicalReviewer, 'FAVOURABLE');
    await run.fake.waitForCall('requestChanges');
    expect(run.fake.calls.requestChanges[0]).toMatchObject({ requestedBy: ['COST_EFFICIENCY_REVIEW'], status: 'CHANGES_REQUESTED' });

    const costs = (data.costs ?? []).map((line) => (line.category === 'HOSTING' ? { ...line, amount: 12_000_000 } : line));
    const answer = await run.respond(ACTORS.submitter, { costs }, 'Hosting re-quoted under the framework agreement.');
    expect(answer).toEqual({ status: 'IN_REVIEW', stages: ['COST_EFFICIENCY_REVIEW'] });
    const finance2 = await run.fake.waitForTask('COST_EFFICIENCY_REVIEW');
    expect(finance2.version).toBe(2);
    await run.review(finance2, ACTORS.financeReviewer, 'FAVOURABLE');
    await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'DIGITAL_HEAD' }), ACTORS.digitalHead, APPROVE);
    await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'BUDGET_DIRECTOR' }), ACTORS.budgetDirector, APPROVE);

    const outcome = await run.outcome();
    // The outcome is about version 2: its costs and its figures.
    expect(outcome).toMatchObject({ status: 'APPROVED', version: 2, requestedAmount: 160_000_000, approvedAmount: 160_000_000 });
    expect(outcome.metrics?.tco).toBe(160_000_000);
    expect(run.fake.decisionsFor(finance2.id)[0].metrics?.tco).toBe(160_000_000);
    expect(run.fake.decisionsFor(finance1.id)[0].metrics?.tco).toBe(180_000_000);
    expect(outcome.opinions.map((o) => [o.type, o.taskId, o.version]).sort()).toEqual(
      [
        ['COST_EFFICIENCY_REVIEW', finance2.id, 2],
        ['TECHNICAL_REVIEW', technical.id, 1],
      ].sort(),
    );
    expect(run.fake.tasks.filter((t) => t.type === 'TECHNICAL_REVIEW')).toHaveLength(1);
  });
});

it.concurrent('screening returns an incomplete proposal; a complete answer goes on to the reviews', async () => {
  const codes = applicableCodes(mediumProposal());
  const incomplete = mediumProposal({ selfAssessment: answering(codes.filter((c) => c !== 'SVC-04')) });
  const run = await env.start(incomplete);
  await run.fake.waitForCall('requestChanges');
  expect(run.fake.calls.screening).toEqual([expect.objectContaining({ version: 1, result: expect.objectContaining({ passed: false }) })]);
  expect(run.fake.calls.requestChanges).toEqual([
    expect.objectContaining({ version: 1, status: 'RETURNED', requestedBy: ['SCREENING'], questions: [], missing: [expect.objectContaining({ field: 'selfAssessment.SVC-04' })] }),
  ]);
  // Not triaged, no tasks: nothing is evaluated until the proposal is complete.
  expect(run.fake.calls.triage).toEqual([]);
  expect(await run.waitForSnapshot('the RETURNED status', (s) => s.status === 'RETURNED')).toMatchObject({ tier: null, version: 1, openTasks: [] });

  const answer = await run.respond(ACTORS.submitter, { selfAssessment: answering(codes) }, 'Added the KPI self-assessment.');
  expect(answer).toEqual({ status: 'IN_REVIEW', stages: ['TECHNICAL_REVIEW', 'COST_EFFICIENCY_REVIEW'] });
  expect(run.fake.calls.screening.map((s) => [s.version, s.result.passed])).toEqual([
    [1, false],
    [2, true],
  ]);
  expect(run.fake.calls.triage).toEqual([expect.objectContaining({ version: 2, tier: 'MEDIUM' })]);
  const technical = await run.fake.waitForTask('TECHNICAL_REVIEW');
  expect(technical.version).toBe(2);

  await run.withdraw(ACTORS.submitter);
  expect((await run.outcome()).status).toBe('WITHDRAWN');
});

it.concurrent('withdraw mid-review: the outcome is WITHDRAWN and the open tasks are cancelled', async () => {
  const run = await env.start(mediumProposal());
  const technical = await run.fake.waitForTask('TECHNICAL_REVIEW');
  const finance = await run.fake.waitForTask('COST_EFFICIENCY_REVIEW');
  await run.review(technical, ACTORS.technicalReviewer, 'FAVOURABLE');

  const answer = await run.withdraw(ACTORS.submitter, 'Covered by a shared platform after all.');
  expect(answer).toEqual({ status: 'WITHDRAWN', stages: [] });
  const outcome = await run.outcome();
  expect(outcome).toMatchObject({
    status: 'WITHDRAWN',
    reason: 'Covered by a shared platform after all.',
    by: { id: ACTORS.submitter.id, email: ACTORS.submitter.email },
    approvedAmount: null,
    approvals: [],
  });
  expect(run.fake.calls.cancelTasks).toEqual([expect.objectContaining({ taskIds: [finance.id], reason: 'evaluation ended: WITHDRAWN' })]);
  expect(run.fake.calls.outcomes).toEqual([expect.objectContaining({ eventType: 'WITHDRAWN', outcome })]);
  // The cancellation is recorded before the outcome.
  expect(run.fake.indexOf('cancelTasks')).toBeLessThan(run.fake.indexOf('recordOutcome'));
  await (await env.harness()).recordHistory(run.workflowId, 'withdrawn-in-review');
});
