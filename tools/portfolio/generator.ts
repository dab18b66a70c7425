/**
 * One proposal's life, simulated the way the evaluation workflow would have run it, up to the
 * `asOf` moment: drafting, submission, screening (and a return to the agency), triage, the
 * parallel reviews with their verdicts, change requests and the agency's answers, the approval
 * levels (a committee votes to a quorum), reminders and escalations on the service levels,
 * withdrawals, lapses and the outcome. What comes out is exactly what the activities would have
 * written: the proposal projection, its frozen versions, the task rows and the records, built by
 * the evaluation ledger's own record builders (EvaluationRecords: the same types, data and dedupe
 * keys). A life that reaches `asOf` stops where it is: an in-flight proposal with open tasks.
 *
 * Pure and deterministic: everything comes from the given Random and the domain functions
 * (computeTier, computeRoute, applicableStandards, screenProposal, the clocks of working-time,
 * computeMetrics, composeOutcome). What the simulation leaves out of the workflow's behaviour: a
 * review that asked for changes starts a fresh clock here (the workflow continues what was left),
 * and nobody is reassigned.
 */
import {
  addSlaDuration,
  applicableStandards,
  CATALOGUE_2026_1,
  computeMetrics,
  computeRoute,
  computeTier,
  costEfficiencyStandards,
  localDateOf,
  DEFAULT_POLICY,
  metricsOptionsFromPolicy,
  reviewsTouchedBy,
  screenProposal,
  addSlaAmount,
  slaAmount,
  technicalStandards,
  workingDaysBetween,
  totalCostOfOwnership,
  composeOutcome,
  type ActorRef,
  type ApprovalChoice,
  type ApprovalInForce,
  type ApprovalDecision,
  type ApprovalLevel,
  type Condition,
  type FieldError,
  type Metrics,
  type OpinionInForce,
  type OutcomeTiming,
  type ProposalData,
  type ReviewDecision,
  type ReviewOpinion,
  type ReviewType,
  type Route,
  type SlaDuration,
  type StandardVerdict,
  type Tier,
  type Verdict,
} from '../../libs/domain';
import { EvaluationRecords, SYSTEM_ACTOR, type NewRecord } from '../../libs/persistence/src/ledger/evaluation.records';
import { CHANGE_QUESTIONS, CONDITION_TEXTS, proposalData, REVIEW_COMMENTS, selfAssessment, WITHDRAWAL_REASONS } from './content';
import type { Random } from './random';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const POLICY = DEFAULT_POLICY;
const CATALOGUE = CATALOGUE_2026_1;
const METRICS_OPTIONS = metricsOptionsFromPolicy(POLICY);

/** Chance that the agency withdraws during any one wait (a review round, an approval level). */
const WITHDRAW_HAZARD = 0.012;

export interface StaffMember extends ActorRef {
  agencyCode: string;
  /** Relative share of the work this person takes when several may. */
  weight: number;
}

export interface Staff {
  /** The account that submits for each agency (the generated proposals' created_by). */
  submitters: Readonly<Record<string, ActorRef>>;
  technical: readonly StaffMember[];
  finance: readonly StaffMember[];
  approvers: Readonly<Record<ApprovalLevel, readonly StaffMember[]>>;
}

/** Rows in the tables' own column names, ready for json_populate_recordset. */
export interface ProposalRow {
  id: string;
  agency_code: string;
  created_by: string;
  title: string;
  data: ProposalData;
  status: string;
  stages: string[];
  tier: Tier | null;
  tier_reasons: string[] | null;
  route: Route | null;
  screening_issues: FieldError[] | null;
  current_version: number;
  catalogue_version: string | null;
  policy_version: string | null;
  workflow_id: string | null;
  requested_amount: number;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  outcome: object | null;
  closed_at: string | null;
}

export interface VersionRow {
  proposal_id: string;
  version: number;
  data: ProposalData;
  created_by: string;
  created_at: string;
}

export interface TaskRow {
  id: string;
  proposal_id: string;
  proposal_title: string;
  agency_code: string;
  type: 'TECHNICAL_REVIEW' | 'COST_EFFICIENCY_REVIEW' | 'APPROVAL';
  approval_level: ApprovalLevel | null;
  status: 'OPEN' | 'DONE' | 'CANCELLED';
  candidate_role: string;
  assignee_id: string | null;
  version: number;
  round: number;
  due_at: string;
  reminded_at: string | null;
  escalated: boolean;
  breaches: number;
  decision: object | null;
  decided_by: string | null;
  working_days: number | null;
  created_at: string;
  completed_at: string | null;
}

/** A record still to be chained: the chain (seq, prevHash, hash) is given when it is appended. */
export interface SeedEvent {
  at: number;
  proposalId: string;
  actor: string;
  type: string;
  data: Record<string, unknown>;
  dedupeKey: string;
}

export interface GeneratedProposal {
  proposal: ProposalRow;
  versions: VersionRow[];
  tasks: TaskRow[];
  events: SeedEvent[];
}

export interface LifeContext {
  staff: Staff;
  /** Milliseconds since the epoch: nothing happens after it. */
  asOf: number;
}

/** The simulation reached `asOf`: the proposal stays as it is, in flight. */
class ReachedAsOf extends Error {}

class Withdrawn extends Error {
  constructor(readonly at: number) {
    super('withdrawn');
  }
}

class Lapsed extends Error {
  constructor(
    readonly at: number,
    readonly reason: string,
  ) {
    super('lapsed');
  }
}

type ApprovalResult = 'APPROVED' | 'REJECTED' | 'RETURN_TO_REVIEW';

