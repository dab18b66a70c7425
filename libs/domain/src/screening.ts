import type { FieldError } from './errors.js';
import { formatThousands } from './money-format.js';
import type { Policy } from './policy.model.js';
import type { ProposalData, ProposalFlag, SelfAssessmentAnswer, Tier } from './proposal.model.js';
import {
  COST_CATEGORIES,
  COST_KINDS,
  PROPOSAL_CATEGORIES,
  PROPOSAL_FLAGS,
  PROPOSAL_LIMITS,
  RISK_FACTORS,
  VERDICTS,
} from './proposal.model.js';
import type { StandardsCatalogue } from './standards-catalogue.js';
import { applicableStandards } from './standards-catalogue.js';
import { computeTier } from './tiering.js';
import { describeValue, isInteger, isNonEmptyString, isOneOf, isRecord } from './validation-helpers.js';

export interface ScreeningResult {
  passed: boolean;
  tier: Tier;
  tierReasons: string[];
  /** Codes of the applicable standards, in catalogue order. */
  applicable: string[];
  /** What evaluation needs and the proposal lacks; empty when it passed. */
  missing: FieldError[];
}

const FLAG_QUESTIONS: Record<ProposalFlag, string> = {
  citizenFacing: 'is it a public-facing service?',
  handlesPersonalData: 'does it handle personal data?',
  exchangesData: 'does it exchange data with other agencies?',
  handlesProcedures: 'does it handle administrative procedures?',
};

const { minHorizonYears, maxHorizonYears, maxAmount } = PROPOSAL_LIMITS;
const AMOUNT_RANGE = `a whole number of pesos from 0 to ${formatThousands(maxAmount)}`;

/**
 * The automatic screening run on submit: is everything evaluation needs present? It is a
 * pure function of the data, so a draft can show the same list before it is submitted.
 * Self-assessment answers for standards that do not apply are ignored rather than
 * refused: a flag change while drafting should not turn earlier answers into errors.
 */
export function screenProposal(
  data: ProposalData,
  catalogue: StandardsCatalogue,
  policy: Policy,
): ScreeningResult {
  const { tier, reasons } = computeTier(data, policy);
  const applicable = applicableStandards(data, tier, catalogue);
  const missing: FieldError[] = [];
  const add = (field: string, message: string): void => {
    missing.push({ field, message });
  };

  if (!isNonEmptyString(data.title)) add('title', 'title is required');
  if (!isNonEmptyString(data.summary)) add('summary', 'summary is required: describe what the proposal is for');
  if (!isOneOf(PROPOSAL_CATEGORIES, data.category)) {
    add('category', `category is required: one of ${PROPOSAL_CATEGORIES.join(', ')}`);
  }
  for (const flag of PROPOSAL_FLAGS) {
    if (typeof data[flag] !== 'boolean') add(flag, `${flag} must be answered true or false (${FLAG_QUESTIONS[flag]})`);
  }
  const risk: unknown = data.risk;
  for (const factor of RISK_FACTORS) {
    if (!isRecord(risk) || typeof risk[factor] !== 'boolean') {
      add(`risk.${factor}`, `risk.${factor} must be answered true or false`);
    }
  }

  const horizon = data.horizonYears;
  const horizonOk = isInteger(horizon) && horizon >= minHorizonYears && horizon <= maxHorizonYears;
  if (!horizonOk) {
    add(
      'horizonYears',
      horizon === undefined || horizon === null
        ? `horizonYears is required: a whole number of years from ${minHorizonYears} to ${maxHorizonYears}`
        : `horizonYears must be a whole number from ${minHorizonYears} to ${maxHorizonYears} (got ${describeValue(horizon)})`,
    );
  }
  // Without a usable horizon the year range is unknown; only obviously wrong years are reported.
  const checkYear = (field: string, year: unknown): void => {
    if (horizonOk) {
      if (!(isInteger(year) && year >= 1 && year <= horizon)) {
        add(field, `${field} must be a year from 1 to ${horizon}, within the horizon (got ${describeValue(year)})`);
      }
    } else if (!(isInteger(year) && year >= 1)) {
      add(field, `${field} must be a whole number of at least 1 (got ${describeValue(year)})`);
    }
  };
  const checkAmount = (field: string, amount: unknown): void => {
    if (!(isInteger(amount) && amount >= 0 && amount <= maxAmount)) {
      add(field, `${field} must be ${AMOUNT_RANGE} (got ${describeValue(amount)})`);
    }
  };

  const costs: unknown = data.costs;
  if (!Array.isArray(costs) || costs.length === 0) {
    add('costs', 'costs needs at least one cost line');
  } else {
    costs.forEach((line: unknown, i) => {
      const at = `costs[${i}]`;
      if (!isRecord(line)) {
        add(at, `${at} must be a cost line`);
        return;
      }
      checkYear(`${at}.year`, line.year);
      if (!isOneOf(COST_KINDS, line.kind)) add(`${at}.kind`, `${at}.kind must be one of ${COST_KINDS.join(', ')}`);
      if (!isOneOf(COST_CATEGORIES, line.category)) {
        add(`${at}.category`, `${at}.category must be one of ${COST_CATEGORIES.join(', ')}`);
      }
      checkAmount(`${at}.amount`, line.amount);
    });
  }

  const benefits: unknown = data.benefits;
  const benefitLines: unknown[] = Array.isArray(benefits) ? benefits : [];
  if (tier === 'HIGH' && benefitLines.length === 0) {
    add('benefits', 'benefits needs at least one benefit line: a HIGH-tier proposal needs a benefits plan (CE-04)');
  }
  benefitLines.forEach((line: unknown, i) => {
    const at = `benefits[${i}]`;
    if (!isRecord(line)) {
      add(at, `${at} must be a benefit line`);
      return;
    }
    checkYear(`${at}.year`, line.year);
    checkAmount(`${at}.amount`, line.amount);
  });

  const answers: unknown = data.selfAssessment;
  const answerList: SelfAssessmentAnswer[] = Array.isArray(answers)
    ? answers.filter((a: unknown): a is SelfAssessmentAnswer => isRecord(a) && typeof a.standardCode === 'string')
    : [];
  for (const standard of applicable) {
    const field = `selfAssessment.${standard.code}`;
    const given = answerList.filter((a) => a.standardCode === standard.code);
    if (given.length === 0) {
      add(field, `${field} is required: answer ${standard.code} (${standard.title}), which applies to this proposal`);
      continue;
    }
    if (given.length > 1) {
      add(field, `${field} is answered ${given.length} times; give one answer for ${standard.code}`);
      continue;
    }
    const { answer, evidence } = given[0]!;
    if (!isOneOf(VERDICTS, answer)) {
      add(`${field}.answer`, `${field}.answer must be one of ${VERDICTS.join(', ')} (got ${describeValue(answer)})`);
    } else if (standard.mandatory && answer !== 'NOT_APPLICABLE' && !isNonEmptyString(evidence)) {
      add(
        `${field}.evidence`,
        `${field}.evidence is required: ${standard.code} is mandatory, so an answer of ${answer} needs evidence`,
      );
    }
  }

  return {
    passed: missing.length === 0,
    tier,
    tierReasons: reasons,
    applicable: applicable.map((s) => s.code),
    missing,
  };
}
