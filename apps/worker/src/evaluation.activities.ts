import { ApplicationFailure } from '@temporalio/activity';
import type { CatalogueRepository, EvaluationLedger, UsersRepository } from '../../../libs/persistence';
import { evaluationWorkflowId, type EvaluationActivities } from '../../../libs/temporal';

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
export function createEvaluationActivities({ ledger, catalogues, users }: EvaluationActivityDeps): EvaluationActivities {
  return {
    async beginEvaluation(input) {
      const [catalogue, policy] = await Promise.all([catalogues.catalogue(input.catalogueVersion), catalogues.policy(input.policyVersion)]);
      if (!catalogue || !policy) {
        throw ApplicationFailure.nonRetryable(`pinned catalogue ${input.catalogueVersion} or policy ${input.policyVersion} does not exist`, 'PinnedVersionMissing');
      }
      const data = await ledger.beginEvaluation(input, evaluationWorkflowId(input.proposalId));
      if (!data) throw ApplicationFailure.nonRetryable(`proposal ${input.proposalId} does not exist`, 'ProposalMissing');
      return { version: 1, data, catalogue, policy };
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
    remindTask: (record) => ledger.remindTask(record),
    escalateTask: (record) => ledger.escalateTask(record),
    cancelTasks: (record) => ledger.cancelTasks(record),
    requestChanges: (record) => ledger.requestChanges(record),
    remindAgency: (record) => ledger.remindAgency(record),
    recordResponse: (record) => ledger.recordResponse(record),
    recordOutcome: (record) => ledger.recordOutcome(record),
  };
}