interface PlannedTask {
  row: TaskRow;
  stage: string;
  decider: StaffMember;
  due: number;
  remindAt: number;
  decideAt: number;
  /** When the decider claims it before deciding; null when deciding claims it (or it was assigned). */
  claimAt: number | null;
  claimed: boolean;
  reminded: boolean;
  escalatedDone: boolean;
  decide: () => ReviewDecision | ApprovalDecision;
  decidedAt?: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

const HOUR_MS = 3_600_000;
const localDates = new Map<number, string>();
const dueRules = new Map<string, { shift: number } | { at: number }>();

/**
 * addSlaDuration(start, sla, calendar) for many starts, with few calls. What it returns depends
 * only on the local date of `start` (kept per UTC hour: the policy's zone is a whole number of
 * hours from UTC and changes its clock on the hour): on a working day the due moment keeps the
 * start's local time N working days on, so it is `start` plus a fixed shift; on a day off it is
 * 00:00 of a later working day, a fixed moment. One sample per local date tells which (a start
 * one millisecond later moves the result, or not); the domain function stays the one source of
 * the rule.
 */
function dueAfter(start: number, sla: SlaDuration): number {
  const hour = Math.floor(start / HOUR_MS);
  let day = localDates.get(hour);
  if (day === undefined) {
    day = localDateOf(new Date(hour * HOUR_MS), POLICY.calendar.timeZone);
    localDates.set(hour, day);
  }
  const key = `${day}|${'workingDays' in sla ? `d${sla.workingDays}` : `s${sla.seconds}`}`;
  let rule = dueRules.get(key);
  if (!rule) {
    const base = addSlaDuration(new Date(start), sla, POLICY.calendar).getTime();
    const next = addSlaDuration(new Date(start + 1), sla, POLICY.calendar).getTime();
    rule = next === base + 1 ? { shift: base - start } : { at: base };
    dueRules.set(key, rule);
  }
  return 'shift' in rule ? start + rule.shift : rule.at;
}

/** The reminder: after the policy's share of the clock's working days (8 of 10), as the workflow's clocks. */
function reminderOf(start: number, sla: SlaDuration): number {
  const amount = slaAmount(sla) * POLICY.sla.reminderFraction;
  if (Number.isInteger(amount)) return dueAfter(start, 'seconds' in sla ? { seconds: amount } : { workingDays: amount });
  return addSlaAmount(new Date(start), sla, amount, POLICY.calendar).getTime();
}

function slaOf(type: TaskRow['type']): SlaDuration {
  if (type === 'TECHNICAL_REVIEW') return POLICY.sla.technicalReview;
  if (type === 'COST_EFFICIENCY_REVIEW') return POLICY.sla.costEfficiencyReview;
  return POLICY.sla.approvalLevel;
}

const CANDIDATE_ROLE: Record<TaskRow['type'], string> = {
  TECHNICAL_REVIEW: 'technical_reviewer',
  COST_EFFICIENCY_REVIEW: 'finance_reviewer',
  APPROVAL: 'approver',
};

const OPINIONS_FIRST: Record<ReviewOpinion, number> = { FAVOURABLE: 68, FAVOURABLE_WITH_CONDITIONS: 13, CHANGES_REQUESTED: 14, UNFAVOURABLE: 5 };
const OPINIONS_AGAIN: Record<ReviewOpinion, number> = { FAVOURABLE: 78, FAVOURABLE_WITH_CONDITIONS: 16, CHANGES_REQUESTED: 3, UNFAVOURABLE: 3 };
/** How a reviewer rates a standard, given the agency's own answer. */
const VERDICT_GIVEN_ANSWER: Record<Verdict, Record<Verdict, number>> = {
  MEETS: { MEETS: 90, PARTIAL: 7, NOT_MET: 2, NOT_APPLICABLE: 1 },
  PARTIAL: { MEETS: 25, PARTIAL: 60, NOT_MET: 15, NOT_APPLICABLE: 0 },
  NOT_MET: { MEETS: 0, PARTIAL: 35, NOT_MET: 65, NOT_APPLICABLE: 0 },
  NOT_APPLICABLE: { MEETS: 25, PARTIAL: 0, NOT_MET: 0, NOT_APPLICABLE: 75 },
};
const APPROVAL_AGAINST_UNFAVOURABLE: Record<ApprovalChoice, number> = { APPROVE: 35, APPROVE_WITH_CONDITIONS: 10, REJECT: 55, RETURN_TO_REVIEW: 0 };
const APPROVAL: Record<ApprovalChoice, number> = { APPROVE: 88, APPROVE_WITH_CONDITIONS: 5, REJECT: 3, RETURN_TO_REVIEW: 2 };
const APPROVAL_ONCE_RETURNED: Record<ApprovalChoice, number> = { ...APPROVAL, RETURN_TO_REVIEW: 0 };
const VOTE: Record<ApprovalChoice, number> = { APPROVE: 86, APPROVE_WITH_CONDITIONS: 5, REJECT: 6, RETURN_TO_REVIEW: 2 };
const VOTE_ONCE_RETURNED: Record<ApprovalChoice, number> = { ...VOTE, RETURN_TO_REVIEW: 0 };
const FATES = { answer: 86, lapse: 9, withdraw: 5 } as const;

const TECHNICAL_REVISIONS = [
  'the reuse analysis now covers the shared platforms.',
  'the security plan and its owner are attached.',
  'an assisted channel is added for citizens without internet access.',
  'the privacy impact assessment is attached.',
];
const RESPONSES = [
  'Answered every question; see the revised annexes.',
  'Costs revised after a new market consultation.',
  'Added the missing documents and the owner of the service.',
];

class Life {
  private readonly events: SeedEvent[] = [];
  private readonly versions: VersionRow[] = [];
  private readonly tasks: TaskRow[] = [];
  private readonly opinions = new Map<ReviewType, OpinionInForce>();
  private approvals: ApprovalInForce[] = [];
  /** Who acted on which stage: separation of duties, as the workflow keeps it. */
  private readonly actorStages = new Map<string, string>();
  private readonly lastDecider = new Map<string, StaffMember>();
  private readonly reviewRounds = new Map<ReviewType, number>();
  private version = 0;
  private round = 0;
  /** Working days the agency held the proposal (returned, or answering a change request). */
  private withAgency = 0;
  private tier: Tier | null = null;
  private route: Route | null = null;
  private returnedToReview = false;
  private t: number;
  private updatedAt: number;
  private data: ProposalData;
  private metricsOf: { data: ProposalData; metrics: Metrics } | null = null;
  private readonly submitter: ActorRef;
  readonly row: ProposalRow;

