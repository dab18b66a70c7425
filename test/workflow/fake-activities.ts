import { CATALOGUE_2026_1, DEFAULT_POLICY, type ApprovalLevel, type Policy, type ProposalData, type StandardsCatalogue, type Tier } from '../../libs/domain';
import { ApplicationFailure } from '@temporalio/common';
import {
  DATA_REJECTED,
  type AlertRecord,
  type AssignmentRecord,
  type CancelTasksRecord,
  type ChangesRequestRecord,
  type CommitteeMember,
  type CreateTasksRecord,
  type DecisionRecord,
  type EscalationRecord,
  type EvaluationActivities,
  type EvaluationInput,
  type OutcomeRecord,
  type ReminderRecord,
  type ResponseRecord,
  type ScreeningRecord,
  type TaskEventRecord,
  type TaskSpec,
  type TaskType,
  type TriageRecord,
} from '../../libs/temporal';

export type ActivityName = keyof EvaluationActivities;

/** One activity call, in the order the worker ran them (retries of a failed attempt included). */
export interface LoggedCall {
  activity: ActivityName;
  /** The task(s) the call was about, when it was about tasks. */
  taskIds: string[];
  /** Wall-clock time the fake recorded it, for checks against due dates. */
  at: number;
  /** An injected failure: nothing was kept. */
  failed?: boolean;
}

export interface FakeActivityOptions {
  /** What beginEvaluation returns as version 1 (and the basis of every later version). */
  data: ProposalData;
  policy?: Policy;
  catalogue?: StandardsCatalogue;
  /** Everyone the directory holds as committee member; the fake leaves out the excluded ones, as the real query does. */
  committee?: CommitteeMember[];
  /**
   * Which of the created tasks nobody eligible can take. The default mirrors the real activity
   * for a directory where every role is staffed: only seats nobody holds (unassigned committee
   * seats) have no candidate.
   */
  withoutEligibleCandidate?: (record: CreateTasksRecord) => string[];
  /**
   * Runs before recordDecision records anything; a test holds the activity here (and it is
   * cancelled here when its worker shuts down, so nothing is recorded by that attempt).
   */
  beforeRecordDecision?: (record: DecisionRecord) => Promise<void>;
  /**
   * Activities that fail for good, as the real ones do on data the store refuses (a
   * non-retryable AppraiseDataRejected); `times` limits how often (default: every call).
   */
  failing?: { activity: ActivityName; times?: number }[];
}

export interface TaskQuery {
  level?: ApprovalLevel;
  /** Only a committee member's own seat (a string) or only unassigned seats (null). */
  assigneeId?: string | null;
}

const DEFAULT_WAIT_MS = 10_000;

/** Unassigned committee seats: the real directory has nobody left to offer them to. */
export function unassignedCommitteeSeats(record: CreateTasksRecord): string[] {
  return record.tasks.filter((t) => t.approvalLevel === 'COMMITTEE' && t.assigneeId === null).map((t) => t.id);
}

/**
 * An in-memory implementation of the activities of one evaluation. It keeps every call so a
 * test can assert what the workflow asked to persist, and lets a test wait, with a deadline,
 * for the workflow to reach a step (a task created, a reminder sent) instead of sleeping.
 */
export class FakeActivities {
  readonly policy: Policy;
  readonly catalogue: StandardsCatalogue;
  readonly calls = {
    begin: [] as EvaluationInput[],
    screening: [] as ScreeningRecord[],
    triage: [] as TriageRecord[],
    createTasks: [] as CreateTasksRecord[],
    committeeMembers: [] as { proposalId: string; agencyCode: string; excludedUserIds: string[] }[],
    decisions: [] as DecisionRecord[],
    remindTask: [] as (TaskEventRecord & { dueAt: string })[],
    escalateTask: [] as EscalationRecord[],
    assignments: [] as AssignmentRecord[],
    alerts: [] as AlertRecord[],
    /** What injected failures refused: the workflow asked for it, the store kept nothing. */
    refused: [] as { activity: ActivityName; arg: unknown }[],
    cancelTasks: [] as CancelTasksRecord[],
    requestChanges: [] as ChangesRequestRecord[],
    remindAgency: [] as ReminderRecord[],
    responses: [] as ResponseRecord[],
    outcomes: [] as OutcomeRecord[],
  };
  readonly log: LoggedCall[] = [];
  readonly activities: EvaluationActivities;
  private readonly handedOut = new Set<string>();
  private readonly waiters = new Set<() => void>();

