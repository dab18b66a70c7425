/**
 * Everything that crosses the Temporal wire for an evaluation. Names here are on the wire:
 * never rename them; add new ones instead. Imported by the workflow bundle, so it may import
 * only workflow-safe modules and pure domain code.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  ActorSnapshot,
  AlertRecord,
  ApprovalDecision,
  ApprovalLevel,
  AssignmentRecord,
  CancelTasksRecord,
  ChangesRequestRecord,
  DecisionRecord,
  EscalationRecord,
  EvaluationInput,
  EvaluationStatus,
  Outcome,
  OutcomeRecord,
  Policy,
  ProposalData,
  ReminderRecord,
  ResponseRecord,
  ReviewDecision,
  ReviewOpinion,
  ReviewType,
  ScreeningRecord,
  StandardsCatalogue,
  TaskEventRecord,
  TaskSpec,
  TaskStatus,
  TaskType,
  Tier,
  TriageRecord,
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

/**
 * The facts an evaluation hands its activities are the domain's (libs/domain evaluation.events.ts,
 * outcome.model.ts, access.rules.ts); re-exported here under their wire names.
 */
export type { ActorRef, ActorSnapshot, AlertRecord, ApprovalInForce, AssignmentRecord, BeginResult, CancelTasksRecord, CandidateRole, ChangesRequestRecord, DecisionRecord, EscalationRecord, EvaluationInput, EvaluationStatus, OpinionInForce, Outcome, OutcomeRecord, ReminderRecord, ResponseRecord, ScreeningRecord, TaskEventRecord, TaskSpec, TaskStatus, TaskType, TriageRecord } from '../../domain';

export interface EvaluationContext {
  version: number;
  data: ProposalData;
  catalogue: StandardsCatalogue;
  policy: Policy;
  /** The agency withdrew the draft before its evaluation could begin: nothing to evaluate. */
  withdrawnAsDraft?: boolean;
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

export type EvaluationResult = Outcome;

/** The failure type of an activity refused for what it was asked to store: retrying cannot help. */
export const DATA_REJECTED = 'AppraiseDataRejected';

/** The activities an evaluation calls. The workflow imports this as a type only. */
export interface EvaluationActivities {
  beginEvaluation(input: EvaluationInput): Promise<EvaluationContext>;
  recordScreening(record: ScreeningRecord): Promise<void>;
  recordTriage(record: TriageRecord): Promise<void>;
  createTasks(record: CreateTasksRecord): Promise<CreateTasksResult>;
  committeeMembers(request: { proposalId: string; agencyCode: string; excludedUserIds: string[] }): Promise<CommitteeMember[]>;
  recordDecision(record: DecisionRecord): Promise<void>;
  /** A claim or an assignment the workflow accepted: the holder it now knows, in the projection and the record. */
  recordAssignment(record: AssignmentRecord): Promise<void>;
  remindTask(record: TaskEventRecord & { dueAt: string }): Promise<void>;
  escalateTask(record: EscalationRecord): Promise<void>;
  cancelTasks(record: CancelTasksRecord): Promise<void>;
  requestChanges(record: ChangesRequestRecord): Promise<void>;
  remindAgency(record: ReminderRecord): Promise<void>;
  recordResponse(record: ResponseRecord): Promise<void>;
  recordOutcome(record: OutcomeRecord): Promise<void>;
  /** Something failed for good: an OPERATOR_ALERT record, the tasks concerned escalated, an error log line. */
  raiseAlert(record: AlertRecord): Promise<void>;
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

/** Someone takes an open task to act on it. */
export interface ClaimArgs extends ExpiringArgs {
  taskId: string;
  actor: ActorSnapshot;
  requestId: string;
}

/** A supervisor gives an open task (or committee seat) to an eligible person. */
export interface AssignArgs extends ExpiringArgs {
  taskId: string;
  assignee: ActorSnapshot;
  by: ActorSnapshot;
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
/** The workflow owns who holds each task: claims and assignments go through it, as decisions do. */
export const claimUpdate = defineUpdate<UpdateOutcome, [ClaimArgs]>('claim');
export const assignUpdate = defineUpdate<UpdateOutcome, [AssignArgs]>('assign');

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
  /** The same claim, assignment, answer or withdrawal already took effect (a client's retry). */
  alreadyApplied: 'AppraiseAlreadyApplied',
  /** What was sent could not be recorded (the store refused it): nothing applied, the task is open again. */
  notRecorded: 'AppraiseNotRecorded',
  /**
   * The update's arguments could not be decrypted (a key this worker lacks, or bytes that are not
   * ours): refused before the workflow saw it, nothing applied (libs/temporal/src/payload.converter.ts).
   */
  undecodable: 'AppraiseUndecodablePayload',
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