  constructor(
    private readonly rng: Random,
    private readonly ctx: LifeContext,
    private readonly agencyCode: string,
    serial: number,
    createdAt: number,
  ) {
    const submitter = ctx.staff.submitters[agencyCode];
    if (!submitter) throw new Error(`no submitter for agency ${agencyCode}`);
    this.submitter = submitter;
    this.data = proposalData(rng, agencyCode, serial);
    this.t = createdAt;
    this.updatedAt = createdAt;
    this.row = {
      id: rng.uuid(),
      agency_code: agencyCode,
      created_by: submitter.id,
      title: this.data.title,
      data: this.data,
      status: 'DRAFT',
      stages: [],
      tier: null,
      tier_reasons: null,
      route: null,
      screening_issues: null,
      current_version: 0,
      catalogue_version: null,
      policy_version: null,
      workflow_id: null,
      requested_amount: totalCostOfOwnership(this.data),
      created_at: iso(createdAt),
      updated_at: iso(createdAt),
      submitted_at: null,
      outcome: null,
      closed_at: null,
    };
  }

  run(): GeneratedProposal {
    try {
      this.live();
    } catch (stop) {
      if (!(stop instanceof ReachedAsOf)) throw stop;
    }
    this.row.updated_at = iso(this.updatedAt);
    return { proposal: this.row, versions: this.versions, tasks: this.tasks, events: this.events };
  }

  // ----- the life ----------------------------------------------------------------------------

  private live(): void {
    const { rng } = this;
    if (rng.chance(0.035)) {
      // Abandoned while drafting: left as a draft, or withdrawn before ever being submitted.
      const at = Math.round(this.t + rng.between(15, 240) * DAY);
      if (rng.chance(0.35) || at > this.ctx.asOf) return;
      this.withdrawDraft(at);
      return;
    }
    const submitAt = this.workMoment(this.t, Math.min(120, 0.1 + rng.exponential(6)));
    if (submitAt > this.ctx.asOf) return;
    const complete = this.data;
    // Some are submitted with self-assessment answers missing: screening returns them.
    const incomplete = rng.chance(0.08) ? this.withoutSomeAnswers(complete) : null;
    this.submit(submitAt, incomplete ?? complete);
    try {
      this.screenUntilComplete(complete);
      this.triage();
      let reviews: ReviewType[] = [...(this.route as Route).reviews];
      for (;;) {
        this.runReviews(reviews);
        const asking = [...this.opinions.values()].filter((o) => o.decision.opinion === 'CHANGES_REQUESTED');
        if (asking.length) {
          reviews = this.changesRequested(asking);
          continue;
        }
        const result = this.runApprovals();
        if (result === 'RETURN_TO_REVIEW') {
          this.returnedToReview = true;
          reviews = [...(this.route as Route).reviews];
          this.opinions.clear();
          continue;
        }
        this.close(result, this.t + rng.int(800, 3_000), null, null);
        return;
      }
    } catch (stop) {
      if (stop instanceof Withdrawn) {
        this.close('WITHDRAWN', stop.at, rng.pick(WITHDRAWAL_REASONS), { id: this.submitter.id, email: this.submitter.email });
        return;
      }
      if (stop instanceof Lapsed) {
        this.close('LAPSED', stop.at, stop.reason, null);
        return;
      }
      throw stop;
    }
  }

  private withdrawDraft(at: number): void {
    const reason = this.rng.pick(WITHDRAWAL_REASONS);
    this.emit(at, EvaluationRecords.ended(this.row.id, 'WITHDRAWN', this.submitter.email, reason, this.rng.uuid()));
    // The shape ProposalsService.withdraw stores for a draft: no evaluation ran.
    this.row.outcome = { status: 'WITHDRAWN', decidedAt: iso(at), reason, by: { id: this.submitter.id, email: this.submitter.email } };
    this.row.status = 'WITHDRAWN';
    this.row.closed_at = iso(at);
  }

  private submit(at: number, data: ProposalData): void {
    const { id } = this.row;
    const email = this.submitter.email;
    if (at + 3 > this.ctx.asOf) throw new ReachedAsOf();
    const submission = { proposalId: id, catalogueVersion: CATALOGUE.version, policyVersion: POLICY.version, submittedBy: this.submitter, requestId: this.rng.uuid() };
    this.emit(at, EvaluationRecords.submitted(submission, 1));
    this.version = 1;
    this.setData(data);
    this.emit(at + 3, EvaluationRecords.versionCreated(id, 1, data, email));
    this.versions.push({ proposal_id: id, version: 1, data, created_by: email, created_at: iso(at) });
    Object.assign(this.row, {
      status: 'SUBMITTED',
      workflow_id: `proposal-${id}`,
      catalogue_version: CATALOGUE.version,
      policy_version: POLICY.version,
      submitted_at: iso(at),
      current_version: 1,
    });
    this.t = at + 3;
  }

