/**
 * What a generated proposal says: titles, summaries, cost and benefit lines, self-assessment
 * answers and the words reviewers write. Plausible Chilean public-sector ICT projects; only the
 * shape and the distributions matter to the reads, but realistic text keeps searches (`q`) honest.
 */
import {
  applicableStandards,
  CATALOGUE_2026_1,
  computeTier,
  DEFAULT_POLICY,
  DEFAULT_REFERENCE_PRICES,
  type BenefitLine,
  type CostCategory,
  type CostLine,
  type ProposalCategory,
  type ProposalData,
  type SelfAssessmentAnswer,
  type Verdict,
} from '../../libs/domain';
import type { Random } from './random';

/** The seven agencies of the demo directory, weighted by how much each one submits. */
export const AGENCY_PROFILES: Readonly<Record<string, { weight: number; themes: readonly string[] }>> = {
  MINSAL: {
    weight: 22,
    themes: [
      'Hospital appointments online',
      'Electronic health record integration',
      'Telemedicine for rural clinics',
      'Pharmacy stock tracking',
      'Surgical waiting list management',
      'Vaccination registry',
      'Emergency room triage board',
      'Laboratory results portal',
    ],
  },
  MINEDUC: {
    weight: 20,
    themes: [
      'School enrolment system',
      'Teacher certification portal',
      'Student grants and scholarships',
      'School meals logistics',
      'Learning platform for rural schools',
      'Education statistics warehouse',
      'School infrastructure inventory',
    ],
  },
  SEGPRES: {
    weight: 14,
    themes: ['Legislative tracking system', 'Transparency requests portal', 'Inter-ministerial document exchange', 'Lobby register', 'Cabinet agenda tooling'],
  },
  DIPRES: {
    weight: 12,
    themes: ['Program evaluation system', 'Budget formulation platform', 'Public investment registry', 'Performance indicators portal'],
  },
  DIGITAL: {
    weight: 12,
    themes: ['Interoperability platform upgrade', 'National sign-in capacity', 'Government cloud landing zone', 'Digital procedures catalogue', 'Notifications service', 'Electronic signature service', 'Open data portal'],
  },
  CONTRALORIA: {
    weight: 10,
    themes: ['Audit case management', 'Asset declarations portal', 'Electronic administrative acts', 'Public accounts consolidation', 'Citizen complaints channel'],
  },
  HACIENDA: {
    weight: 10,
    themes: ['Budget execution dashboard', 'Public procurement analytics', 'Treasury payments modernisation', 'Tax data exchange', 'Fiscal risk model', 'Payroll consolidation'],
  },
};

const REGIONS = [
  'Arica y Parinacota', 'Tarapacá', 'Antofagasta', 'Atacama', 'Coquimbo', 'Valparaíso', 'Metropolitana', "O'Higgins",
  'Maule', 'Ñuble', 'Biobío', 'La Araucanía', 'Los Ríos', 'Los Lagos', 'Aysén', 'Magallanes',
] as const;

const CATEGORY_WEIGHTS: Record<ProposalCategory, number> = { NEW_SYSTEM: 30, ENHANCEMENT: 30, INFRASTRUCTURE: 15, LICENSING: 10, SERVICES: 15 };

/** Probability of each yes/no answer by category: citizen-facing, personal data, data exchange, procedures. */
const FLAG_ODDS: Record<ProposalCategory, [number, number, number, number]> = {
  NEW_SYSTEM: [0.55, 0.6, 0.45, 0.5],
  ENHANCEMENT: [0.45, 0.5, 0.35, 0.45],
  INFRASTRUCTURE: [0.1, 0.3, 0.3, 0.1],
  LICENSING: [0.1, 0.35, 0.1, 0.1],
  SERVICES: [0.35, 0.45, 0.25, 0.3],
};

const CAPEX_SHARE: Record<ProposalCategory, number> = { NEW_SYSTEM: 0.55, ENHANCEMENT: 0.45, INFRASTRUCTURE: 0.6, LICENSING: 0.2, SERVICES: 0.2 };
const SIZE_FACTOR: Record<ProposalCategory, number> = { NEW_SYSTEM: 1.2, ENHANCEMENT: 0.8, INFRASTRUCTURE: 1.5, LICENSING: 0.6, SERVICES: 0.7 };

const CAPEX_CATEGORIES: Record<ProposalCategory, CostCategory[]> = {
  NEW_SYSTEM: ['DEVELOPMENT', 'DEVELOPMENT', 'SERVICES'],
  ENHANCEMENT: ['DEVELOPMENT', 'SERVICES'],
  INFRASTRUCTURE: ['HARDWARE', 'SERVICES'],
  LICENSING: ['LICENSES', 'SERVICES'],
  SERVICES: ['SERVICES', 'DEVELOPMENT'],
};

const OPEX_CATEGORIES: Record<ProposalCategory, CostCategory[]> = {
  NEW_SYSTEM: ['HOSTING', 'STAFF', 'LICENSES'],
  ENHANCEMENT: ['HOSTING', 'STAFF'],
  INFRASTRUCTURE: ['HOSTING', 'STAFF', 'OTHER'],
  LICENSING: ['LICENSES', 'STAFF'],
  SERVICES: ['SERVICES', 'STAFF', 'HOSTING'],
};

