import { loginAll, type DemoName } from '../support/demo-users';
import { availableTask, meetsAll } from '../support/evaluation-driver';
import type { ApiClient } from '../support/http-client';
import { hospitalProposal } from '../../libs/domain/src/testing/proposal.factory';
import { startTestStack, type TestStack } from '../support/test-stack';

jest.setTimeout(60_000);

type Person = { userId: string; email: string; open: number; overdue: number; escalated: number };

/** What supervisors see to balance the work: who holds what, and to whom a task may go. */
describe('supervision', () => {
  let stack: TestStack;
  let users: Record<DemoName, ApiClient>;
  let proposalId: string;

  beforeAll(async () => {
    stack = await startTestStack();
    users = await loginAll(stack.baseUrl, ['ana', 'carla', 'diego', 'gabriela']);
    const data = hospitalProposal();
    proposalId = (await users.ana.post('/proposals', data)).body.id;
    expect((await users.ana.post(`/proposals/${proposalId}/submit`)).status).toBe(202);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const workload = async (): Promise<Record<string, Person>> => {
    const res = await users.gabriela.get('/supervision/workload');
    expect(res.status).toBe(200);
    return Object.fromEntries((res.body.items as Person[]).map((p) => [p.email, p]));
  };

  it('offers a technical review to the technical reviewers outside the agency, and counts what each holds', async () => {
    const review = await availableTask(users.carla, proposalId, 'TECHNICAL_REVIEW');
    const candidates = await users.gabriela.get(`/tasks/${review.id}/candidates`);
    expect(candidates.status).toBe(200);
    expect(candidates.body.items.map((c: { email: string }) => c.email).sort()).toEqual(['carla.rojas@digital.example', 'diego.soto@digital.example', 'jorge.paredes@digital.example']);

    const before = await workload();
    expect(before['carla.rojas@digital.example'].open).toBe(0);
    expect(before['ana.torres@minsal.example']).toBeUndefined();
    expect((await users.carla.post(`/tasks/${review.id}/claim`)).status).toBe(200);
    expect((await workload())['carla.rojas@digital.example'].open).toBe(1);

    expect((await users.gabriela.post(`/tasks/${review.id}/assign`, { userId: candidates.body.items.find((c: { email: string }) => c.email.startsWith('diego')).id })).status).toBe(200);
    const after = await workload();
    expect(after['carla.rojas@digital.example'].open).toBe(0);
    expect(after['diego.soto@digital.example'].open).toBe(1);
  });

  it('offers a cost-efficiency review to the finance reviewers only, and answers 404 for an unknown task', async () => {
    const review = (await users.diego.get(`/tasks?scope=mine&proposalId=${proposalId}`)).body.items[0];
    const proposal = (await users.gabriela.get(`/proposals/${proposalId}`)).body;
    expect((await users.diego.post(`/tasks/${review.id}/decision`, meetsAll('TECHNICAL_REVIEW', hospitalProposal(), proposal.tier))).status).toBe(200);
    const finance = (await users.gabriela.get(`/tasks?scope=all&proposalId=${proposalId}&type=COST_EFFICIENCY_REVIEW`)).body.items[0];
    const candidates = await users.gabriela.get(`/tasks/${finance.id}/candidates`);
    expect(candidates.body.items.map((c: { email: string }) => c.email).sort()).toEqual(['elena.vera@hacienda.example', 'felipe.mora@hacienda.example']);
    expect((await users.gabriela.get('/tasks/00000000-0000-4000-8000-000000000000/candidates')).status).toBe(404);
  });
});
