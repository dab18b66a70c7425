import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { totalCostOfOwnership, type ApprovalDecision, type ProposalData, type ReviewDecision, type ReviewOpinion, type ReviewType } from '../../libs/domain';
import {
  assignUpdate,
  claimUpdate,
  decideUpdate,
  EVALUATION_WORKFLOW_TYPE,
  evaluationWorkflowId,
  respondUpdate,
  snapshotQuery,
  withdrawUpdate,
  type ActorSnapshot,
  type EvaluationInput,
  type EvaluationSnapshot,
  type Outcome,
  type TaskSpec,
  type UpdateOutcome,
} from '../../libs/temporal';
import type { evaluationWorkflow } from '../../workflows/evaluation.workflow';
import { ACTORS, AGENCY, reviewDecision } from './evaluation-fixtures';
import { FakeActivities, FakeActivityRouter, type FakeActivityOptions } from './fake-activities';
import { createWorkflowHarness, type RunningWorker, type WorkflowHarness } from './workflow-harness';

/** Far enough ahead that no update in a test expires by accident. */
const FAR_FUTURE = '2999-01-01T00:00:00.000Z';

export interface UpdateOptions {
  expiresAt?: string;
  requestId?: string;
}

/** The input the API would send for a proposal of the test agency, submitted by its submitter. */
export function evaluationInput(data: ProposalData, overrides: Partial<EvaluationInput> = {}): EvaluationInput {
  return {
    proposalId: randomUUID(),
    agencyCode: AGENCY,
    requestedAmount: totalCostOfOwnership(data),
    data,
    catalogueVersion: '2026.1',
    policyVersion: '2026.1',
    submittedBy: { id: ACTORS.submitter.id, email: ACTORS.submitter.email },
    requestId: `wf-test-${randomUUID()}`,
    ...overrides,
  };
}

/**
 * One evaluation under test: its workflow handle and its fake activities, and the three kinds
 * of human input sent as the API sends them, through Updates on the real client.
 */
export class EvaluationRun {
  constructor(
    readonly handle: WorkflowHandle<typeof evaluationWorkflow>,
    readonly fake: FakeActivities,
    readonly input: EvaluationInput,
  ) {}

  get workflowId(): string {
    return this.handle.workflowId;
  }

  decide(task: TaskSpec | string, actor: ActorSnapshot, decision: ReviewDecision | ApprovalDecision, options: UpdateOptions = {}): Promise<UpdateOutcome> {
    return this.handle.executeUpdate(decideUpdate, {
      args: [
        {
          taskId: typeof task === 'string' ? task : task.id,
          actor,
          decision,
          requestId: options.requestId ?? `decide-${randomUUID()}`,
          expiresAt: options.expiresAt ?? FAR_FUTURE,
        },
      ],
    });
  }

  /** A valid review of the task's type for the data and tier in force, with this opinion. */
  review(task: TaskSpec, actor: ActorSnapshot, opinion: ReviewOpinion, extra: Partial<ReviewDecision> = {}, options: UpdateOptions = {}): Promise<UpdateOutcome> {
    return this.decide(task, actor, this.reviewDecision(task.type as ReviewType, opinion, extra), options);
  }

  reviewDecision(type: ReviewType, opinion: ReviewOpinion, extra: Partial<ReviewDecision> = {}): ReviewDecision {
    return reviewDecision(type, this.fake.currentData, this.fake.currentTier, opinion, extra);
  }

  /** The agency's answer: the data in force with `changes` applied, naming the changed fields. */
  respond(actor: ActorSnapshot, changes: Partial<ProposalData>, response = 'Answered in the new version.', options: UpdateOptions = {}): Promise<UpdateOutcome> {
    return this.handle.executeUpdate(respondUpdate, {
      args: [
        {
          actor,
          response,
          data: { ...this.fake.currentData, ...changes },
          changedFields: Object.keys(changes),
          requestId: options.requestId ?? `respond-${randomUUID()}`,
          expiresAt: options.expiresAt ?? FAR_FUTURE,
        },
      ],
    });
  }

  /** A person takes an open task, as the API sends `POST /tasks/:id/claim`. */
  claim(task: TaskSpec | string, actor: ActorSnapshot, options: UpdateOptions = {}): Promise<UpdateOutcome> {
    return this.handle.executeUpdate(claimUpdate, {
      args: [{ taskId: typeof task === 'string' ? task : task.id, actor, requestId: options.requestId ?? `claim-${randomUUID()}`, expiresAt: options.expiresAt ?? FAR_FUTURE }],
    });
  }

