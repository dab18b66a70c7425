import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
} from '@temporalio/workflow';
import {
  addSlaDuration,
  calendarCoverage,
  calendarCovers,
  CANDIDATE_ROLE,
  composeOutcome,
  computeMetrics,
  computeRoute,
  computeTier,
  decisionProblems,
  holdsOtherCommitteeSeat,
  ineligibleFor,
  mayReach,
  metricsOptionsFromPolicy,
  ONE_SEAT_REASON,
  reviewsTouchedBy,
  screenProposal,
  slaElapsed,
  slaFraction,
  slaUsed,
  stagesActedOn,
  startSlaClock,
  taskEligibility,
  type EscalationKind,
  type OutcomeTiming,
  type SlaClock,
  type ApprovalDecision,
  type ApprovalLevel,
  type FieldError,
  type Metrics,
  type Policy,
  type ProposalData,
  type ReviewDecision,
  type ReviewType,
  type Route,
  type SlaDuration,
  type StandardsCatalogue,
  type Tier,
} from '../libs/domain';
import {
  assignUpdate,
  claimUpdate,
  decideUpdate,
  REFUSAL_TYPES,
  respondUpdate,
  SEARCH_ATTRIBUTES,
  snapshotQuery,
  withdrawUpdate,
  type ActorRef,
  type ActorSnapshot,
  type ApprovalInForce,
  type AssignArgs,
  type ClaimArgs,
  type DecideArgs,
  type EvaluationActivities,
  type EvaluationInput,
  type EvaluationSnapshot,
  type EvaluationStatus,
  type OpinionInForce,
  type Outcome,
  type RespondArgs,
  type TaskSpec,
  type TaskType,
  type UpdateOutcome,
  type WithdrawArgs,
} from '../libs/temporal/src/evaluation.contract';

/**
 * Retries are bounded (about 50 minutes of a database outage): an activity that cannot succeed
 * ends in a failure the evaluation handles (a refused decision, an operator alert), never in an
 * endless loop. Activities fail for good at once on data that cannot be stored.
 */
const activities = proxyActivities<EvaluationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2, maximumAttempts: 100 },
});

/** Runs recorded before operator alerts kept retrying for ever; they still do. */
const activitiesRetriedForEver = proxyActivities<EvaluationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

/** The alert itself is tried a few times; if even that fails, the error line in the worker's log remains. */
const alerting = proxyActivities<Pick<EvaluationActivities, 'raiseAlert'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', backoffCoefficient: 2, maximumAttempts: 10 },
});

/**
 * The patch that turned the screening-and-triage workflow into the whole evaluation. Runs
 * started before it end after triage, as they did; new runs go on to reviews and approvals.
 */
const FULL_EVALUATION_PATCH = 'full-evaluation-v1';
/** Each task of a parallel group runs on its own service level (before: the first task's). */
const PER_TASK_SLA_PATCH = 'per-task-sla-v1';
/** After an answer, every review without an opinion in force runs too (sequential mode skipped one). */
const ALL_REVIEWS_IN_FORCE_PATCH = 'all-reviews-in-force-v1';
/** An answer to a change request is screened like the first version (before: only re-triaged). */
const RESCREEN_ANSWERS_PATCH = 'rescreen-answers-v1';
/**
 * Clocks count working days: the reminder after the policy's share of a clock's working days,
 * a review that asked for changes continues with what was left of its clock after the answer,
 * every breach is escalated and counted (also of a task already escalated), and the outcome
 * carries the evaluation's time against the whole-evaluation target, the agency's time apart.
 * Before: wall-clock reminders, a fresh clock for every review, one escalation per task.
 */
const WORKING_DAY_CLOCKS_PATCH = 'working-day-clocks-v1';
/**
 * A step that fails for good raises an operator alert and the evaluation goes on; a decision or
 * answer that cannot be recorded is refused. Before: activities were retried for ever.
 */
const OPERATOR_ALERTS_PATCH = 'operator-alerts-v1';
/** The agency's answer is recorded by its update, so one that cannot be stored is refused. */
const ANSWER_IN_UPDATE_PATCH = 'answer-recorded-in-update-v1';

/** What the first version of this workflow returned; runs recorded before the patch replay it. */
export type TriageOnlyResult =
  | { status: 'RETURNED'; version: number; missing: FieldError[] }
  | { status: 'IN_REVIEW'; version: number; tier: Tier };

export async function evaluationWorkflow(input: EvaluationInput): Promise<Outcome | TriageOnlyResult> {
  return new Evaluation(input).run();
}

/** Control flow that ends an evaluation early: the agency withdrew it, or let it lapse. */
class Withdrawn {
  constructor(readonly args: WithdrawArgs) {}
}
class Lapsed {
  constructor(readonly reason: string) {}
}

interface TaskState extends TaskSpec {
  status: 'OPEN' | 'DECIDING' | 'DONE' | 'CANCELLED';
  escalated: boolean;
  decision?: ReviewDecision | ApprovalDecision;
  decidedBy?: ActorRef;
  decidedAt?: string;
  /** When the task opened, and its clock (with the working-day clocks). */
  openedAt: string;
  clock: SlaClock | null;
  /** How many times each kind of event happened to the task: each one names its own record. */
  holderChanges: number;
  escalations: number;
  reminders: number;
}

/** The behaviours new runs have and runs recorded before them replay without. */
interface Patches {
  workingDayClocks: boolean;
  operatorAlerts: boolean;
  answerInUpdate: boolean;
}

/** A stage as a key: one group of tasks opened together (a review, or one approval level). */
type Stage = ReviewType | `APPROVAL:${ApprovalLevel}`;
type ApprovalResult = 'APPROVED' | 'REJECTED' | 'RETURN_TO_REVIEW';

function refuse(type: string, message: string, errors?: FieldError[]): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true, details: errors ? [errors] : [] });
}

/** What an activity's failure says, down to its cause (the store's own words). */
function failureReason(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e instanceof Error && parts.length < 3; e = (e as { cause?: unknown }).cause) parts.push(e.message);
  return parts.join(': ') || String(error);
}

function stageOf(task: Pick<TaskSpec, 'type' | 'approvalLevel'>): Stage {
  return task.type === 'APPROVAL' ? `APPROVAL:${task.approvalLevel as ApprovalLevel}` : task.type;
}

