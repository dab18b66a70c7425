import { proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import { computeRoute, computeTier, screenProposal } from '../libs/domain';
import {
  SEARCH_ATTRIBUTES,
  type EvaluationActivities,
  type EvaluationInput,
  type EvaluationResult,
} from '../libs/temporal/src/evaluation.contract';

const activities = proxyActivities<EvaluationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

/**
 * Screening and triage of one submitted proposal. Both are pure rules of libs/domain run on
 * the frozen version with the catalogue and policy pinned at submit; the activities only
 * persist what the workflow decided.
 */
export async function evaluationWorkflow(input: EvaluationInput): Promise<EvaluationResult> {
  const { requestId, proposalId } = input;
  const context = await activities.beginEvaluation(input);

  const screening = screenProposal(context.data, context.catalogue, context.policy);
  await activities.recordScreening({ proposalId, version: context.version, result: screening, requestId });
  if (!screening.passed) {
    upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.status, value: 'RETURNED' }]);
    return { status: 'RETURNED', version: context.version, missing: screening.missing };
  }

  const { tier, reasons } = computeTier(context.data, context.policy);
  const route = computeRoute(tier, context.policy);
  const stages = route.reviewMode === 'PARALLEL' ? [...route.reviews] : route.reviews.slice(0, 1);
  await activities.recordTriage({ proposalId, version: context.version, tier, tierReasons: reasons, route, stages, requestId });
  upsertSearchAttributes([
    { key: SEARCH_ATTRIBUTES.status, value: 'IN_REVIEW' },
    { key: SEARCH_ATTRIBUTES.tier, value: tier },
  ]);
  return { status: 'IN_REVIEW', version: context.version, tier };
}