  /** A supervisor gives an open task to someone, as the API sends `POST /tasks/:id/assign`. */
  assign(task: TaskSpec | string, assignee: ActorSnapshot, by: ActorSnapshot, options: UpdateOptions = {}): Promise<UpdateOutcome> {
    return this.handle.executeUpdate(assignUpdate, {
      args: [
        { taskId: typeof task === 'string' ? task : task.id, assignee, by, requestId: options.requestId ?? `assign-${randomUUID()}`, expiresAt: options.expiresAt ?? FAR_FUTURE },
      ],
    });
  }

  withdraw(actor: ActorSnapshot, reason = 'The agency found a shared platform that covers the need.', options: UpdateOptions = {}): Promise<UpdateOutcome> {
    return this.handle.executeUpdate(withdrawUpdate, {
      args: [{ actor, reason, requestId: options.requestId ?? `withdraw-${randomUUID()}`, expiresAt: options.expiresAt ?? FAR_FUTURE }],
    });
  }

  snapshot(): Promise<EvaluationSnapshot> {
    return this.handle.query(snapshotQuery);
  }

  /**
   * The snapshot once it satisfies `ready`. The workflow updates its state in the workflow task
   * that follows an activity, so right after an activity call the query may still see the state
   * before it.
   */
  waitForSnapshot(what: string, ready: (snapshot: EvaluationSnapshot) => boolean, timeoutMs = 10_000): Promise<EvaluationSnapshot> {
    return eventually(what, async () => {
      const snapshot = await this.snapshot();
      return ready(snapshot) && snapshot;
    }, timeoutMs);
  }

  /** The workflow's return value, which for a run under the full-evaluation patch is an Outcome. */
  async outcome(): Promise<Outcome> {
    const result = await this.handle.result();
    if (!('decidedAt' in result)) throw new Error(`expected an outcome, the workflow returned ${JSON.stringify(result)}`);
    return result;
  }
}

export async function startEvaluation(client: Client, taskQueue: string, fake: FakeActivities, input: EvaluationInput): Promise<EvaluationRun> {
  const handle = await client.workflow.start<typeof evaluationWorkflow>(EVALUATION_WORKFLOW_TYPE, {
    workflowId: evaluationWorkflowId(input.proposalId),
    taskQueue,
    args: [input],
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
  });
  return new EvaluationRun(handle, fake, input);
}

export interface StartOptions extends Omit<FakeActivityOptions, 'data'> {
  input?: Partial<EvaluationInput>;
}

/**
 * A test file's shared worker: every evaluation it starts gets its own fake, reached through
 * a router, so independent tests can run concurrently on one worker. Created on first use,
 * which keeps it independent of the order Jest runs hooks and concurrent tests in.
 */
export class EvaluationEnvironment {
  private ready: Promise<{ harness: WorkflowHarness; worker: RunningWorker }> | undefined;
  private readonly router = new FakeActivityRouter();
  private readonly runs: EvaluationRun[] = [];

  harness(): Promise<WorkflowHarness> {
    return this.setUp().then((s) => s.harness);
  }

  async start(data: ProposalData, options: StartOptions = {}): Promise<EvaluationRun> {
    const { harness } = await this.setUp();
    const { input: overrides, ...fakeOptions } = options;
    const input = evaluationInput(data, overrides);
    const fake = new FakeActivities({ data, ...fakeOptions });
    this.router.register(input.proposalId, fake);
    const run = await startEvaluation(harness.client, harness.taskQueue, fake, input);
    this.runs.push(run);
    return run;
  }

  /** Ends what a failing test left running, so the dev server is not left with live evaluations. */
  async close(): Promise<void> {
    if (!this.ready) return;
    const { harness, worker } = await this.ready;
    for (const run of this.runs) {
      const { status } = await run.handle.describe();
      if (status.name === 'RUNNING') await run.handle.terminate('test finished');
    }
    await worker.shutdown();
    await harness.close();
  }

  private setUp(): Promise<{ harness: WorkflowHarness; worker: RunningWorker }> {
    this.ready ??= (async () => {
      const harness = await createWorkflowHarness();
      const worker = await harness.startWorker(this.router.activities);
      return { harness, worker };
    })();
    return this.ready;
  }
}

const POLL_INTERVAL_MS = 50;

/**
 * Polls the server until `probe` answers, failing past the deadline: for state only the server
 * holds (queries, search attributes), where there is no call of ours to wake up on.
 */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

/**
 * Asserts an update was refused by the workflow's validator, as the API sees it: a
 * WorkflowUpdateFailedError whose cause is an ApplicationFailure of the given refusal type.
 */
export async function expectRefusal(update: Promise<unknown>, type: string, message?: RegExp): Promise<ApplicationFailure> {
  const error: unknown = await update.then(
    (value) => {
      throw new Error(`expected the update to be refused with ${type}, it was accepted: ${JSON.stringify(value)}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (error as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  const failure = cause as ApplicationFailure;
  expect(failure.type).toBe(type);
  if (message) expect(failure.message).toMatch(message);
  return failure;
}
