import { ONE_SEAT_REASON, type ProposalData } from '../../libs/domain';
import { createUser, DEMO_EMAILS, loginAll, userIds, type DemoName } from '../support/demo-users';
import { availableTask, decideAvailable, meetsAll, recordsOf, submitted, waitForStatus, type TaskRow } from '../support/evaluation-driver';
import { eventually, type ApiClient } from '../support/http-client';
import { hospitalProposal } from '../../libs/domain/src/testing/proposal.factory';
import { startTestStack, type TestStack } from '../support/test-stack';

jest.setTimeout(120_000);

const APPROVE = { decision: 'APPROVE', comment: 'Approved' };

/** HIGH (novel technology): both reviews, DIGITAL_HEAD, BUDGET_DIRECTOR, then the committee. */
function highProposal(): ProposalData {
  return hospitalProposal({ title: 'Identity platform on a novel stack', risk: { novelTechnology: true, securityCritical: false, identityComponent: false } });
}

/**
 * The evaluation is the one owner of who holds a task: claims and assignments go through it,
 * separation of duties counts what a person holds, a committee member holds one seat a round,
 * and the record keeps each change of holder once.
 */
describe('who holds a task', () => {
  let stack: TestStack;
  let u: Record<DemoName, ApiClient>;
  let ids: Record<DemoName, string>;

  beforeAll(async () => {
    stack = await startTestStack();
    const names: DemoName[] = ['ana', 'carla', 'diego', 'elena', 'felipe', 'gabriela', 'nicolas', 'hector', 'olga', 'irene', 'jorge', 'karen', 'maria', 'admin'];
    u = await loginAll(stack.baseUrl, names);
    ids = await userIds(u);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const emails = (items: { email: string }[]) => items.map((c) => c.email).sort();

  async function claim(who: DemoName, task: TaskRow): Promise<void> {
    const res = await u[who].post(`/tasks/${task.id}/claim`);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 200, body: { assigneeId: ids[who] } });
  }

  /** The supervisor gives the task `from` holds to `to`, who may take it; `from` is then refused as not the holder. */
  async function reassign(task: TaskRow, supervisor: DemoName, from: DemoName, to: DemoName, decision: object): Promise<void> {
    const candidates = await u[supervisor].get(`/tasks/${task.id}/candidates`);
    expect(emails(candidates.body.items)).toContain(DEMO_EMAILS[to]);
    const assigned = await u[supervisor].post(`/tasks/${task.id}/assign`, { userId: ids[to] });
    expect({ status: assigned.status, body: assigned.body }).toMatchObject({ status: 200, body: { assigneeId: ids[to], status: 'OPEN' } });
    for (const attempt of [() => u[from].post(`/tasks/${task.id}/decision`, decision), () => u[from].post(`/tasks/${task.id}/claim`)]) {
      const res = await attempt();
      expect({ status: res.status, body: res.body }).toMatchObject({ status: 409, body: { code: 'CONFLICT', detail: expect.stringMatching(/held by someone else/) } });
    }
    const [change] = (await recordsOf(u.gabriela, task.proposalId, 'TASK_ASSIGNED', task.id)).slice(-1);
    expect(change).toMatchObject({ actor: DEMO_EMAILS[supervisor], data: { assigneeId: ids[to], previousAssigneeId: ids[from] } });
  }

  /** The holder's decision is accepted and recorded once, as theirs. */
  async function decideOnce(task: TaskRow, who: DemoName, decision: object): Promise<void> {
    const res = await u[who].post(`/tasks/${task.id}/decision`, decision);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 200, body: { task: { status: 'DONE', assigneeId: ids[who] } } });
    const decisions = await recordsOf(u.gabriela, task.proposalId, 'DECISION_RECORDED', task.id);
    expect(decisions.map((r) => r.actor)).toEqual([DEMO_EMAILS[who]]);
  }

  it('reassigns each review and each single-person approval: the new holder decides once, the old holder gets 409', async () => {
    const { id, data } = await submitted(u.ana, highProposal());
    const [technical, finance] = await Promise.all([availableTask(u.carla, id, 'TECHNICAL_REVIEW'), availableTask(u.elena, id, 'COST_EFFICIENCY_REVIEW')]);
    await claim('carla', technical);
    await claim('elena', finance);
    await reassign(technical, 'gabriela', 'carla', 'diego', meetsAll('TECHNICAL_REVIEW', data, 'HIGH'));
    await decideOnce(technical, 'diego', meetsAll('TECHNICAL_REVIEW', data, 'HIGH'));
    await reassign(finance, 'hector', 'elena', 'felipe', meetsAll('COST_EFFICIENCY_REVIEW', data, 'HIGH'));
    await decideOnce(finance, 'felipe', meetsAll('COST_EFFICIENCY_REVIEW', data, 'HIGH'));

    // The supervisors are approvers at their level too: each hands the task they took to their deputy.
    const head = await availableTask(u.gabriela, id, 'APPROVAL', 'DIGITAL_HEAD');
    await claim('gabriela', head);
    await reassign(head, 'gabriela', 'gabriela', 'nicolas', APPROVE);
    await decideOnce(head, 'nicolas', APPROVE);
    const budget = await availableTask(u.hector, id, 'APPROVAL', 'BUDGET_DIRECTOR');
    await claim('hector', budget);
    await reassign(budget, 'hector', 'hector', 'olga', APPROVE);
    await decideOnce(budget, 'olga', APPROVE);

    const committee = await eventually(
      async () => {
        const proposal = (await u.ana.get(`/proposals/${id}`)).body;
        return proposal.stages.includes('APPROVAL:COMMITTEE') ? proposal : undefined;
      },
      { what: 'the committee level' },
    );
    expect(committee).toMatchObject({ status: 'IN_APPROVAL', tier: 'HIGH' });
  });

  it('reassigns committee seats, the one a member holds and the one nobody could fill (escalated at once); a member holds one seat a round', async () => {
    const { id, data } = await submitted(u.ana, highProposal());
    await Promise.all([
      decideAvailable(u.carla, id, 'TECHNICAL_REVIEW', meetsAll('TECHNICAL_REVIEW', data, 'HIGH')),
      decideAvailable(u.elena, id, 'COST_EFFICIENCY_REVIEW', meetsAll('COST_EFFICIENCY_REVIEW', data, 'HIGH')),
    ]);
    await decideAvailable(u.nicolas, id, 'APPROVAL', APPROVE, 'DIGITAL_HEAD');
    const budget = await availableTask(u.hector, id, 'APPROVAL', 'BUDGET_DIRECTOR');
    // Three of the four committee members are away when the level opens: one member for a quorum of two.
    const away: DemoName[] = ['irene', 'karen', 'maria'];
    const setDisabled = (names: DemoName[], disabled: boolean) =>
      Promise.all(names.map(async (name) => expect((await u.admin.patch(`/admin/users/${ids[name]}`, { disabled })).status).toBe(200)));
    await setDisabled(away, true);
    expect((await u.hector.post(`/tasks/${budget.id}/decision`, APPROVE)).status).toBe(200);
    const seats = await eventually(
      async () => {
        const items = ((await u.gabriela.get(`/tasks?scope=all&proposalId=${id}&type=APPROVAL`)).body.items as (TaskRow & { escalated: boolean })[]).filter(
          (t) => t.approvalLevel === 'COMMITTEE',
        );
        return items.length === 2 && items.some((t) => t.escalated) ? items : undefined;
      },
      { what: 'two committee seats, one escalated' },
    );
    const held = seats.find((s) => s.assigneeId === ids.jorge) as TaskRow;
    const empty = seats.find((s) => s.assigneeId === null) as TaskRow & { escalated: boolean };
    expect(empty).toMatchObject({ status: 'OPEN', escalated: true });
    expect(await recordsOf(u.gabriela, id, 'ESCALATED', empty.id)).toEqual([expect.objectContaining({ data: expect.objectContaining({ kind: 'NO_CANDIDATE' }) })]);
    await setDisabled(['karen', 'maria'], false);

    // One seat each: jorge holds the other one, so the empty seat may go to karen or maria only.
    expect(emails((await u.gabriela.get(`/tasks/${empty.id}/candidates`)).body.items)).toEqual([DEMO_EMAILS.karen, DEMO_EMAILS.maria]);
    const oneSeat = { status: 422, body: { errors: [{ field: 'userId', message: expect.stringContaining(ONE_SEAT_REASON) }] } };
    const toJorge = await u.gabriela.post(`/tasks/${empty.id}/assign`, { userId: ids.jorge });
    expect({ status: toJorge.status, body: toJorge.body }).toMatchObject(oneSeat);

    // The seat jorge holds goes to karen; then she may not be given the empty one, and jorge may.
    await reassign(held, 'gabriela', 'jorge', 'karen', APPROVE);
    const toKaren = await u.gabriela.post(`/tasks/${empty.id}/assign`, { userId: ids.karen });
    expect({ status: toKaren.status, body: toKaren.body }).toMatchObject(oneSeat);
    expect((await u.gabriela.post(`/tasks/${empty.id}/assign`, { userId: ids.jorge })).status).toBe(200);
    await reassign(empty, 'gabriela', 'jorge', 'maria', APPROVE);

    await decideOnce(held, 'karen', APPROVE);
    await decideOnce(empty, 'maria', APPROVE);
    await waitForStatus(u.ana, id, 'APPROVED');
    expect((await recordsOf(u.ana, id, 'TASK_ASSIGNED')).filter((r) => r.data.taskId === empty.id).map((r) => r.data.assigneeEmail)).toEqual([DEMO_EMAILS.jorge, DEMO_EMAILS.maria]);
  });

  it('counts the task a person holds for separation of duties: the reviewer holding the technical review may not take the cost-efficiency one', async () => {
    const rita = (await createUser(u.admin, 'rita.reviewer@segpres.example', ['technical_reviewer', 'finance_reviewer'], 'SEGPRES')).client;
    const { id, data } = await submitted(u.ana);
    const technical = await availableTask(rita, id, 'TECHNICAL_REVIEW');
    const finance = await availableTask(rita, id, 'COST_EFFICIENCY_REVIEW');
    expect((await rita.post(`/tasks/${technical.id}/claim`)).status).toBe(200);

    expect((await rita.get(`/tasks?scope=available&proposalId=${id}`)).body.items).toEqual([]);
    for (const attempt of [() => rita.post(`/tasks/${finance.id}/claim`), () => rita.post(`/tasks/${finance.id}/decision`, meetsAll('COST_EFFICIENCY_REVIEW', data, 'MEDIUM'))]) {
      const res = await attempt();
      expect({ status: res.status, body: res.body }).toMatchObject({ status: 403, body: { detail: expect.stringContaining('separation of duties') } });
    }
    expect(await availableTask(u.elena, id, 'COST_EFFICIENCY_REVIEW')).toMatchObject({ id: finance.id, assigneeId: null });

    const decided = await rita.post(`/tasks/${technical.id}/decision`, meetsAll('TECHNICAL_REVIEW', data, 'MEDIUM'));
    expect(decided.status).toBe(200);
    expect(await recordsOf(u.ana, id, 'DECISION_RECORDED')).toEqual([expect.objectContaining({ actor: 'rita.reviewer@segpres.example', data: expect.objectContaining({ taskId: technical.id }) })]);
  });

  it('records each change of holder once, in order; a retried claim or assignment answers 409 ALREADY_APPLIED and records nothing', async () => {
    const { id, data } = await submitted(u.ana);
    const task = await availableTask(u.carla, id, 'TECHNICAL_REVIEW');
    const alreadyApplied = async (send: () => Promise<{ status: number; body: unknown }>) => {
      const res = await send();
      expect({ status: res.status, body: res.body }).toMatchObject({ status: 409, body: { code: 'ALREADY_APPLIED' } });
    };

    await claim('carla', task);
    await alreadyApplied(() => u.carla.post(`/tasks/${task.id}/claim`));
    await reassign(task, 'gabriela', 'carla', 'diego', meetsAll('TECHNICAL_REVIEW', data, 'MEDIUM'));
    await alreadyApplied(() => u.gabriela.post(`/tasks/${task.id}/assign`, { userId: ids.diego }));
    await reassign(task, 'gabriela', 'diego', 'carla', meetsAll('TECHNICAL_REVIEW', data, 'MEDIUM'));
    await alreadyApplied(() => u.carla.post(`/tasks/${task.id}/claim`));
    await alreadyApplied(() => u.gabriela.post(`/tasks/${task.id}/assign`, { userId: ids.carla }));
    await decideOnce(task, 'carla', meetsAll('TECHNICAL_REVIEW', data, 'MEDIUM'));

    const history = (await u.ana.get(`/proposals/${id}/history`)).body.items as { type: string; actor: string; data: Record<string, unknown> }[];
    const changes = history.filter((r) => (r.type === 'TASK_CLAIMED' || r.type === 'TASK_ASSIGNED' || r.type === 'DECISION_RECORDED') && r.data.taskId === task.id);
    expect(changes.map((r) => [r.type, r.actor, r.data.assigneeId ?? null])).toEqual([
      ['TASK_CLAIMED', DEMO_EMAILS.carla, null],
      ['TASK_ASSIGNED', DEMO_EMAILS.gabriela, ids.diego],
      ['TASK_ASSIGNED', DEMO_EMAILS.gabriela, ids.carla],
      ['DECISION_RECORDED', DEMO_EMAILS.carla, null],
    ]);
  });
});
