/**
 * Who may do what: the roles, what each role may reach, and who may act on a human task
 * (its role and approval level, never a proposal of one's own agency, one stage of a proposal
 * per person, one committee seat per round). The API applies these when it offers, shows,
 * claims and assigns tasks; the evaluation workflow applies the same functions when a decision
 * arrives. Nothing else spells these rules.
 */
import type { ReviewType } from './tiering.js';

export const ROLES = ['agency_submitter', 'technical_reviewer', 'finance_reviewer', 'approver', 'supervisor', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Who a request is made by, as every service, guard and rule sees it. */
export interface Actor {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  agencyCode: string;
  approvalLevel: string | null;
  deputy: boolean;
}

/** The part of a person the task rules look at. */
export type ActorFacts = Pick<Actor, 'roles' | 'agencyCode' | 'approvalLevel'> | { roles: readonly string[]; agencyCode: string; approvalLevel: string | null };

/**
 * The role matrix of README's "Who may do what": which roles reach each area of the API. The
 * controllers guard their routes with these lists and the web interface builds its navigation
 * from them, so a page is offered exactly to those the API lets in.
 */
export const ROLE_ACCESS = {
  /** Draft, change, submit, answer and withdraw proposals of one's own agency. */
  authorProposals: ['agency_submitter'],
  /** List and read tasks (scope mine or available; oversight also all). */
  readTasks: ['technical_reviewer', 'finance_reviewer', 'approver', 'supervisor', 'auditor', 'admin'],
  /** Claim and decide tasks: the roles tasks are offered to. */
  actOnTasks: ['technical_reviewer', 'finance_reviewer', 'approver'],
  /** Reassign tasks, see who may take them and everyone's workload. */
  superviseTasks: ['supervisor', 'admin'],
  /** List every task (scope=all). */
  readAllTasks: ['supervisor', 'auditor', 'admin'],
  /** The outcomes and their CSV exports (an agency sees its own). Technical reviewers do not. */
  readOutcomes: ['finance_reviewer', 'approver', 'supervisor', 'auditor', 'admin', 'agency_submitter'],
  /** Every agency's outcomes, not only one's own. */
  readAllOutcomes: ['finance_reviewer', 'approver', 'supervisor', 'auditor', 'admin'],
  /** The portfolio report. */
  readPortfolio: ['finance_reviewer', 'approver', 'supervisor', 'auditor', 'admin'],
  /** Verify the decision log. */
  verifyRecord: ['auditor', 'admin'],
  /** Read the whole decision log: its records of every type, the signed checkpoints, the export. */
  readAuditLog: ['auditor', 'admin'],
  /** Users, agencies, policy and catalogue versions. */
  administer: ['admin'],
  /** The engine's payloads in clear, through the codec endpoint (the Temporal UI and CLI). */
  readEnginePayloads: ['admin'],
} as const satisfies Record<string, readonly Role[]>;
export type RoleAccess = keyof typeof ROLE_ACCESS;

export function mayReach(actor: Pick<Actor, 'roles'>, area: RoleAccess): boolean {
  return actor.roles.some((role) => (ROLE_ACCESS[area] as readonly string[]).includes(role));
}

/** Roles whose work spans agencies and so see every proposal; everyone else sees their agency's. */
const CROSS_AGENCY_ROLES: readonly Role[] = ['technical_reviewer', 'finance_reviewer', 'approver', 'supervisor', 'auditor', 'admin'];

export function seesAllAgencies(actor: Pick<Actor, 'roles'>): boolean {
  return actor.roles.some((r) => CROSS_AGENCY_ROLES.includes(r));
}

/** The agency a proposal query must be limited to, or undefined when the actor sees all. */
export function proposalScope(actor: Pick<Actor, 'roles' | 'agencyCode'>): string | undefined {
  return seesAllAgencies(actor) ? undefined : actor.agencyCode;
}

export function canSeeProposal(actor: Pick<Actor, 'roles' | 'agencyCode'>, proposalAgencyCode: string): boolean {
  return seesAllAgencies(actor) || actor.agencyCode === proposalAgencyCode;
}

/** Who may list and read every task: oversight of the work, not the work itself. */
export function seesAllTasks(actor: Pick<Actor, 'roles'>): boolean {
  return mayReach(actor, 'readAllTasks');
}

// ----- human tasks -------------------------------------------------------------------------

export type TaskType = ReviewType | 'APPROVAL';
export const TASK_TYPES = ['TECHNICAL_REVIEW', 'COST_EFFICIENCY_REVIEW', 'APPROVAL'] as const satisfies readonly TaskType[];
/** A task as people see it; the workflow also knows DECIDING (a decision being recorded). */
export const TASK_STATUSES = ['OPEN', 'DONE', 'CANCELLED'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export type CandidateRole = Extract<Role, 'technical_reviewer' | 'finance_reviewer' | 'approver'>;

/** The role a task of each type is offered to. */
export const CANDIDATE_ROLE: Record<TaskType, CandidateRole> = {
  TECHNICAL_REVIEW: 'technical_reviewer',
  COST_EFFICIENCY_REVIEW: 'finance_reviewer',
  APPROVAL: 'approver',
};

/** A stage of a proposal: a review, or one approval level. A person acts on one stage. */
export interface StageRef {
  type: string;
  approvalLevel: string | null;
}

export function sameStage(a: StageRef, b: StageRef): boolean {
  return a.type === b.type && (a.approvalLevel ?? null) === (b.approvalLevel ?? null);
}

/** How a stage is named in messages: `TECHNICAL_REVIEW`, `APPROVAL at COMMITTEE`. */
export function stageLabel(stage: StageRef): string {
  return stage.approvalLevel ? `${stage.type} at ${stage.approvalLevel}` : stage.type;
}

/** What the task rules look at of a task. */
export interface TaskAccessFacts extends StageRef {
  candidateRole: string;
  /** The agency of the proposal. */
  agencyCode: string;
}

export type Eligibility = { eligible: true } | { eligible: false; reason: string };

/**
 * Separation of duties and candidacy: the task's role (and approval level), never a proposal
 * of one's own agency, and at most one stage of a proposal per person. `stagesActedOn` are the
 * stages of this proposal the person has acted on.
 */
export function taskEligibility(actor: ActorFacts, task: TaskAccessFacts, stagesActedOn: readonly StageRef[]): Eligibility {
  if (!(actor.roles as readonly string[]).includes(task.candidateRole)) {
    return { eligible: false, reason: `this task needs the ${task.candidateRole} role` };
  }
  if (task.approvalLevel && actor.approvalLevel !== task.approvalLevel) {
    return { eligible: false, reason: `this task needs approval level ${task.approvalLevel}` };
  }
  if (actor.agencyCode === task.agencyCode) {
    return { eligible: false, reason: 'nobody acts on a task of a proposal from their own agency' };
  }
  const other = stagesActedOn.find((s) => !sameStage(s, task));
  if (other) return { eligible: false, reason: `separation of duties: you already acted on ${stageLabel(other)} of this proposal` };
  return { eligible: true };
}

/** A committee seat and who holds or decided it, as far as the one-seat rule needs. */
export interface SeatFacts {
  id: string;
  approvalLevel: string | null;
  round: number;
  /** OPEN while it can be acted on; the workflow's DECIDING counts as decided. */
  status: string;
  assigneeId: string | null;
  decidedBy: string | null;
}

export const ONE_SEAT_REASON = 'a committee member holds one seat and votes once';

/**
 * A committee member holds one seat and votes once per round: whether the person decided
 * another committee seat of the task's round, or holds another open one.
 */
export function holdsOtherCommitteeSeat(personId: string, task: Pick<SeatFacts, 'id' | 'round'>, seats: readonly SeatFacts[]): boolean {
  return seats.some(
    (s) =>
      s.id !== task.id &&
      s.approvalLevel === 'COMMITTEE' &&
      s.round === task.round &&
      (s.decidedBy === personId || (s.status === 'OPEN' && s.assigneeId === personId)),
  );
}

/** What the task rules look at of each task of a proposal to know who acts on which stage. */
export interface TaskHoldFacts extends StageRef {
  /** OPEN while it can be acted on (the workflow's DECIDING is a decision being recorded). */
  status: string;
  assigneeId: string | null;
  decidedBy: string | null | undefined;
}

/** A person acts on a task's stage when they decided it, or hold it while it is open. */
export function actsOn(personId: string, task: TaskHoldFacts): boolean {
  return task.decidedBy === personId || (task.status === 'OPEN' && task.assigneeId === personId);
}

/**
 * The stages of a proposal a person acts on: the tasks they decided (or are deciding) and the
 * open tasks they hold. Offering, claiming, assigning and deciding all count both, so nobody
 * can take two stages by claiming both before deciding either.
 */
export function stagesActedOn(personId: string, tasks: readonly TaskHoldFacts[]): StageRef[] {
  const stages: StageRef[] = [];
  for (const t of tasks) {
    if (actsOn(personId, t) && !stages.some((s) => sameStage(s, t))) stages.push({ type: t.type, approvalLevel: t.approvalLevel });
  }
  return stages;
}

/**
 * Who may not be given `task`: everyone who acts on another stage of the proposal, and for a
 * committee seat everyone who holds or decided another seat of its round (one seat each).
 */
export function ineligibleFor(task: StageRef & { id: string; round: number }, tasks: readonly (TaskHoldFacts & { id: string; round: number })[]): string[] {
  const excluded = new Set<string>();
  for (const t of tasks) {
    const person = t.decidedBy ?? (t.status === 'OPEN' ? t.assigneeId : null);
    if (!person) continue;
    if (!sameStage(t, task)) excluded.add(person);
    else if (task.approvalLevel === 'COMMITTEE' && t.id !== task.id && t.round === task.round) excluded.add(person);
  }
  return [...excluded];
}