  constructor(private readonly options: FakeActivityOptions) {
    this.policy = options.policy ?? DEFAULT_POLICY;
    this.catalogue = options.catalogue ?? CATALOGUE_2026_1;
    const noEligible = options.withoutEligibleCandidate ?? unassignedCommitteeSeats;
    const failures = new Map((options.failing ?? []).map((f) => [f.activity, f.times ?? Infinity]));
    /** Fails as the real activity does on data the store refuses, while failures are left. */
    const refuseIfFailing = (activity: ActivityName, arg: unknown): void => {
      const left = failures.get(activity) ?? 0;
      if (left <= 0) return;
      failures.set(activity, left - 1);
      this.calls.refused.push({ activity, arg });
      this.log.push({ activity, taskIds: [], at: Date.now(), failed: true });
      for (const check of [...this.waiters]) check();
      throw ApplicationFailure.create({ type: DATA_REJECTED, message: `${activity}: invalid input syntax for type json (injected)`, nonRetryable: true });
    };
    this.activities = {
      beginEvaluation: async (input) => {
        this.note('beginEvaluation', [], () => this.calls.begin.push(input));
        return { version: 1, data: options.data, catalogue: this.catalogue, policy: this.policy };
      },
      recordScreening: async (record) => this.note('recordScreening', [], () => this.calls.screening.push(record)),
      recordTriage: async (record) => this.note('recordTriage', [], () => this.calls.triage.push(record)),
      createTasks: async (record) => {
        this.note('createTasks', record.tasks.map((t) => t.id), () => this.calls.createTasks.push(record));
        return { withoutEligibleCandidate: noEligible(record) };
      },
      committeeMembers: async (request) => {
        this.note('committeeMembers', [], () => this.calls.committeeMembers.push(request));
        return (options.committee ?? []).filter((m) => !request.excludedUserIds.includes(m.id));
      },
      recordDecision: async (record) => {
        await options.beforeRecordDecision?.(record);
        this.note('recordDecision', [record.taskId], () => this.calls.decisions.push(record));
      },
      remindTask: async (record) => this.note('remindTask', [record.taskId], () => this.calls.remindTask.push(record)),
      escalateTask: async (record) => this.note('escalateTask', [record.taskId], () => this.calls.escalateTask.push(record)),
      cancelTasks: async (record) => this.note('cancelTasks', record.taskIds, () => this.calls.cancelTasks.push(record)),
      requestChanges: async (record) => this.note('requestChanges', [], () => this.calls.requestChanges.push(record)),
      remindAgency: async (record) => this.note('remindAgency', [], () => this.calls.remindAgency.push(record)),
      recordResponse: async (record) => this.note('recordResponse', [], () => this.calls.responses.push(record)),
      recordOutcome: async (record) => this.note('recordOutcome', [], () => this.calls.outcomes.push(record)),
      recordAssignment: async (record) => this.note('recordAssignment', [record.taskId], () => this.calls.assignments.push(record)),
      raiseAlert: async (record) => this.note('raiseAlert', record.taskIds, () => this.calls.alerts.push(record)),
    };
    const plain = this.activities as unknown as Record<string, (arg: unknown) => Promise<unknown>>;
    for (const name of Object.keys(plain) as ActivityName[]) {
      const call = plain[name];
      plain[name] = async (arg) => {
        refuseIfFailing(name, arg);
        return call(arg);
      };
    }
  }

  // ----- what the workflow has done so far ------------------------------------------------

  /** Every task the workflow created (or asked to, when the store refused), in order. */
  get tasks(): TaskSpec[] {
    const refused = this.calls.refused.filter((r) => r.activity === 'createTasks').map((r) => r.arg as CreateTasksRecord);
    return [...refused, ...this.calls.createTasks].flatMap((c) => c.tasks);
  }

  /** The proposal data in force: version 1, or the latest answer the workflow recorded. */
  get currentData(): ProposalData {
    return this.calls.responses.at(-1)?.data ?? this.options.data;
  }

  /** The tier of the latest triage: what the workflow checks verdicts against. */
  get currentTier(): Tier {
    const triage = this.calls.triage.at(-1) ?? (this.calls.refused.filter((r) => r.activity === 'recordTriage').at(-1)?.arg as TriageRecord | undefined);
    if (!triage) throw new Error('the evaluation has not been triaged yet');
    return triage.tier;
  }

  cancelledTaskIds(): string[] {
    return this.calls.cancelTasks.flatMap((c) => c.taskIds);
  }

