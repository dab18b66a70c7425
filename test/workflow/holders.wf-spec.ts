import { randomUUID } from 'node:crypto';
import { REFUSAL_TYPES, type ActorSnapshot } from '../../libs/temporal';
import { EvaluationEnvironment, expectRefusal } from './evaluation-driver';
import { ACTORS, APPROVE, COMMITTEE, highProposal, lowProposal, members } from './evaluation-fixtures';

jest.setTimeout(30_000);

/**
 * The workflow is the one owner of who holds a task: claims and assignments are updates it
 * validates with the same rules as decisions, and the projection and the record follow it.
 */
const env = new EvaluationEnvironment();
afterAll(() => env.close());

/** A reviewer with both review roles, of another agency. */
const bothReviews: ActorSnapshot = { id: randomUUID(), email: 'rita.reviewer@segpres.example', roles: ['technical_reviewer', 'finance_reviewer'], agencyCode: 'SEGPRES', approvalLevel: null };
const supervisor = ACTORS.digitalHead;

it.concurrent('a claim holds the task; the holder claiming again is ALREADY_APPLIED; someone else is refused; a decision by the holder counts', async () => {
  const run = await env.start(lowProposal());
  const technical = await run.fake.waitForTask('TECHNICAL_REVIEW');
  await run.claim(technical, ACTORS.technicalReviewer);
  expect((await run.snapshot()).openTasks).toContainEqual(expect.objectContaining({ id: technical.id, assigneeId: ACTORS.technicalReviewer.id }));
  await expectRefusal(run.claim(technical, ACTORS.technicalReviewer), REFUSAL_TYPES.alreadyApplied, /already hold/);
  await expectRefusal(run.claim(technical, ACTORS.secondTechnicalReviewer), REFUSAL_TYPES.conflict, /held by someone else/);
  await expectRefusal(run.review(technical, ACTORS.secondTechnicalReviewer, 'FAVOURABLE'), REFUSAL_TYPES.conflict, /held by someone else/);
  await run.review(technical, ACTORS.technicalReviewer, 'FAVOURABLE');
  // Claimed beforehand, so the decision took nothing: one holder change, the claim.
  expect(run.fake.calls.assignments.map((a) => [a.kind, a.sequence])).toEqual([['CLAIMED', 1]]);
  expect(run.fake.decisionsFor(technical.id)[0].claimedByDecision).toBeNull();
});

it.concurrent('separation of duties counts held tasks: holding the technical review, the same person may not claim or decide the finance review', async () => {
  const run = await env.start(lowProposal());
  const technical = await run.fake.waitForTask('TECHNICAL_REVIEW');
  const finance = await run.fake.waitForTask('COST_EFFICIENCY_REVIEW');
  await run.claim(technical, bothReviews);
  await expectRefusal(run.claim(finance, bothReviews), REFUSAL_TYPES.forbidden, /separation of duties: you already acted on TECHNICAL_REVIEW/);
  await expectRefusal(run.review(finance, bothReviews, 'FAVOURABLE'), REFUSAL_TYPES.forbidden, /separation of duties/);
  // The review they hold stays theirs to decide.
  await run.review(technical, bothReviews, 'FAVOURABLE');
  await run.review(finance, ACTORS.financeReviewer, 'FAVOURABLE');
  await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'DIGITAL_HEAD' }), ACTORS.digitalHead, APPROVE);
  expect((await run.outcome()).status).toBe('APPROVED');
});

it.concurrent('a supervisor reassigns a held review: the new holder decides, the old one is refused, and each change is its own numbered event', async () => {
  const run = await env.start(lowProposal());
  const technical = await run.fake.waitForTask('TECHNICAL_REVIEW');
  await run.claim(technical, ACTORS.technicalReviewer);
  await run.assign(technical, ACTORS.secondTechnicalReviewer, supervisor);
  await expectRefusal(run.assign(technical, ACTORS.secondTechnicalReviewer, supervisor), REFUSAL_TYPES.alreadyApplied, /already holds/);
  await run.assign(technical, ACTORS.technicalReviewer, supervisor);
  await run.assign(technical, ACTORS.secondTechnicalReviewer, supervisor);
  await expectRefusal(run.review(technical, ACTORS.technicalReviewer, 'FAVOURABLE'), REFUSAL_TYPES.conflict, /held by someone else/);
  await run.review(technical, ACTORS.secondTechnicalReviewer, 'FAVOURABLE');
  await run.withdraw(ACTORS.submitter);
  expect((await run.outcome()).status).toBe('WITHDRAWN');
  await (await env.harness()).recordHistory(run.workflowId, 'review-claimed-and-reassigned');
  expect(run.fake.calls.assignments.map((a) => [a.kind, a.holder.email, a.by.email, a.previousHolderId, a.sequence])).toEqual([
    ['CLAIMED', ACTORS.technicalReviewer.email, ACTORS.technicalReviewer.email, null, 1],
    ['ASSIGNED', ACTORS.secondTechnicalReviewer.email, supervisor.email, ACTORS.technicalReviewer.id, 2],
    ['ASSIGNED', ACTORS.technicalReviewer.email, supervisor.email, ACTORS.secondTechnicalReviewer.id, 3],
    ['ASSIGNED', ACTORS.secondTechnicalReviewer.email, supervisor.email, ACTORS.technicalReviewer.id, 4],
  ]);
});

