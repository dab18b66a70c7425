import { loginAll, type DemoName } from '../support/demo-users';
import { availableTask, meetsAll, waitForStatus } from '../support/evaluation-driver';
import type { ApiClient } from '../support/http-client';
import { answering, applicableCodes, hospitalProposal } from '../../libs/domain/src/testing/proposal.factory';
import { startTestStack, type TestStack } from '../support/test-stack';

jest.setTimeout(90_000);

describe('the agency answers a change request, and withdraws', () => {
  let stack: TestStack;
  let u: Record<DemoName, ApiClient>;

  beforeAll(async () => {
    stack = await startTestStack();
    u = await loginAll(stack.baseUrl, ['ana', 'bruno', 'carla', 'diego', 'elena', 'gabriela']);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function submitted(): Promise<{ id: string; data: ReturnType<typeof hospitalProposal> }> {
    const data = hospitalProposal();
    const id = (await u.ana.post('/proposals', data)).body.id as string;
    expect((await u.ana.post(`/proposals/${id}/submit`)).status).toBe(202);
    return { id, data };
  }

  it('sends technical questions to the agency; the answer re-runs only the review that asked', async () => {
    const { id, data } = await submitted();
    const technical = await availableTask(u.carla, id, 'TECHNICAL_REVIEW');
    const finance = await availableTask(u.elena, id, 'COST_EFFICIENCY_REVIEW');
    const asked = await u.carla.post(
      `/tasks/${technical.id}/decision`,
      meetsAll('TECHNICAL_REVIEW', data, 'MEDIUM', 'CHANGES_REQUESTED', { questions: ['Which platform will host the service?'] }),
    );
    expect(asked.status).toBe(200);
    expect((await u.elena.post(`/tasks/${finance.id}/decision`, meetsAll('COST_EFFICIENCY_REVIEW', data, 'MEDIUM'))).status).toBe(200);

    const waiting = await waitForStatus(u.ana, id, 'CHANGES_REQUESTED');
    expect(waiting.openTasks).toEqual([]);
    expect((await u.bruno.post(`/proposals/${id}/respond`, { response: 'not mine' })).status).toBe(404);
    const badAnswer = await u.ana.post(`/proposals/${id}/respond`, { response: 'x', changes: { horizonYears: 2 } });
    expect(badAnswer.status).toBe(400);
    expect(badAnswer.body.errors.map((e: { field: string }) => e.field)).toContain('costs[3].year');

    const answered = await u.ana.post(`/proposals/${id}/respond`, {
      response: 'Hosting moves to the certified government cloud.',
      changes: { summary: 'Citizens book hospital appointments online; hosted on the government cloud.' },
    });
    expect(answered.status).toBe(202);
    expect(answered.body).toMatchObject({ id, status: 'IN_REVIEW', stages: ['TECHNICAL_REVIEW'] });

    const proposal = (await u.ana.get(`/proposals/${id}`)).body;
    expect(proposal.currentVersion).toBe(2);
    expect(proposal.summary).toMatch(/government cloud/);
    expect(proposal.openTasks.map((t: { type: string }) => t.type)).toEqual(['TECHNICAL_REVIEW']);
    const again = await availableTask(u.diego, id, 'TECHNICAL_REVIEW');
    expect(again.id).not.toBe(technical.id);
    expect((await u.ana.post(`/proposals/${id}/respond`, { response: 'twice' })).status).toBe(409);

    const history = (await u.ana.get(`/proposals/${id}/history`)).body.items.map((i: { type: string }) => i.type);
    expect(history).toEqual(expect.arrayContaining(['CHANGES_REQUESTED', 'RESPONDED']));
    expect(history.filter((t: string) => t === 'VERSION_CREATED')).toHaveLength(2);
  });

  it('screens an answer like a first version: a tier raised to HIGH is returned until its new standards are answered', async () => {
    const { id, data } = await submitted();
    const technical = await availableTask(u.carla, id, 'TECHNICAL_REVIEW');
    const finance = await availableTask(u.elena, id, 'COST_EFFICIENCY_REVIEW');
    await u.carla.post(`/tasks/${technical.id}/decision`, meetsAll('TECHNICAL_REVIEW', data, 'MEDIUM', 'CHANGES_REQUESTED', { questions: ['Is the identity component your own?'] }));
    await u.elena.post(`/tasks/${finance.id}/decision`, meetsAll('COST_EFFICIENCY_REVIEW', data, 'MEDIUM'));
    await waitForStatus(u.ana, id, 'CHANGES_REQUESTED');

    const risk = { novelTechnology: false, securityCritical: false, identityComponent: true };
    expect((await u.ana.post(`/proposals/${id}/respond`, { response: 'Yes, it has its own identity module.', changes: { risk } })).status).toBe(202);
    const returned = await waitForStatus(u.ana, id, 'RETURNED');
    expect(returned.tier).toBe('HIGH');
    const missing = returned.screeningIssues.map((i: { field: string }) => i.field);
    expect(missing).toEqual(expect.arrayContaining(['selfAssessment.CE-03', 'selfAssessment.CE-04']));

    const answers = answering(applicableCodes({ ...data, risk }));
    expect((await u.ana.post(`/proposals/${id}/respond`, { response: 'Self-assessment completed.', changes: { selfAssessment: answers } })).status).toBe(202);
    const inReview = await waitForStatus(u.ana, id, 'IN_REVIEW');
    expect(inReview).toMatchObject({ tier: 'HIGH', currentVersion: 3 });
    // The tier changed, so both reviews run again on the new version.
    expect(inReview.openTasks.map((t: { type: string }) => t.type).sort()).toEqual(['COST_EFFICIENCY_REVIEW', 'TECHNICAL_REVIEW']);
  });

  it('withdraws mid-review: open tasks are cancelled and the outcome says who and why', async () => {
    const { id } = await submitted();
    await availableTask(u.carla, id, 'TECHNICAL_REVIEW');
    expect((await u.bruno.post(`/proposals/${id}/withdraw`, { reason: 'x' })).status).toBe(404);
    expect((await u.ana.post(`/proposals/${id}/withdraw`, {})).status).toBe(400);
    const withdrawn = await u.ana.post(`/proposals/${id}/withdraw`, { reason: 'Merged into a shared platform' });
    expect(withdrawn.status).toBe(202);
    expect(withdrawn.body.status).toBe('WITHDRAWN');
    const proposal = (await u.ana.get(`/proposals/${id}`)).body;
    expect(proposal.status).toBe('WITHDRAWN');
    expect(proposal.openTasks).toEqual([]);
    expect(proposal.outcome).toMatchObject({ status: 'WITHDRAWN', reason: 'Merged into a shared platform', by: { email: 'ana.torres@minsal.example' } });
    const tasks = (await u.gabriela.get(`/tasks?scope=all&proposalId=${id}`)).body.items;
    expect(tasks.map((t: { status: string }) => t.status)).toEqual(['CANCELLED', 'CANCELLED']);
    expect((await u.ana.post(`/proposals/${id}/withdraw`, { reason: 'again' })).status).toBe(409);
  });

  it('withdraws a draft without an evaluation', async () => {
    const id = (await u.ana.post('/proposals', { title: 'Never submitted' })).body.id as string;
    const withdrawn = await u.ana.post(`/proposals/${id}/withdraw`, { reason: 'Not needed' });
    expect(withdrawn.status).toBe(202);
    expect(withdrawn.body.status).toBe('WITHDRAWN');
    expect((await u.ana.post(`/proposals/${id}/submit`)).status).toBe(409);
    const history = (await u.ana.get(`/proposals/${id}/history`)).body.items;
    expect(history.map((i: { type: string }) => i.type)).toEqual(['WITHDRAWN']);
  });
});
