/**
 * Everything that crosses the Temporal wire for an evaluation. Names here are on the wire:
 * never rename them; add new ones instead. Imported by the workflow bundle, so it may import
 * only workflow-safe modules and pure domain code.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  ApprovalDecision,
  ApprovalLevel,
  Condition,
  FieldError,
  Metrics,
  Policy,
  ProposalData,
  ProposalStatus,
  ReviewDecision,
  ReviewOpinion,
  ReviewType,
  Route,
  ScreeningResult,
  StandardsCatalogue,
  Tier,
} from '../../domain';

export const EVALUATION_WORKFLOW_TYPE = 'evaluationWorkflow';

/** One workflow per proposal; a second submit cannot start a second evaluation. */
export function evaluationWorkflowId(proposalId: string): string {
  return `proposal-${proposalId}`;
}

export const SEARCH_ATTRIBUTES = {
  status: defineSearchAttributeKey('AppraiseStatus', SearchAttributeType.KEYWORD),
  tier: defineSearchAttributeKey('AppraiseTier', SearchAttributeType.KEYWORD),
  agency: defineSearchAttributeKey('AppraiseAgency', SearchAttributeType.KEYWORD),
  requestedAmount: defineSearchAttributeKey('AppraiseRequestedAmount', SearchAttributeType.INT),
  stepDueAt: defineSearchAttributeKey('AppraiseStepDueAt', SearchAttributeType.DATETIME),
} as const;

/** What the dev server must register at start-up (name -> type as the CLI spells it). */
export const SEARCH_ATTRIBUTE_REGISTRATIONS: Record<string, string> = {
  AppraiseStatus: 'Keyword',
  AppraiseTier: 'Keyword',
  AppraiseAgency: 'Keyword',
  AppraiseRequestedAmount: 'Int',
  AppraiseStepDueAt: 'Datetime',
};

export type TaskType = ReviewType | 'APPROVAL';
export type TaskStatus = 'OPEN' | 'DONE' | 'CANCELLED';
export type CandidateRole = 'technical_reviewer' | 'finance_reviewer' | 'approver';

/** Once submitted, a proposal is in one of these. */
export type EvaluationStatus = Exclude<ProposalStatus, 'DRAFT'>;

export const FINAL_STATUSES: readonly EvaluationStatus[] = ['APPROVED', 'APPROVED_WITH_CONDITIONS', 'REJECTED', 'WITHDRAWN', 'LAPSED'];

export interface ActorRef {
  id: string;
  email: string;
}

