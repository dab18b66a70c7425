import type { ProposalData, ProposalFlag, Tier } from './proposal.model.js';
import { hasFlag, PROPOSAL_FLAGS, TIERS } from './proposal.model.js';
import { deepFreeze, describeValue, isNonEmptyString, isOneOf, isRecord } from './validation-helpers.js';

export const STANDARD_AREAS = [
  'security',
  'privacy',
  'interoperability',
  'identity',
  'shared-services',
  'data',
  'service-delivery',
  'architecture',
  'delivery',
  'cost-efficiency',
] as const;
export type StandardArea = (typeof STANDARD_AREAS)[number];

/** The area finance rates; every other area belongs to the technical review. */
export const COST_EFFICIENCY_AREA: StandardArea = 'cost-efficiency';

/**
 * Narrows which proposals a standard is asked of. An absent (or empty) list does not
 * narrow; `tiers` means the proposal's tier is one of them; `flags` means every listed
 * flag is true on the proposal; with both, both must hold.
 */
export interface StandardApplicability {
  tiers?: Tier[];
  flags?: ProposalFlag[];
}

export interface StandardDefinition {
  code: string;
  area: StandardArea;
  title: string;
  description: string;
  /** A mandatory standard rated NOT_MET forbids a favourable technical opinion. */
  mandatory: boolean;
  appliesTo: StandardApplicability;
}

export interface StandardsCatalogue {
  version: string;
  standards: StandardDefinition[];
}

function standard(
  code: string,
  area: StandardArea,
  title: string,
  description: string,
  mandatory: boolean,
  appliesTo: StandardApplicability = {},
): StandardDefinition {
  return { code, area, title, description, mandatory, appliesTo };
}

const MEDIUM_AND_HIGH: StandardApplicability = { tiers: ['MEDIUM', 'HIGH'] };
const CITIZEN_FACING: StandardApplicability = { flags: ['citizenFacing'] };
const HANDLES_PROCEDURES: StandardApplicability = { flags: ['handlesProcedures'] };

/** The starter catalogue of the product brief. Frozen; admins publish new versions. */
export const CATALOGUE_2026_1: StandardsCatalogue = deepFreeze({
  version: '2026.1',
  standards: [
    standard('SEC-01', 'security', 'Security risk assessment and controls plan',
      'Security risk assessment and controls plan (Chile: Decreto 7 of Ley 21.180; ISO 27001 style).', true),
    standard('SEC-02', 'security', 'Security sign-off before go-live',
      'Security sign-off before go-live, with a named owner.', true),
    standard('SEC-03', 'security', 'Cryptography, key management and incident response',
      'Cryptography, key management and incident response defined.', true, MEDIUM_AND_HIGH),
    standard('PRI-01', 'privacy', 'Privacy impact assessment',
      'Privacy impact assessment; personal data minimised (Ley 19.628).', true, { flags: ['handlesPersonalData'] }),
    standard('INT-01', 'interoperability', 'Data exchange through the state interoperability platform',
      'Exchanges data with other agencies through the state interoperability platform; APIs documented (Decreto 12).',
      true, { flags: ['exchangesData'] }),
    standard('INT-02', 'interoperability', 'Open formats and open data',
      'Open formats and open data where the data is public.', false),
    standard('IDN-01', 'identity', 'National digital identity for citizen sign-in',
      'Citizens sign in with the national digital identity (ClaveÚnica, Decreto 9), no login of its own.',
      true, { flags: ['citizenFacing'] }),
    standard('SHS-01', 'shared-services', 'Reuse check',
      'Reuse check: no existing government platform already covers the need.', true),
    standard('SHS-02', 'shared-services', 'Uses common components',
      'Uses common components (payments, notifications, e-signature, document management).', false),
    standard('SHS-03', 'shared-services', 'Built for reuse',
      'Built so others can reuse it; code open unless justified.', false),
    standard('DAT-01', 'data', 'Authoritative sources; ask only once',
      'Authoritative sources named; citizens are asked for data only once.', false),
    standard('DAT-02', 'data', 'Records management and electronic case file',
      'Records management and retention; electronic case file (Ley 21.180).', true, HANDLES_PROCEDURES),
    standard('SVC-01', 'service-delivery', 'User needs researched',
      'User needs researched with real users.', true, CITIZEN_FACING),
    standard('SVC-02', 'service-delivery', 'Accessible to WCAG 2.1 AA',
      'Accessible to WCAG 2.1 AA, with an assisted channel.', true, CITIZEN_FACING),
    standard('SVC-03', 'service-delivery', 'Digital end to end',
      'The procedure is digital end to end.', false, HANDLES_PROCEDURES),
    standard('SVC-04', 'service-delivery', 'Service KPIs defined',
      'Service KPIs defined: cost per transaction, take-up, completion, satisfaction.', true, MEDIUM_AND_HIGH),
    standard('ARC-01', 'architecture', 'Cloud first assessed',
      'Cloud first assessed; certified hosting; exit plan.', false),
    standard('ARC-02', 'architecture', 'Fits the reference architecture',
      'Fits the reference architecture; modular; no lock-in.', false),
    standard('ARC-03', 'architecture', 'Operability',
      'Operability: service levels, support model, sustainability.', false),
    standard('DEL-01', 'delivery', 'Accountable owner, team and phased plan',
      'Accountable owner, multidisciplinary team, phased plan.', true),
    standard('DEL-02', 'delivery', 'Procurement strategy',
      'Procurement strategy; no automatic contract extensions.', false),
    standard('CE-01', 'cost-efficiency', 'Complete whole-of-life cost',
      'Complete whole-of-life cost (TCO) by year.', true),
    standard('CE-02', 'cost-efficiency', 'Options appraised',
      'Options appraised, including doing nothing.', true, MEDIUM_AND_HIGH),
    standard('CE-03', 'cost-efficiency', 'NPV and benefit-cost ratio',
      'NPV and benefit-cost ratio, or least-cost analysis where benefits cannot be priced.', true, { tiers: ['HIGH'] }),
    standard('CE-04', 'cost-efficiency', 'Benefits plan',
      'Benefits plan with owner, baseline and dates.', true, { tiers: ['HIGH'] }),
    standard('CE-05', 'cost-efficiency', 'Unit costs benchmarked',
      'Unit costs benchmarked against reference prices.', false),
  ],
});

