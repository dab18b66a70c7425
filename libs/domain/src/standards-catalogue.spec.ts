import type { ProposalData, Tier } from './proposal.model';
import type { StandardDefinition } from './standards-catalogue';
import {
  applicableStandards,
  CATALOGUE_2026_1,
  costEfficiencyStandards,
  findStandard,
  technicalStandards,
  validateCatalogue,
} from './standards-catalogue';

const noFlags: ProposalData = {
  title: 'No flags',
  citizenFacing: false,
  handlesPersonalData: false,
  exchangesData: false,
  handlesProcedures: false,
};
const codes = (list: StandardDefinition[]): string[] => list.map((s) => s.code);

// Standards that apply to every proposal whatever its tier or flags.
const ALWAYS = ['SEC-01', 'SEC-02', 'INT-02', 'SHS-01', 'SHS-02', 'SHS-03', 'DAT-01', 'ARC-01', 'ARC-02', 'ARC-03', 'DEL-01', 'DEL-02', 'CE-01', 'CE-05'];

describe('CATALOGUE_2026_1', () => {
  it('is version 2026.1 with exactly the 26 codes of DOMAIN.md, in its order', () => {
    expect(CATALOGUE_2026_1.version).toBe('2026.1');
    expect(codes(CATALOGUE_2026_1.standards)).toEqual([
      'SEC-01', 'SEC-02', 'SEC-03', 'PRI-01', 'INT-01', 'INT-02', 'IDN-01', 'SHS-01', 'SHS-02', 'SHS-03',
      'DAT-01', 'DAT-02', 'SVC-01', 'SVC-02', 'SVC-03', 'SVC-04', 'ARC-01', 'ARC-02', 'ARC-03', 'DEL-01',
      'DEL-02', 'CE-01', 'CE-02', 'CE-03', 'CE-04', 'CE-05',
    ]);
  });

  it('gives each standard its area, mandatory flag and applicability from the table', () => {
    const table = Object.fromEntries(
      CATALOGUE_2026_1.standards.map((s) => [s.code, [s.area, s.mandatory, s.appliesTo]]),
    );
    expect(table).toEqual({
      'SEC-01': ['security', true, {}],
      'SEC-02': ['security', true, {}],
      'SEC-03': ['security', true, { tiers: ['MEDIUM', 'HIGH'] }],
      'PRI-01': ['privacy', true, { flags: ['handlesPersonalData'] }],
      'INT-01': ['interoperability', true, { flags: ['exchangesData'] }],
      'INT-02': ['interoperability', false, {}],
      'IDN-01': ['identity', true, { flags: ['citizenFacing'] }],
      'SHS-01': ['shared-services', true, {}],
      'SHS-02': ['shared-services', false, {}],
      'SHS-03': ['shared-services', false, {}],
      'DAT-01': ['data', false, {}],
      'DAT-02': ['data', true, { flags: ['handlesProcedures'] }],
      'SVC-01': ['service-delivery', true, { flags: ['citizenFacing'] }],
      'SVC-02': ['service-delivery', true, { flags: ['citizenFacing'] }],
      'SVC-03': ['service-delivery', false, { flags: ['handlesProcedures'] }],
      'SVC-04': ['service-delivery', true, { tiers: ['MEDIUM', 'HIGH'] }],
      'ARC-01': ['architecture', false, {}],
      'ARC-02': ['architecture', false, {}],
      'ARC-03': ['architecture', false, {}],
      'DEL-01': ['delivery', true, {}],
      'DEL-02': ['delivery', false, {}],
      'CE-01': ['cost-efficiency', true, {}],
      'CE-02': ['cost-efficiency', true, { tiers: ['MEDIUM', 'HIGH'] }],
      'CE-03': ['cost-efficiency', true, { tiers: ['HIGH'] }],
      'CE-04': ['cost-efficiency', true, { tiers: ['HIGH'] }],
      'CE-05': ['cost-efficiency', false, {}],
    });
  });

  it('has a short title and the full requirement as description', () => {
    const sec01 = findStandard(CATALOGUE_2026_1, 'SEC-01')!;
    expect(sec01.title).toBe('Security risk assessment and controls plan');
    expect(sec01.description).toContain('Decreto 7 of Ley 21.180');
    for (const s of CATALOGUE_2026_1.standards) {
      expect(s.title.length).toBeGreaterThan(0);
      expect(s.description.length).toBeGreaterThanOrEqual(s.title.length);
    }
  });

  it('passes its own validation and is frozen against accidental edits', () => {
    expect(validateCatalogue(CATALOGUE_2026_1)).toEqual([]);
    expect(Object.isFrozen(CATALOGUE_2026_1.standards[0]!.appliesTo)).toBe(true);
    expect(() => CATALOGUE_2026_1.standards.push(CATALOGUE_2026_1.standards[0]!)).toThrow(TypeError);
  });
});

