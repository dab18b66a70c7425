import { DEFAULT_POLICY } from './default-policy';
import type { ProposalData } from './proposal.model';
import { screenProposal } from './screening';
import { CATALOGUE_2026_1 } from './standards-catalogue';
import { answerApplicable, baseProposal, completeBaseProposal } from './testing/proposal.factory';

const screen = (data: ProposalData) => screenProposal(data, CATALOGUE_2026_1, DEFAULT_POLICY);
const fields = (data: ProposalData): string[] => screen(data).missing.map((m) => m.field);

/** A complete proposal with some fields removed or replaced after the answers were filled in. */
function spoiled(change: (data: Record<string, unknown>) => void): ProposalData {
  const data = structuredClone(completeBaseProposal()) as unknown as Record<string, unknown>;
  change(data);
  return data as unknown as ProposalData;
}

describe('screenProposal', () => {
  it('passes a complete LOW proposal and reports its tier and applicable codes', () => {
    const result = screen(completeBaseProposal());
    expect(result).toEqual({
      passed: true,
      tier: 'LOW',
      tierReasons: ['tier LOW because total cost of ownership 10,000,000 CLP is under 50,000,000 and no risk answer raises it'],
      applicable: ['SEC-01', 'SEC-02', 'INT-02', 'SHS-01', 'SHS-02', 'SHS-03', 'DAT-01', 'ARC-01', 'ARC-02', 'ARC-03', 'DEL-01', 'DEL-02', 'CE-01', 'CE-05'],
      missing: [],
    });
  });

  it('lists everything a bare draft lacks, in the order of the form', () => {
    expect(screen({ title: 'Only a title' }).missing).toEqual([
      { field: 'summary', message: 'summary is required: describe what the proposal is for' },
      { field: 'category', message: 'category is required: one of NEW_SYSTEM, ENHANCEMENT, INFRASTRUCTURE, LICENSING, SERVICES' },
      { field: 'citizenFacing', message: 'citizenFacing must be answered true or false (is it a public-facing service?)' },
      { field: 'handlesPersonalData', message: 'handlesPersonalData must be answered true or false (does it handle personal data?)' },
      { field: 'exchangesData', message: 'exchangesData must be answered true or false (does it exchange data with other agencies?)' },
      { field: 'handlesProcedures', message: 'handlesProcedures must be answered true or false (does it handle administrative procedures?)' },
      { field: 'risk.novelTechnology', message: 'risk.novelTechnology must be answered true or false' },
      { field: 'risk.securityCritical', message: 'risk.securityCritical must be answered true or false' },
      { field: 'risk.identityComponent', message: 'risk.identityComponent must be answered true or false' },
      { field: 'horizonYears', message: 'horizonYears is required: a whole number of years from 1 to 30' },
      { field: 'costs', message: 'costs needs at least one cost line' },
      ...['SEC-01', 'SEC-02', 'INT-02', 'SHS-01', 'SHS-02', 'SHS-03', 'DAT-01', 'ARC-01', 'ARC-02', 'ARC-03', 'DEL-01', 'DEL-02', 'CE-01', 'CE-05'].map(
        (code) => ({ field: `selfAssessment.${code}`, message: expect.stringMatching(new RegExp(`^selfAssessment\\.${code} is required: answer ${code} \\(`)) }),
      ),
    ]);
    expect(screen({ title: 'Only a title' }).passed).toBe(false);
  });

  it('requires a title and a non-blank summary', () => {
    expect(fields(spoiled((d) => { d.title = ''; }))).toEqual(['title']);
    expect(fields(spoiled((d) => { d.summary = '   '; }))).toEqual(['summary']);
  });

  it('requires a known category', () => {
    expect(fields(spoiled((d) => { d.category = 'GADGETS'; }))).toEqual(['category']);
  });

  it('requires each flag answered as a boolean; false is an answer', () => {
    expect(fields(spoiled((d) => { delete d.exchangesData; }))).toEqual(['exchangesData']);
    expect(fields(spoiled((d) => { d.handlesProcedures = 'no'; }))).toEqual(['handlesProcedures']);
    expect(screen(completeBaseProposal({ citizenFacing: false })).passed).toBe(true);
  });

  it('requires each of the three risk answers', () => {
    expect(fields(spoiled((d) => { delete d.risk; }))).toEqual(['risk.novelTechnology', 'risk.securityCritical', 'risk.identityComponent']);
    expect(fields(spoiled((d) => { d.risk = { novelTechnology: false, securityCritical: false }; }))).toEqual(['risk.identityComponent']);
  });

  it('requires a whole horizon from 1 to 30 years', () => {
    for (const horizonYears of [0, 31, 2.5]) {
      expect(screen(completeBaseProposal({ horizonYears, costs: [{ year: 1, kind: 'CAPEX', category: 'OTHER', description: 'x', amount: 1 }], benefits: [] })).missing)
        .toEqual([{ field: 'horizonYears', message: `horizonYears must be a whole number from 1 to 30 (got ${horizonYears})` }]);
    }
    expect(fields(completeBaseProposal({ horizonYears: 30 }))).toEqual([]);
  });

  it('requires at least one cost line', () => {
    expect(screen(completeBaseProposal({ costs: [] })).missing).toEqual([{ field: 'costs', message: 'costs needs at least one cost line' }]);
  });

  it('requires every cost year within the horizon, naming the line by index', () => {
    const data = spoiled((d) => {
      (d.costs as { year: number }[])[2]!.year = 4;
      (d.costs as { year: number }[])[0]!.year = 0;
    });
    expect(screen(data).missing).toEqual([
      { field: 'costs[0].year', message: 'costs[0].year must be a year from 1 to 3, within the horizon (got 0)' },
      { field: 'costs[2].year', message: 'costs[2].year must be a year from 1 to 3, within the horizon (got 4)' },
    ]);
  });

  it('still reports impossible years when the horizon itself is missing', () => {
    const data = spoiled((d) => {
      delete d.horizonYears;
      (d.costs as { year: number }[])[1]!.year = -1;
      (d.costs as { year: number }[])[2]!.year = 12;
    });
    expect(screen(data).missing).toEqual([
      { field: 'horizonYears', message: 'horizonYears is required: a whole number of years from 1 to 30' },
      { field: 'costs[1].year', message: 'costs[1].year must be a whole number of at least 1 (got -1)' },
    ]);
  });

  it('requires known kind and category and a valid amount on each cost line', () => {
    const data = spoiled((d) => {
      const line = (d.costs as Record<string, unknown>[])[1]!;
      line.kind = 'CAPITAL';
      line.category = 'PIZZA';
      line.amount = -5;
    });
    expect(screen(data).missing).toEqual([
      { field: 'costs[1].kind', message: 'costs[1].kind must be one of CAPEX, OPEX' },
      { field: 'costs[1].category', message: 'costs[1].category must be one of DEVELOPMENT, LICENSES, HOSTING, STAFF, HARDWARE, SERVICES, OTHER' },
      { field: 'costs[1].amount', message: 'costs[1].amount must be a whole number of pesos from 0 to 10,000,000,000,000 (got -5)' },
    ]);
  });

  it('requires benefit years within the horizon and valid amounts', () => {
    const data = completeBaseProposal({
      benefits: [
        { year: 3, description: 'ok', amount: 1 },
        { year: 5, description: 'too late', amount: 1 },
        { year: 2, description: 'fraction', amount: 1.5 },
      ],
    });
    expect(screen(data).missing).toEqual([
      { field: 'benefits[1].year', message: 'benefits[1].year must be a year from 1 to 3, within the horizon (got 5)' },
      { field: 'benefits[2].amount', message: 'benefits[2].amount must be a whole number of pesos from 0 to 10,000,000,000,000 (got 1.5)' },
    ]);
  });

  it('does not require benefits below HIGH', () => {
    expect(screen(completeBaseProposal({ benefits: [] })).passed).toBe(true);
    expect(screen(answerApplicable(baseProposal({ citizenFacing: true, benefits: [] }))).passed).toBe(true);
  });

  it('requires a benefits plan (CE-04) of a HIGH proposal', () => {
    const high = answerApplicable(baseProposal({ risk: { novelTechnology: true, securityCritical: false, identityComponent: false }, benefits: [] }));
    const result = screen(high);
    expect(result.tier).toBe('HIGH');
    expect(result.missing).toEqual([
      { field: 'benefits', message: 'benefits needs at least one benefit line: a HIGH-tier proposal needs a benefits plan (CE-04)' },
    ]);
    expect(result.applicable).toEqual(expect.arrayContaining(['SEC-03', 'SVC-04', 'CE-02', 'CE-03', 'CE-04']));
  });

  it('requires an answer for each applicable standard, and asks for more as flags are set', () => {
    const answeredWhileLow = completeBaseProposal();
    const nowCitizenFacing = { ...answeredWhileLow, citizenFacing: true };
    const result = screen(nowCitizenFacing);
    expect(result.tier).toBe('MEDIUM');
    // MEDIUM adds SEC-03, SVC-04, CE-02; citizen-facing adds IDN-01, SVC-01, SVC-02.
    expect(result.missing.map((m) => m.field)).toEqual([
      'selfAssessment.SEC-03',
      'selfAssessment.IDN-01',
      'selfAssessment.SVC-01',
      'selfAssessment.SVC-02',
      'selfAssessment.SVC-04',
      'selfAssessment.CE-02',
    ]);
    expect(result.missing[1]!.message).toBe(
      'selfAssessment.IDN-01 is required: answer IDN-01 (National digital identity for citizen sign-in), which applies to this proposal',
    );
  });

  it('ignores answers for standards that do not apply', () => {
    const data = completeBaseProposal();
    data.selfAssessment!.push({ standardCode: 'PRI-01', answer: 'NOT_MET' }, { standardCode: 'ZZZ-99', answer: 'MEETS' });
    expect(screen(data).passed).toBe(true);
  });

  it('refuses two answers for the same standard', () => {
    const data = completeBaseProposal();
    data.selfAssessment!.push({ standardCode: 'SEC-02', answer: 'PARTIAL', evidence: 'x' });
    expect(screen(data).missing).toEqual([
      { field: 'selfAssessment.SEC-02', message: 'selfAssessment.SEC-02 is answered 2 times; give one answer for SEC-02' },
    ]);
  });

  it('refuses an answer that is not a verdict', () => {
    const data = spoiled((d) => {
      (d.selfAssessment as Record<string, unknown>[])[0]!.answer = 'YES';
    });
    expect(screen(data).missing).toEqual([
      { field: 'selfAssessment.SEC-01.answer', message: 'selfAssessment.SEC-01.answer must be one of MEETS, PARTIAL, NOT_MET, NOT_APPLICABLE (got "YES")' },
    ]);
  });

  it('requires evidence for MEETS, PARTIAL and NOT_MET on a mandatory standard', () => {
    for (const answer of ['MEETS', 'PARTIAL', 'NOT_MET'] as const) {
      const data = completeBaseProposal();
      data.selfAssessment = data.selfAssessment!.map((a) => (a.standardCode === 'DEL-01' ? { standardCode: 'DEL-01', answer, evidence: ' ' } : a));
      expect(screen(data).missing).toEqual([
        { field: 'selfAssessment.DEL-01.evidence', message: `selfAssessment.DEL-01.evidence is required: DEL-01 is mandatory, so an answer of ${answer} needs evidence` },
      ]);
    }
  });

  it('needs no evidence for NOT_APPLICABLE, nor on a standard that is not mandatory', () => {
    const data = completeBaseProposal();
    data.selfAssessment = data.selfAssessment!.map((a) => {
      if (a.standardCode === 'SEC-02') return { standardCode: 'SEC-02', answer: 'NOT_APPLICABLE' };
      if (a.standardCode === 'ARC-01') return { standardCode: 'ARC-01', answer: 'NOT_MET' };
      return a;
    });
    expect(screen(data).passed).toBe(true);
  });

  it('uses the catalogue and policy it is given', () => {
    const catalogue = { version: 'tiny', standards: [CATALOGUE_2026_1.standards[0]!] };
    const data = completeBaseProposal();
    const result = screenProposal(data, catalogue, { ...DEFAULT_POLICY, tiers: { lowBelow: 1_000, mediumUpTo: 5_000 } });
    expect(result.tier).toBe('HIGH');
    expect(result.applicable).toEqual(['SEC-01']);
    // HIGH under this policy, so the benefit line of the factory satisfies CE-04's plan.
    expect(result.passed).toBe(true);
  });
});
