import { formatThousands } from './money-format.js';
import type { ApprovalLevel, Policy, ReviewMode, SlaDuration, SlaPolicy } from './policy.model.js';
import type { ProposalData, RiskFactor, Tier } from './proposal.model.js';
import { hasFlag, hasRisk, RISK_FACTORS } from './proposal.model.js';

export const REVIEW_TYPES = ['TECHNICAL_REVIEW', 'COST_EFFICIENCY_REVIEW'] as const;
export type ReviewType = (typeof REVIEW_TYPES)[number];

export interface TierResult {
  tier: Tier;
  /** Why, naming the figures; only the reasons that establish the winning tier. */
  reasons: string[];
}

export interface Route {
  tier: Tier;
  /** In the order they run when the review mode is SEQUENTIAL. */
  reviews: ReviewType[];
  reviewMode: ReviewMode;
  /** In the order they decide. */
  approvalLevels: ApprovalLevel[];
  /** Approvals a committee level needs; null when the route has no committee. */
  committeeQuorum: number | null;
  sla: SlaPolicy;
}

/** Whole-of-life cost: every cost line, capex and opex, over the horizon. */
export function totalCostOfOwnership(data: ProposalData): number {
  let total = 0;
  for (const line of data.costs ?? []) total += line.amount;
  return total;
}

const HIGH_RISK_REASONS: Record<RiskFactor, string> = {
  novelTechnology: 'tier HIGH because the risk answers say it uses novel technology',
  securityCritical: 'tier HIGH because the risk answers say it is security-critical',
  identityComponent: 'tier HIGH because the risk answers say it includes an identity component',
};

/**
 * The tier from amount and risk answers; the highest answer wins. Unanswered questions
 * count as "no", so a draft's tier can only rise as the agency fills it in.
 */
export function computeTier(data: ProposalData, policy: Policy): TierResult {
  const tco = totalCostOfOwnership(data);
  const { lowBelow, mediumUpTo } = policy.tiers;
  const cost = `total cost of ownership ${formatThousands(tco)} ${policy.currency}`;

  const high: string[] = [];
  if (tco > mediumUpTo) high.push(`tier HIGH because ${cost} is over ${formatThousands(mediumUpTo)}`);
  for (const factor of RISK_FACTORS) {
    if (hasRisk(data, factor)) high.push(HIGH_RISK_REASONS[factor]);
  }
  if (high.length > 0) return { tier: 'HIGH', reasons: high };

  const medium: string[] = [];
  if (tco >= lowBelow) {
    medium.push(
      `tier MEDIUM because ${cost} is between ${formatThousands(lowBelow)} and ${formatThousands(mediumUpTo)}`,
    );
  }
  if (hasFlag(data, 'citizenFacing')) medium.push('tier MEDIUM because it is a public-facing service');
  if (hasFlag(data, 'handlesPersonalData')) medium.push('tier MEDIUM because it handles personal data');
  if (medium.length > 0) return { tier: 'MEDIUM', reasons: medium };

  return {
    tier: 'LOW',
    reasons: [`tier LOW because ${cost} is under ${formatThousands(lowBelow)} and no risk answer raises it`],
  };
}

function copyDuration(d: SlaDuration): SlaDuration {
  return 'workingDays' in d ? { workingDays: d.workingDays } : { seconds: d.seconds };
}

/**
 * Reviews, approval levels and service levels for a tier. The result is a copy, so a
 * stored route never aliases (or is changed by) the policy object it came from.
 */
export function computeRoute(tier: Tier, policy: Policy): Route {
  const approvalLevels = [...policy.approvalLevelsByTier[tier]];
  const { sla } = policy;
  return {
    tier,
    reviews: ['TECHNICAL_REVIEW', 'COST_EFFICIENCY_REVIEW'],
    reviewMode: policy.reviewMode,
    approvalLevels,
    committeeQuorum: approvalLevels.includes('COMMITTEE') ? policy.committeeQuorum : null,
    sla: {
      technicalReview: copyDuration(sla.technicalReview),
      costEfficiencyReview: copyDuration(sla.costEfficiencyReview),
      approvalLevel: copyDuration(sla.approvalLevel),
      agencyResponse: copyDuration(sla.agencyResponse),
      wholeEvaluation: copyDuration(sla.wholeEvaluation),
      reminderFraction: sla.reminderFraction,
    },
  };
}
