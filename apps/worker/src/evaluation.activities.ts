import { ApplicationFailure } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import type { CatalogueRepository, ProposalsRepository, RecordsRepository } from '../../../libs/persistence';
import type {
  EvaluationActivities,
  EvaluationContext,
  EvaluationInput,
  ScreeningRecord,
  TriageRecord,
} from '../../../libs/temporal';
import { evaluationWorkflowId } from '../../../libs/temporal';

export interface EvaluationActivityDeps {
  dataSource: DataSource;
  proposals: ProposalsRepository;
  records: RecordsRepository;
  catalogues: CatalogueRepository;
}

const SYSTEM = 'system';

/**
 * Thin and idempotent: each activity persists a decision the workflow already made, inside one
 * transaction with the record of it, keyed so that a retry after a crash changes nothing twice.
 */
export function createEvaluationActivities(deps: EvaluationActivityDeps): EvaluationActivities {
  const { dataSource, proposals, records, catalogues } = deps;

  return {
    async beginEvaluation(input: EvaluationInput): Promise<EvaluationContext> {
      const [catalogue, policy] = await Promise.all([
        catalogues.catalogue(input.catalogueVersion),
        catalogues.policy(input.policyVersion),
      ]);
      if (!catalogue || !policy) {
        throw ApplicationFailure.nonRetryable(
          `pinned catalogue ${input.catalogueVersion} or policy ${input.policyVersion} does not exist`,
          'PinnedVersionMissing',
        );
      }
      const version = 1;
      const frozen = await dataSource.transaction(async (manager) => {
        const proposal = await proposals.findById(input.proposalId, manager);
        if (!proposal) throw ApplicationFailure.nonRetryable(`proposal ${input.proposalId} does not exist`, 'ProposalMissing');
        await proposals.markSubmitted(
          input.proposalId,
          { workflowId: evaluationWorkflowId(input.proposalId), catalogueVersion: input.catalogueVersion, policyVersion: input.policyVersion },
          manager,
        );
        const { version: stored } = await proposals.freezeVersion(manager, input.proposalId, version, input.data, input.submittedBy.email);
        await records.append(
          {
            proposalId: input.proposalId,
            actor: input.submittedBy.email,
            type: 'SUBMITTED',
            data: { version, catalogueVersion: input.catalogueVersion, policyVersion: input.policyVersion, requestId: input.requestId },
            dedupeKey: `${input.proposalId}:SUBMITTED:${version}`,
          },
          manager,
        );
        await records.append(
          {
            proposalId: input.proposalId,
            actor: input.submittedBy.email,
            type: 'VERSION_CREATED',
            data: { version, proposal: stored.data },
            dedupeKey: `${input.proposalId}:VERSION_CREATED:${version}`,
          },
          manager,
        );
        return stored;
      });
      return { version, data: frozen.data, catalogue, policy };
    },

    async recordScreening({ proposalId, version, result }: ScreeningRecord): Promise<void> {
      await dataSource.transaction(async (manager) => {
        if (!result.passed) await proposals.applyScreeningReturn(manager, proposalId, result.missing);
        await records.append(
          {
            proposalId,
            actor: SYSTEM,
            type: 'SCREENED',
            data: { version, passed: result.passed, missing: result.missing },
            dedupeKey: `${proposalId}:SCREENED:${version}`,
          },
          manager,
        );
      });
    },

    async recordTriage(record: TriageRecord): Promise<void> {
      const { proposalId, version, tier, tierReasons, route, stages } = record;
      await dataSource.transaction(async (manager) => {
        await proposals.applyTriage(manager, proposalId, { tier, tierReasons, route, stages, status: 'IN_REVIEW' });
        await records.append(
          { proposalId, actor: SYSTEM, type: 'TRIAGED', data: { version, tier, tierReasons, route }, dedupeKey: `${proposalId}:TRIAGED:${version}` },
          manager,
        );
      });
    },
  };
}
