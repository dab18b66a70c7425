import { loginAll, userIds, type DemoName } from '../support/demo-users';
import { availableTask, decideAvailable, meetsAll, recordsOf, submitted, waitForStatus, type TaskRow } from '../support/evaluation-driver';
import { eventually, eventuallyExpect, expectEngineUnavailable, untilAnswered, type ApiClient, type HttpResponse } from '../support/http-client';
import { hospitalProposal } from '../../libs/domain/src/testing/proposal.factory';
import { TemporalGate, type GateMode } from '../support/temporal-gate';
import { startTestStack, type TestStack } from '../support/test-stack';
import { testEnvironment } from '../support/test-env';

jest.setTimeout(120_000);

/**
 * An Update waits while no worker runs. The API gives it a deadline, answers 503 with
 * Retry-After, and the expiry it sent makes the workflow refuse the stale update later. A start
 * needs no worker (the server records it), so for a submit the engine itself stops answering:
 * the stack reaches Temporal through a gate the tests can close.
 */
describe('the engine not answering: 503, nothing happens, and a retry applies once', () => {
  let stack: TestStack;
  let gate: TemporalGate;
  let u: Record<DemoName, ApiClient>;
  let ids: Record<DemoName, string>;

  beforeAll(async () => {
    gate = await TemporalGate.start(testEnvironment().temporalAddress);
    stack = await startTestStack({ env: { TEMPORAL_COMMAND_TIMEOUT_MS: '1500', TEMPORAL_ADDRESS: gate.address } });
    u = await loginAll(stack.baseUrl, ['ana', 'carla', 'elena', 'gabriela']);
    ids = await userIds(u);
  });
  afterAll(async () => {
    await stack?.stop();
    await gate?.close();
  });

  let workerStopped = false;
  const stopWorker = async () => {
    workerStopped = true;
    await stack.stopWorker();
  };
  const startWorker = async () => {
    await stack.startWorker();
    workerStopped = false;
  };
  // A test that failed half-way leaves the next one an open gate and a running worker.
  afterEach(async () => {
    gate.set('open');
    if (workerStopped) await startWorker();
  });

  it('answers 503 for a decision while the workers are down, and the decision never applies', async () => {
    const { id, data } = await submitted(u.ana);
    const task = await availableTask(u.carla, id, 'TECHNICAL_REVIEW');

    await stopWorker();
    expectEngineUnavailable(await u.carla.post(`/tasks/${task.id}/decision`, meetsAll('TECHNICAL_REVIEW', data, 'MEDIUM')));

    // Not confirmed, and nothing happened: the task is neither claimed nor decided (the claim
    // that deciding makes is the workflow's, so it did not happen either).
    const history = (await u.ana.get(`/proposals/${id}/history`)).body.items as { type: string }[];
    expect(history.filter((i) => i.type === 'TASK_CLAIMED' || i.type === 'DECISION_RECORDED')).toEqual([]);
    expect((await u.carla.get(`/tasks/${task.id}`)).body).toMatchObject({ status: 'OPEN', assigneeId: null });

    await startWorker();
    // Once a worker is back the evaluation is reachable again; the stale update was refused.
    await eventually(async () => ((await u.ana.get(`/proposals/${id}`)).status === 200 ? true : undefined));
    const row = (await u.carla.get(`/tasks/${task.id}`)).body;
    expect(row.status).toBe('OPEN');

    const retried = await untilAnswered(() => u.carla.post(`/tasks/${task.id}/decision`, meetsAll('TECHNICAL_REVIEW', data, 'MEDIUM')), 'the decision to be accepted once a worker runs');
    // 200, or 409 ALREADY_DECIDED when an earlier retry was accepted just as the API gave up on
    // it (the workflow's clock is the start of its task): either way the decision stands, once.
    if (retried.status === 200) expect(retried.body.task.status).toBe('DONE');
    else expect(retried.body).toMatchObject({ status: 409, code: 'ALREADY_DECIDED' });
    await eventually(async () => ((await u.carla.get(`/tasks/${task.id}`)).body.status === 'DONE' ? true : undefined), { what: 'the task to be DONE' });
    const after = (await u.ana.get(`/proposals/${id}/history`)).body.items as { type: string; data: { byDecision?: boolean } }[];
    expect(after.filter((i) => i.type === 'DECISION_RECORDED')).toHaveLength(1);
    expect(after.filter((i) => i.type === 'TASK_CLAIMED')).toEqual([expect.objectContaining({ data: expect.objectContaining({ byDecision: true }) })]);
  });

  /** A command of the agency or of a task, what it leaves when it did not happen, and what it leaves once, when it did. */
  interface Command {
    name: string;
    send: () => Promise<HttpResponse>;
    /** The status of a confirmed first attempt. */
    applied: number;
    /** Reading back: nothing happened. */
    untouched: () => Promise<void>;
    /** Reading back: it happened, once (a retry accepted as the API gave up on it may still be finishing). */
    once: () => Promise<void>;
  }

  /** The proposals the commands act on, each where its command applies. */
  async function commands(): Promise<Command[]> {
    const answered = hospitalProposal();
    const [inReview, asked, toWithdraw] = await Promise.all([submitted(u.ana), submitted(u.ana, answered), submitted(u.ana)]);
    const [technical, finance] = await Promise.all([availableTask(u.carla, inReview.id, 'TECHNICAL_REVIEW'), availableTask(u.elena, inReview.id, 'COST_EFFICIENCY_REVIEW')]);
    const questions = { questions: ['Which platform will host the service?'] };
    await Promise.all([
      decideAvailable(u.carla, asked.id, 'TECHNICAL_REVIEW', meetsAll('TECHNICAL_REVIEW', answered, 'MEDIUM', 'CHANGES_REQUESTED', questions)),
      decideAvailable(u.elena, asked.id, 'COST_EFFICIENCY_REVIEW', meetsAll('COST_EFFICIENCY_REVIEW', answered, 'MEDIUM')),
      availableTask(u.carla, toWithdraw.id, 'TECHNICAL_REVIEW'),
    ]);
    await waitForStatus(u.ana, asked.id, 'CHANGES_REQUESTED');
    // The answer changes cost lines: nested objects, whose keys the store keeps in its own order.
    const answer = {
      response: 'Hosting moves to the government cloud, priced per year.',
      changes: { costs: answered.costs?.map((line) => ({ ...line, description: `${line.description} (government cloud)` })) },
    };

    const holder = async (task: TaskRow, type: string, who: string | null) => {
      expect((await u.gabriela.get(`/tasks/${task.id}`)).body).toMatchObject({ status: 'OPEN', assigneeId: who });
      expect(await recordsOf(u.ana, task.proposalId, type, task.id)).toHaveLength(who ? 1 : 0);
    };
    const proposal = async (id: string, status: string, version: number, type: string, count: number) => {
      expect((await u.ana.get(`/proposals/${id}`)).body).toMatchObject({ status, currentVersion: version });
      expect(await recordsOf(u.ana, id, type)).toHaveLength(count);
    };
    return [
      {
        name: 'claim',
        send: () => u.elena.post(`/tasks/${finance.id}/claim`),
        applied: 200,
        untouched: () => holder(finance, 'TASK_CLAIMED', null),
        once: () => eventuallyExpect(() => holder(finance, 'TASK_CLAIMED', ids.elena)),
      },
      {
        name: 'assign',
        send: () => u.gabriela.post(`/tasks/${technical.id}/assign`, { userId: ids.carla }),
        applied: 200,
        untouched: () => holder(technical, 'TASK_ASSIGNED', null),
        once: () => eventuallyExpect(() => holder(technical, 'TASK_ASSIGNED', ids.carla)),
      },
      {
        name: 'respond',
        send: () => u.ana.post(`/proposals/${asked.id}/respond`, answer),
        applied: 202,
        untouched: () => proposal(asked.id, 'CHANGES_REQUESTED', 1, 'RESPONDED', 0),
        once: () => eventuallyExpect(() => proposal(asked.id, 'IN_REVIEW', 2, 'RESPONDED', 1)),
      },
      {
        name: 'withdraw',
        send: () => u.ana.post(`/proposals/${toWithdraw.id}/withdraw`, { reason: 'Merged into a shared platform' }),
        applied: 202,
        untouched: () => proposal(toWithdraw.id, 'IN_REVIEW', 1, 'WITHDRAWN', 0),
        once: () => eventuallyExpect(() => proposal(toWithdraw.id, 'WITHDRAWN', 1, 'WITHDRAWN', 1)),
      },
    ];
  }

  it('answers 503 for a claim, an assignment, an answer and a withdrawal while the workers are down; none happens, each retry applies once', async () => {
    const all = await commands();
    await stopWorker();
    const refused = await Promise.all(all.map((c) => c.send()));
    for (const [i, command] of all.entries()) {
      expectEngineUnavailable(refused[i], command.name);
      await command.untouched();
    }

    await startWorker();
    const retried = await Promise.all(all.map((c) => untilAnswered(c.send, `the ${c.name} to be answered once a worker runs`)));
    for (const [i, command] of all.entries()) {
      // As for a decision: 409 ALREADY_APPLIED when an earlier retry was accepted just as the API gave up on it.
      const expected = retried[i].status === command.applied ? { status: command.applied } : { status: 409, body: { code: 'ALREADY_APPLIED' } };
      expect({ command: command.name, status: retried[i].status, body: retried[i].body }).toMatchObject({ command: command.name, ...expected });
      const again = await command.send();
      expect({ command: command.name, status: again.status, body: again.body }).toMatchObject({ command: command.name, status: 409, body: { code: 'ALREADY_APPLIED' } });
      await command.once();
    }
  });

  /**
   * A draft submitted with the gate in `mode` and no worker running: 503, and reading back shows
   * a draft with no record. The gate is open again after; the worker is left stopped.
   */
  async function unconfirmedSubmit(mode: GateMode): Promise<{ id: string; key: string }> {
    const id = (await u.ana.post('/proposals', hospitalProposal())).body.id as string;
    const key = `submit-${mode}-${id}`;
    // The API's connection to the engine is up before the gate closes, so a start goes out on it
    // (twice: each API process of a scaled-out stack).
    for (const round of [1, 2]) await eventually(async () => ((await u.ana.get('/health')).status === 200 ? round : undefined), { what: 'the engine to be up' });
    await stopWorker();
    gate.set(mode);
    try {
      expectEngineUnavailable(await u.ana.post(`/proposals/${id}/submit`, undefined, { 'Idempotency-Key': key }), `submit (${mode})`);
    } finally {
      gate.set('open');
    }
    expect((await u.ana.get(`/proposals/${id}`)).body.status).toBe('DRAFT');
    expect((await u.ana.get(`/proposals/${id}/history`)).body.items).toEqual([]);
    return { id, key };
  }

  /** The retried submit answers 202 as a first would; the same key again replays it; one evaluation. */
  async function expectSubmittedOnce(id: string, key: string): Promise<void> {
    const submit = () => u.ana.post(`/proposals/${id}/submit`, undefined, { 'Idempotency-Key': key });
    const retried = await untilAnswered(submit, 'the submit to be answered once the engine answers');
    expect({ status: retried.status, body: retried.body }).toEqual({ status: 202, body: { id, status: 'SUBMITTED', workflowId: expect.any(String) } });
    const replayed = await submit();
    expect({ status: replayed.status, replayed: replayed.headers.get('idempotent-replayed'), body: replayed.body }).toEqual({ status: 202, replayed: 'true', body: retried.body });
    await waitForStatus(u.ana, id, 'IN_REVIEW');
    expect(await recordsOf(u.ana, id, 'SUBMITTED')).toHaveLength(1);
    // One evaluation: its two reviews, and no others.
    await availableTask(u.elena, id, 'COST_EFFICIENCY_REVIEW');
    const tasks = (await u.gabriela.get(`/tasks?scope=all&proposalId=${id}`)).body.items as TaskRow[];
    expect(tasks.map((t) => t.type).sort()).toEqual(['COST_EFFICIENCY_REVIEW', 'TECHNICAL_REVIEW']);
  }

  it('answers 503 for a submit whose start the engine made but never confirmed; reading back tells, and the retry with the same key answers 202 once', async () => {
    const { id, key } = await unconfirmedSubmit('silent');
    await startWorker();
    // The start had reached the engine: the evaluation begins once a worker runs.
    await waitForStatus(u.ana, id, 'IN_REVIEW');
    await expectSubmittedOnce(id, key);
  });

  it('answers 503 for a submit that could not reach the engine; it reads back a draft, and the retry with the same key submits it once', async () => {
    const { id, key } = await unconfirmedSubmit('unreachable');
    await startWorker();
    await expectSubmittedOnce(id, key);
  });
});
