import { ApplicationFailure } from '@temporalio/activity';
import { isPermanentDatabaseError, type CatalogueRepository, type EvaluationLedger, type UsersRepository } from '../../../libs/persistence';
import { writeLog } from '../../../libs/logging';
import { DATA_REJECTED, evaluationWorkflowId, type EvaluationActivities } from '../../../libs/temporal';

export interface EvaluationActivityDeps {
  ledger: EvaluationLedger;
  catalogues: CatalogueRepository;
  users: UsersRepository;
}

/**
 * Thin: each activity hands what the workflow already decided to the evaluation ledger, which
 * writes the projection and the record in one transaction under a dedupe key derived from
 * workflow state, so a retry after a crash changes nothing twice.
 */
export function createEvaluationActivities(deps: EvaluationActivityDeps): EvaluationActivities {
  return failingForGoodOnBadData(activities(deps));
}

/**
 * An activity that fails because of what it was asked to store (invalid text or JSON, a
 * constraint, a defect in a statement) fails the same way on every attempt: it fails for good
 * at once, as a non-retryable `AppraiseDataRejected`, and the workflow refuses the decision or
 * raises an operator alert instead of retrying for ever.
 */
function failingForGoodOnBadData(all: EvaluationActivities): EvaluationActivities {
  const wrapped: Record<string, (...args: never[]) => Promise<unknown>> = {};
  for (const [name, fn] of Object.entries(all) as [string, (...args: never[]) => Promise<unknown>][]) {
    wrapped[name] = async (...args) => {
      try {
        return await fn(...args);
      } catch (error) {
        if (error instanceof ApplicationFailure || !isPermanentFailure(error)) throw error;
        throw ApplicationFailure.create({ type: DATA_REJECTED, message: `${name}: ${error instanceof Error ? error.message : String(error)}`, nonRetryable: true, cause: error instanceof Error ? error : undefined });
      }
    };
  }
  return wrapped as unknown as EvaluationActivities;
}

/** Bad data, or a defect in our code (a TypeError is the same on every attempt). */
function isPermanentFailure(error: unknown): boolean {
  return isPermanentDatabaseError(error) || error instanceof TypeError || error instanceof RangeError || error instanceof SyntaxError;
}

function activities({ ledger, catalogues, users }: EvaluationActivityDeps): EvaluationActivities {
  return {
    async beginEvaluation(input) {
      const [catalogue, policy] = await Promise.all([catalogues.catalogue(input.catalogueVersion), catalogues.policy(input.policyVersion)]);
      if (!catalogue || !policy) {
        throw ApplicationFailure.nonRetryable(`pinned catalogue ${input.catalogueVersion} or policy ${input.policyVersion} does not exist`, 'PinnedVersionMissing');
      }
      const begun = await ledger.beginEvaluation(input, evaluationWorkflowId(input.proposalId));
      if (begun.begun) return { version: 1, data: begun.data, catalogue, policy };
      if (begun.reason === 'WITHDRAWN_AS_DRAFT') return { version: 0, data: input.data, catalogue, policy, withdrawnAsDraft: true };
      throw ApplicationFailure.nonRetryable(`proposal ${input.proposalId} does not exist`, 'ProposalMissing');
    },

    recordScreening: (record) => ledger.recordScreening(record),
    recordTriage: (record) => ledger.recordTriage(record),

    async createTasks({ proposalId, tasks, excludedUserIds, status, stages }) {
      await ledger.openTasks({ proposalId, tasks, status, stages });
      const withoutEligibleCandidate: string[] = [];
      for (const spec of tasks) {
        if (spec.assigneeId) continue;
        const candidates = await users.eligibleFor({ role: spec.candidateRole, approvalLevel: spec.approvalLevel, notAgency: spec.agencyCode, excludedIds: excludedUserIds });
        if (!candidates.length) withoutEligibleCandidate.push(spec.id);
      }
      return { withoutEligibleCandidate };
    },

    async committeeMembers({ agencyCode, excludedUserIds }) {
      const members = await users.eligibleFor({ role: 'approver', approvalLevel: 'COMMITTEE', notAgency: agencyCode, excludedIds: excludedUserIds });
      return members.map((m) => ({ id: m.id, email: m.email }));
    },

    recordDecision: (record) => ledger.recordDecision(record),
    recordAssignment: (record) => ledger.recordAssignment(record),
    remindTask: (record) => ledger.remindTask(record),
    escalateTask: (record) => ledger.escalateTask(record),
    cancelTasks: (record) => ledger.cancelTasks(record),
    requestChanges: (record) => ledger.requestChanges(record),
    remindAgency: (record) => ledger.remindAgency(record),
    recordResponse: (record) => ledger.recordResponse(record),
    recordOutcome: (record) => ledger.recordOutcome(record),

    async raiseAlert(record) {
      // The operator's signal: an error line naming the evaluation, besides the record.
      writeLog('error', 'EvaluationAlert', 'an evaluation needs an operator', { proposalId: record.proposalId, workflowId: evaluationWorkflowId(record.proposalId), activity: record.activity, reason: record.reason, taskIds: record.taskIds });
      await ledger.raiseAlert(record);
    },
  };
}
