import { DEFAULT_POLICY } from './default-policy';
import type { Policy } from './policy.model';
import type { CostLine, ProposalData } from './proposal.model';
import { baseProposal } from './testing/proposal.factory';
import { computeRoute, computeTier, totalCostOfOwnership } from './tiering';

function costing(...amounts: number[]): CostLine[] {
  return amounts.map((amount, i) => ({
    year: (i % 5) + 1,
    kind: i === 0 ? 'CAPEX' : 'OPEX',
    category: 'DEVELOPMENT',
    description: `line ${i}`,
    amount,
  }));
}

function withTotal(total: number, overrides: Partial<ProposalData> = {}): ProposalData {
  return baseProposal({ horizonYears: 5, costs: costing(total), ...overrides });
}

describe('totalCostOfOwnership', () => {
  it('adds capex and opex of every year', () => {
    // 8,000,000 + 1,000,000 + 1,000,000
    expect(totalCostOfOwnership(baseProposal())).toBe(10_000_000);
    expect(totalCostOfOwnership(baseProposal({ costs: costing(1, 20, 300, 4_000, 50_000) }))).toBe(54_321);
  });

  it('is 0 for a draft with no cost lines', () => {
    expect(totalCostOfOwnership({ title: 'Empty draft' })).toBe(0);
    expect(totalCostOfOwnership(baseProposal({ costs: [] }))).toBe(0);
  });

  it('stays exact at the largest totals the API allows (200 lines of 10^13)', () => {
    const costs = costing(...Array.from({ length: 200 }, () => 10_000_000_000_000));
    expect(totalCostOfOwnership(baseProposal({ costs }))).toBe(2_000_000_000_000_000);
  });
});

describe('computeTier', () => {
  it('is LOW under 50,000,000 with no raising answer, naming the figures', () => {
    expect(computeTier(withTotal(12_000_000), DEFAULT_POLICY)).toEqual({
      tier: 'LOW',
      reasons: ['tier LOW because total cost of ownership 12,000,000 CLP is under 50,000,000 and no risk answer raises it'],
    });
  });

  it('is LOW one peso under the threshold and MEDIUM at it', () => {
    expect(computeTier(withTotal(49_999_999), DEFAULT_POLICY).tier).toBe('LOW');
    expect(computeTier(withTotal(50_000_000), DEFAULT_POLICY)).toEqual({
      tier: 'MEDIUM',
      reasons: ['tier MEDIUM because total cost of ownership 50,000,000 CLP is between 50,000,000 and 1,000,000,000'],
    });
  });

  it('is MEDIUM up to and including 1,000,000,000 and HIGH one peso over', () => {
    expect(computeTier(withTotal(1_000_000_000), DEFAULT_POLICY).tier).toBe('MEDIUM');
    expect(computeTier(withTotal(1_000_000_001), DEFAULT_POLICY)).toEqual({
      tier: 'HIGH',
      reasons: ['tier HIGH because total cost of ownership 1,000,000,001 CLP is over 1,000,000,000'],
    });
  });

  it('words the HIGH amount reason as DOMAIN.md does', () => {
    const data = baseProposal({ horizonYears: 5, costs: costing(10_000_000_000, 600_000_000, 600_000_000, 600_000_000, 600_000_000) });
    expect(computeTier(data, DEFAULT_POLICY).reasons).toEqual([
      'tier HIGH because total cost of ownership 12,400,000,000 CLP is over 1,000,000,000',
    ]);
  });

  it('makes a public-facing service MEDIUM even when cheap', () => {
    expect(computeTier(withTotal(1_000_000, { citizenFacing: true }), DEFAULT_POLICY)).toEqual({
      tier: 'MEDIUM',
      reasons: ['tier MEDIUM because it is a public-facing service'],
    });
  });

  it('makes handling personal data MEDIUM even when cheap', () => {
    expect(computeTier(withTotal(1_000_000, { handlesPersonalData: true }), DEFAULT_POLICY)).toEqual({
      tier: 'MEDIUM',
      reasons: ['tier MEDIUM because it handles personal data'],
    });
  });

  it('does not raise the tier for exchanging data or handling procedures', () => {
    const data = withTotal(1_000_000, { exchangesData: true, handlesProcedures: true });
    expect(computeTier(data, DEFAULT_POLICY).tier).toBe('LOW');
  });

  it.each([
    ['novelTechnology', 'tier HIGH because the risk answers say it uses novel technology'],
    ['securityCritical', 'tier HIGH because the risk answers say it is security-critical'],
    ['identityComponent', 'tier HIGH because the risk answers say it includes an identity component'],
  ] as const)('makes a cheap proposal HIGH when risk.%s is true', (factor, reason) => {
    const risk = { novelTechnology: false, securityCritical: false, identityComponent: false, [factor]: true };
    expect(computeTier(withTotal(1_000_000, { risk }), DEFAULT_POLICY)).toEqual({ tier: 'HIGH', reasons: [reason] });
  });

  it('lists every HIGH reason that fires, amount first, and none of the lower tiers', () => {
    const data = withTotal(2_000_000_000, {
      citizenFacing: true,
      handlesPersonalData: true,
      risk: { novelTechnology: true, securityCritical: true, identityComponent: true },
    });
    expect(computeTier(data, DEFAULT_POLICY)).toEqual({
      tier: 'HIGH',
      reasons: [
        'tier HIGH because total cost of ownership 2,000,000,000 CLP is over 1,000,000,000',
        'tier HIGH because the risk answers say it uses novel technology',
        'tier HIGH because the risk answers say it is security-critical',
        'tier HIGH because the risk answers say it includes an identity component',
      ],
    });
  });

  it('lists every MEDIUM reason that fires', () => {
    const data = withTotal(120_000_000, { citizenFacing: true, handlesPersonalData: true });
    expect(computeTier(data, DEFAULT_POLICY).reasons).toEqual([
      'tier MEDIUM because total cost of ownership 120,000,000 CLP is between 50,000,000 and 1,000,000,000',
      'tier MEDIUM because it is a public-facing service',
      'tier MEDIUM because it handles personal data',
    ]);
  });

  it('treats unanswered questions of a draft as "no"', () => {
    expect(computeTier({ title: 'Just a title' }, DEFAULT_POLICY)).toEqual({
      tier: 'LOW',
      reasons: ['tier LOW because total cost of ownership 0 CLP is under 50,000,000 and no risk answer raises it'],
    });
    expect(computeTier({ title: 'Partial risk', risk: { identityComponent: true } }, DEFAULT_POLICY).tier).toBe('HIGH');
  });

  it('reads the thresholds from the policy', () => {
    const policy: Policy = { ...DEFAULT_POLICY, tiers: { lowBelow: 1_000, mediumUpTo: 5_000 } };
    expect(computeTier(withTotal(999), policy).tier).toBe('LOW');
    expect(computeTier(withTotal(1_000), policy).reasons).toEqual([
      'tier MEDIUM because total cost of ownership 1,000 CLP is between 1,000 and 5,000',
    ]);
    expect(computeTier(withTotal(5_001), policy).reasons).toEqual([
      'tier HIGH because total cost of ownership 5,001 CLP is over 5,000',
    ]);
  });
});