describe('applicableStandards', () => {
  it('asks a LOW proposal with no flags only the standards that apply to all', () => {
    expect(codes(applicableStandards(noFlags, 'LOW', CATALOGUE_2026_1))).toEqual(ALWAYS);
  });

  it('adds SEC-03, SVC-04 and CE-02 for MEDIUM', () => {
    const got = codes(applicableStandards(noFlags, 'MEDIUM', CATALOGUE_2026_1));
    expect(got.filter((c) => !ALWAYS.includes(c))).toEqual(['SEC-03', 'SVC-04', 'CE-02']);
  });

  it('adds CE-03 and CE-04 as well for HIGH', () => {
    const got = codes(applicableStandards(noFlags, 'HIGH', CATALOGUE_2026_1));
    expect(got.filter((c) => !ALWAYS.includes(c))).toEqual(['SEC-03', 'SVC-04', 'CE-02', 'CE-03', 'CE-04']);
  });

  it.each([
    ['citizenFacing', ['IDN-01', 'SVC-01', 'SVC-02']],
    ['handlesPersonalData', ['PRI-01']],
    ['exchangesData', ['INT-01']],
    ['handlesProcedures', ['DAT-02', 'SVC-03']],
  ] as const)('adds the standards of flag %s when it is true', (flag, added) => {
    const got = codes(applicableStandards({ ...noFlags, [flag]: true }, 'LOW', CATALOGUE_2026_1));
    expect(got.filter((c) => !ALWAYS.includes(c))).toEqual(added);
  });

  it('treats an unanswered flag as false', () => {
    expect(codes(applicableStandards({ title: 'Draft' }, 'LOW', CATALOGUE_2026_1))).toEqual(ALWAYS);
  });

  it('asks all 26 of a HIGH proposal with every flag', () => {
    const all = { title: 'All', citizenFacing: true, handlesPersonalData: true, exchangesData: true, handlesProcedures: true };
    expect(applicableStandards(all, 'HIGH', CATALOGUE_2026_1)).toHaveLength(26);
  });

  it('requires both the tier and every flag when a standard names both', () => {
    const catalogue = {
      version: 'test',
      standards: [
        { code: 'X-01', area: 'data' as const, title: 'x', description: 'x', mandatory: false, appliesTo: { tiers: ['HIGH'] as Tier[], flags: ['citizenFacing' as const, 'exchangesData' as const] } },
        { code: 'X-02', area: 'data' as const, title: 'y', description: 'y', mandatory: false, appliesTo: { tiers: [], flags: [] } },
      ],
    };
    const both = { title: 't', citizenFacing: true, exchangesData: true };
    expect(codes(applicableStandards(both, 'HIGH', catalogue))).toEqual(['X-01', 'X-02']);
    expect(codes(applicableStandards(both, 'MEDIUM', catalogue))).toEqual(['X-02']);
    expect(codes(applicableStandards({ ...both, exchangesData: false }, 'HIGH', catalogue))).toEqual(['X-02']);
  });
});

describe('technicalStandards and costEfficiencyStandards', () => {
  it('split the applicable list between the two reviews without overlap or loss', () => {
    const list = applicableStandards(noFlags, 'HIGH', CATALOGUE_2026_1);
    const technical = codes(technicalStandards(list));
    const finance = codes(costEfficiencyStandards(list));
    expect(finance).toEqual(['CE-01', 'CE-02', 'CE-03', 'CE-04', 'CE-05']);
    expect(technical.some((c) => c.startsWith('CE-'))).toBe(false);
    expect([...technical, ...finance].sort()).toEqual(codes(list).sort());
  });
});

describe('validateCatalogue', () => {
  const good = (): Record<string, unknown> => ({
    version: '2027.1',
    standards: [{ code: 'SEC-01', area: 'security', title: 'Risk', description: 'Risk assessment', mandatory: true, appliesTo: {} }],
  });

  it('accepts a minimal valid catalogue', () => {
    expect(validateCatalogue(good())).toEqual([]);
  });

  it('refuses something that is not a catalogue', () => {
    expect(validateCatalogue(null)).toEqual(['catalogue must be an object (got null)']);
    expect(validateCatalogue({ version: '', standards: [] })).toEqual([
      'version must be a non-empty string',
      'standards must be a non-empty list',
    ]);
  });

  it('refuses duplicate codes', () => {
    const c = good();
    c.standards = [...(c.standards as object[]), ...(c.standards as object[])];
    expect(validateCatalogue(c)).toEqual(['standards[1] (SEC-01): code SEC-01 is used more than once']);
  });

  it('names each bad field of a standard', () => {
    const c = good();
    c.standards = [
      { code: 'sec 1', area: 'safety', title: ' ', description: 5, mandatory: 'yes', appliesTo: { tiers: ['HUGE'], flags: ['isCool'], region: 'north' } },
    ];
    expect(validateCatalogue(c)).toEqual([
      'standards[0].code must be an upper-case code such as SEC-01 (got "sec 1")',
      expect.stringContaining('standards[0] (sec 1).area must be one of security, privacy,'),
      'standards[0] (sec 1).title must be a non-empty string',
      'standards[0] (sec 1).description must be a string',
      'standards[0] (sec 1).mandatory must be true or false',
      'standards[0] (sec 1).appliesTo.tiers[0] must be one of LOW, MEDIUM, HIGH (got "HUGE")',
      'standards[0] (sec 1).appliesTo.flags[0] must be one of citizenFacing, handlesPersonalData, exchangesData, handlesProcedures (got "isCool")',
      'standards[0] (sec 1).appliesTo.region is not a known condition (use tiers or flags)',
    ]);
  });

  it('refuses empty applicability lists and a missing appliesTo', () => {
    const c = good();
    c.standards = [
      { code: 'A-01', area: 'data', title: 'a', description: 'a', mandatory: false, appliesTo: { tiers: [], flags: [] } },
      { code: 'A-02', area: 'data', title: 'b', description: 'b', mandatory: false },
    ];
    expect(validateCatalogue(c)).toEqual([
      'standards[0] (A-01).appliesTo.tiers must be a non-empty list of tiers, or be left out to apply to every tier',
      'standards[0] (A-01).appliesTo.flags must be a non-empty list of flags, or be left out to apply regardless of flags',
      'standards[1] (A-02).appliesTo must be an object ({} applies to all proposals)',
    ]);
  });
});