/** Who sends a human decision, as the API authenticated them. */
export interface ActorSnapshot extends ActorRef {
  roles: string[];
  agencyCode: string;
  approvalLevel: string | null;
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

export interface EvaluationContext {
  version: number;
  data: ProposalData;
  catalogue: StandardsCatalogue;
  policy: Policy;
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

export interface CreateTasksRecord {
  proposalId: string;
  tasks: TaskSpec[];
  /** People who may not take these tasks (they acted on another stage). */
  excludedUserIds: string[];
  status: EvaluationStatus;
  stages: string[];
}

export interface CreateTasksResult {
  /** Tasks nobody eligible can take: they wait escalated until a supervisor assigns someone. */
  withoutEligibleCandidate: string[];
}

export interface CommitteeMember {
  id: string;
  email: string;
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
}

export interface TaskEventRecord {
  proposalId: string;
  taskId: string;
  reason: string;
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

export interface OpinionInForce {
  type: ReviewType;
  taskId: string;
  version: number;
  by: ActorRef;
  decision: ReviewDecision;
  decidedAt: string;
}

export interface ApprovalInForce {
  taskId: string;
  level: ApprovalLevel;
  by: ActorRef;
  decision: ApprovalDecision;
  decidedAt: string;
}

export interface Outcome {
  status: Extract<EvaluationStatus, 'APPROVED' | 'APPROVED_WITH_CONDITIONS' | 'REJECTED' | 'WITHDRAWN' | 'LAPSED'>;
  decidedAt: string;
  version: number;
  tier: Tier | null;
  requestedAmount: number;
  approvedAmount: number | null;
  opinions: OpinionInForce[];
  approvals: ApprovalInForce[];
  conditions: (Condition & { source: string })[];
  metrics: Metrics | null;
  catalogueVersion: string;
  policyVersion: string;
  reason: string | null;
  by: ActorRef | null;
}

export interface OutcomeRecord {
  proposalId: string;
  outcome: Outcome;
  /** The record type the outcome is logged under, besides OUTCOME (WITHDRAWN, LAPSED). */
  eventType: 'OUTCOME' | 'WITHDRAWN' | 'LAPSED';
  requestId: string;
}

export type EvaluationResult = Outcome;

/** The activities an evaluation calls. The workflow imports this as a type only. */
export interface EvaluationActivities {
  beginEvaluation(input: EvaluationInput): Promise<EvaluationContext>;
  recordScreening(record: ScreeningRecord): Promise<void>;
  recordTriage(record: TriageRecord): Promise<void>;
  createTasks(record: CreateTasksRecord): Promise<CreateTasksResult>;
  committeeMembers(request: { proposalId: string; agencyCode: string; excludedUserIds: string[] }): Promise<CommitteeMember[]>;
  recordDecision(record: DecisionRecord): Promise<void>;
  remindTask(record: TaskEventRecord & { dueAt: string }): Promise<void>;
  escalateTask(record: TaskEventRecord): Promise<void>;
  cancelTasks(record: CancelTasksRecord): Promise<void>;
  requestChanges(record: ChangesRequestRecord): Promise<void>;
  remindAgency(record: ReminderRecord): Promise<void>;
  recordResponse(record: ResponseRecord): Promise<void>;
  recordOutcome(record: OutcomeRecord): Promise<void>;
}

// ----- Human input: Updates with validators ----------------------------------------------

/** Every update expires: one the workflow sees after the API gave up is refused, never applied. */
interface ExpiringArgs {
  expiresAt: string;
}

export interface DecideArgs extends ExpiringArgs {
  taskId: string;
  actor: ActorSnapshot;
  decision: ReviewDecision | ApprovalDecision;
  requestId: string;
}

export interface RespondArgs extends ExpiringArgs {
  actor: ActorSnapshot;
  response: string;
  /** The whole next version, already merged and shape-validated by the API. */
  data: ProposalData;
  changedFields: string[];
  requestId: string;
}

export interface WithdrawArgs extends ExpiringArgs {
  actor: ActorSnapshot;
  reason: string;
  requestId: string;
}

export interface UpdateOutcome {
  status: EvaluationStatus;
  stages: string[];
}

export const decideUpdate = defineUpdate<UpdateOutcome, [DecideArgs]>('decide');
export const respondUpdate = defineUpdate<UpdateOutcome, [RespondArgs]>('respond');
export const withdrawUpdate = defineUpdate<UpdateOutcome, [WithdrawArgs]>('withdraw');

/**
 * Why a validator refused an update; the API maps these ApplicationFailure types to HTTP
 * (INVALID -> 422, FORBIDDEN -> 403, CONFLICT -> 409).
 */
export const REFUSAL_TYPES = {
  invalid: 'AppraiseInvalidDecision',
  forbidden: 'AppraiseForbidden',
  conflict: 'AppraiseConflict',
  /** The same person's decision on this task was already accepted (a client's retry). */
  alreadyDecided: 'AppraiseAlreadyDecided',
  /** The update reached the workflow after the API had given up on it: nothing applied, send it again. */
  expired: 'AppraiseExpired',
} as const;

export interface TaskView {
  id: string;
  type: TaskType;
  approvalLevel: ApprovalLevel | null;
  status: TaskStatus | 'DECIDING';
  assigneeId: string | null;
  dueAt: string;
}

export interface EvaluationSnapshot {
  status: EvaluationStatus;
  stages: string[];
  version: number;
  tier: Tier | null;
  openTasks: TaskView[];
  opinions: { type: ReviewType; opinion: ReviewOpinion; version: number }[];
}

export const snapshotQuery = defineQuery<EvaluationSnapshot>('snapshot');
