import { loginAll, type DemoName } from '../support/demo-users';
import { availableTask, meetsAll } from '../support/evaluation-driver';
import { eventually, type ApiClient } from '../support/http-client';
import { hospitalProposal } from '../../libs/domain/src/testing/proposal.factory';
import { startTestStack, type TestStack } from '../support/test-stack';

jest.setTimeout(90_000);

/**
 * An Update waits while no worker runs. The API gives it a deadline, answers 503 with
 * Retry-After, and the expiry it sent makes the workflow refuse the stale update later.
 */
describe('no worker running: 503 and nothing recorded', () => {
  let stack: TestStack;
  let u: Record<DemoName, ApiClient>;

  beforeAll(async () => {
    stack = await startTestStack({ env: { TEMPORAL_COMMAND_TIMEOUT_MS: '1500' } });
    u = await loginAll(stack.baseUrl, ['ana', 'carla']);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers 503 for a decision while the workers are down, and the decision never applies', async () => {
    const data = hospitalProposal();
    const id = (await u.ana.post('/proposals', data)).body.id as string;
    await u.ana.post(`/proposals/${id}/submit`);
    const task = await availableTask(u.carla, id, 'TECHNICAL_REVIEW');

    await stack.stopWorker();
    const res = await u.carla.post(`/tasks/${task.id}/decision`, meetsAll('TECHNICAL_REVIEW', data, 'MEDIUM'));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.body).toMatchObject({ code: 'ENGINE_UNAVAILABLE', correlationId: expect.any(String) });

    // Not confirmed, and nothing happened: the task is neither claimed nor decided (the claim
    // that deciding makes is the workflow's, so it did not happen either).
    const history = (await u.ana.get(`/proposals/${id}/history`)).body.items as { type: string }[];
    expect(history.filter((i) => i.type === 'TASK_CLAIMED' || i.type === 'DECISION_RECORDED')).toEqual([]);
    expect((await u.carla.get(`/tasks/${task.id}`)).body).toMatchObject({ status: 'OPEN', assigneeId: null });

    await stack.startWorker();
    // Once a worker is back the evaluation is reachable again; the stale update was refused.
    await eventually(async () => ((await u.ana.get(`/proposals/${id}`)).status === 200 ? true : undefined));
    const row = (await u.carla.get(`/tasks/${task.id}`)).body;
    expect(row.status).toBe('OPEN');

    // As a client would: retry while the answer is 503 (the engine routes work back to the
    // restarted worker after the old worker's sticky queue times out).
    const retried = await eventually(
      async () => {
        const res = await u.carla.post(`/tasks/${task.id}/decision`, meetsAll('TECHNICAL_REVIEW', data, 'MEDIUM'));
        return res.status === 503 ? undefined : res;
      },
      { timeoutMs: 30_000, intervalMs: 500, what: 'the decision to be accepted once a worker runs' },
    );
    // 200, or 409 ALREADY_DECIDED when an earlier retry was accepted just as the API gave up on
    // it (the workflow's clock is the start of its task): either way the decision stands, once.
    if (retried.status === 200) expect(retried.body.task.status).toBe('DONE');
    else expect(retried.body).toMatchObject({ status: 409, code: 'ALREADY_DECIDED' });
    await eventually(async () => ((await u.carla.get(`/tasks/${task.id}`)).body.status === 'DONE' ? true : undefined), { what: 'the task to be DONE' });
    const after = (await u.ana.get(`/proposals/${id}/history`)).body.items as { type: string; data: { byDecision?: boolean } }[];
    expect(after.filter((i) => i.type === 'DECISION_RECORDED')).toHaveLength(1);
    expect(after.filter((i) => i.type === 'TASK_CLAIMED')).toEqual([expect.objectContaining({ data: expect.objectContaining({ byDecision: true }) })]);
  });
});
