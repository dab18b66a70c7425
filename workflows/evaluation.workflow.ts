import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
} from '@temporalio/workflow';
import {
  addSlaDuration,
  CANDIDATE_ROLE,
  composeOutcome,
  computeMetrics,
  computeRoute,
  computeTier,
  decisionProblems,
  excludedFrom,
  holdsOtherCommitteeSeat,
  metricsOptionsFromPolicy,
  ONE_SEAT_REASON,
  reviewsTouchedBy,
  screenProposal,
  slaFraction,
  stagesActedOn,
  taskEligibility,
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
  type StageRef,
  type StandardsCatalogue,
  type Tier,
} from '../libs/domain';
import {
  decideUpdate,
  REFUSAL_TYPES,
  respondUpdate,
  SEARCH_ATTRIBUTES,
  snapshotQuery,
  withdrawUpdate,
  type ActorRef,
  type ActorSnapshot,
  type ApprovalInForce,
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

const activities = proxyActivities<EvaluationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
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
}

/** A stage as a key: one group of tasks opened together (a review, or one approval level). */
type Stage = ReviewType | `APPROVAL:${ApprovalLevel}`;
type ApprovalResult = 'APPROVED' | 'REJECTED' | 'RETURN_TO_REVIEW';

function refuse(type: string, message: string, errors?: FieldError[]): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true, details: errors ? [errors] : [] });
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
    const context = await activities.beginEvaluation(this.input);
    this.version = context.version;
    this.data = context.data;
    this.catalogue = context.catalogue;
    this.policy = context.policy;
    if (!full) return this.triageOnly();

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

  // ----- the steps ---------------------------------------------------------------------

  private async triageOnly(): Promise<TriageOnlyResult> {
    const { proposalId, requestId } = this.input;
    const screening = screenProposal(this.data, this.catalogue, this.policy);
    await activities.recordScreening({ proposalId, version: this.version, result: screening, requestId });
    if (!screening.passed) {
      upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.status, value: 'RETURNED' }]);
      return { status: 'RETURNED', version: this.version, missing: screening.missing };
    }
    const { tier, reasons } = computeTier(this.data, this.policy);
    const route = computeRoute(tier, this.policy);
    const stages = route.reviewMode === 'PARALLEL' ? [...route.reviews] : route.reviews.slice(0, 1);
    await activities.recordTriage({ proposalId, version: this.version, tier, tierReasons: reasons, route, stages, requestId });
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
      await activities.recordScreening({ proposalId, version: this.version, result: screening, requestId });
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
    await activities.recordTriage({
      proposalId: this.input.proposalId,
      version: this.version,
      tier,
      tierReasons: reasons,
      route,
      stages,
      requestId: this.input.requestId,
    });
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
      await this.runTasks(specs, (type) => (type === 'TECHNICAL_REVIEW' ? route.sla.technicalReview : route.sla.costEfficiencyReview), () =>
        specs.every((s) => this.tasks.get(s.id)?.status === 'DONE'),
      );
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
    const members = await activities.committeeMembers({
      proposalId: this.input.proposalId,
      agencyCode: this.input.agencyCode,
      excludedUserIds: this.excludedFor({ type: 'APPROVAL', approvalLevel: 'COMMITTEE' }),
    });
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
   * Opens the tasks, then keeps their clock: a reminder at the policy's fraction of the time,
   * an escalation when it runs out, and the wait goes on until `complete` holds. Tasks still
   * open then (committee members no longer needed) are cancelled.
   */
  private async runTasks(specs: TaskSpec[], slaOf: (type: TaskType) => SlaDuration, complete: () => boolean): Promise<void> {
    const start = new Date();
    // Runs started before this patch gave every task of a group the first task's service level.
    const ownSla = patched(PER_TASK_SLA_PATCH);
    const clocks = specs.map((spec) => {
      const due = addSlaDuration(start, slaOf(ownSla ? spec.type : specs[0].type), this.policy.calendar);
      return { spec, due, remindAt: slaFraction(start, due, this.policy.sla.reminderFraction), reminded: false, overdue: false };
    });
    const byStage = new Map<Stage, TaskSpec[]>();
    for (const { spec, due } of clocks) {
      spec.dueAt = due.toISOString();
      this.tasks.set(spec.id, { ...spec, status: 'OPEN', escalated: false });
      byStage.set(stageOf(spec), [...(byStage.get(stageOf(spec)) ?? []), spec]);
    }
    for (const group of byStage.values()) {
      const { withoutEligibleCandidate } = await activities.createTasks({
        proposalId: this.input.proposalId,
        tasks: group,
        excludedUserIds: this.excludedFor(group[0]),
        status: this.status,
        stages: this.stages,
      });
      for (const taskId of withoutEligibleCandidate) await this.escalate(taskId, 'nobody eligible can take this task');
    }
    upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.stepDueAt, value: new Date(Math.min(...clocks.map((c) => c.due.getTime()))) }]);

    // Each open task's clock: a reminder at the policy's fraction, an escalation when it runs out.
    for (;;) {
      const open = clocks.filter((c) => this.tasks.get(c.spec.id)?.status === 'OPEN');
      const moments = open.flatMap((c) => [...(c.reminded ? [] : [c.remindAt.getTime()]), ...(c.overdue ? [] : [c.due.getTime()])]);
      const next = moments.length ? Math.min(...moments) : undefined;
      if (await this.waitForPeople(complete, next === undefined ? undefined : next - Date.now())) break;
      const now = Date.now();
      for (const clock of open.filter((c) => !c.reminded && c.remindAt.getTime() <= now)) {
        clock.reminded = true;
        await activities.remindTask({ proposalId: this.input.proposalId, taskId: clock.spec.id, reason: 'reminder before the due date', dueAt: clock.spec.dueAt });
      }
      for (const clock of open.filter((c) => !c.overdue && c.due.getTime() <= now)) {
        clock.overdue = true;
        if (!(this.tasks.get(clock.spec.id) as TaskState).escalated) await this.escalate(clock.spec.id, 'the task is past its due date');
      }
    }
    const leftOpen = this.openTasks(specs);
    if (leftOpen.length) {
      for (const task of leftOpen) task.status = 'CANCELLED';
      await activities.cancelTasks({ proposalId: this.input.proposalId, taskIds: leftOpen.map((t) => t.id), reason: 'no longer needed: the level is decided' });
    }
  }

  private async escalate(taskId: string, reason: string): Promise<void> {
    const task = this.tasks.get(taskId) as TaskState;
    task.escalated = true;
    await activities.escalateTask({ proposalId: this.input.proposalId, taskId, reason });
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
    const { proposalId } = this.input;
    this.round += 1;
    const start = new Date();
    const due = addSlaDuration(start, this.policy.sla.agencyResponse, this.policy.calendar);
    const remindAt = slaFraction(start, due, this.policy.sla.reminderFraction);
    // Accept the answer as soon as the agency can see the request (the activity shows it).
    this.awaitingAgency = true;
    await activities.requestChanges({ proposalId, version: this.version, round: this.round, requestedBy, questions, missing, dueAt: due.toISOString(), status });
    this.setStatus(status, []);
    upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.stepDueAt, value: due }]);
    const answered = () => this.pendingResponse !== null;
    if (!(await this.waitForPeople(answered, remindAt.getTime() - Date.now()))) {
      await activities.remindAgency({ proposalId, key: `agency-reminder:${this.round}`, about: status, dueAt: due.toISOString() });
    }
    if (!(await this.waitForPeople(answered, due.getTime() - Date.now()))) {
      this.awaitingAgency = false;
      throw new Lapsed(`the agency did not answer by ${due.toISOString()}`);
    }
    const response = this.pendingResponse as RespondArgs;
    this.pendingResponse = null;
    this.awaitingAgency = false;
    this.version += 1;
    this.data = response.data;
    await activities.recordResponse({
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

  /** Separation of duties: who acted on another stage of this proposal (a decision being recorded counts). */
  private excludedFor(stage: StageRef): string[] {
    return excludedFrom(stage, this.taskFacts());
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
      await activities.cancelTasks({ proposalId: this.input.proposalId, taskIds: open.map((t) => t.id), reason: `evaluation ended: ${status}` });
    }
    const outcome = composeOutcome({
      ending: status,
      decidedAt: new Date().toISOString(),
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
    });
    await activities.recordOutcome({
      proposalId: this.input.proposalId,
      outcome,
      eventType: status === 'WITHDRAWN' ? 'WITHDRAWN' : status === 'LAPSED' ? 'LAPSED' : 'OUTCOME',
      requestId: this.input.requestId,
    });
    this.outcome = outcome;
    this.setStatus(outcome.status, []);
    this.settle();
    await condition(allHandlersFinished);
    return outcome;
  }

  // ----- updates and the query -------------------------------------------------------------

  private registerHandlers(): void {
    setHandler(decideUpdate, (args) => this.decide(args), { validator: (args) => this.validateDecision(args) });
    setHandler(respondUpdate, (args) => this.respond(args), { validator: (args) => this.validateResponse(args) });
    setHandler(withdrawUpdate, (args) => this.withdraw(args), { validator: (args) => this.validateWithdrawal(args) });
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

  /** Authorization first (role, agency, separation of duties), then state, then content. */
  private validateDecision({ taskId, actor, decision, expiresAt }: DecideArgs): void {
    this.assertNotExpired(expiresAt);
    const task = this.tasks.get(taskId);
    if (!task) refuse(REFUSAL_TYPES.conflict, `task ${taskId} is not a task of this evaluation`);
    const eligibility = taskEligibility(actor, task, stagesActedOn(actor.id, this.taskFacts()));
    if (!eligibility.eligible) refuse(REFUSAL_TYPES.forbidden, eligibility.reason);
    // A retry of a decision that was accepted (its answer was lost): a clear, final answer.
    // Validators do not run on replay, so this needs no patch.
    if (task.status !== 'OPEN' && task.decidedBy?.id === actor.id) refuse(REFUSAL_TYPES.alreadyDecided, `you already decided task ${taskId}; your decision stands`);
    if (task.status !== 'OPEN') refuse(REFUSAL_TYPES.conflict, `task ${taskId} is not open (${task.status})`);
    if (task.assigneeId && task.assigneeId !== actor.id) refuse(REFUSAL_TYPES.conflict, 'this task is held by someone else');
    if (task.approvalLevel === 'COMMITTEE' && holdsOtherCommitteeSeat(actor.id, task, this.taskFacts(), false)) {
      refuse(REFUSAL_TYPES.forbidden, `${ONE_SEAT_REASON}: you already decided a committee task of this round`);
    }
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

  /** The tasks as the access rules see them: who decided each (a decision being recorded counts). */
  private taskFacts() {
    return [...this.tasks.values()].map((t) => ({ ...t, decidedBy: t.decidedBy?.id ?? null }));
  }

  private async decide({ taskId, actor, decision, requestId }: DecideArgs): Promise<UpdateOutcome> {
    const task = this.tasks.get(taskId) as TaskState;
    task.status = 'DECIDING';
    // Taken before the first await, so a second decision by the same person on another stage
    // (or committee seat) is refused even while this one is still being recorded.
    const by = { id: actor.id, email: actor.email };
    task.decidedBy = by;
    try {
      await activities.recordDecision({
        proposalId: this.input.proposalId,
        taskId,
        taskType: task.type,
        approvalLevel: task.approvalLevel,
        actor: by,
        decision,
        metrics: task.type === 'COST_EFFICIENCY_REVIEW' ? this.metrics() : null,
        requestId,
      });
    } catch (error) {
      task.status = 'OPEN';
      task.decidedBy = undefined;
      throw error;
    }
    task.status = 'DONE';
    task.decision = decision;
    task.decidedAt = new Date().toISOString();
    return this.untilSettled();
  }

  private validateResponse({ actor, expiresAt }: RespondArgs): void {
    this.assertNotExpired(expiresAt);
    this.assertOwnAgency(actor);
    this.assertOpen();
    if (!this.awaitingAgency || this.pendingResponse) refuse(REFUSAL_TYPES.conflict, `the proposal is ${this.status}: no answer is awaited`);
  }

  private respond(args: RespondArgs): Promise<UpdateOutcome> {
    this.pendingResponse = args;
    return this.untilSettled();
  }

  private validateWithdrawal({ actor, expiresAt }: WithdrawArgs): void {
    this.assertNotExpired(expiresAt);
    this.assertOwnAgency(actor);
    this.assertOpen();
    if (this.withdrawal) refuse(REFUSAL_TYPES.conflict, 'the proposal is already being withdrawn');
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