  private screenUntilComplete(complete: ProposalData): void {
    for (let attempt = 0; ; attempt++) {
      const at = this.t + this.rng.int(500, 2_500);
      const result = screenProposal(this.data, CATALOGUE, POLICY);
      this.emit(at, EvaluationRecords.screened({ proposalId: this.row.id, version: this.version, result }));
      this.t = at;
      if (result.passed) return;
      if (attempt > 0) throw new Error(`generated proposal ${this.row.id} does not pass screening: ${JSON.stringify(result.missing)}`);
      this.waitForAgency('RETURNED', ['SCREENING'], [], result.missing, () => ({
        data: complete,
        changedFields: ['selfAssessment'],
        response: 'Added the missing self-assessment answers and evidence.',
      }));
    }
  }

  /** Fixes tier and route for the current version; returns whether the tier changed. */
  private triage(): boolean {
    const previous = this.tier;
    const { tier, reasons } = computeTier(this.data, POLICY);
    const route = computeRoute(tier, POLICY);
    const at = this.t + this.rng.int(300, 1_500);
    const stages = route.reviewMode === 'PARALLEL' ? [...route.reviews] : route.reviews.slice(0, 1);
    this.emit(at, EvaluationRecords.triaged({ proposalId: this.row.id, version: this.version, tier, tierReasons: reasons, route }));
    this.tier = tier;
    this.route = route;
    Object.assign(this.row, { tier, tier_reasons: reasons, route, status: 'IN_REVIEW', stages, screening_issues: null });
    this.t = at;
    return previous !== null && previous !== tier;
  }

  private runReviews(types: ReviewType[]): void {
    this.round += 1;
    this.setStatus('IN_REVIEW', [...types]);
    const planned = types.map((type) => this.plan(type, null, null, () => this.reviewDecision(type)));
    this.runTasks(planned, () => planned.every((p) => p.row.status === 'DONE'));
    for (const p of planned) {
      const type = p.row.type as ReviewType;
      this.reviewRounds.set(type, (this.reviewRounds.get(type) ?? 0) + 1);
      this.opinions.set(type, {
        type,
        taskId: p.row.id,
        version: this.version,
        by: { id: p.decider.id, email: p.decider.email },
        decision: p.row.decision as ReviewDecision,
        decidedAt: iso(p.decidedAt as number),
      });
    }
  }

  private changesRequested(asking: OpinionInForce[]): ReviewType[] {
    const questions = asking.flatMap((o) => (o.decision.questions ?? []).map((question) => ({ from: o.type, question })));
    const askingTypes = asking.map((o) => o.type);
    const changedFields = this.waitForAgency('CHANGES_REQUESTED', askingTypes, questions, [], () => this.revise(askingTypes));
    const tierChanged = this.triage();
    const route = this.route as Route;
    const rerun = new Set<ReviewType>(askingTypes);
    for (const type of reviewsTouchedBy(changedFields)) rerun.add(type);
    if (tierChanged) for (const type of route.reviews) rerun.add(type);
    for (const type of rerun) this.opinions.delete(type);
    return route.reviews.filter((type) => rerun.has(type) || !this.opinions.has(type));
  }

  private runApprovals(): ApprovalResult {
    this.approvals = [];
    for (const level of (this.route as Route).approvalLevels) {
      this.round += 1;
      this.setStatus('IN_APPROVAL', [`APPROVAL:${level}`]);
      const result = level === 'COMMITTEE' ? this.committeeLevel() : this.singleLevel(level);
      if (result !== 'APPROVED') return result;
    }
    return 'APPROVED';
  }

  private singleLevel(level: ApprovalLevel): ApprovalResult {
    const p = this.plan('APPROVAL', level, null, () => this.approvalDecision(level));
    this.runTasks([p], () => p.row.status === 'DONE');
    const { decision } = this.recordApproval(p, level).decision;
    return decision === 'REJECT' ? 'REJECTED' : decision === 'RETURN_TO_REVIEW' ? 'RETURN_TO_REVIEW' : 'APPROVED';
  }

  /** One task per eligible member, each assigned; the level passes at the quorum and fails when it can no longer be reached. */
  private committeeLevel(): ApprovalResult {
    const quorum = (this.route as Route).committeeQuorum ?? POLICY.committeeQuorum;
    const stage = 'APPROVAL:COMMITTEE';
    const members = this.ctx.staff.approvers.COMMITTEE.filter(
      (m) => m.agencyCode !== this.agencyCode && (this.actorStages.get(m.id) ?? stage) === stage,
    );
    if (members.length < quorum) throw new Error(`only ${members.length} committee member(s) may vote on a ${this.agencyCode} proposal; the quorum is ${quorum}`);
    const planned = members.map((m) => this.plan('APPROVAL', 'COMMITTEE', m, () => this.approvalDecision('COMMITTEE')));
    const votes = () => {
      const done = planned.filter((p) => p.row.status === 'DONE').map((p) => (p.row.decision as ApprovalDecision).decision);
      const approve = done.filter((d) => d.startsWith('APPROVE')).length;
      const reject = done.filter((d) => d === 'REJECT').length;
      return { approve, returned: done.includes('RETURN_TO_REVIEW'), impossible: planned.length - reject < quorum };
    };
    this.runTasks(planned, () => {
      const v = votes();
      return v.returned || v.approve >= quorum || v.impossible;
    });
    for (const p of planned) if (p.row.status === 'DONE') this.recordApproval(p, 'COMMITTEE');
    const v = votes();
    if (v.returned) return 'RETURN_TO_REVIEW';
    return v.approve >= quorum ? 'APPROVED' : 'REJECTED';
  }

