/**
 * The proposal as the agency writes it. Every field except `title` is optional because
 * drafts are partial: screening, not the type, decides what evaluation needs.
 *
 * The enum values live in const arrays so HTTP validation, persistence and the domain
 * all read the same list.
 */

/** The coarse status the API shows (DOMAIN.md's stages map onto it). */
export const PROPOSAL_STATUSES = [
  'DRAFT',
  'SUBMITTED',
  'RETURNED',
  'IN_REVIEW',
  'CHANGES_REQUESTED',
  'IN_APPROVAL',
  'APPROVED',
  'APPROVED_WITH_CONDITIONS',
  'REJECTED',
  'WITHDRAWN',
  'LAPSED',
] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/** The statuses an evaluation ends in: its outcome. A proposal in one of them is closed. */
export const OUTCOME_STATUSES = ['APPROVED', 'APPROVED_WITH_CONDITIONS', 'REJECTED', 'WITHDRAWN', 'LAPSED'] as const satisfies readonly ProposalStatus[];
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];

export function isClosedStatus(status: string): status is OutcomeStatus {
  return (OUTCOME_STATUSES as readonly string[]).includes(status);
}

export const TIERS = ['LOW', 'MEDIUM', 'HIGH'] as const;
export type Tier = (typeof TIERS)[number];

export const VERDICTS = ['MEETS', 'PARTIAL', 'NOT_MET', 'NOT_APPLICABLE'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const PROPOSAL_CATEGORIES = [
  'NEW_SYSTEM',
  'ENHANCEMENT',
  'INFRASTRUCTURE',
  'LICENSING',
  'SERVICES',
] as const;
export type ProposalCategory = (typeof PROPOSAL_CATEGORIES)[number];

export const COST_KINDS = ['CAPEX', 'OPEX'] as const;
export type CostKind = (typeof COST_KINDS)[number];

export const COST_CATEGORIES = [
  'DEVELOPMENT',
  'LICENSES',
  'HOSTING',
  'STAFF',
  'HARDWARE',
  'SERVICES',
  'OTHER',
] as const;
export type CostCategory = (typeof COST_CATEGORIES)[number];

/** The yes/no answers about the service that narrow which standards apply. */
export const PROPOSAL_FLAGS = [
  'citizenFacing',
  'handlesPersonalData',
  'exchangesData',
  'handlesProcedures',
] as const;
export type ProposalFlag = (typeof PROPOSAL_FLAGS)[number];

/** The risk answers; any one of them true makes the proposal HIGH tier. */
export const RISK_FACTORS = ['novelTechnology', 'securityCritical', 'identityComponent'] as const;
export type RiskFactor = (typeof RISK_FACTORS)[number];
export type RiskAnswers = Record<RiskFactor, boolean>;

/** Limits shared with the HTTP contract, so totals stay exact JavaScript integers. */
export const PROPOSAL_LIMITS = {
  titleMinLength: 5,
  titleMaxLength: 200,
  summaryMaxLength: 5000,
  minHorizonYears: 1,
  maxHorizonYears: 30,
  maxAmount: 10_000_000_000_000,
  maxCostLines: 200,
  maxBenefitLines: 200,
} as const;

export interface CostLine {
  /** 1..horizonYears */
  year: number;
  kind: CostKind;
  category: CostCategory;
  description: string;
  /** Whole pesos. */
  amount: number;
  quantity?: number;
  /** Whole pesos per unit; what benchmarking compares against reference prices. */
  unitPrice?: number;
}

export interface BenefitLine {
  /** 1..horizonYears */
  year: number;
  description: string;
  /** Whole pesos. */
  amount: number;
}

export interface SelfAssessmentAnswer {
  standardCode: string;
  answer: Verdict;
  evidence?: string;
}

export interface ProposalData {
  title: string;
  summary?: string;
  category?: ProposalCategory;
  citizenFacing?: boolean;
  handlesPersonalData?: boolean;
  exchangesData?: boolean;
  handlesProcedures?: boolean;
  risk?: Partial<RiskAnswers>;
  horizonYears?: number;
  annualTransactions?: number;
  costs?: CostLine[];
  benefits?: BenefitLine[];
  selfAssessment?: SelfAssessmentAnswer[];
}

/** Unanswered flags count as false: a draft does not pull in standards it has not claimed. */
export function hasFlag(data: ProposalData, flag: ProposalFlag): boolean {
  return data[flag] === true;
}

/** Unanswered risk questions count as false, for the same reason as flags. */
export function hasRisk(data: ProposalData, factor: RiskFactor): boolean {
  return data.risk?.[factor] === true;
}
