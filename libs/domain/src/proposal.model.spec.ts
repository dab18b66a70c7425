import {
  COST_CATEGORIES,
  COST_KINDS,
  hasFlag,
  hasRisk,
  PROPOSAL_CATEGORIES,
  PROPOSAL_FLAGS,
  RISK_FACTORS,
  TIERS,
  VERDICTS,
} from './proposal.model';

describe('proposal enums', () => {
  it('list the values of the HTTP contract', () => {
    expect(TIERS).toEqual(['LOW', 'MEDIUM', 'HIGH']);
    expect(VERDICTS).toEqual(['MEETS', 'PARTIAL', 'NOT_MET', 'NOT_APPLICABLE']);
    expect(PROPOSAL_CATEGORIES).toEqual(['NEW_SYSTEM', 'ENHANCEMENT', 'INFRASTRUCTURE', 'LICENSING', 'SERVICES']);
    expect(COST_KINDS).toEqual(['CAPEX', 'OPEX']);
    expect(COST_CATEGORIES).toEqual(['DEVELOPMENT', 'LICENSES', 'HOSTING', 'STAFF', 'HARDWARE', 'SERVICES', 'OTHER']);
    expect(PROPOSAL_FLAGS).toEqual(['citizenFacing', 'handlesPersonalData', 'exchangesData', 'handlesProcedures']);
    expect(RISK_FACTORS).toEqual(['novelTechnology', 'securityCritical', 'identityComponent']);
  });
});

describe('hasFlag and hasRisk', () => {
  it('are true only for an explicit true', () => {
    expect(hasFlag({ title: 't', exchangesData: true }, 'exchangesData')).toBe(true);
    expect(hasFlag({ title: 't', exchangesData: false }, 'exchangesData')).toBe(false);
    expect(hasFlag({ title: 't' }, 'exchangesData')).toBe(false);
    expect(hasRisk({ title: 't', risk: { securityCritical: true } }, 'securityCritical')).toBe(true);
    expect(hasRisk({ title: 't', risk: {} }, 'securityCritical')).toBe(false);
    expect(hasRisk({ title: 't' }, 'securityCritical')).toBe(false);
  });
});