it.concurrent('assignments follow the rules: a supervisor only, to an eligible person, of an open task', async () => {
  const run = await env.start(lowProposal());
  const technical = await run.fake.waitForTask('TECHNICAL_REVIEW');
  await expectRefusal(run.assign(technical, ACTORS.secondTechnicalReviewer, ACTORS.technicalReviewer), REFUSAL_TYPES.forbidden, /only supervisors/);
  const wrongRole = await expectRefusal(run.assign(technical, ACTORS.financeReviewer, supervisor), REFUSAL_TYPES.invalid, /needs the technical_reviewer role/);
  expect(wrongRole.details?.[0]).toEqual([{ field: 'userId', message: 'this task needs the technical_reviewer role' }]);
  await expectRefusal(run.assign(technical, ACTORS.ownAgencyReviewer, supervisor), REFUSAL_TYPES.invalid, /own agency/);
  await run.review(technical, ACTORS.technicalReviewer, 'FAVOURABLE');
  await expectRefusal(run.assign(technical, ACTORS.secondTechnicalReviewer, supervisor), REFUSAL_TYPES.conflict, /not open/);
});

it.concurrent('a committee seat reassigned by a supervisor is alive: the new member votes; a member holding a seat gets no second one', async () => {
  const run = await env.start(highProposal(), { committee: members(COMMITTEE[0], COMMITTEE[1]) });
  await run.review(await run.fake.waitForTask('TECHNICAL_REVIEW'), ACTORS.technicalReviewer, 'FAVOURABLE');
  await run.review(await run.fake.waitForTask('COST_EFFICIENCY_REVIEW'), ACTORS.financeReviewer, 'FAVOURABLE');
  await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'DIGITAL_HEAD' }), ACTORS.digitalHead, APPROVE);
  await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'BUDGET_DIRECTOR' }), ACTORS.budgetDirector, APPROVE);
  const [first, second] = await run.fake.waitForTasks(2, 'APPROVAL', { level: 'COMMITTEE' });
  // The second member's seat goes to the third member: the seat is theirs now.
  await expectRefusal(run.assign(second, COMMITTEE[0], supervisor), REFUSAL_TYPES.invalid, /holds one seat/);
  await run.assign(second, COMMITTEE[2], supervisor);
  await expectRefusal(run.decide(second, COMMITTEE[1], APPROVE), REFUSAL_TYPES.conflict, /held by someone else/);
  await run.decide(second, COMMITTEE[2], APPROVE);
  await run.decide(first, COMMITTEE[0], APPROVE);
  expect((await run.outcome()).status).toBe('APPROVED');
  await (await env.harness()).recordHistory(run.workflowId, 'committee-seat-reassigned');
});

it.concurrent('an empty committee seat, escalated, goes to a member holding none; the escalation and the assignment are each recorded', async () => {
  const run = await env.start(highProposal(), { committee: members(COMMITTEE[0]) });
  await run.review(await run.fake.waitForTask('TECHNICAL_REVIEW'), ACTORS.technicalReviewer, 'FAVOURABLE');
  await run.review(await run.fake.waitForTask('COST_EFFICIENCY_REVIEW'), ACTORS.financeReviewer, 'FAVOURABLE');
  await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'DIGITAL_HEAD' }), ACTORS.digitalHead, APPROVE);
  await run.decide(await run.fake.waitForTask('APPROVAL', { level: 'BUDGET_DIRECTOR' }), ACTORS.budgetDirector, APPROVE);
  const [seat] = await run.fake.waitForTasks(1, 'APPROVAL', { level: 'COMMITTEE', assigneeId: COMMITTEE[0].id });
  const [empty] = await run.fake.waitForTasks(1, 'APPROVAL', { level: 'COMMITTEE', assigneeId: null });
  await run.fake.waitForCall('escalateTask', empty.id);
  expect(run.fake.calls.escalateTask.find((e) => e.taskId === empty.id)).toMatchObject({ kind: 'NO_CANDIDATE', sequence: 1 });
  await expectRefusal(run.assign(empty, COMMITTEE[0], supervisor), REFUSAL_TYPES.invalid, /holds one seat/);
  await run.assign(empty, COMMITTEE[1], supervisor);
  await run.decide(empty, COMMITTEE[1], APPROVE);
  await run.decide(seat, COMMITTEE[0], APPROVE);
  expect((await run.outcome()).status).toBe('APPROVED');
});
