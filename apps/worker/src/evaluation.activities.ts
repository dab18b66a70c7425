import { ApplicationFailure } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import { totalCostOfOwnership } from '../../../libs/domain';
import type {
  CatalogueRepository,
  ProposalsRepository,
  RecordsRepository,
  TasksRepository,
  UsersRepository,
} from '../../../libs/persistence';
import { evaluationWorkflowId, type EvaluationActivities } from '../../../libs/temporal';

export interface EvaluationActivityDeps {
  dataSource: DataSource;
  proposals: ProposalsRepository;
  records: RecordsRepository;
  catalogues: CatalogueRepository;
  tasks: TasksRepository;
  users: UsersRepository;
}

const SYSTEM = 'system';

/**
 * Thin and idempotent: each activity persists what the workflow already decided, in one
 * transaction with its record, under a dedupe key derived from workflow state, so a retry
 * after a crash changes nothing twice.
 */
export function createEvaluationActivities(deps: EvaluationActivityDeps): EvaluationActivities {
  const { dataSource, proposals, records, catalogues, tasks, users } = deps;
  const inTransaction = dataSource.transaction.bind(dataSource);

  return {
    async beginEvaluation(input) {
      const [catalogue, policy] = await Promise.all([catalogues.catalogue(input.catalogueVersion), catalogues.policy(input.policyVersion)]);
      if (!catalogue || !policy) {
        throw ApplicationFailure.nonRetryable(
          `pinned catalogue ${input.catalogueVersion} or policy ${input.policyVersion} does not exist`,
          'PinnedVersionMissing',
        );
      }
      const version = 1;
      const frozen = await inTransaction(async (manager) => {
        if (!(await proposals.findById(input.proposalId, manager))) {
          throw ApplicationFailure.nonRetryable(`proposal ${input.proposalId} does not exist`, 'ProposalMissing');
        }
        const pinned = { workflowId: evaluationWorkflowId(input.proposalId), catalogueVersion: input.catalogueVersion, policyVersion: input.policyVersion };
        await proposals.markSubmitted(input.proposalId, pinned, manager);
        const { version: stored } = await proposals.freezeVersion(manager, input.proposalId, version, input.data, input.submittedBy.email);
        const actor = input.submittedBy.email;
        await records.append(
          {
            proposalId: input.proposalId,
            actor,
            type: 'SUBMITTED',
            data: { version, catalogueVersion: input.catalogueVersion, policyVersion: input.policyVersion, requestId: input.requestId },
            dedupeKey: `${input.proposalId}:SUBMITTED:${version}`,
          },
          manager,
        );
        await records.append(
          { proposalId: input.proposalId, actor, type: 'VERSION_CREATED', data: { version, proposal: stored.data }, dedupeKey: `${input.proposalId}:VERSION_CREATED:${version}` },
          manager,
        );
        return stored;
      });
      return { version, data: frozen.data, catalogue, policy };
    },

    async recordScreening({ proposalId, version, result }) {
      await inTransaction(async (manager) => {
        if (!result.passed) await proposals.applyChangesRequested(manager, proposalId, 'RETURNED', result.missing);
        await records.append(
          { proposalId, actor: SYSTEM, type: 'SCREENED', data: { version, passed: result.passed, missing: result.missing }, dedupeKey: `${proposalId}:SCREENED:${version}` },
          manager,
        );
      });
    },

    async recordTriage({ proposalId, version, tier, tierReasons, route, stages }) {
      await inTransaction(async (manager) => {
        await proposals.applyTriage(manager, proposalId, { tier, tierReasons, route, stages, status: 'IN_REVIEW' });
        await records.append(
          { proposalId, actor: SYSTEM, type: 'TRIAGED', data: { version, tier, tierReasons, route }, dedupeKey: `${proposalId}:TRIAGED:${version}` },
          manager,
        );
      });
    },

    async createTasks({ proposalId, tasks: specs, excludedUserIds, status, stages }) {
      await inTransaction(async (manager) => {
        await tasks.insertMissing(
          manager,
          specs.map((spec) => ({ ...spec, dueAt: new Date(spec.dueAt) })),
        );
        await proposals.applyStatus(manager, proposalId, status, stages);
        for (const spec of specs) {
          await records.append(
            {
              proposalId,
              actor: SYSTEM,
              type: 'TASK_CREATED',
              data: { taskId: spec.id, taskType: spec.type, approvalLevel: spec.approvalLevel, assigneeId: spec.assigneeId, version: spec.version, dueAt: spec.dueAt },
              dedupeKey: `task:${spec.id}:CREATED`,
            },
            manager,
          );
        }
      });
      const withoutEligibleCandidate: string[] = [];
      for (const spec of specs) {
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

    async recordDecision({ proposalId, taskId, taskType, approvalLevel, actor, decision, metrics, requestId }) {
      await inTransaction(async (manager) => {
        await tasks.markDecided(manager, taskId, actor.id, decision);
        await records.append(
          {
            proposalId,
            actor: actor.email,
            type: 'DECISION_RECORDED',
            data: { taskId, taskType, approvalLevel, decision, ...(metrics ? { metrics } : {}), requestId },
            dedupeKey: `task:${taskId}:DECIDED`,
          },
          manager,
        );
      });
    },

    async remindTask({ proposalId, taskId, reason, dueAt }) {
      await inTransaction(async (manager) => {
        await tasks.markReminded(manager, taskId);
        await records.append({ proposalId, actor: SYSTEM, type: 'REMINDER_SENT', data: { taskId, reason, dueAt }, dedupeKey: `task:${taskId}:REMINDED` }, manager);
      });
    },

    async escalateTask({ proposalId, taskId, reason }) {
      await inTransaction(async (manager) => {
        await tasks.markEscalated(manager, taskId);
        const task = await tasks.findById(taskId, manager);
        await records.append(
          {
            proposalId,
            actor: SYSTEM,
            type: 'ESCALATED',
            data: { taskId, reason, taskType: task?.type, approvalLevel: task?.approvalLevel, supervisorRole: 'supervisor' },
            dedupeKey: `task:${taskId}:ESCALATED`,
          },
          manager,
        );
      });
    },

    async cancelTasks({ proposalId, taskIds, reason }) {
      await inTransaction(async (manager) => {
        await tasks.cancel(manager, taskIds);
        for (const taskId of taskIds) {
          await records.append({ proposalId, actor: SYSTEM, type: 'TASK_CANCELLED', data: { taskId, reason }, dedupeKey: `task:${taskId}:CANCELLED` }, manager);
        }
      });
    },

    async requestChanges({ proposalId, version, round, requestedBy, questions, missing, dueAt, status }) {
      await inTransaction(async (manager) => {
        await proposals.applyChangesRequested(manager, proposalId, status, missing);
        await records.append(
          {
            proposalId,
            actor: SYSTEM,
            type: status === 'RETURNED' ? 'RETURNED' : 'CHANGES_REQUESTED',
            data: { version, requestedBy, questions, missing, dueAt },
            dedupeKey: `${proposalId}:AGENCY_REQUEST:${round}`,
          },
          manager,
        );
      });
    },

    async remindAgency({ proposalId, key, about, dueAt }) {
      await records.append({ proposalId, actor: SYSTEM, type: 'REMINDER_SENT', data: { to: 'agency', about, dueAt }, dedupeKey: `${proposalId}:${key}` });
    },

    async recordResponse({ proposalId, version, data, actor, response, changedFields, requestId }) {
      await inTransaction(async (manager) => {
        await proposals.freezeVersion(manager, proposalId, version, data, actor.email);
        await proposals.applyNewVersion(manager, proposalId, version, data, totalCostOfOwnership(data));
        await records.append(
          { proposalId, actor: actor.email, type: 'RESPONDED', data: { version, response, changedFields, requestId }, dedupeKey: `${proposalId}:RESPONDED:${version}` },
          manager,
        );
        await records.append(
          { proposalId, actor: actor.email, type: 'VERSION_CREATED', data: { version, proposal: data }, dedupeKey: `${proposalId}:VERSION_CREATED:${version}` },
          manager,
        );
      });
    },

    async recordOutcome({ proposalId, outcome, eventType, requestId }) {
      await inTransaction(async (manager) => {
        await proposals.applyOutcome(manager, proposalId, outcome.status, outcome, new Date(outcome.decidedAt));
        const actor = outcome.by?.email ?? SYSTEM;
        if (eventType !== 'OUTCOME') {
          await records.append(
            { proposalId, actor, type: eventType, data: { reason: outcome.reason, requestId }, dedupeKey: `${proposalId}:${eventType}` },
            manager,
          );
        }
        await records.append({ proposalId, actor, type: 'OUTCOME', data: { ...outcome }, dedupeKey: `${proposalId}:OUTCOME` }, manager);
      });
    },
  };
}
