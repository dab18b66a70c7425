import { DEFAULT_POLICY } from '../default-policy.js';
import type { Policy } from '../policy.model.js';
import type { ProposalData, SelfAssessmentAnswer } from '../proposal.model.js';
import type { StandardsCatalogue } from '../standards-catalogue.js';
import { applicableStandards, CATALOGUE_2026_1 } from '../standards-catalogue.js';
import { computeTier } from '../tiering.js';

/**
 * The proposal fixtures of every test tier and tool (the benchmark, the chaos run, the demo data
 * of `npm start`): two proposals, each with overrides for its variants. Not exported from the
 * library barrel: production code has no use for them. Import this module by relative path (the
 * demo data requires its compiled form from dist/).
 */

/** A small LOW-tier proposal (a document management upgrade) with every question answered "no" and no self-assessment yet. */
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

/** The base proposal, answered so that it passes screening against the default catalogue and policy. */
export function completeBaseProposal(overrides: Partial<ProposalData> = {}): ProposalData {
  return answerApplicable(baseProposal(overrides));
}

/**
 * "Hospital appointments online": a citizen-facing service handling personal data, 180,000,000
 * CLP over five years, so MEDIUM under the default policy; no self-assessment yet.
 */
export function hospitalProposalData(overrides: Partial<ProposalData> = {}): ProposalData {
  return {
    title: 'Hospital appointments online',
    summary: 'Citizens book, move and cancel public hospital appointments online.',
    category: 'NEW_SYSTEM',
    citizenFacing: true,
    handlesPersonalData: true,
    exchangesData: false,
    handlesProcedures: true,
    risk: { novelTechnology: false, securityCritical: false, identityComponent: false },
    horizonYears: 5,
    annualTransactions: 120_000,
    costs: [
      { year: 1, kind: 'CAPEX', category: 'DEVELOPMENT', description: 'Build', amount: 100_000_000, quantity: 10, unitPrice: 10_000_000 },
      ...[1, 2, 3, 4, 5].map((year) => ({ year, kind: 'OPEX' as const, category: 'HOSTING' as const, description: 'Cloud hosting', amount: 16_000_000 })),
    ],
    benefits: [2, 3, 4, 5].map((year) => ({ year, description: 'Staff hours saved', amount: 90_000_000 })),
    ...overrides,
  };
}

/**
 * The hospital proposal, complete enough to pass screening: every standard that applies is
 * answered, unless the overrides bring a self-assessment of their own.
 */
export function hospitalProposal(overrides: Partial<ProposalData> = {}): ProposalData {
  const data = hospitalProposalData(overrides);
  return overrides.selfAssessment ? data : answerApplicable(data);
}

/** Answers every standard that applies to `data` with MEETS and evidence. */
export function answerApplicable(
  data: ProposalData,
  catalogue: StandardsCatalogue = CATALOGUE_2026_1,
  policy: Policy = DEFAULT_POLICY,
): ProposalData {
  return { ...data, selfAssessment: answering(applicableCodes(data, catalogue, policy)) };
}

/** The codes screening will ask the data to answer, under the seeded catalogue and policy by default. */
export function applicableCodes(data: ProposalData, catalogue: StandardsCatalogue = CATALOGUE_2026_1, policy: Policy = DEFAULT_POLICY): string[] {
  return applicableStandards(data, computeTier(data, policy).tier, catalogue).map((s) => s.code);
}

/** Answers every given standard code with MEETS and evidence, as screening requires. */
export function answering(codes: string[]): SelfAssessmentAnswer[] {
  return codes.map((standardCode) => ({ standardCode, answer: 'MEETS', evidence: `Evidence for ${standardCode}` }));
}