  private recordApproval(p: PlannedTask, level: ApprovalLevel): ApprovalInForce {
    const approval: ApprovalInForce = {
      taskId: p.row.id,
      level,
      by: { id: p.decider.id, email: p.decider.email },
      decision: p.row.decision as ApprovalDecision,
      decidedAt: iso(p.decidedAt as number),
    };
    this.approvals.push(approval);
    return approval;
  }

  /**
   * Sends the proposal back to the agency; it answers (a new version), stays silent until the
   * deadline (LAPSED), or withdraws. Returns the fields the answer changed.
   */
  private waitForAgency(
    status: 'RETURNED' | 'CHANGES_REQUESTED',
    requestedBy: string[],
    questions: { from: string; question: string }[],
    missing: FieldError[],
    answer: () => { data: ProposalData; changedFields: string[]; response: string },
  ): string[] {
    const { rng } = this;
    const { id } = this.row;
    this.round += 1;
    const start = this.t + rng.int(500, 2_000);
    const due = dueAfter(start, POLICY.sla.agencyResponse);
    const remindAt = reminderOf(start, POLICY.sla.agencyResponse);
    this.emit(start, EvaluationRecords.agencyRequest({ proposalId: id, version: this.version, round: this.round, requestedBy, questions, missing, dueAt: iso(due), status }));
    Object.assign(this.row, { status, stages: [], screening_issues: missing });
    this.t = start;

    const fate = rng.weighted(FATES);
    const answerAt = Math.min(this.workMoment(start, rng.logNormal(7, 0.7)), start + Math.round((due - start) * 0.97));
    const end = fate === 'answer' ? answerAt : fate === 'lapse' ? due : Math.round(start + rng.between(0.1, 0.9) * (due - start));
    if (remindAt < end && remindAt <= this.ctx.asOf) {
      this.emit(remindAt, EvaluationRecords.agencyReminded({ proposalId: id, key: `agency-reminder:${this.round}`, about: status, dueAt: iso(due) }));
    }
    // The agency's time is its own: measured apart from the evaluation's (OutcomeTiming).
    this.withAgency += workingDaysBetween(new Date(start), new Date(Math.min(end, this.ctx.asOf)), POLICY.calendar);
    if (end + 2 > this.ctx.asOf) throw new ReachedAsOf();
    if (fate === 'lapse') throw new Lapsed(due, `the agency did not answer by ${iso(due)}`);
    if (fate === 'withdraw') throw new Withdrawn(end);

    const { data, changedFields, response } = answer();
    this.version += 1;
    const email = this.submitter.email;
    this.emit(answerAt, EvaluationRecords.responded({ proposalId: id, version: this.version, actor: this.submitter, response, changedFields, requestId: rng.uuid() }));
    this.emit(answerAt + 2, EvaluationRecords.versionCreated(id, this.version, data, email));
    this.versions.push({ proposal_id: id, version: this.version, data, created_by: email, created_at: iso(answerAt) });
    this.setData(data);
    Object.assign(this.row, { current_version: this.version, screening_issues: null });
    this.t = answerAt + 2;
    return changedFields;
  }

  /** Submit to outcome against the whole-evaluation target, the agency's time apart (the workflow's OutcomeTiming). */
  private timing(at: number): OutcomeTiming {
    const target = POLICY.sla.wholeEvaluation;
    const total = workingDaysBetween(new Date(this.row.submitted_at as string), new Date(at), POLICY.calendar);
    const withAgency = Math.min(total, this.withAgency);
    const round = (n: number) => Math.round(n * 1000) / 1000;
    return {
      unit: 'seconds' in target ? 'seconds' : 'workingDays',
      total: round(total),
      withAgency: round(withAgency),
      evaluation: round(total - withAgency),
      target: slaAmount(target),
      withinTarget: total - withAgency <= slaAmount(target),
    };
  }

  private close(status: 'APPROVED' | 'REJECTED' | 'WITHDRAWN' | 'LAPSED', at: number, reason: string | null, by: ActorRef | null): void {
    if (at + 1 > this.ctx.asOf) throw new ReachedAsOf();
    const open = this.tasks.filter((t) => t.status === 'OPEN');
    if (open.length) this.cancel(open, at, `evaluation ended: ${status}`);
    const outcome = composeOutcome({
      ending: status,
      decidedAt: iso(at),
      version: this.version,
      tier: this.tier,
      data: this.data,
      opinions: [...this.opinions.values()],
      approvals: this.approvals,
      metrics: this.metrics(),
      catalogueVersion: CATALOGUE.version,
      policyVersion: POLICY.version,
      reason,
      by,
      timing: this.timing(at),
    });
    const actor = by?.email ?? SYSTEM_ACTOR;
    const { id } = this.row;
    if (status === 'WITHDRAWN' || status === 'LAPSED') this.emit(at, EvaluationRecords.ended(id, status, actor, reason, this.rng.uuid()));
    this.emit(at + 1, EvaluationRecords.outcome({ proposalId: id, outcome }));
    Object.assign(this.row, { status: outcome.status, stages: [], outcome, closed_at: iso(at) });
  }

  // ----- tasks ----------------------------------------------------------------------------------

