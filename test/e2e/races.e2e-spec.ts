import { loginAll, type DemoName } from '../support/demo-users';
import { availableTask, meetsAll } from '../support/evaluation-driver';
import type { ApiClient } from '../support/http-client';
import { hospitalProposal } from '../../libs/domain/src/testing/proposal.factory';
import { startTestStack, type TestStack } from '../support/test-stack';

jest.setTimeout(90_000);

/** Parallel requests for real: the database claim and the workflow validator each let one through. */
describe('races on one task', () => {
  let stack: TestStack;
  let u: Record<DemoName, ApiClient>;

  beforeAll(async () => {
    stack = await startTestStack();
    u = await loginAll(stack.baseUrl, ['ana', 'carla', 'diego', 'elena', 'felipe']);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function submittedProposal() {
    const data = hospitalProposal();
    const id = (await u.ana.post('/proposals', data)).body.id as string;
    await u.ana.post(`/proposals/${id}/submit`);
    return { id, data };
  }

  it('two reviewers deciding at the same moment: one 200, one 409, one decision recorded', async () => {
    for (let round = 0; round < 3; round += 1) {
      const { id, data } = await submittedProposal();
      const task = await availableTask(u.carla, id, 'TECHNICAL_REVIEW');
      const decision = meetsAll('TECHNICAL_REVIEW', data, 'MEDIUM');
      const statuses = (await Promise.all([u.carla.post(`/tasks/${task.id}/decision`, decision), u.diego.post(`/tasks/${task.id}/decision`, decision)])).map((r) => r.status);
      expect(statuses.sort()).toEqual([200, 409]);
      const history = (await u.ana.get(`/proposals/${id}/history`)).body.items as { type: string; data: { taskId?: string } }[];
      expect(history.filter((r) => r.type === 'DECISION_RECORDED' && r.data.taskId === task.id)).toHaveLength(1);
    }
  });

  it('the same reviewer sending one decision twice at once: one 200, one 409', async () => {
    const { id, data } = await submittedProposal();
    const task = await availableTask(u.elena, id, 'COST_EFFICIENCY_REVIEW');
    const decision = meetsAll('COST_EFFICIENCY_REVIEW', data, 'MEDIUM');
    const statuses = (await Promise.all([u.elena.post(`/tasks/${task.id}/decision`, decision), u.elena.post(`/tasks/${task.id}/decision`, decision)])).map((r) => r.status);
    expect(statuses.sort()).toEqual([200, 409]);
    const history = (await u.ana.get(`/proposals/${id}/history`)).body.items as { type: string; data: { taskId?: string } }[];
    expect(history.filter((r) => r.type === 'DECISION_RECORDED' && r.data.taskId === task.id)).toHaveLength(1);
    // A retry after the answer was lost is told, distinctly, that the decision stands.
    const retry = await u.elena.post(`/tasks/${task.id}/decision`, decision);
    expect(retry.status).toBe(409);
    expect(retry.body.code).toBe('ALREADY_DECIDED');
  });

  it('two claims at the same moment: one holder', async () => {
    const { id } = await submittedProposal();
    const task = await availableTask(u.elena, id, 'COST_EFFICIENCY_REVIEW');
    const [a, b] = await Promise.all([u.elena.post(`/tasks/${task.id}/claim`), u.felipe.post(`/tasks/${task.id}/claim`)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const holder = a.status === 200 ? a.body.assigneeId : b.body.assigneeId;
    const row = (await u.elena.get(`/tasks/${task.id}`)).body;
    expect(row.assigneeId).toBe(holder);
    const history = (await u.ana.get(`/proposals/${id}/history`)).body.items as { type: string }[];
    expect(history.filter((r) => r.type === 'TASK_CLAIMED')).toHaveLength(1);
  });
});
