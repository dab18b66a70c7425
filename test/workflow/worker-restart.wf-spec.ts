import { Context } from '@temporalio/activity';
import type { DecisionRecord } from '../../libs/temporal';
import { evaluationInput, EvaluationRun, startEvaluation } from './evaluation-driver';
import { ACTORS, APPROVE, lowProposal, reviewDecision } from './evaluation-fixtures';
import { FakeActivities } from './fake-activities';
import { createWorkflowHarness, type WorkflowHarness } from './workflow-harness';

jest.setTimeout(45_000);

/**
 * A worker that dies after a decision was accepted and before it was recorded. The Update was
 * accepted into history, so the decision is not lost: the activity attempt that was cut off
 * fails, the server retries it (the workflow's retry policy: after 1 s) on whichever worker
 * polls next, and that worker rebuilds the workflow from history and carries on.
 *
 * Simulated with a graceful shutdown: the SDK cancels the running activity, the fake honours
 * the cancellation, and the attempt is reported failed, which is what a crashed worker's
 * attempt becomes after its timeout (only slower). The fresh worker gets a fresh fake, so what
 * it records is exactly what happened after the "crash".
 */
describe('a worker lost between a decision and its record', () => {
  let harness: WorkflowHarness;

  beforeAll(async () => {
    harness = await createWorkflowHarness();
  });
  afterAll(async () => {
    // Shuts down whichever worker is still running.
    await harness?.close();
  });

  it('the decision is recorded once by the next worker and the evaluation completes', async () => {
    const data = lowProposal();
    const input = evaluationInput(data);
    let entered: (record: DecisionRecord) => void = () => undefined;
    const recordingStarted = new Promise<DecisionRecord>((resolve) => (entered = resolve));
    // Holds every recordDecision on the first worker until the worker takes it down.
    const first = new FakeActivities({
      data,
      beforeRecordDecision: async (record) => {
        entered(record);
        await Context.current().cancelled;
      },
    });
    const second = new FakeActivities({ data });

    const firstWorker = await harness.startWorker(first.activities);
    const run = await startEvaluation(harness.client, harness.taskQueue, first, input);
    const technical = await first.waitForTask('TECHNICAL_REVIEW');
    const finance = await first.waitForTask('COST_EFFICIENCY_REVIEW');

    // The client waits for the Update's result across the restart, as the API would.
    const decided = run.review(technical, ACTORS.technicalReviewer, 'FAVOURABLE');
    decided.catch(() => undefined);
    expect((await recordingStarted).taskId).toBe(technical.id);
    expect(await run.snapshot()).toMatchObject({ openTasks: expect.arrayContaining([expect.objectContaining({ id: technical.id, status: 'DECIDING' })]) });

    await firstWorker.shutdown();
    expect(first.calls.decisions).toEqual([]);

    await harness.startWorker(second.activities);
    // The Update answers once the retried record is in and the workflow has acted on it.
    await expect(decided).resolves.toEqual({ status: 'IN_REVIEW', stages: ['TECHNICAL_REVIEW', 'COST_EFFICIENCY_REVIEW'] });
    expect(second.decisionsFor(technical.id)).toEqual([
      expect.objectContaining({ taskId: technical.id, actor: { id: ACTORS.technicalReviewer.id, email: ACTORS.technicalReviewer.email }, taskType: 'TECHNICAL_REVIEW' }),
    ]);

    // The evaluation goes on to its outcome on the new worker, driven through its fresh fake.
    const after = new EvaluationRun(run.handle, second, input);
    await after.decide(finance, ACTORS.financeReviewer, reviewDecision('COST_EFFICIENCY_REVIEW', data, 'LOW', 'FAVOURABLE'));
    await after.decide(await second.waitForTask('APPROVAL', { level: 'DIGITAL_HEAD' }), ACTORS.digitalHead, APPROVE);
    const outcome = await after.outcome();

    expect(outcome.status).toBe('APPROVED');
    expect(outcome.opinions.find((o) => o.type === 'TECHNICAL_REVIEW')).toMatchObject({ taskId: technical.id, by: { id: ACTORS.technicalReviewer.id } });
    // Exactly one DECISION per task over the whole run, and nothing done twice.
    expect(second.calls.decisions.map((d) => d.taskId)).toEqual([technical.id, finance.id, second.tasks[0].id]);
    expect(second.calls.outcomes).toHaveLength(1);
    // The record that completed was the server's retry of the attempt cut off by the shutdown.
    const events = (await run.handle.fetchHistory()).events ?? [];
    const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'recordDecision');
    const started = events.find((e) => Number(e.activityTaskStartedEventAttributes?.scheduledEventId) === Number(scheduled?.eventId));
    expect(started?.activityTaskStartedEventAttributes?.attempt).toBe(2);
    expect([...first.calls.createTasks, ...second.calls.createTasks].flatMap((c) => c.tasks.map((t) => t.type))).toEqual([
      'TECHNICAL_REVIEW',
      'COST_EFFICIENCY_REVIEW',
      'APPROVAL',
    ]);
  });
});