  private plan(type: TaskRow['type'], level: ApprovalLevel | null, assignee: StaffMember | null, decide: () => ReviewDecision | ApprovalDecision): PlannedTask {
    const { rng } = this;
    const stage = level ? `APPROVAL:${level}` : type;
    const start = this.t;
    const due = dueAfter(start, slaOf(type));
    const remindAt = reminderOf(start, slaOf(type));
    const decider = assignee ?? this.chooseDecider(type, level, stage);
    const decideAt = this.workMoment(start, this.delayDays(type, level));
    const claimAt = assignee || !rng.chance(0.65) ? null : Math.round(start + rng.between(0.05, 0.5) * (decideAt - start));
    const row: TaskRow = {
      id: rng.uuid(),
      proposal_id: this.row.id,
      proposal_title: this.data.title,
      agency_code: this.agencyCode,
      type,
      approval_level: level,
      status: 'OPEN',
      candidate_role: CANDIDATE_ROLE[type],
      assignee_id: assignee?.id ?? null,
      version: this.version,
      round: this.round,
      due_at: iso(due),
      reminded_at: null,
      escalated: false,
      breaches: 0,
      decision: null,
      decided_by: null,
      working_days: null,
      created_at: iso(start),
      completed_at: null,
    };
    this.emit(start, EvaluationRecords.taskCreated({ id: row.id, proposalId: row.proposal_id, type, approvalLevel: level, assigneeId: row.assignee_id, version: this.version, dueAt: row.due_at }));
    this.tasks.push(row);
    return { row, stage, decider, due, remindAt, decideAt, claimAt, claimed: false, reminded: false, escalatedDone: false, decide };
  }

  /**
   * Plays the tasks' decisions in time order, with the clocks (claims, reminders, escalations)
   * in between, until `complete` holds; tasks still open then are cancelled. Stops at `asOf`,
   * or at a withdrawal.
   */
  private runTasks(planned: PlannedTask[], complete: () => boolean): void {
    const { asOf } = this.ctx;
    const withdrawAt = this.rng.chance(WITHDRAW_HAZARD) ? Math.round(this.t + this.rng.between(0.5, 25) * DAY) : Infinity;
    for (const p of [...planned].sort((a, b) => a.decideAt - b.decideAt)) {
      this.runClocks(planned, Math.min(p.decideAt, withdrawAt, asOf));
      if (withdrawAt <= p.decideAt && withdrawAt <= asOf) throw new Withdrawn(withdrawAt);
      if (p.decideAt > asOf) throw new ReachedAsOf();
      this.decideTask(p);
      if (complete()) {
        this.t = p.decideAt;
        const left = planned.filter((x) => x.row.status === 'OPEN').map((x) => x.row);
        if (left.length) this.cancel(left, p.decideAt + 5, 'no longer needed: the level is decided');
        return;
      }
    }
    throw new Error('the tasks ran out before the stage completed');
  }

  private runClocks(planned: PlannedTask[], until: number): void {
    for (const p of planned) {
      const { row } = p;
      if (row.status !== 'OPEN') continue;
      if (!p.claimed && p.claimAt !== null && p.claimAt <= until) {
        p.claimed = true;
        row.assignee_id = p.decider.id;
        const claim = { proposalId: row.proposal_id, taskId: row.id, kind: 'CLAIMED' as const, holder: p.decider, by: p.decider, previousHolderId: null, sequence: 1, requestId: this.rng.uuid() };
        this.emit(p.claimAt, EvaluationRecords.holderChanged(claim));
      }
      if (!p.reminded && p.remindAt <= until && p.remindAt < p.decideAt) {
        p.reminded = true;
        row.reminded_at = iso(p.remindAt);
        this.emit(p.remindAt, EvaluationRecords.taskReminded({ proposalId: row.proposal_id, taskId: row.id, reason: 'reminder before the due date', dueAt: row.due_at, sequence: 1 }));
      }
      if (!p.escalatedDone && p.due <= until && p.due < p.decideAt) {
        p.escalatedDone = true;
        row.escalated = true;
        row.breaches += 1;
        const breach = { proposalId: row.proposal_id, taskId: row.id, reason: 'the task is past its due date', kind: 'BREACH' as const, sequence: 1 };
        this.emit(p.due, EvaluationRecords.escalated({ ...breach, taskType: row.type, approvalLevel: row.approval_level }));
      }
    }
  }

  private decideTask(p: PlannedTask): void {
    const { row, decider } = p;
    const at = p.decideAt;
    // Deciding an open task nobody holds takes it: the first change of its holder.
    if (!row.assignee_id) this.emit(at - 150, EvaluationRecords.claimedByDecision(row.proposal_id, row.id, decider, 1));
    const decision = p.decide();
    const metrics = row.type === 'COST_EFFICIENCY_REVIEW' ? this.metrics() : null;
    const workingDays = workingDaysBetween(new Date(row.created_at), new Date(at), POLICY.calendar);
    const record = {
      proposalId: row.proposal_id,
      taskId: row.id,
      taskType: row.type,
      approvalLevel: row.approval_level,
      actor: decider,
      decision,
      metrics,
      requestId: this.rng.uuid(),
    };
    this.emit(at, EvaluationRecords.decisionRecorded(record));
    Object.assign(row, { status: 'DONE', decided_by: decider.id, assignee_id: decider.id, decision, working_days: workingDays, completed_at: iso(at) });
    p.decidedAt = at;
    this.actorStages.set(decider.id, p.stage);
    this.lastDecider.set(p.stage, decider);
  }

  private cancel(rows: TaskRow[], at: number, reason: string): void {
    for (const row of rows) {
      this.emit(at, EvaluationRecords.taskCancelled(row.proposal_id, row.id, reason));
      Object.assign(row, { status: 'CANCELLED', completed_at: iso(at) });
    }
  }