  decisionsFor(taskId: string): DecisionRecord[] {
    return this.calls.decisions.filter((d) => d.taskId === taskId);
  }

  /** Position of the first logged call matching, or -1: for assertions about order. */
  indexOf(activity: ActivityName, taskId?: string): number {
    return this.log.findIndex((c) => !c.failed && c.activity === activity && (taskId === undefined || c.taskIds.includes(taskId)));
  }

  // ----- waiting for the workflow ---------------------------------------------------------

  /**
   * Resolves with the probe's first truthy answer, re-checked after every activity call;
   * rejects past the deadline, listing the calls made, so a stuck workflow fails with context.
   */
  waitFor<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = DEFAULT_WAIT_MS): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = (): boolean => {
        const found = probe();
        if (!found) return false;
        cleanup();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; activities called: ${this.log.map((c) => c.activity).join(', ')}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /**
   * The next task of this type (and level) the workflow created that no earlier call returned,
   * so a review that runs again yields its new task, not the one already decided.
   */
  waitForTask(type: TaskType, query: TaskQuery = {}, timeoutMs = DEFAULT_WAIT_MS): Promise<TaskSpec> {
    const label = `a ${type}${query.level ? ` ${query.level}` : ''} task`;
    return this.waitFor(label, () => {
      const task = this.tasks.find((t) => !this.handedOut.has(t.id) && matches(t, type, query));
      if (task) this.handedOut.add(task.id);
      return task;
    }, timeoutMs);
  }

  /** The next `count` tasks of this type and level, created by one createTasks call or several. */
  async waitForTasks(count: number, type: TaskType, query: TaskQuery = {}, timeoutMs = DEFAULT_WAIT_MS): Promise<TaskSpec[]> {
    const found = await this.waitFor(`${count} ${type} task(s)`, () => {
      const fresh = this.tasks.filter((t) => !this.handedOut.has(t.id) && matches(t, type, query));
      return fresh.length >= count ? fresh.slice(0, count) : undefined;
    }, timeoutMs);
    for (const task of found) this.handedOut.add(task.id);
    return found;
  }

  waitForCall(activity: ActivityName, taskId?: string, timeoutMs = DEFAULT_WAIT_MS): Promise<LoggedCall> {
    return this.waitFor(`a ${activity} call${taskId ? ` for task ${taskId}` : ''}`, () => this.log[this.indexOf(activity, taskId)], timeoutMs);
  }

  private note(activity: ActivityName, taskIds: string[], keep: () => void): void {
    keep();
    this.log.push({ activity, taskIds, at: Date.now() });
    for (const check of [...this.waiters]) check();
  }
}

function matches(task: TaskSpec, type: TaskType, query: TaskQuery): boolean {
  if (task.type !== type) return false;
  if (query.level !== undefined && task.approvalLevel !== query.level) return false;
  if (query.assigneeId !== undefined && task.assigneeId !== query.assigneeId) return false;
  return true;
}

/**
 * One worker serves many evaluations at once (its activities are registered once), so calls
 * are routed to the fake of the proposal they are about. Every activity's argument names it.
 */
export class FakeActivityRouter {
  private readonly fakes = new Map<string, FakeActivities>();
  readonly activities: EvaluationActivities;

  constructor() {
    const route = <K extends ActivityName>(name: K): EvaluationActivities[K] =>
      (async (arg: { proposalId: string }) => {
        const fake = this.fakes.get(arg.proposalId);
        if (!fake) throw new Error(`no fake activities registered for proposal ${arg.proposalId}`);
        return (fake.activities[name] as (a: typeof arg) => Promise<unknown>)(arg);
      }) as unknown as EvaluationActivities[K];
    this.activities = {
      beginEvaluation: route('beginEvaluation'),
      recordScreening: route('recordScreening'),
      recordTriage: route('recordTriage'),
      createTasks: route('createTasks'),
      committeeMembers: route('committeeMembers'),
      recordDecision: route('recordDecision'),
      remindTask: route('remindTask'),
      escalateTask: route('escalateTask'),
      cancelTasks: route('cancelTasks'),
      requestChanges: route('requestChanges'),
      remindAgency: route('remindAgency'),
      recordResponse: route('recordResponse'),
      recordOutcome: route('recordOutcome'),
      recordAssignment: route('recordAssignment'),
      raiseAlert: route('raiseAlert'),
    };
  }

  register(proposalId: string, fake: FakeActivities): void {
    this.fakes.set(proposalId, fake);
  }
}
