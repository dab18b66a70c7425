import { applicableStandards, CATALOGUE_2026_1, computeTier, DEFAULT_POLICY, type ProposalData } from '../../libs/domain';

/**
 * The MEDIUM proposal of the end-to-end tests (a citizen-facing service with personal data,
 * 180,000,000 CLP over five years), complete enough to pass screening, numbered `n`.
 */
export function mediumProposal(n: number): ProposalData {
  const data: ProposalData = {
    title: `Bench proposal ${n}: hospital appointments online`,
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
  };
  const { tier } = computeTier(data, DEFAULT_POLICY);
  if (tier !== 'MEDIUM') throw new Error(`the bench proposal is ${tier}, not MEDIUM: the policy changed`);
  const codes = applicableStandards(data, tier, CATALOGUE_2026_1).map((s) => s.code);
  return { ...data, selfAssessment: codes.map((standardCode) => ({ standardCode, answer: 'MEETS' as const, evidence: `Evidence for ${standardCode}` })) };
}