  /** Someone who may act: the right pool, not the proposal's agency, no other stage of it decided. */
  private chooseDecider(type: TaskRow['type'], level: ApprovalLevel | null, stage: string): StaffMember {
    const { staff } = this.ctx;
    const pool = type === 'TECHNICAL_REVIEW' ? staff.technical : type === 'COST_EFFICIENCY_REVIEW' ? staff.finance : staff.approvers[level as ApprovalLevel];
    const eligible = pool.filter((m) => m.agencyCode !== this.agencyCode && (this.actorStages.get(m.id) ?? stage) === stage);
    if (!eligible.length) throw new Error(`nobody in the directory may decide ${stage} for a ${this.agencyCode} proposal`);
    const previous = this.lastDecider.get(stage);
    if (previous && eligible.includes(previous) && this.rng.chance(0.8)) return previous;
    let x = this.rng.next() * eligible.reduce((sum, m) => sum + m.weight, 0);
    for (const m of eligible) {
      x -= m.weight;
      if (x < 0) return m;
    }
    return eligible[eligible.length - 1] as StaffMember;
  }

  private delayDays(type: TaskRow['type'], level: ApprovalLevel | null): number {
    const { rng } = this;
    const base =
      type === 'TECHNICAL_REVIEW'
        ? rng.logNormal(5, 0.7)
        : type === 'COST_EFFICIENCY_REVIEW'
          ? rng.logNormal(4, 0.7)
          : level === 'COMMITTEE'
            ? rng.logNormal(3, 0.8)
            : rng.logNormal(2, 0.8);
    // A long tail: the occasional forgotten task, and a very few that sit for months.
    return base + (rng.chance(0.03) ? rng.exponential(25) : 0) + (rng.chance(0.0015) ? rng.between(120, 400) : 0);
  }

  // ----- decisions ------------------------------------------------------------------------------

  private reviewDecision(type: ReviewType): ReviewDecision {
    const { rng } = this;
    const applicable = applicableStandards(this.data, this.tier as Tier, CATALOGUE);
    const standards = type === 'TECHNICAL_REVIEW' ? technicalStandards(applicable) : costEfficiencyStandards(applicable);
    const answers = new Map((this.data.selfAssessment ?? []).map((a) => [a.standardCode, a.answer]));
    const again = (this.reviewRounds.get(type) ?? 0) > 0;
    const opinion = rng.weighted<ReviewOpinion>(again ? OPINIONS_AGAIN : OPINIONS_FIRST);
    const favourable = opinion === 'FAVOURABLE' || opinion === 'FAVOURABLE_WITH_CONDITIONS';
    const verdicts: StandardVerdict[] = standards.map((s) => {
      let verdict = this.verdictFrom(answers.get(s.code) ?? 'MEETS');
      // No favourable technical opinion over a mandatory NOT_MET (reviewDecisionProblems).
      if (favourable && type === 'TECHNICAL_REVIEW' && s.mandatory && verdict === 'NOT_MET') verdict = 'PARTIAL';
      return { standardCode: s.code, verdict };
    });
    if (opinion === 'UNFAVOURABLE' && verdicts.length && !verdicts.some((v) => v.verdict === 'NOT_MET')) rng.pick(verdicts).verdict = 'NOT_MET';
    for (const v of verdicts) if (v.verdict !== 'MEETS') v.comment = rng.pick(REVIEW_COMMENTS[v.verdict]);

    const decision: ReviewDecision = { opinion, verdicts };
    if (opinion === 'FAVOURABLE_WITH_CONDITIONS') {
      const weak = verdicts.filter((v) => v.verdict === 'PARTIAL' || v.verdict === 'NOT_MET');
      decision.conditions = Array.from({ length: rng.int(1, 3) }, () => this.condition(weak.length ? rng.pick(weak).standardCode : undefined));
    }
    if (opinion === 'CHANGES_REQUESTED') decision.questions = rng.sample(CHANGE_QUESTIONS, rng.int(1, 3));
    if (type === 'COST_EFFICIENCY_REVIEW') {
      const flagged = this.metrics().benchmarkFlags.filter(() => rng.chance(0.6));
      if (flagged.length) decision.flaggedCostLines = flagged.map((f) => ({ costIndex: f.costIndex, reason: `Unit price ${f.ratio} times the reference price` }));
    }
    decision.comment = rng.pick(
      favourable
        ? ['Sound proposal.', 'Meets the standards that apply.', 'Well argued; see the conditions.', 'Consistent with the reference architecture.']
        : ['See the verdicts and questions.', 'Not ready for approval.', 'Major gaps against mandatory standards.'],
    );
    return decision;
  }

  private verdictFrom(answer: Verdict): Verdict {
    return this.rng.weighted(VERDICT_GIVEN_ANSWER[answer]);
  }

  private approvalDecision(level: ApprovalLevel): ApprovalDecision {
    const { rng } = this;
    const unfavourable = [...this.opinions.values()].some((o) => o.decision.opinion === 'UNFAVOURABLE');
    const choice = rng.weighted<ApprovalChoice>(
      unfavourable ? APPROVAL_AGAINST_UNFAVOURABLE : level === 'COMMITTEE' ? (this.returnedToReview ? VOTE_ONCE_RETURNED : VOTE) : this.returnedToReview ? APPROVAL_ONCE_RETURNED : APPROVAL,
    );
    const decision: ApprovalDecision = { decision: choice };
    const approving = choice === 'APPROVE' || choice === 'APPROVE_WITH_CONDITIONS';
    if (approving && level === 'BUDGET_DIRECTOR' && rng.chance(0.25)) {
      decision.approvedAmount = Math.round((totalCostOfOwnership(this.data) * rng.between(0.7, 0.95)) / 1_000) * 1_000;
    }
    if (choice === 'APPROVE_WITH_CONDITIONS') decision.conditions = Array.from({ length: rng.int(1, 2) }, () => this.condition(undefined));
    if (choice === 'RETURN_TO_REVIEW') decision.comment = 'The reviews did not consider the revised scope; please review again.';
    else if (approving && unfavourable) decision.comment = 'Approved against the unfavourable opinion: the service is legally required this year.';
    else if (rng.chance(0.4)) decision.comment = rng.pick(['Approved.', 'Consistent with the budget framework.', 'Priority project for the agency.', 'Not a priority this budget year.']);
    return decision;
  }