class Evaluation {
  private version = 0;
  private data: ProposalData;
  private catalogue!: StandardsCatalogue;
  private policy!: Policy;
  private tier: Tier | null = null;
  private route: Route | null = null;
  private status: EvaluationStatus = 'SUBMITTED';
  private stages: string[] = [];
  private round = 0;
  private readonly tasks = new Map<string, TaskState>();
  private readonly opinions = new Map<ReviewType, OpinionInForce>();
  private approvals: ApprovalInForce[] = [];
  private awaitingAgency = false;
  private pendingResponse: RespondArgs | null = null;
  private withdrawal: WithdrawArgs | null = null;
  private outcome: Outcome | null = null;
  private patches: Patches = { workingDayClocks: false, operatorAlerts: false, answerInUpdate: false };
  private readonly startedAt = new Date();
  /** The agency's time while it held the proposal, in the unit of the whole-evaluation target. */
  private withAgency = 0;
  /** Reviews that asked for changes and continue, after the answer, with what was left of their clock. */
  private continuedClocks = new Map<ReviewType, number>();
  /** The answer being recorded by its update, and how that went. */
  private answer: 'RECORDING' | 'RECORDED' | 'REFUSED' | null = null;
  private lastAnswer: RespondArgs | null = null;
  private alerts = 0;
  /** The activities, with the retry policy of this run. */
  private acts = activitiesRetriedForEver;
  /**
   * Update handlers return once the evaluation has acted on them: each takes a ticket, and the
   * main flow settles every ticket issued so far whenever it stops to wait for people.
   */
  private ticketsIssued = 0;
  private ticketsSettled = 0;

  constructor(private readonly input: EvaluationInput) {
    this.data = input.data;
  }

  async run(): Promise<Outcome | TriageOnlyResult> {
    const full = patched(FULL_EVALUATION_PATCH);
    this.registerHandlers();
    if (full) {
      this.patches = {
        workingDayClocks: patched(WORKING_DAY_CLOCKS_PATCH),
        operatorAlerts: patched(OPERATOR_ALERTS_PATCH),
        answerInUpdate: patched(ANSWER_IN_UPDATE_PATCH),
      };
      if (this.patches.operatorAlerts) this.acts = activities;
    }
    const context = await this.begin();
    this.version = context.version;
    this.data = context.data;
    this.catalogue = context.catalogue;
    this.policy = context.policy;
    if (!full) return this.triageOnly();
    if (context.withdrawnAsDraft) return this.endWithdrawnAsDraft();

    try {
      await this.screenUntilComplete();
      await this.triage();
      let reviews: ReviewType[] = [...(this.route as Route).reviews];
      for (;;) {
        await this.runReviews(reviews);
        const asking = [...this.opinions.values()].filter((o) => o.decision.opinion === 'CHANGES_REQUESTED');
        if (asking.length) {
          reviews = await this.changesRequested(asking);
          continue;
        }
        const result = await this.runApprovals();
        if (result === 'RETURN_TO_REVIEW') {
          reviews = [...(this.route as Route).reviews];
          this.opinions.clear();
          continue;
        }
        return await this.close(result === 'APPROVED' ? 'APPROVED' : 'REJECTED', null, null);
      }
    } catch (stop) {
      if (stop instanceof Withdrawn) return this.close('WITHDRAWN', stop.args.reason, { id: stop.args.actor.id, email: stop.args.actor.email });
      if (stop instanceof Lapsed) return this.close('LAPSED', stop.reason, null);
      throw stop;
    }
  }

  /** Version 1 and the pinned versions; without them there is nothing to evaluate (the alert says why). */
  private begin() {
    if (!this.patches.operatorAlerts) return this.acts.beginEvaluation(this.input);
    return this.beginOrAlert();
  }

  private async beginOrAlert() {
    try {
      return await this.acts.beginEvaluation(this.input);
    } catch (error) {
      if (error instanceof ActivityFailure) await this.alert('beginEvaluation', error, []);
      throw error;
    }
  }

  /** The agency withdrew the draft while its evaluation was starting: the draft's withdrawal is the record. */
  private endWithdrawnAsDraft(): Outcome {
    this.outcome = composeOutcome({
      ending: 'WITHDRAWN',
      decidedAt: new Date().toISOString(),
      version: 0,
      tier: null,
      data: this.data,
      opinions: [],
      approvals: [],
      metrics: null,
      catalogueVersion: this.input.catalogueVersion,
      policyVersion: this.input.policyVersion,
      reason: 'withdrawn as a draft before its evaluation began',
      by: null,
    });
    this.setStatus('WITHDRAWN', []);
    return this.outcome;
  }

  // ----- the steps ---------------------------------------------------------------------

