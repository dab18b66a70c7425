/**
 * The facts of an evaluation as it moves: what the workflow decides and hands to its
 * activities, and what the evaluation ledger (libs/persistence) writes to the projection and
 * the record. The Temporal contract carries these on the wire under the same names.
 */
import type { ApprovalDecision, ReviewDecision } from './decisions.js';
import type { CandidateRole, TaskType } from './access.rules.js';
import type { Metrics } from './cost-efficiency.js';
import type { FieldError } from './errors.js';
import type { ActorRef, Outcome } from './outcome.model.js';
import type { ApprovalLevel } from './policy.model.js';
import type { ProposalData, ProposalStatus, Tier } from './proposal.model.js';
import type { ScreeningResult } from './screening.js';
import type { Route } from './tiering.js';

/** Every type of record in the decision log (the evaluations' facts, and administration's). */
export const RECORD_TYPES = [
  'SUBMITTED',
  'VERSION_CREATED',
  'SCREENED',
  'TRIAGED',
  'TASK_CREATED',
  'TASK_CLAIMED',
  'TASK_ASSIGNED',
  'TASK_CANCELLED',
  'DECISION_RECORDED',
  'REMINDER_SENT',
  'ESCALATED',
  'RETURNED',
  'CHANGES_REQUESTED',
  'RESPONDED',
  'WITHDRAWN',
  'LAPSED',
  'OUTCOME',
  /** Something the evaluation could not record or do: an operator must look (the log names the evaluation). */
  'OPERATOR_ALERT',
  /**
   * Administration, not an evaluation (no proposal): a user account created (e.g. the first
   * administrator), changed (`before` and `after` of the changed fields), disabled or enabled, its
   * password reset (never the hash); an agency registered; a catalogue or policy version published
   * (its version and the sha256 of its canonical content).
   */
  'ADMIN_USER_CREATED',
  'ADMIN_USER_UPDATED',
  'ADMIN_USER_DISABLED',
  'ADMIN_USER_ENABLED',
  'ADMIN_PASSWORD_RESET',
  'ADMIN_AGENCY_CREATED',
  'CATALOGUE_PUBLISHED',
  'POLICY_PUBLISHED',
  /**
   * The identity provider's part: a person provisioned on first sign-in, their roles, agency or
   * level changed by the provider's claims, and a provider identity an admin linked to a local
   * account, or unlinked from it.
   */
  'USER_PROVISIONED',
  'USER_UPDATED_BY_PROVIDER',
  'IDENTITY_LINKED',
  'IDENTITY_UNLINKED',
] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** Once submitted, a proposal is in one of these. */
export type EvaluationStatus = Exclude<ProposalStatus, 'DRAFT'>;

/** Who sends a human decision, as the API authenticated them. */
export interface ActorSnapshot extends ActorRef {
  roles: string[];
  agencyCode: string;
  approvalLevel: string | null;
}

/** A person as the evaluation's rules see them, for an update's arguments. */
export function actorSnapshot(person: ActorRef & { roles: readonly string[]; agencyCode: string; approvalLevel: string | null }): ActorSnapshot {
  return { id: person.id, email: person.email, roles: [...person.roles], agencyCode: person.agencyCode, approvalLevel: person.approvalLevel };
}

export interface EvaluationInput {
  proposalId: string;
  agencyCode: string;
  requestedAmount: number;
  /** The draft as it stood when submitted: this becomes version 1. */
  data: ProposalData;
  catalogueVersion: string;
  policyVersion: string;
  submittedBy: ActorRef;
  /** The HTTP request that started it, carried into every activity's logs. */
  requestId: string;
}

export interface ScreeningRecord {
  proposalId: string;
  version: number;
  result: ScreeningResult;
  requestId: string;
}

export interface TriageRecord {
  proposalId: string;
  version: number;
  tier: Tier;
  tierReasons: string[];
  route: Route;
  stages: string[];
  requestId: string;
}

/** A human task as the workflow creates it; the row reviewers query mirrors it. */
export interface TaskSpec {
  id: string;
  proposalId: string;
  proposalTitle: string;
  agencyCode: string;
  type: TaskType;
  approvalLevel: ApprovalLevel | null;
  candidateRole: CandidateRole;
  /** Set for committee members' own tasks. */
  assigneeId: string | null;
  version: number;
  round: number;
  dueAt: string;
}

export interface DecisionRecord {
  proposalId: string;
  taskId: string;
  taskType: TaskType;
  approvalLevel: ApprovalLevel | null;
  actor: ActorRef;
  decision: ReviewDecision | ApprovalDecision;
  /** Figures computed by the system, stored with a cost-efficiency decision. */
  metrics: Metrics | null;
  requestId: string;
  /** Set when the decider took the open task by deciding it: the holder change it was. */
  claimedByDecision?: { sequence: number } | null;
  /** Working days the task was open (its stretch of the clock), for the cycle times per stage. */
  workingDays?: number;
}

export interface TaskEventRecord {
  proposalId: string;
  taskId: string;
  reason: string;
  /**
   * The n-th event of its kind on this task (a reminder per stretch of its clock, an escalation
   * per breach): part of the record's dedupe key, so a later event is never taken for a retry.
   */
  sequence?: number;
}

/** Why a task was escalated: its clock ran out, or nobody eligible can take it. */
export type EscalationKind = 'BREACH' | 'NO_CANDIDATE';

export interface EscalationRecord extends TaskEventRecord {
  kind?: EscalationKind;
}

/** A task taken by the person who will act on it, or given to someone by a supervisor. */
export interface AssignmentRecord {
  proposalId: string;
  taskId: string;
  kind: 'CLAIMED' | 'ASSIGNED';
  /** Who holds the task now. */
  holder: ActorRef;
  /** Who made the change: the holder when claimed, the supervisor when assigned. */
  by: ActorRef;
  previousHolderId: string | null;
  /** The n-th change of holder of this task: names this event in the record's dedupe key. */
  sequence: number;
  requestId: string;
}

/** What the evaluation could not record or do, for an operator (and the supervisors) to see. */
export interface AlertRecord {
  proposalId: string;
  /** The activity that failed. */
  activity: string;
  /** Why, as the failure said it (made storable). */
  reason: string;
  /** The tasks it concerns, escalated with the alert. */
  taskIds: string[];
  /** The n-th alert of this evaluation. */
  sequence: number;
}

export interface CancelTasksRecord {
  proposalId: string;
  taskIds: string[];
  reason: string;
}

export interface ChangesRequestRecord {
  proposalId: string;
  version: number;
  round: number;
  /** Who asked: the screening, or the reviews. */
  requestedBy: string[];
  questions: { from: string; question: string }[];
  missing: FieldError[];
  dueAt: string;
  status: 'RETURNED' | 'CHANGES_REQUESTED';
}

export interface ResponseRecord {
  proposalId: string;
  version: number;
  data: ProposalData;
  actor: ActorRef;
  response: string;
  changedFields: string[];
  requestId: string;
}

export interface ReminderRecord {
  proposalId: string;
  key: string;
  about: string;
  dueAt: string;
}

/** An evaluation's first step found the proposal withdrawn before its evaluation could begin. */
export type BeginResult = { begun: true; data: ProposalData } | { begun: false; reason: 'PROPOSAL_MISSING' | 'WITHDRAWN_AS_DRAFT' };

export interface OutcomeRecord {
  proposalId: string;
  outcome: Outcome;
  /** The record type the outcome is logged under, besides OUTCOME (WITHDRAWN, LAPSED). */
  eventType: 'OUTCOME' | 'WITHDRAWN' | 'LAPSED';
  requestId: string;
}