  private condition(standardCode: string | undefined): Condition {
    const { rng } = this;
    const dueDate = iso(this.t + rng.int(60, 540) * DAY).slice(0, 10);
    return standardCode && rng.chance(0.7) ? { text: rng.pick(CONDITION_TEXTS), standardCode, dueDate } : { text: rng.pick(CONDITION_TEXTS), dueDate };
  }

  // ----- the agency's answers ---------------------------------------------------------------------

  private revise(asking: ReviewType[]): { data: ProposalData; changedFields: string[]; response: string } {
    const { rng } = this;
    const data: ProposalData = { ...this.data };
    const changedFields: string[] = [];
    if (asking.includes('TECHNICAL_REVIEW')) {
      data.summary = `${data.summary ?? ''} Revised: ${rng.pick(TECHNICAL_REVISIONS)}`.trim();
      data.selfAssessment = (data.selfAssessment ?? []).map((a) =>
        a.answer === 'PARTIAL' || a.answer === 'NOT_MET' ? { ...a, answer: 'MEETS' as const, evidence: `${a.evidence ?? 'Annex'} (revised)` } : a,
      );
      changedFields.push('summary', 'selfAssessment');
    }
    if (asking.includes('COST_EFFICIENCY_REVIEW')) {
      const costs = [...(data.costs ?? [])];
      const biggest = costs.reduce((best, line, i) => (line.amount > (costs[best]?.amount ?? -1) ? i : best), 0);
      const line = costs[biggest];
      if (line) {
        const factor = rng.between(0.75, 0.92);
        costs[biggest] =
          line.quantity !== undefined && line.unitPrice !== undefined
            ? { ...line, quantity: Math.max(1, Math.round(line.quantity * factor)), amount: Math.max(1, Math.round(line.quantity * factor)) * line.unitPrice }
            : { ...line, amount: Math.round((line.amount * factor) / 1_000) * 1_000 };
      }
      data.costs = costs;
      changedFields.push('costs');
    }
    // A cheaper version may change tier: answer the standards that now apply, keep the rest.
    if (computeTier(data, POLICY).tier !== this.tier) {
      const previous = new Map((data.selfAssessment ?? []).map((a) => [a.standardCode, a]));
      data.selfAssessment = selfAssessment(rng, data).map((a) => previous.get(a.standardCode) ?? a);
      if (!changedFields.includes('selfAssessment')) changedFields.push('selfAssessment');
    }
    return { data, changedFields, response: rng.pick(RESPONSES) };
  }

  private withoutSomeAnswers(data: ProposalData): ProposalData {
    const answers = data.selfAssessment ?? [];
    const dropped = new Set(this.rng.sample(answers, this.rng.int(1, Math.min(3, answers.length))).map((a) => a.standardCode));
    return { ...data, selfAssessment: answers.filter((a) => !dropped.has(a.standardCode)) };
  }

  // ----- helpers --------------------------------------------------------------------------------

  private setData(data: ProposalData): void {
    this.data = data;
    Object.assign(this.row, { data, title: data.title, requested_amount: totalCostOfOwnership(data) });
  }

  private setStatus(status: string, stages: string[]): void {
    Object.assign(this.row, { status, stages });
  }

  private metrics(): Metrics {
    if (this.metricsOf?.data !== this.data) this.metricsOf = { data: this.data, metrics: computeMetrics(this.data, METRICS_OPTIONS) };
    return this.metricsOf.metrics;
  }

  /** `days` after `start`, moved into office hours (Santiago, about 09:00-19:00) on a weekday. */
  private workMoment(start: number, days: number): number {
    let at = start + days * DAY;
    const date = new Date(at);
    const weekday = date.getUTCDay();
    if (weekday === 6) at += 2 * DAY;
    if (weekday === 0) at += DAY;
    const hour = new Date(at).getUTCHours();
    if (hour < 12 || hour >= 22) at = Date.UTC(new Date(at).getUTCFullYear(), new Date(at).getUTCMonth(), new Date(at).getUTCDate(), 12) + this.rng.between(0, 10) * HOUR;
    return Math.round(Math.max(at, start + 60_000 + this.rng.between(0, 3_600_000)));
  }

  /** A record as the evaluation ledger builds it (EvaluationRecords), at the moment it happened. */
  private emit(at: number, { actor, type, data, dedupeKey }: NewRecord): void {
    if (at > this.ctx.asOf) throw new ReachedAsOf();
    this.events.push({ at: Math.round(at), proposalId: this.row.id, actor, type, data, dedupeKey });
    if (at > this.updatedAt) this.updatedAt = at;
  }
}

/** The agency of the next proposal, by the agencies' weights, among those with a submitter. */
export function pickAgency(rng: Random, weights: Readonly<Record<string, number>>): string {
  return rng.weighted(weights);
}

export function simulateProposal(rng: Random, ctx: LifeContext, agencyCode: string, serial: number, createdAt: number): GeneratedProposal {
  return new Life(rng, ctx, agencyCode, serial, createdAt).run();
}
