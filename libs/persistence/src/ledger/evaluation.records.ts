import type {
  ActorRef,
  AlertRecord,
  AssignmentRecord,
  CancelTasksRecord,
  ChangesRequestRecord,
  DecisionRecord,
  EscalationRecord,
  EvaluationInput,
  OutcomeRecord,
  ProposalData,
  RecordType,
  ReminderRecord,
  ResponseRecord,
  ScreeningRecord,
  TaskSpec,
  TriageRecord,
} from '../../../domain';

/**
 * One record of the decision log before it is chained: who, what, and the dedupe key that
 * makes appending it again (an activity retried after a crash) store it once.
 */
export interface NewRecord {
  proposalId: string | null;
  actor: string;
  type: RecordType;
  data: Record<string, unknown>;
  dedupeKey: string;
}

/**
 * The dedupe key of the n-th event of a kind on one task. Activities scheduled before events
 * were numbered carry no number and keep the key they had.
 */
function sequenced(key: string, sequence: number | undefined): string {
  return sequence === undefined ? key : `${key}:${sequence}`;
}

/** A failure's own words may quote what could not be stored: drop what PostgreSQL cannot hold. */
function storable(text: string): string {
  return text.replaceAll('\u0000', '').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** The actor of what the evaluation does by itself (screening, triage, clocks). */
export const SYSTEM_ACTOR = 'system';

/**
 * Every record an evaluation writes, built in one place: its type, its data and its dedupe key.
 * The evaluation ledger appends these; the portfolio seeder builds the same records for history
 * it writes directly. A dedupe key names one event, so a retry of the same activity finds it.
 */
export const EvaluationRecords = {
  submitted(input: Pick<EvaluationInput, 'proposalId' | 'catalogueVersion' | 'policyVersion' | 'submittedBy' | 'requestId'>, version: number): NewRecord {
    const { proposalId, catalogueVersion, policyVersion, requestId } = input;
    return { proposalId, actor: input.submittedBy.email, type: 'SUBMITTED', data: { version, catalogueVersion, policyVersion, requestId }, dedupeKey: `${proposalId}:SUBMITTED:${version}` };
  },

  versionCreated(proposalId: string, version: number, proposal: ProposalData, actor: string): NewRecord {
    return { proposalId, actor, type: 'VERSION_CREATED', data: { version, proposal }, dedupeKey: `${proposalId}:VERSION_CREATED:${version}` };
  },

  screened({ proposalId, version, result }: Pick<ScreeningRecord, 'proposalId' | 'version' | 'result'>): NewRecord {
    return { proposalId, actor: SYSTEM_ACTOR, type: 'SCREENED', data: { version, passed: result.passed, missing: result.missing }, dedupeKey: `${proposalId}:SCREENED:${version}` };
  },

  triaged({ proposalId, version, tier, tierReasons, route }: Pick<TriageRecord, 'proposalId' | 'version' | 'tier' | 'tierReasons' | 'route'>): NewRecord {
    return { proposalId, actor: SYSTEM_ACTOR, type: 'TRIAGED', data: { version, tier, tierReasons, route }, dedupeKey: `${proposalId}:TRIAGED:${version}` };
  },

  taskCreated(spec: Pick<TaskSpec, 'id' | 'proposalId' | 'type' | 'approvalLevel' | 'assigneeId' | 'version' | 'dueAt'>): NewRecord {
    return {
      proposalId: spec.proposalId,
      actor: SYSTEM_ACTOR,
      type: 'TASK_CREATED',
      data: { taskId: spec.id, taskType: spec.type, approvalLevel: spec.approvalLevel, assigneeId: spec.assigneeId, version: spec.version, dueAt: spec.dueAt },
      dedupeKey: `task:${spec.id}:CREATED`,
    };
  },

  /** A claim made by deciding the open task: the holder change `sequence` of the task. */
  claimedByDecision(proposalId: string, taskId: string, by: ActorRef, sequence: number): NewRecord {
    return { proposalId, actor: by.email, type: 'TASK_CLAIMED', data: { taskId, byDecision: true }, dedupeKey: `task:${taskId}:HOLDER:${sequence}` };
  },

  /** A change of who holds a task: each one its own record, named by its place in the task's changes. */
  holderChanged({ proposalId, taskId, kind, holder, by, previousHolderId, sequence }: AssignmentRecord): NewRecord {
    const data = kind === 'CLAIMED' ? { taskId } : { taskId, assigneeId: holder.id, assigneeEmail: holder.email, previousAssigneeId: previousHolderId };
    return { proposalId, actor: by.email, type: kind === 'CLAIMED' ? 'TASK_CLAIMED' : 'TASK_ASSIGNED', data, dedupeKey: `task:${taskId}:HOLDER:${sequence}` };
  },

  decisionRecorded({ proposalId, taskId, taskType, approvalLevel, actor, decision, metrics, requestId }: DecisionRecord): NewRecord {
    return {
      proposalId,
      actor: actor.email,
      type: 'DECISION_RECORDED',
      data: { taskId, taskType, approvalLevel, decision, ...(metrics ? { metrics } : {}), requestId },
      dedupeKey: `task:${taskId}:DECIDED`,
    };
  },

  taskReminded(reminder: { proposalId: string; taskId: string; reason: string; dueAt: string; sequence?: number }): NewRecord {
    const { proposalId, taskId, reason, dueAt, sequence } = reminder;
    return { proposalId, actor: SYSTEM_ACTOR, type: 'REMINDER_SENT', data: { taskId, reason, dueAt }, dedupeKey: sequenced(`task:${taskId}:REMINDED`, sequence) };
  },

  agencyReminded({ proposalId, key, about, dueAt }: ReminderRecord): NewRecord {
    return { proposalId, actor: SYSTEM_ACTOR, type: 'REMINDER_SENT', data: { to: 'agency', about, dueAt }, dedupeKey: `${proposalId}:${key}` };
  },

  escalated(escalation: EscalationRecord & { taskType: string | undefined; approvalLevel: string | null | undefined }): NewRecord {
    const { proposalId, taskId, reason, kind, sequence, taskType, approvalLevel } = escalation;
    return {
      proposalId,
      actor: SYSTEM_ACTOR,
      type: 'ESCALATED',
      data: { taskId, reason, ...(kind ? { kind } : {}), taskType, approvalLevel, supervisorRole: 'supervisor' },
      dedupeKey: sequenced(`task:${taskId}:ESCALATED`, sequence),
    };
  },

  operatorAlert({ proposalId, activity, reason, taskIds, sequence }: AlertRecord): NewRecord {
    return {
      proposalId,
      actor: SYSTEM_ACTOR,
      type: 'OPERATOR_ALERT',
      data: { activity, reason: storable(reason).slice(0, 2_000), taskIds, supervisorRole: 'supervisor' },
      dedupeKey: `${proposalId}:ALERT:${sequence}`,
    };
  },

  taskCancelled(proposalId: string, taskId: string, reason: CancelTasksRecord['reason']): NewRecord {
    return { proposalId, actor: SYSTEM_ACTOR, type: 'TASK_CANCELLED', data: { taskId, reason }, dedupeKey: `task:${taskId}:CANCELLED` };
  },

  agencyRequest({ proposalId, version, round, requestedBy, questions, missing, dueAt, status }: ChangesRequestRecord): NewRecord {
    return {
      proposalId,
      actor: SYSTEM_ACTOR,
      type: status === 'RETURNED' ? 'RETURNED' : 'CHANGES_REQUESTED',
      data: { version, requestedBy, questions, missing, dueAt },
      dedupeKey: `${proposalId}:AGENCY_REQUEST:${round}`,
    };
  },

  responded({ proposalId, version, actor, response, changedFields, requestId }: Omit<ResponseRecord, 'data'>): NewRecord {
    return { proposalId, actor: actor.email, type: 'RESPONDED', data: { version, response, changedFields, requestId }, dedupeKey: `${proposalId}:RESPONDED:${version}` };
  },

  /** How the evaluation ended early (WITHDRAWN, LAPSED), besides the OUTCOME record. */
  ended(proposalId: string, type: 'WITHDRAWN' | 'LAPSED', actor: string, reason: string | null, requestId: string): NewRecord {
    return { proposalId, actor, type, data: { reason, requestId }, dedupeKey: `${proposalId}:${type}` };
  },

  outcome({ proposalId, outcome }: Pick<OutcomeRecord, 'proposalId' | 'outcome'>): NewRecord {
    return { proposalId, actor: outcome.by?.email ?? SYSTEM_ACTOR, type: 'OUTCOME', data: { ...outcome }, dedupeKey: `${proposalId}:OUTCOME` };
  },
} as const;
