import { DEFAULT_POLICY } from '../default-policy.js';
import type { Policy } from '../policy.model.js';
import type { ProposalData, SelfAssessmentAnswer } from '../proposal.model.js';
import type { StandardsCatalogue } from '../standards-catalogue.js';
import { applicableStandards, CATALOGUE_2026_1 } from '../standards-catalogue.js';
import { computeTier } from '../tiering.js';

/**
 * Test data for any tier of tests. Not exported from the library barrel: production code
 * has no use for it. Import it by relative path.
 */

/** A small LOW-tier proposal with every question answered "no" and no self-assessment yet. */
export function baseProposal(overrides: Partial<ProposalData> = {}): ProposalData {
  return {
    title: 'Document management upgrade',
    summary: 'Replace the unsupported document management system of the agency.',
    category: 'ENHANCEMENT',
    citizenFacing: false,
    handlesPersonalData: false,
    exchangesData: false,
    handlesProcedures: false,
    risk: { novelTechnology: false, securityCritical: false, identityComponent: false },
    horizonYears: 3,
    annualTransactions: 10_000,
    costs: [
      { year: 1, kind: 'CAPEX', category: 'DEVELOPMENT', description: 'Build', amount: 8_000_000, quantity: 20, unitPrice: 400_000 },
      { year: 2, kind: 'OPEX', category: 'HOSTING', description: 'Hosting', amount: 1_000_000 },
      { year: 3, kind: 'OPEX', category: 'HOSTING', description: 'Hosting', amount: 1_000_000 },
    ],
    benefits: [{ year: 2, description: 'Staff time saved', amount: 6_000_000 }],
    selfAssessment: [],
    ...overrides,
  };
}

/** Answers every standard that applies to `data` with MEETS and evidence. */
export function answerApplicable(
  data: ProposalData,
  catalogue: StandardsCatalogue = CATALOGUE_2026_1,
  policy: Policy = DEFAULT_POLICY,
): ProposalData {
  const { tier } = computeTier(data, policy);
  const selfAssessment: SelfAssessmentAnswer[] = applicableStandards(data, tier, catalogue).map((s) => ({
    standardCode: s.code,
    answer: 'MEETS',
    evidence: `Evidence for ${s.code}`,
  }));
  return { ...data, selfAssessment };
}

/** A proposal that passes screening against the default catalogue and policy. */
export function completeProposal(overrides: Partial<ProposalData> = {}): ProposalData {
  return answerApplicable(baseProposal(overrides));
}