/** Whether a standard is asked of a proposal with this data and tier. */
export function standardApplies(standardDef: StandardDefinition, data: ProposalData, tier: Tier): boolean {
  const { tiers, flags } = standardDef.appliesTo;
  if (tiers && tiers.length > 0 && !tiers.includes(tier)) return false;
  if (flags && flags.length > 0 && !flags.every((flag) => hasFlag(data, flag))) return false;
  return true;
}

/** The standards a proposal must answer and be rated on, in catalogue order. */
export function applicableStandards(
  data: ProposalData,
  tier: Tier,
  catalogue: StandardsCatalogue,
): StandardDefinition[] {
  return catalogue.standards.filter((s) => standardApplies(s, data, tier));
}

/** The part the technical review rates: everything outside cost-efficiency. */
export function technicalStandards(list: readonly StandardDefinition[]): StandardDefinition[] {
  return list.filter((s) => s.area !== COST_EFFICIENCY_AREA);
}

/** The part the cost-efficiency (finance) review rates. */
export function costEfficiencyStandards(list: readonly StandardDefinition[]): StandardDefinition[] {
  return list.filter((s) => s.area === COST_EFFICIENCY_AREA);
}

export function findStandard(catalogue: StandardsCatalogue, code: string): StandardDefinition | undefined {
  return catalogue.standards.find((s) => s.code === code);
}

/** Codes are referenced from verdicts, conditions and reports, so keep them plain tokens. */
const STANDARD_CODE = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$/;

/**
 * Human-readable problems with a catalogue an admin wants to publish; empty when it is
 * usable. Empty applicability lists are refused because they read as "applies to none"
 * while the engine treats them as "applies to all"; omitting the list says the latter.
 */
export function validateCatalogue(c: unknown): string[] {
  if (!isRecord(c)) return [`catalogue must be an object (got ${describeValue(c)})`];
  const problems: string[] = [];
  if (!isNonEmptyString(c.version)) problems.push('version must be a non-empty string');
  if (!Array.isArray(c.standards) || c.standards.length === 0) {
    problems.push('standards must be a non-empty list');
    return problems;
  }

  const seen = new Set<string>();
  c.standards.forEach((s: unknown, i) => {
    const at = `standards[${i}]`;
    if (!isRecord(s)) {
      problems.push(`${at} must be an object (got ${describeValue(s)})`);
      return;
    }
    const label = typeof s.code === 'string' && s.code !== '' ? `${at} (${s.code})` : at;

    if (typeof s.code !== 'string' || !STANDARD_CODE.test(s.code)) {
      problems.push(`${at}.code must be an upper-case code such as SEC-01 (got ${describeValue(s.code)})`);
    } else if (seen.has(s.code)) {
      problems.push(`${label}: code ${s.code} is used more than once`);
    } else {
      seen.add(s.code);
    }
    if (!isOneOf(STANDARD_AREAS, s.area)) {
      problems.push(`${label}.area must be one of ${STANDARD_AREAS.join(', ')} (got ${describeValue(s.area)})`);
    }
    if (!isNonEmptyString(s.title)) problems.push(`${label}.title must be a non-empty string`);
    if (typeof s.description !== 'string') problems.push(`${label}.description must be a string`);
    if (typeof s.mandatory !== 'boolean') problems.push(`${label}.mandatory must be true or false`);

    if (!isRecord(s.appliesTo)) {
      problems.push(`${label}.appliesTo must be an object ({} applies to all proposals)`);
      return;
    }
    const { tiers, flags } = s.appliesTo;
    if (tiers !== undefined) {
      if (!Array.isArray(tiers) || tiers.length === 0) {
        problems.push(`${label}.appliesTo.tiers must be a non-empty list of tiers, or be left out to apply to every tier`);
      } else {
        tiers.forEach((tier: unknown, j) => {
          if (!isOneOf(TIERS, tier)) {
            problems.push(`${label}.appliesTo.tiers[${j}] must be one of ${TIERS.join(', ')} (got ${describeValue(tier)})`);
          }
        });
      }
    }
    if (flags !== undefined) {
      if (!Array.isArray(flags) || flags.length === 0) {
        problems.push(`${label}.appliesTo.flags must be a non-empty list of flags, or be left out to apply regardless of flags`);
      } else {
        flags.forEach((flag: unknown, j) => {
          if (!isOneOf(PROPOSAL_FLAGS, flag)) {
            problems.push(`${label}.appliesTo.flags[${j}] must be one of ${PROPOSAL_FLAGS.join(', ')} (got ${describeValue(flag)})`);
          }
        });
      }
    }
    for (const key of Object.keys(s.appliesTo)) {
      if (key !== 'tiers' && key !== 'flags') problems.push(`${label}.appliesTo.${key} is not a known condition (use tiers or flags)`);
    }
  });
  return problems;
}