describe('computeRoute', () => {
  it('routes LOW to both reviews and the head of the digital unit only', () => {
    expect(computeRoute('LOW', DEFAULT_POLICY)).toEqual({
      tier: 'LOW',
      reviews: ['TECHNICAL_REVIEW', 'COST_EFFICIENCY_REVIEW'],
      reviewMode: 'PARALLEL',
      approvalLevels: ['DIGITAL_HEAD'],
      committeeQuorum: null,
      sla: {
        technicalReview: { workingDays: 10 },
        costEfficiencyReview: { workingDays: 10 },
        approvalLevel: { workingDays: 5 },
        agencyResponse: { workingDays: 20 },
        wholeEvaluation: { workingDays: 20 },
        reminderFraction: 0.8,
      },
    });
  });

  it('adds the budget director for MEDIUM', () => {
    const route = computeRoute('MEDIUM', DEFAULT_POLICY);
    expect(route.approvalLevels).toEqual(['DIGITAL_HEAD', 'BUDGET_DIRECTOR']);
    expect(route.committeeQuorum).toBeNull();
  });

  it('adds the committee with its quorum for HIGH', () => {
    const route = computeRoute('HIGH', DEFAULT_POLICY);
    expect(route.approvalLevels).toEqual(['DIGITAL_HEAD', 'BUDGET_DIRECTOR', 'COMMITTEE']);
    expect(route.committeeQuorum).toBe(2);
    expect(route.reviews).toEqual(['TECHNICAL_REVIEW', 'COST_EFFICIENCY_REVIEW']);
  });

  it('follows the policy: sequential mode, a different quorum, durations in seconds', () => {
    const policy: Policy = {
      ...DEFAULT_POLICY,
      reviewMode: 'SEQUENTIAL',
      committeeQuorum: 3,
      sla: { ...DEFAULT_POLICY.sla, technicalReview: { seconds: 30 }, approvalLevel: { seconds: 5 } },
    };
    const route = computeRoute('HIGH', policy);
    expect(route.reviewMode).toBe('SEQUENTIAL');
    expect(route.committeeQuorum).toBe(3);
    expect(route.sla.technicalReview).toEqual({ seconds: 30 });
    expect(route.sla.approvalLevel).toEqual({ seconds: 5 });
    expect(route.sla.costEfficiencyReview).toEqual({ workingDays: 10 });
  });

  it('returns a copy that does not alias the policy', () => {
    const policy: Policy = structuredClone(DEFAULT_POLICY);
    const route = computeRoute('HIGH', policy);
    route.approvalLevels.pop();
    (route.sla.technicalReview as { workingDays: number }).workingDays = 99;
    expect(policy.approvalLevelsByTier.HIGH).toHaveLength(3);
    expect(policy.sla.technicalReview).toEqual({ workingDays: 10 });
  });
});
