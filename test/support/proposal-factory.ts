import { applicableStandards, CATALOGUE_2026_1, computeTier, DEFAULT_POLICY, type ProposalData } from '../../libs/domain';

/**
 * A complete proposal that passes screening. The defaults give a MEDIUM tier (a citizen-facing
 * service handling personal data, 5-year cost of 180,000,000 CLP); override to move it.
 */
export function completeProposal(overrides: Partial<ProposalData> = {}): ProposalData {
  const base: ProposalData = {
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
  };
  const data = { ...base, ...overrides };
  return overrides.selfAssessment ? data : { ...data, selfAssessment: answering(applicableCodes(data)) };
}

/** The codes screening will ask the data to answer, under the seeded catalogue and policy. */
export function applicableCodes(data: ProposalData): string[] {
  return applicableStandards(data, computeTier(data, DEFAULT_POLICY).tier, CATALOGUE_2026_1).map((s) => s.code);
}

/** Answers every given standard code with MEETS and evidence, as screening requires. */
export function answering(codes: string[]): NonNullable<ProposalData['selfAssessment']> {
  return codes.map((standardCode) => ({ standardCode, answer: 'MEETS' as const, evidence: `Evidence for ${standardCode}` }));
}
