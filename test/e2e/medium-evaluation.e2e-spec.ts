import { recordHash } from '../../libs/persistence';
import { ApiClient, eventually } from '../support/http-client';
import { hospitalProposal } from '../../libs/domain/src/testing/proposal.factory';
import { startTestStack, type TestStack } from '../support/test-stack';

jest.setTimeout(90_000);

type Task = { id: string; type: string; approvalLevel: string | null; proposalId: string; status: string };

/** One full MEDIUM evaluation as the demo users of API.md would drive it, over HTTP. */
describe('a MEDIUM proposal from draft to APPROVED_WITH_CONDITIONS', () => {
  let stack: TestStack;
  const users: Record<string, ApiClient> = {};
  let proposalId: string;

  beforeAll(async () => {
    stack = await startTestStack();
    const anon = new ApiClient(stack.baseUrl);
    const emails = {
      ana: 'ana.torres@minsal.example',
      bruno: 'bruno.diaz@mineduc.example',
      carla: 'carla.rojas@digital.example',
      diego: 'diego.soto@digital.example',
      elena: 'elena.vera@hacienda.example',
      gabriela: 'gabriela.pinto@digital.example',
      hector: 'hector.lagos@hacienda.example',
      lucia: 'lucia.campos@contraloria.example',
    };
    for (const [name, email] of Object.entries(emails)) users[name] = await anon.login(email);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function availableTask(who: ApiClient, type: string): Promise<Task> {
    return eventually(async () => {
      const res = await who.get(`/tasks?scope=available&proposalId=${proposalId}`);
      return (res.body.items as Task[]).find((t) => t.type === type);
    }, { what: `a ${type} task` });
  }

  it('submits and triages the proposal', async () => {
    const created = await users.ana.post('/proposals', hospitalProposal());
    proposalId = created.body.id;
    expect((await users.ana.post(`/proposals/${proposalId}/submit`)).status).toBe(202);
    const proposal = await eventually(async () => {
      const res = await users.ana.get(`/proposals/${proposalId}`);
      return res.body.openTasks?.length === 2 ? res.body : undefined;
    }, { what: 'both review tasks' });
    expect(proposal).toMatchObject({ status: 'IN_REVIEW', tier: 'MEDIUM', stages: ['TECHNICAL_REVIEW', 'COST_EFFICIENCY_REVIEW'] });
  });

  it('keeps tasks from agencies and the wrong roles', async () => {
    expect((await users.ana.get('/tasks')).status).toBe(403);
    const review = await availableTask(users.carla, 'TECHNICAL_REVIEW');
    expect((await users.elena.post(`/tasks/${review.id}/claim`)).status).toBe(403);
    expect((await users.carla.get('/tasks?scope=all')).status).toBe(403);
    expect((await users.gabriela.get('/tasks?scope=all')).status).toBe(200);
  });

  it('lets the technical reviewer see the standards, refuses an invalid verdict set, then records the opinion', async () => {
    const review = await availableTask(users.carla, 'TECHNICAL_REVIEW');
    const detail = await users.carla.get(`/tasks/${review.id}`);
    expect(detail.status).toBe(200);
    const codes: string[] = detail.body.applicableStandards.map((s: { code: string }) => s.code);
    expect(codes).toContain('SEC-01');
    expect(codes.some((c) => c.startsWith('CE-'))).toBe(false);
    expect(detail.body.selfAssessment.length).toBeGreaterThan(0);

    const missingOne = await users.carla.post(`/tasks/${review.id}/decision`, {
      opinion: 'FAVOURABLE',
      verdicts: codes.slice(1).map((standardCode) => ({ standardCode, verdict: 'MEETS' })),
      comment: 'ok',
    });
    expect(missingOne.status).toBe(422);
    expect(missingOne.body.errors[0]).toMatchObject({ field: 'verdicts' });

    const blocked = await users.carla.post(`/tasks/${review.id}/decision`, {
      opinion: 'FAVOURABLE',
      verdicts: codes.map((standardCode) => (standardCode === 'SEC-01' ? { standardCode, verdict: 'NOT_MET', comment: 'No risk assessment' } : { standardCode, verdict: 'MEETS' })),
      comment: 'ok',
    });
    expect(blocked.status).toBe(422);
    expect(blocked.body.errors).toEqual([expect.objectContaining({ field: 'opinion' })]);

    const decided = await users.carla.post(`/tasks/${review.id}/decision`, {
      opinion: 'FAVOURABLE_WITH_CONDITIONS',
      verdicts: codes.map((standardCode) => ({ standardCode, verdict: 'MEETS' })),
      conditions: [{ text: 'Security sign-off before go-live', standardCode: 'SEC-02', dueDate: '2099-06-30' }],
      comment: 'Sound proposal',
    });
    expect(decided.status).toBe(200);
    expect(decided.body.task).toMatchObject({ id: review.id, status: 'DONE' });
    expect(decided.body.proposal.id).toBe(proposalId);

    const again = await users.diego.post(`/tasks/${review.id}/decision`, { opinion: 'FAVOURABLE', verdicts: [], comment: 'late' });
    expect(again.status).toBe(409);
  });

  it('records the finance opinion, after which the proposal goes to approval', async () => {
    const review = await availableTask(users.elena, 'COST_EFFICIENCY_REVIEW');
    const detail = await users.elena.get(`/tasks/${review.id}`);
    expect(detail.body.metrics).toMatchObject({ tco: 180_000_000, discountRate: 0.06 });
    const codes: string[] = detail.body.applicableStandards.map((s: { code: string }) => s.code);
    expect(codes).toEqual(['CE-01', 'CE-02', 'CE-05']);
    const decided = await users.elena.post(`/tasks/${review.id}/decision`, {
      opinion: 'FAVOURABLE',
      verdicts: codes.map((standardCode) => ({ standardCode, verdict: 'MEETS' })),
      comment: 'Good value',
    });
    expect(decided.status).toBe(200);
    expect(decided.body.proposal.status).toBe('IN_APPROVAL');
  });

  it('runs the two approval levels in order and closes with the conditions', async () => {
    const head = await availableTask(users.gabriela, 'APPROVAL');
    expect(head.approvalLevel).toBe('DIGITAL_HEAD');
    expect((await users.hector.post(`/tasks/${head.id}/decision`, { decision: 'APPROVE', comment: 'ok' })).status).toBe(403);
    expect((await users.gabriela.post(`/tasks/${head.id}/claim`)).status).toBe(200);
    const first = await users.gabriela.post(`/tasks/${head.id}/decision`, { decision: 'APPROVE', comment: 'Approved by the digital unit' });
    expect(first.status).toBe(200);

    const budget = await availableTask(users.hector, 'APPROVAL');
    expect(budget.approvalLevel).toBe('BUDGET_DIRECTOR');
    const second = await users.hector.post(`/tasks/${budget.id}/decision`, { decision: 'APPROVE', approvedAmount: 170_000_000, comment: 'Within budget' });
    expect(second.status).toBe(200);
    expect(second.body.proposal.status).toBe('APPROVED_WITH_CONDITIONS');

    const closed = (await users.ana.get(`/proposals/${proposalId}`)).body;
    expect(closed.status).toBe('APPROVED_WITH_CONDITIONS');
    expect(closed.openTasks).toEqual([]);
    expect(closed.outcome).toMatchObject({
      status: 'APPROVED_WITH_CONDITIONS',
      tier: 'MEDIUM',
      requestedAmount: 180_000_000,
      approvedAmount: 170_000_000,
      catalogueVersion: '2026.1',
      policyVersion: (await users.ana.get('/policy')).body.version,
      conditions: [{ text: 'Security sign-off before go-live', standardCode: 'SEC-02', dueDate: '2099-06-30', source: 'TECHNICAL_REVIEW' }],
    });
    expect(closed.outcome.opinions.map((o: { type: string }) => o.type).sort()).toEqual(['COST_EFFICIENCY_REVIEW', 'TECHNICAL_REVIEW']);
    expect(closed.outcome.approvals.map((a: { level: string }) => a.level)).toEqual(['DIGITAL_HEAD', 'BUDGET_DIRECTOR']);
  });

  it('keeps a history whose every record hashes to its stored hash, in seq order', async () => {
    const history = await users.lucia.get(`/proposals/${proposalId}/history`);
    expect(history.status).toBe(200);
    const items = history.body.items as { seq: number; at: string; actor: string; type: string; data: Record<string, unknown>; prevHash: string; hash: string }[];
    const types = items.map((i) => i.type);
    expect(types.slice(0, 5)).toEqual(['SUBMITTED', 'VERSION_CREATED', 'SCREENED', 'TRIAGED', 'TASK_CREATED']);
    expect(types.filter((t) => t === 'DECISION_RECORDED')).toHaveLength(4);
    expect(types[types.length - 1]).toBe('OUTCOME');
    for (let i = 1; i < items.length; i += 1) expect(items[i].seq).toBeGreaterThan(items[i - 1].seq);
    for (const item of items) {
      expect(recordHash(item.prevHash, { ...item, at: new Date(item.at), proposalId })).toBe(item.hash);
    }
    const decision = items.find((i) => i.type === 'DECISION_RECORDED' && i.data.taskType === 'COST_EFFICIENCY_REVIEW');
    expect(decision?.data).toMatchObject({ decision: { opinion: 'FAVOURABLE' }, metrics: { tco: 180_000_000 } });
  });

  it('refuses anything after the outcome', async () => {
    expect((await users.ana.post(`/proposals/${proposalId}/withdraw`, { reason: 'too late' })).status).toBe(409);
    expect((await users.ana.post(`/proposals/${proposalId}/respond`, { response: 'late' })).status).toBe(409);
  });
});