const COST_DESCRIPTIONS: Record<CostCategory, readonly string[]> = {
  DEVELOPMENT: ['Build of the core system', 'Integration development', 'Front-end and accessibility work', 'Data migration'],
  LICENSES: ['Database licences', 'Case management licences', 'Analytics licences', 'Office suite seats'],
  HOSTING: ['Certified cloud hosting', 'Backup and disaster recovery', 'Content delivery and storage'],
  STAFF: ['Product owner and support team', 'Operations staff', 'Data steward'],
  HARDWARE: ['Rack servers', 'Network equipment', 'Storage arrays'],
  SERVICES: ['Specialist consultancy', 'Security testing', 'User research', 'Training'],
  OTHER: ['Contingency', 'Change management'],
};

const BENEFIT_DESCRIPTIONS = [
  'Staff hours saved',
  'Fewer in-person visits',
  'Avoided licence costs',
  'Faster payments to suppliers',
  'Paper and postage avoided',
  'Fewer repeated requests for data',
  'Reduced error corrections',
];

const SUMMARY_OPENINGS = [
  'Replaces a paper and spreadsheet process with',
  'Extends the current service with',
  'Consolidates three legacy applications into',
  'Moves the on-premises system to',
  'Gives citizens and officials',
  'Provides regional offices with',
];
const SUMMARY_OBJECTS = [
  'a web and mobile service built on the common government components',
  'a case management platform integrated through the interoperability platform',
  'certified cloud hosting with an exit plan',
  'a shared data warehouse with open data extracts',
  'a single sign-in with the national digital identity',
  'a document and records management module compliant with the electronic case file rules',
];
const SUMMARY_CLOSINGS = [
  'Expected to cut processing times by half.',
  'Reduces duplicate data requests to other agencies.',
  'Designed for reuse by other ministries.',
  'Phased rollout by region over two years.',
  'Includes user research and an assisted channel.',
  'Retires an unsupported system before its licence ends.',
];

export const REVIEW_COMMENTS: Readonly<Record<Exclude<Verdict, 'MEETS'>, readonly string[]>> = {
  PARTIAL: ['Evidence is incomplete; the plan names no owner.', 'Covered for the pilot only, not for the national rollout.', 'Described but not yet approved by the responsible unit.'],
  NOT_MET: ['No evidence was provided.', 'The document provided does not address the standard.', 'Contradicted by the architecture described in annex B.'],
  NOT_APPLICABLE: ['Does not apply to the scope described.', 'Out of scope for this phase.'],
};

export const CONDITION_TEXTS = [
  'Submit the signed security plan before go-live',
  'Complete the privacy impact assessment and publish its summary',
  'Register the APIs in the interoperability platform catalogue',
  'Present the accessibility audit (WCAG 2.1 AA) before launch',
  'Report the service KPIs quarterly to the digital unit',
  'Name the accountable owner and the support team',
  'Reuse the common notifications and payments components',
  'Benchmark the unit costs again before awarding the contract',
  'Present the benefits plan with a baseline',
];

export const CHANGE_QUESTIONS = [
  'Which existing government platform was considered for reuse, and why was it rejected?',
  'Who is the accountable owner once the system is live?',
  'How will citizens without internet access be served?',
  'Please break down the development cost by phase.',
  'Why are the hosting costs above the reference price?',
  'What is the exit plan if the provider is changed?',
  'Which personal data is collected, and for how long is it kept?',
];

export const WITHDRAWAL_REASONS = [
  'The project was merged into a shared platform.',
  'Budget reallocated to a higher priority.',
  'Will be resubmitted with a new scope next year.',
  'The need is covered by an existing government service.',
];

const CAPEX_LINES = { one: 55, two: 45 } as const;
const TITLE_SUFFIXES = { region: 5, phase: 3, plain: 2 } as const;
const HORIZONS = { '3': 15, '4': 10, '5': 50, '6': 5, '7': 8, '8': 5, '10': 7 } as const;
const ANSWERS: Record<Verdict, number> = { MEETS: 78, PARTIAL: 14, NOT_MET: 5, NOT_APPLICABLE: 3 };
const ANSWERS_MANDATORY: Record<Verdict, number> = { ...ANSWERS, NOT_APPLICABLE: 0 };

function referencePrice(category: CostCategory): number | null {
  return DEFAULT_REFERENCE_PRICES.find((p) => p.category === category)?.price ?? null;
}

/** A cost line of about `budget` pesos; priced per unit where a reference unit exists. */
function costLine(rng: Random, year: number, kind: 'CAPEX' | 'OPEX', category: CostCategory, budget: number): CostLine {
  const description = rng.pick(COST_DESCRIPTIONS[category]);
  const reference = referencePrice(category);
  if (reference !== null && rng.chance(0.8)) {
    // Most quotes sit near the reference price; some are well over it (benchmark flags).
    const unitPrice = Math.max(1_000, Math.round((reference * rng.logNormal(1.05, 0.2)) / 1_000) * 1_000);
    const quantity = Math.max(1, Math.round(budget / unitPrice));
    return { year, kind, category, description, amount: quantity * unitPrice, quantity, unitPrice };
  }
  return { year, kind, category, description, amount: Math.max(100_000, Math.round(budget / 1_000) * 1_000) };
}