  private async triageOnly(): Promise<TriageOnlyResult> {
    const { proposalId, requestId } = this.input;
    const screening = screenProposal(this.data, this.catalogue, this.policy);
    await this.acts.recordScreening({ proposalId, version: this.version, result: screening, requestId });
    if (!screening.passed) {
      upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.status, value: 'RETURNED' }]);
      return { status: 'RETURNED', version: this.version, missing: screening.missing };
    }
    const { tier, reasons } = computeTier(this.data, this.policy);
    const route = computeRoute(tier, this.policy);
    const stages = route.reviewMode === 'PARALLEL' ? [...route.reviews] : route.reviews.slice(0, 1);
    await this.acts.recordTriage({ proposalId, version: this.version, tier, tierReasons: reasons, route, stages, requestId });
    upsertSearchAttributes([
      { key: SEARCH_ATTRIBUTES.status, value: 'IN_REVIEW' },
      { key: SEARCH_ATTRIBUTES.tier, value: tier },
    ]);
    return { status: 'IN_REVIEW', version: this.version, tier };
  }

  /**
   * Screening returns an incomplete proposal to the agency until an answer completes it;
   * returns the fields those answers changed.
   */
  private async screenUntilComplete(): Promise<string[]> {
    const { proposalId, requestId } = this.input;
    const changed: string[] = [];
    for (;;) {
      this.throwIfWithdrawn();
      const screening = screenProposal(this.data, this.catalogue, this.policy);
      // The activity shows RETURNED to the agency: from then on its answer must be accepted.
      if (!screening.passed) this.awaitingAgency = true;
      await this.guarded('recordScreening', () => this.acts.recordScreening({ proposalId, version: this.version, result: screening, requestId }), undefined);
      if (screening.passed) return changed;
      changed.push(...(await this.waitForAgency('RETURNED', ['SCREENING'], [], screening.missing)));
    }
  }

  /** Fixes tier and route for the current version; returns whether the tier changed. */
  private async triage(): Promise<boolean> {
    const previous = this.tier;
    const { tier, reasons } = computeTier(this.data, this.policy);
    const route = computeRoute(tier, this.policy);
    this.tier = tier;
    this.route = route;
    const stages = route.reviewMode === 'PARALLEL' ? [...route.reviews] : route.reviews.slice(0, 1);
    const record = { proposalId: this.input.proposalId, version: this.version, tier, tierReasons: reasons, route, stages, requestId: this.input.requestId };
    await this.guarded('recordTriage', () => this.acts.recordTriage(record), undefined);
    this.setStatus('IN_REVIEW', stages);
    return previous !== null && previous !== tier;
  }

  private async runReviews(types: ReviewType[]): Promise<void> {
    const route = this.route as Route;
    const groups = route.reviewMode === 'PARALLEL' ? [types] : types.map((t) => [t]);
    for (const group of groups) {
      this.round += 1;
      const specs = group.map((type) => this.taskSpec(type, null, null));
      this.setStatus('IN_REVIEW', group);
      await this.runTasks(
        specs,
        (type) => (type === 'TECHNICAL_REVIEW' ? route.sla.technicalReview : route.sla.costEfficiencyReview),
        () => specs.every((s) => this.tasks.get(s.id)?.status === 'DONE'),
        this.continuedClocks,
      );
      for (const type of group) this.continuedClocks.delete(type);
      for (const spec of specs) {
        const task = this.tasks.get(spec.id) as TaskState;
        this.opinions.set(spec.type as ReviewType, {
          type: spec.type as ReviewType,
          taskId: spec.id,
          version: this.version,
          by: task.decidedBy as ActorRef,
          decision: task.decision as ReviewDecision,
          decidedAt: task.decidedAt as string,
        });
      }
      // In sequential mode a change request goes to the agency before the next review starts.
      if (group.some((t) => this.opinions.get(t)?.decision.opinion === 'CHANGES_REQUESTED')) return;
    }
  }

  /**
   * The agency answers with a new version. The reviews that asked run again; so does any
   * review whose fields the answer changed, and both when the tier changed.
   */
  private async changesRequested(asking: OpinionInForce[]): Promise<ReviewType[]> {
    const questions = asking.flatMap((o) => (o.decision.questions ?? []).map((question) => ({ from: o.type, question })));
    const changedFields = await this.waitForAgency('CHANGES_REQUESTED', asking.map((o) => o.type), questions, []);
    // The answer is a new version: it must be complete too (a higher tier asks for more).
    if (patched(RESCREEN_ANSWERS_PATCH)) changedFields.push(...(await this.screenUntilComplete()));
    const tierChanged = await this.triage();
    const rerun = new Set<ReviewType>(asking.map((o) => o.type));
    // The reviews that asked continue with what was left of their clock, which stood still
    // while the agency held the proposal; a review run again for any other reason (its fields
    // or the tier changed) starts afresh.
    this.continuedClocks.clear();
    if (this.patches.workingDayClocks && !tierChanged) {
      for (const opinion of asking) {
        const clock = this.tasks.get(opinion.taskId)?.clock;
        if (clock) this.continuedClocks.set(opinion.type, slaUsed(clock, new Date(opinion.decidedAt), this.policy.calendar));
      }
    }
    for (const type of reviewsTouchedBy(changedFields)) rerun.add(type);
    if (tierChanged) for (const type of (this.route as Route).reviews) rerun.add(type);
    for (const type of rerun) this.opinions.delete(type);
    const missing = patched(ALL_REVIEWS_IN_FORCE_PATCH);
    return (this.route as Route).reviews.filter((type) => rerun.has(type) || (missing && !this.opinions.has(type)));
  }

  private async runApprovals(): Promise<ApprovalResult> {
    const route = this.route as Route;
    this.approvals = [];
    for (const level of route.approvalLevels) {
      this.round += 1;
      this.setStatus('IN_APPROVAL', [`APPROVAL:${level}`]);
      const result = level === 'COMMITTEE' ? await this.committeeLevel(route) : await this.singleLevel(level, route);
      if (result !== 'APPROVED') return result;
    }
    return 'APPROVED';
  }

  private async singleLevel(level: ApprovalLevel, route: Route): Promise<ApprovalResult> {
    const spec = this.taskSpec('APPROVAL', level, null);
    await this.runTasks([spec], () => route.sla.approvalLevel, () => this.tasks.get(spec.id)?.status === 'DONE');
    const decided = this.recordApproval(spec.id, level);
    return decided.decision.decision === 'REJECT' ? 'REJECTED' : decided.decision.decision === 'RETURN_TO_REVIEW' ? 'RETURN_TO_REVIEW' : 'APPROVED';
  }

  /**
   * One task per eligible member; the level passes when the quorum approves and fails as soon
   * as the quorum can no longer be reached. A member's return to review returns it at once.
   */
  private async committeeLevel(route: Route): Promise<ApprovalResult> {
    const quorum = route.committeeQuorum ?? this.policy.committeeQuorum;
    const request = {
      proposalId: this.input.proposalId,
      agencyCode: this.input.agencyCode,
      excludedUserIds: ineligibleFor({ id: '', type: 'APPROVAL', approvalLevel: 'COMMITTEE', round: this.round }, this.taskFacts()),
    };
    // Nobody found is the same as nobody eligible: the seats wait, escalated, for a supervisor.
    const members = await this.guarded('committeeMembers', () => this.acts.committeeMembers(request), []);
    const specs = members.map((m) => this.taskSpec('APPROVAL', 'COMMITTEE', m.id));
    // Seats nobody eligible can fill wait, escalated, for a supervisor to assign someone.
    for (let seat = members.length; seat < quorum; seat += 1) specs.push(this.taskSpec('APPROVAL', 'COMMITTEE', null));
    const decided = () => specs.map((s) => this.tasks.get(s.id) as TaskState).filter((t) => t.status === 'DONE');
    const votes = () => {
      const done = decided();
      const approve = done.filter((t) => (t.decision as ApprovalDecision).decision.startsWith('APPROVE')).length;
      const reject = done.filter((t) => (t.decision as ApprovalDecision).decision === 'REJECT').length;
      const returned = done.some((t) => (t.decision as ApprovalDecision).decision === 'RETURN_TO_REVIEW');
      return { approve, reject, returned, impossible: specs.length - reject < quorum };
    };
    await this.runTasks(specs, () => route.sla.approvalLevel, () => {
      const v = votes();
      return v.returned || v.approve >= quorum || v.impossible;
    });
    for (const task of decided()) this.recordApproval(task.id, 'COMMITTEE');
    const v = votes();
    if (v.returned) return 'RETURN_TO_REVIEW';
    return v.approve >= quorum ? 'APPROVED' : 'REJECTED';
  }

  private recordApproval(taskId: string, level: ApprovalLevel): ApprovalInForce {
    const task = this.tasks.get(taskId) as TaskState;
    const approval: ApprovalInForce = {
      taskId,
      level,
      by: task.decidedBy as ActorRef,
      decision: task.decision as ApprovalDecision,
      decidedAt: task.decidedAt as string,
    };
    this.approvals.push(approval);
    return approval;
  }

  // ----- human tasks and the agency --------------------------------------------------------

  private taskSpec(type: TaskType, approvalLevel: ApprovalLevel | null, assigneeId: string | null): TaskSpec {
    return {
      id: uuid4(),
      proposalId: this.input.proposalId,
      proposalTitle: this.data.title,
      agencyCode: this.input.agencyCode,
      type,
      approvalLevel,
      candidateRole: CANDIDATE_ROLE[type],
      assigneeId,
      version: this.version,
      round: this.round,
      dueAt: '',
    };
  }

  /**
   * Opens the tasks, then keeps their clock: a reminder at the policy's share of the time, an
   * escalation each time it runs out, and the wait goes on until `complete` holds. Tasks still
   * open then (committee members no longer needed) are cancelled. `usedBefore` continues the
   * clock of a review that asked for changes.
   */
  private async runTasks(specs: TaskSpec[], slaOf: (type: TaskType) => SlaDuration, complete: () => boolean, usedBefore: ReadonlyMap<TaskType, number> = new Map()): Promise<void> {
    const start = new Date();
    const { calendar, sla } = this.policy;
    // Runs started before this patch gave every task of a group the first task's service level.
    const ownSla = patched(PER_TASK_SLA_PATCH);
    const clocks = specs.map((spec) => {
      const duration = slaOf(ownSla ? spec.type : specs[0].type);
      if (this.patches.workingDayClocks) {
        const clock = startSlaClock(start, duration, sla.reminderFraction, calendar, usedBefore.get(spec.type) ?? 0);
        return { spec, clock, due: new Date(clock.dueAt), remindAt: clock.remindAt === null ? null : new Date(clock.remindAt), reminded: false, overdue: false };
      }
      const due = addSlaDuration(start, duration, calendar);
      return { spec, clock: null, due, remindAt: slaFraction(start, due, sla.reminderFraction), reminded: false, overdue: false };
    });
    const byStage = new Map<Stage, TaskSpec[]>();
    for (const { spec, clock, due } of clocks) {
      spec.dueAt = due.toISOString();
      this.tasks.set(spec.id, { ...spec, status: 'OPEN', escalated: false, openedAt: start.toISOString(), clock, holderChanges: 0, escalations: 0, reminders: 0 });
      byStage.set(stageOf(spec), [...(byStage.get(stageOf(spec)) ?? []), spec]);
    }
    for (const group of byStage.values()) {
      // Who may not take the group's unassigned tasks (for a committee: whoever holds a seat already).
      const probe = group.find((spec) => !spec.assigneeId) ?? group[0];
      const record = { proposalId: this.input.proposalId, tasks: group, excludedUserIds: ineligibleFor(probe, this.taskFacts()), status: this.status, stages: this.stages };
      const ids = group.map((spec) => spec.id);
      // Tasks the store could not open are escalated with the alert.
      const { withoutEligibleCandidate } = await this.guarded('createTasks', () => this.acts.createTasks(record), { withoutEligibleCandidate: [] }, ids);
      for (const taskId of withoutEligibleCandidate) await this.escalate(taskId, 'nobody eligible can take this task', 'NO_CANDIDATE');
    }
    upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.stepDueAt, value: new Date(Math.min(...clocks.map((c) => c.due.getTime()))) }]);
    if (this.patches.workingDayClocks) {
      const pastCalendar = clocks.filter((c) => c.clock !== null && !('seconds' in c.clock.sla) && !calendarCovers(calendar, c.due)).map((c) => c.spec.id);
      if (pastCalendar.length) await this.calendarRanOut(pastCalendar);
    }

    for (;;) {
      const open = clocks.filter((c) => this.tasks.get(c.spec.id)?.status === 'OPEN');
      const moments = open.flatMap((c) => [...(c.reminded || !c.remindAt ? [] : [c.remindAt.getTime()]), ...(c.overdue ? [] : [c.due.getTime()])]);
      const next = moments.length ? Math.min(...moments) : undefined;
      if (await this.waitForPeople(complete, next === undefined ? undefined : next - Date.now())) break;
      const now = Date.now();
      for (const clock of open.filter((c) => !c.reminded && c.remindAt && c.remindAt.getTime() <= now)) {
        clock.reminded = true;
        const task = this.tasks.get(clock.spec.id) as TaskState;
        const record = {
          proposalId: this.input.proposalId,
          taskId: clock.spec.id,
          reason: 'reminder before the due date',
          dueAt: clock.spec.dueAt,
          ...(this.patches.workingDayClocks ? { sequence: ++task.reminders } : {}),
        };
        await this.guarded('remindTask', () => this.acts.remindTask(record), undefined, [clock.spec.id]);
      }
      for (const clock of open.filter((c) => !c.overdue && c.due.getTime() <= now)) {
        clock.overdue = true;
        // Every breach is escalated and counted, also of a task already escalated (nobody eligible).
        const escalated = (this.tasks.get(clock.spec.id) as TaskState).escalated;
        if (this.patches.workingDayClocks || !escalated) await this.escalate(clock.spec.id, 'the task is past its due date', 'BREACH');
      }
    }
    const leftOpen = this.openTasks(specs);
    if (leftOpen.length) {
      for (const task of leftOpen) task.status = 'CANCELLED';
      const record = { proposalId: this.input.proposalId, taskIds: leftOpen.map((t) => t.id), reason: 'no longer needed: the level is decided' };
      await this.guarded('cancelTasks', () => this.acts.cancelTasks(record), undefined, record.taskIds);
    }
  }

  private async escalate(taskId: string, reason: string, kind: EscalationKind): Promise<void> {
    const task = this.tasks.get(taskId) as TaskState;
    task.escalated = true;
    const record = { proposalId: this.input.proposalId, taskId, reason, ...(this.patches.workingDayClocks ? { kind, sequence: ++task.escalations } : {}) };
    await this.guarded('escalateTask', () => this.acts.escalateTask(record), undefined);
  }

  /**
   * Runs a step that writes what the evaluation decided. If it fails for good (data the store
   * refuses, or every retry spent), the evaluation does not stop: an operator alert is raised,
   * the tasks concerned are escalated to the supervisors, and `fallback` stands in for its result.
   */
  private guarded<T>(activity: keyof EvaluationActivities, step: () => Promise<T>, fallback: T, taskIds: string[] = []): Promise<T> {
    // Runs recorded before alerts await the activity itself: the very same promise, so their
    // updates and main flow interleave exactly as they did (an extra await would not).
    if (!this.patches.operatorAlerts) return step();
    return this.withAlert(activity, step, fallback, taskIds);
  }

  private async withAlert<T>(activity: keyof EvaluationActivities, step: () => Promise<T>, fallback: T, taskIds: string[]): Promise<T> {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      await this.alert(activity, error, taskIds);
      return fallback;
    }
  }

  /**
   * A due date past the pinned calendar's last covered day counted the holidays there as working
   * days: the tasks go to the supervisors, and an operator is told to publish a policy whose
   * calendar reaches further (the evaluation keeps its pinned one, and goes on).
   */
  private calendarRanOut(taskIds: string[]): Promise<void> {
    const through = calendarCoverage(this.policy.calendar)?.through ?? 'no date';
    return this.alertAbout('calendar', `the holiday calendar of policy ${this.policy.version} ends on ${through}: due dates after it count its holidays as working days`, taskIds);
  }

  private alert(activity: keyof EvaluationActivities, error: ActivityFailure, taskIds: string[]): Promise<void> {
    return this.alertAbout(activity, failureReason(error.cause ?? error), taskIds);
  }

  private async alertAbout(activity: string, reason: string, taskIds: string[]): Promise<void> {
    for (const id of taskIds) {
      const task = this.tasks.get(id);
      if (task) task.escalated = true;
    }
    log.error('an evaluation needs an operator', { proposalId: this.input.proposalId, activity, reason, taskIds });
    try {
      await alerting.raiseAlert({ proposalId: this.input.proposalId, activity, reason, taskIds, sequence: ++this.alerts });
    } catch (failure) {
      log.error('the operator alert could not be recorded either', { proposalId: this.input.proposalId, activity, error: failureReason(failure) });
    }
  }

  private openTasks(specs: TaskSpec[]): TaskState[] {
    return specs.map((s) => this.tasks.get(s.id) as TaskState).filter((t) => t.status === 'OPEN');
  }

  /**
   * Sends the proposal back to the agency and waits for its answer; the agency's silence past
   * the policy's deadline lapses it. Returns the fields the answer changed.
   */
  private async waitForAgency(
    status: 'RETURNED' | 'CHANGES_REQUESTED',
    requestedBy: string[],
    questions: { from: string; question: string }[],
    missing: FieldError[],
  ): Promise<string[]> {
    if (!this.patches.answerInUpdate) return this.waitForAgencyAsRecorded(status, requestedBy, questions, missing);
    const { proposalId } = this.input;
    this.round += 1;
    const start = new Date();
    const due = addSlaDuration(start, this.policy.sla.agencyResponse, this.policy.calendar);
    const remindAt = new Date(startSlaClock(start, this.policy.sla.agencyResponse, this.policy.sla.reminderFraction, this.policy.calendar).remindAt ?? due.toISOString());
    // Accept the answer as soon as the agency can see the request (the activity shows it).
    this.awaitingAgency = true;
    const request = { proposalId, version: this.version, round: this.round, requestedBy, questions, missing, dueAt: due.toISOString(), status };
    await this.guarded('requestChanges', () => this.acts.requestChanges(request), undefined);
    this.setStatus(status, []);
    upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.stepDueAt, value: due }]);
    try {
      const response = await this.awaitAnswer(status, remindAt, due);
      this.pendingResponse = null;
      this.awaitingAgency = false;
      this.version += 1;
      this.data = response.data;
      return response.changedFields;
    } finally {
      // The agency's time is its own, not the evaluation's: measured apart, in the target's unit.
      if (this.patches.workingDayClocks) this.withAgency += slaElapsed(this.policy.sla.wholeEvaluation, start, new Date(), this.policy.calendar);
    }
  }

  /** As runs recorded before answers were recorded by their update do it, to the await. */
  private async waitForAgencyAsRecorded(
    status: 'RETURNED' | 'CHANGES_REQUESTED',
    requestedBy: string[],
    questions: { from: string; question: string }[],
    missing: FieldError[],
  ): Promise<string[]> {
    const { proposalId } = this.input;
    this.round += 1;
    const start = new Date();
    const due = addSlaDuration(start, this.policy.sla.agencyResponse, this.policy.calendar);
    const remindAt = slaFraction(start, due, this.policy.sla.reminderFraction);
    this.awaitingAgency = true;
    await this.acts.requestChanges({ proposalId, version: this.version, round: this.round, requestedBy, questions, missing, dueAt: due.toISOString(), status });
    this.setStatus(status, []);
    upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.stepDueAt, value: due }]);
    const answered = () => this.pendingResponse !== null;
    if (!(await this.waitForPeople(answered, remindAt.getTime() - Date.now()))) {
      await this.acts.remindAgency({ proposalId, key: `agency-reminder:${this.round}`, about: status, dueAt: due.toISOString() });
    }
    if (!(await this.waitForPeople(answered, due.getTime() - Date.now()))) {
      this.awaitingAgency = false;
      throw new Lapsed(`the agency did not answer by ${due.toISOString()}`);
    }
    const response = this.pendingResponse as unknown as RespondArgs;
    this.pendingResponse = null;
    this.awaitingAgency = false;
    this.version += 1;
    this.data = response.data;
    await this.acts.recordResponse({
      proposalId,
      version: this.version,
      data: response.data,
      actor: { id: response.actor.id, email: response.actor.email },
      response: response.response,
      changedFields: response.changedFields,
      requestId: response.requestId,
    });
    return response.changedFields;
  }

  /** The agency's answer, recorded; a reminder on the way, and LAPSED past the deadline. */
  private async awaitAnswer(about: 'RETURNED' | 'CHANGES_REQUESTED', remindAt: Date, due: Date): Promise<RespondArgs> {
    const answered = () => this.pendingResponse !== null;
    let reminded = false;
    for (;;) {
      if (!reminded && !(await this.waitForPeople(answered, remindAt.getTime() - Date.now()))) {
        reminded = true;
        const reminder = { proposalId: this.input.proposalId, key: `agency-reminder:${this.round}`, about, dueAt: due.toISOString() };
        await this.guarded('remindAgency', () => this.acts.remindAgency(reminder), undefined);
      }
      reminded = true;
      if (!(await this.waitForPeople(answered, due.getTime() - Date.now()))) {
        this.awaitingAgency = false;
        throw new Lapsed(`the agency did not answer by ${due.toISOString()}`);
      }
      // Recorded by the update that brought it; one the store refused leaves the request open.
      await condition(() => this.answer !== 'RECORDING');
      if (this.answer === 'RECORDED') return this.pendingResponse as unknown as RespondArgs;
      this.pendingResponse = null;
      this.awaitingAgency = true;
    }
  }

  /**
   * Every wait for people goes through here: it settles the updates handled so far, and a
   * withdrawal ends the wait (and the evaluation) whatever it was waiting for.
   */
  private async waitForPeople(done: () => boolean, timeoutMs?: number): Promise<boolean> {
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    for (;;) {
      this.throwIfWithdrawn();
      if (done()) return true;
      const remaining = deadline === undefined ? undefined : deadline - Date.now();
      if (remaining !== undefined && remaining <= 0) return false;
      // Everything decided so far has been acted on: the updates that brought it may answer.
      this.settle();
      // Wake for the awaited event, a withdrawal, or an update that must be answered while
      // the wait goes on (one reviewer decided, the other has not yet).
      const woken = () => done() || this.withdrawal !== null || this.ticketsIssued > this.ticketsSettled;
      if (remaining === undefined) await condition(woken);
      else if (!(await condition(woken, remaining))) return done();
    }
  }

  private throwIfWithdrawn(): void {
    if (this.withdrawal) throw new Withdrawn(this.withdrawal);
  }

  private settle(): void {
    this.ticketsSettled = this.ticketsIssued;
  }

  private async untilSettled(): Promise<UpdateOutcome> {
    const ticket = ++this.ticketsIssued;
    // Closing settles everything: an update the outcome overtook still gets its answer.
    await condition(() => this.ticketsSettled >= ticket || this.outcome !== null);
    return { status: this.status, stages: [...this.stages] };
  }



  private setStatus(status: EvaluationStatus, stages: string[]): void {
    this.status = status;
    this.stages = stages;
    upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.status, value: status }, ...(this.tier ? [{ key: SEARCH_ATTRIBUTES.tier, value: this.tier }] : [])]);
  }

  // ----- the outcome -----------------------------------------------------------------------

  private metrics(): Metrics {
    return computeMetrics(this.data, metricsOptionsFromPolicy(this.policy));
  }

  private async close(status: 'APPROVED' | 'REJECTED' | 'WITHDRAWN' | 'LAPSED', reason: string | null, by: ActorRef | null): Promise<Outcome> {
    // A decision being recorded finishes first, so the outcome and the log agree on it.
    await condition(() => ![...this.tasks.values()].some((t) => t.status === 'DECIDING'));
    const open = [...this.tasks.values()].filter((t) => t.status === 'OPEN');
    if (open.length) {
      for (const task of open) task.status = 'CANCELLED';
      const record = { proposalId: this.input.proposalId, taskIds: open.map((t) => t.id), reason: `evaluation ended: ${status}` };
      await this.guarded('cancelTasks', () => this.acts.cancelTasks(record), undefined, record.taskIds);
    }
    const decidedAt = new Date();
    const outcome = composeOutcome({
      ending: status,
      decidedAt: decidedAt.toISOString(),
      version: this.version,
      tier: this.tier,
      data: this.data,
      opinions: [...this.opinions.values()],
      approvals: this.approvals,
      metrics: this.metrics(),
      catalogueVersion: this.input.catalogueVersion,
      policyVersion: this.input.policyVersion,
      reason,
      by,
      ...(this.patches.workingDayClocks ? { timing: this.timing(decidedAt) } : {}),
    });
    const record = {
      proposalId: this.input.proposalId,
      outcome,
      eventType: status === 'WITHDRAWN' ? ('WITHDRAWN' as const) : status === 'LAPSED' ? ('LAPSED' as const) : ('OUTCOME' as const),
      requestId: this.input.requestId,
    };
    // An outcome the store refuses still ends the evaluation; the alert tells the operator.
    await this.guarded('recordOutcome', () => this.acts.recordOutcome(record), undefined);
    this.outcome = outcome;
    this.setStatus(outcome.status, []);
    this.settle();
    await condition(allHandlersFinished);
    return outcome;
  }

  /** Submit to outcome against the whole-evaluation target (DOMAIN.md: reported, not enforced), the agency's time apart. */
  private timing(decidedAt: Date): OutcomeTiming {
    const target = this.policy.sla.wholeEvaluation;
    const total = slaElapsed(target, this.startedAt, decidedAt, this.policy.calendar);
    const withAgency = Math.min(total, this.withAgency);
    const evaluation = total - withAgency;
    const round = (n: number) => Math.round(n * 1000) / 1000;
    const amount = 'seconds' in target ? target.seconds : target.workingDays;
    return {
      unit: 'seconds' in target ? 'seconds' : 'workingDays',
      total: round(total),
      withAgency: round(withAgency),
      evaluation: round(evaluation),
      target: amount,
      withinTarget: evaluation <= amount,
    };
  }

  // ----- updates and the query -------------------------------------------------------------

  private registerHandlers(): void {
    setHandler(decideUpdate, (args) => this.decide(args), { validator: (args) => this.validateDecision(args) });
    setHandler(respondUpdate, (args) => this.respond(args), { validator: (args) => this.validateResponse(args) });
    setHandler(withdrawUpdate, (args) => this.withdraw(args), { validator: (args) => this.validateWithdrawal(args) });
    setHandler(claimUpdate, (args) => this.claim(args), { validator: (args) => this.validateClaim(args) });
    setHandler(assignUpdate, (args) => this.assign(args), { validator: (args) => this.validateAssignment(args) });
    setHandler(snapshotQuery, () => this.snapshot());
  }

  /** The API gave up on an update past its expiry and told the client so: it must not apply. */
  private assertNotExpired(expiresAt: string): void {
    if (Date.now() > Date.parse(expiresAt)) refuse(REFUSAL_TYPES.expired, 'the request expired before the evaluation could act on it; send it again');
  }

  private assertOpen(): void {
    if (this.outcome) refuse(REFUSAL_TYPES.conflict, `the evaluation is closed (${this.outcome.status})`);
  }

  private assertOwnAgency(actor: ActorSnapshot): void {
    if (actor.agencyCode !== this.input.agencyCode) refuse(REFUSAL_TYPES.forbidden, `only staff of ${this.input.agencyCode} act for this proposal`);
  }

  /**
   * Who may act on the task (role, level, agency, separation of duties counting the stages a
   * person decided or holds, one committee seat per round): the rules of libs/domain, as the API
   * applies them when it offers a task.
   */
  private assertMayAct(person: ActorSnapshot, task: TaskState, refusal: string = REFUSAL_TYPES.forbidden): void {
    const facts = this.taskFacts();
    const eligibility = taskEligibility(person, task, stagesActedOn(person.id, facts));
    if (!eligibility.eligible) refuse(refusal, eligibility.reason, refusal === REFUSAL_TYPES.invalid ? [{ field: 'userId', message: eligibility.reason }] : undefined);
    if (task.approvalLevel === 'COMMITTEE' && holdsOtherCommitteeSeat(person.id, task, facts)) {
      const reason = `${ONE_SEAT_REASON}: a committee task of this round is already taken or decided`;
      refuse(refusal, reason, refusal === REFUSAL_TYPES.invalid ? [{ field: 'userId', message: reason }] : undefined);
    }
  }

  private taskOf(taskId: string): TaskState {
    const task = this.tasks.get(taskId);
    if (!task) refuse(REFUSAL_TYPES.conflict, `task ${taskId} is not a task of this evaluation`);
    return task;
  }

  /** Authorization first (role, agency, separation of duties), then state, then content. */
  private validateDecision({ taskId, actor, decision, expiresAt }: DecideArgs): void {
    this.assertNotExpired(expiresAt);
    const task = this.taskOf(taskId);
    this.assertMayAct(actor, task);
    // A retry of a decision that was accepted (its answer was lost): a clear, final answer.
    // Validators do not run on replay, so this needs no patch.
    if (task.status !== 'OPEN' && task.decidedBy?.id === actor.id) refuse(REFUSAL_TYPES.alreadyDecided, `you already decided task ${taskId}; your decision stands`);
    if (task.status !== 'OPEN') refuse(REFUSAL_TYPES.conflict, `task ${taskId} is not open (${task.status})`);
    if (task.assigneeId && task.assigneeId !== actor.id) refuse(REFUSAL_TYPES.conflict, 'this task is held by someone else');
    this.assertOpen();

    const problems = decisionProblems(decision, {
      taskType: task.type,
      data: this.data,
      tier: this.tier as Tier,
      catalogue: this.catalogue,
      timeZone: this.policy.calendar.timeZone,
      opinionsInForce: [...this.opinions.values()].map((o) => o.decision.opinion),
      now: new Date(),
    });
    if (problems.length) refuse(REFUSAL_TYPES.invalid, `the decision is invalid: ${problems.map((p) => p.message).join('; ')}`, problems);
  }



  /** The tasks as the access rules see them: who decided each (a decision being recorded counts) and who holds it. */
  private taskFacts() {
    return [...this.tasks.values()].map((t) => ({ ...t, decidedBy: t.decidedBy?.id ?? null }));
  }

  private async decide({ taskId, actor, decision, requestId }: DecideArgs): Promise<UpdateOutcome> {
    const task = this.tasks.get(taskId) as TaskState;
    // Taken before the first await, so a second decision on this task, or by the same person on
    // another stage (or committee seat), is refused even while this one is being recorded.
    task.status = 'DECIDING';
    const by = { id: actor.id, email: actor.email };
    task.decidedBy = by;
    // Deciding an open task nobody holds takes it.
    const claimed = task.assigneeId === null;
    if (claimed) {
      task.assigneeId = actor.id;
      task.holderChanges += 1;
    }
    try {
      await this.acts.recordDecision({
        proposalId: this.input.proposalId,
        taskId,
        taskType: task.type,
        approvalLevel: task.approvalLevel,
        actor: by,
        decision,
        metrics: task.type === 'COST_EFFICIENCY_REVIEW' ? this.metrics() : null,
        requestId,
        claimedByDecision: claimed ? { sequence: task.holderChanges } : null,
        ...(this.patches.workingDayClocks ? { workingDays: slaElapsed({ workingDays: 1 }, new Date(task.openedAt), new Date(), this.policy.calendar) } : {}),
      });
    } catch (error) {
      task.status = 'OPEN';
      task.decidedBy = undefined;
      if (claimed) {
        task.assigneeId = null;
        task.holderChanges -= 1;
      }
      this.refuseUnrecorded('decision', error);
    }
    task.status = 'DONE';
    task.decision = decision;
    task.decidedAt = new Date().toISOString();
    return this.untilSettled();
  }

  /** A person's input the store refused: nothing was recorded, and they are told why. */
  private refuseUnrecorded(what: string, error: unknown): never {
    if (!this.patches.operatorAlerts || !(error instanceof ActivityFailure)) throw error;
    refuse(REFUSAL_TYPES.notRecorded, `the ${what} could not be recorded (${failureReason(error.cause ?? error)}); nothing was recorded: correct it and send it again`);
  }

  private validateClaim({ taskId, actor, expiresAt }: ClaimArgs): void {
    this.assertNotExpired(expiresAt);
    const task = this.taskOf(taskId);
    if (task.status === 'OPEN' && task.assigneeId === actor.id) refuse(REFUSAL_TYPES.alreadyApplied, `you already hold task ${taskId}`);
    this.assertMayAct(actor, task);
    if (task.status !== 'OPEN') refuse(REFUSAL_TYPES.conflict, `task ${taskId} is not open (${task.status})`);
    if (task.assigneeId) refuse(REFUSAL_TYPES.conflict, 'this task is held by someone else');
    this.assertOpen();
  }

  private claim({ taskId, actor, requestId }: ClaimArgs): Promise<UpdateOutcome> {
    return this.changeHolder(this.tasks.get(taskId) as TaskState, 'CLAIMED', actor, actor, requestId);
  }

  /** A supervisor gives an open task to an eligible person; a committee seat only to a member holding none. */
  private validateAssignment({ taskId, assignee, by, expiresAt }: AssignArgs): void {
    this.assertNotExpired(expiresAt);
    if (!mayReach({ roles: by.roles as never }, 'superviseTasks')) refuse(REFUSAL_TYPES.forbidden, 'only supervisors and admins assign tasks');
    const task = this.taskOf(taskId);
    if (task.status === 'OPEN' && task.assigneeId === assignee.id) refuse(REFUSAL_TYPES.alreadyApplied, `${assignee.email} already holds task ${taskId}`);
    if (task.status !== 'OPEN') refuse(REFUSAL_TYPES.conflict, `task ${taskId} is not open (${task.status}); only open tasks are assigned`);
    this.assertOpen();
    this.assertMayAct(assignee, task, REFUSAL_TYPES.invalid);
  }

  private assign({ taskId, assignee, by, requestId }: AssignArgs): Promise<UpdateOutcome> {
    return this.changeHolder(this.tasks.get(taskId) as TaskState, 'ASSIGNED', assignee, by, requestId);
  }

  /** The workflow is the one owner of who holds a task: the change is its, the projection and the record follow. */
  private async changeHolder(task: TaskState, kind: 'CLAIMED' | 'ASSIGNED', holder: ActorRef, by: ActorRef, requestId: string): Promise<UpdateOutcome> {
    const previousHolderId = task.assigneeId;
    task.assigneeId = holder.id;
    task.holderChanges += 1;
    try {
      await this.acts.recordAssignment({
        proposalId: this.input.proposalId,
        taskId: task.id,
        kind,
        holder: { id: holder.id, email: holder.email },
        by: { id: by.id, email: by.email },
        previousHolderId,
        sequence: task.holderChanges,
        requestId,
      });
    } catch (error) {
      if (task.assigneeId === holder.id) {
        task.assigneeId = previousHolderId;
        task.holderChanges -= 1;
      }
      this.refuseUnrecorded(kind === 'CLAIMED' ? 'claim' : 'assignment', error);
    }
    return { status: this.status, stages: [...this.stages] };
  }

  private validateResponse(args: RespondArgs): void {
    this.assertNotExpired(args.expiresAt);
    this.assertOwnAgency(args.actor);
    if (this.isRepeatedAnswer(args)) refuse(REFUSAL_TYPES.alreadyApplied, 'this answer was already received; the evaluation goes on with it');
    this.assertOpen();
    if (!this.awaitingAgency || this.pendingResponse) refuse(REFUSAL_TYPES.conflict, `the proposal is ${this.status}: no answer is awaited`);
  }

  /** The same person sending the same answer again (a retry whose first attempt went through). */
  private isRepeatedAnswer({ actor, response, data }: RespondArgs): boolean {
    const last = this.lastAnswer;
    if (!last || last.actor.id !== actor.id || last.response !== response) return false;
    return JSON.stringify(last.data) === JSON.stringify(data) && (this.pendingResponse !== null || !this.awaitingAgency);
  }

  private async respond(args: RespondArgs): Promise<UpdateOutcome> {
    this.pendingResponse = args;
    this.lastAnswer = args;
    if (this.patches.answerInUpdate) {
      this.answer = 'RECORDING';
      try {
        await this.acts.recordResponse({
          proposalId: this.input.proposalId,
          version: this.version + 1,
          data: args.data,
          actor: { id: args.actor.id, email: args.actor.email },
          response: args.response,
          changedFields: args.changedFields,
          requestId: args.requestId,
        });
      } catch (error) {
        this.answer = 'REFUSED';
        this.lastAnswer = null;
        this.refuseUnrecorded('answer', error);
      }
      this.answer = 'RECORDED';
    }
    return this.untilSettled();
  }

  private validateWithdrawal({ actor, expiresAt }: WithdrawArgs): void {
    this.assertNotExpired(expiresAt);
    this.assertOwnAgency(actor);
    if (this.withdrawal || this.outcome?.status === 'WITHDRAWN') refuse(REFUSAL_TYPES.alreadyApplied, 'the proposal is already withdrawn');
    this.assertOpen();
  }

  private withdraw(args: WithdrawArgs): Promise<UpdateOutcome> {
    this.withdrawal = args;
    return this.untilSettled();
  }

  private snapshot(): EvaluationSnapshot {
    return {
      status: this.status,
      stages: [...this.stages],
      version: this.version,
      tier: this.tier,
      openTasks: [...this.tasks.values()]
        .filter((t) => t.status === 'OPEN' || t.status === 'DECIDING')
        .map((t) => ({ id: t.id, type: t.type, approvalLevel: t.approvalLevel, status: t.status, assigneeId: t.assigneeId, dueAt: t.dueAt })),
      opinions: [...this.opinions.values()].map((o) => ({ type: o.type, opinion: o.decision.opinion, version: o.version })),
    };
  }
}