function costLines(rng: Random, category: ProposalCategory, horizon: number, tco: number): CostLine[] {
  const lines: CostLine[] = [];
  const capex = tco * CAPEX_SHARE[category] * rng.between(0.7, 1.3);
  const capexLines = rng.weighted(CAPEX_LINES) === 'one' ? 1 : 2;
  for (let i = 0; i < capexLines; i++) {
    const year = i === 1 && horizon > 1 && rng.chance(0.5) ? 2 : 1;
    lines.push(costLine(rng, year, 'CAPEX', rng.pick(CAPEX_CATEGORIES[category]), capex / capexLines));
  }
  const opexPerYear = Math.max(0, tco - capex) / horizon;
  const opexCategories = rng.sample(OPEX_CATEGORIES[category], rng.chance(0.2) ? 2 : 1);
  for (let year = 1; year <= horizon; year++) {
    for (const c of opexCategories) lines.push(costLine(rng, year, 'OPEX', c, opexPerYear / opexCategories.length));
  }
  return lines;
}

function benefitLines(rng: Random, horizon: number, tco: number): BenefitLine[] {
  const total = tco * rng.logNormal(1.35, 0.45);
  const first = horizon > 1 ? 2 : 1;
  const kinds = rng.sample(BENEFIT_DESCRIPTIONS, rng.chance(0.25) ? 2 : 1);
  const years = horizon - first + 1;
  const lines: BenefitLine[] = [];
  for (let year = first; year <= horizon; year++) {
    for (const description of kinds) {
      lines.push({ year, description, amount: Math.round(total / years / kinds.length / 1_000) * 1_000 });
    }
  }
  return lines;
}

/** Answers for every standard that applies under the data's own tier, as screening requires. */
export function selfAssessment(rng: Random, data: ProposalData): SelfAssessmentAnswer[] {
  const tier = computeTier(data, DEFAULT_POLICY).tier;
  return applicableStandards(data, tier, CATALOGUE_2026_1).map((s) => {
    const answer = rng.weighted<Verdict>(s.mandatory ? ANSWERS_MANDATORY : ANSWERS);
    if (answer === 'NOT_APPLICABLE') return { standardCode: s.code, answer };
    return { standardCode: s.code, answer, evidence: `${rng.pick(['Annex', 'Section', 'Appendix'])} ${rng.int(1, 12)}` };
  });
}

/** A complete proposal, one that passes screening. */
export function proposalData(rng: Random, agencyCode: string, serial: number): ProposalData {
  const profile = AGENCY_PROFILES[agencyCode] ?? { weight: 1, themes: ['Service modernisation'] };
  const category = rng.weighted(CATEGORY_WEIGHTS);
  const theme = rng.pick(profile.themes);
  const region = rng.pick(REGIONS);
  const suffix = rng.weighted(TITLE_SUFFIXES);
  const title =
    suffix === 'region' ? `${theme}, ${region}` : suffix === 'phase' ? `${theme} (phase ${rng.int(2, 4)})` : `${theme} ${serial % 1000}`;
  const summary = `${rng.pick(SUMMARY_OPENINGS)} ${rng.pick(SUMMARY_OBJECTS)} for ${region}. ${rng.pick(SUMMARY_CLOSINGS)}`;
  const [citizen, personal, exchange, procedures] = FLAG_ODDS[category];
  const citizenFacing = rng.chance(citizen);
  const horizonYears = Number(rng.weighted(HORIZONS));
  const tco = Math.min(40_000_000_000, Math.max(4_000_000, rng.logNormal(110_000_000 * SIZE_FACTOR[category], 1.25)));
  const data: ProposalData = {
    title,
    summary,
    category,
    citizenFacing,
    handlesPersonalData: rng.chance(personal),
    exchangesData: rng.chance(exchange),
    handlesProcedures: rng.chance(procedures),
    risk: {
      novelTechnology: rng.chance(0.05),
      securityCritical: rng.chance(category === 'INFRASTRUCTURE' ? 0.15 : 0.07),
      identityComponent: rng.chance(citizenFacing ? 0.1 : 0.02),
    },
    horizonYears,
    annualTransactions: Math.round(Math.min(20_000_000, Math.max(500, rng.logNormal(citizenFacing ? 150_000 : 20_000, 1.4)))),
    costs: costLines(rng, category, horizonYears, tco),
    benefits: [],
  };
  const tier = computeTier(data, DEFAULT_POLICY).tier;
  // A HIGH-tier proposal needs a benefits plan; a few small ones price no benefits at all.
  data.benefits = tier !== 'HIGH' && rng.chance(0.08) ? [] : benefitLines(rng, horizonYears, tco);
  data.selfAssessment = selfAssessment(rng, data);
  return data;
}
