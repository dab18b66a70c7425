import type { TaskType } from './access.rules.js';
import type { FieldError } from './errors.js';
import { VERDICTS, type ProposalData, type Tier, type Verdict } from './proposal.model.js';
import { applicableStandards, costEfficiencyStandards, technicalStandards, type StandardDefinition, type StandardsCatalogue } from './standards-catalogue.js';
import { totalCostOfOwnership, type ReviewType } from './tiering.js';
import { isIsoDate, isNonEmptyString } from './validation-helpers.js';
import { localDateOf } from './working-time.js';

export const REVIEW_OPINIONS = ['FAVOURABLE', 'FAVOURABLE_WITH_CONDITIONS', 'CHANGES_REQUESTED', 'UNFAVOURABLE'] as const;
export type ReviewOpinion = (typeof REVIEW_OPINIONS)[number];

export const APPROVAL_CHOICES = ['APPROVE', 'APPROVE_WITH_CONDITIONS', 'REJECT', 'RETURN_TO_REVIEW'] as const;
export type ApprovalChoice = (typeof APPROVAL_CHOICES)[number];

export interface Condition {
  text: string;
  standardCode?: string;
  /** ISO yyyy-mm-dd. */
  dueDate: string;
}

export interface StandardVerdict {
  standardCode: string;
  verdict: Verdict;
  comment?: string;
}

export interface FlaggedCostLine {
  costIndex: number;
  reason: string;
}

export interface ReviewDecision {
  opinion: ReviewOpinion;
  verdicts: StandardVerdict[];
  conditions?: Condition[];
  questions?: string[];
  flaggedCostLines?: FlaggedCostLine[];
  comment?: string;
}

export interface ApprovalDecision {
  decision: ApprovalChoice;
  approvedAmount?: number;
  conditions?: Condition[];
  comment?: string;
}

export interface ReviewContext {
  type: ReviewType;
  /** Exactly the standards this review must rate. */
  applicable: readonly StandardDefinition[];
  /** Codes a condition may cite: the whole pinned catalogue. */
  catalogueCodes: ReadonlySet<string>;
  costLineCount: number;
  /** The day the decision is made, ISO yyyy-mm-dd: a condition may not fall due before it. */
  today: string;
}

function conditionProblems(conditions: Condition[] | undefined, catalogueCodes: ReadonlySet<string>, today: string): FieldError[] {
  const problems: FieldError[] = [];
  conditions?.forEach((condition, i) => {
    const at = `conditions[${i}]`;
    if (!isNonEmptyString(condition.text)) problems.push({ field: `${at}.text`, message: `${at}.text is required` });
    if (condition.standardCode !== undefined && !catalogueCodes.has(condition.standardCode)) {
      problems.push({ field: `${at}.standardCode`, message: `${condition.standardCode} is not a standard of the pinned catalogue` });
    }
    if (!isIsoDate(condition.dueDate)) problems.push({ field: `${at}.dueDate`, message: `${at}.dueDate must be a date (yyyy-mm-dd)` });
    else if (condition.dueDate < today) problems.push({ field: `${at}.dueDate`, message: `${at}.dueDate may not be in the past` });
  });
  return problems;
}

/**
 * The semantic rules of a review decision (DOMAIN.md): one verdict for every applicable
 * standard and no other, a comment for anything but MEETS, no favourable technical opinion over
 * a mandatory NOT_MET, conditions with a favourable-with-conditions opinion, questions with a
 * change request. Returns one entry per problem; empty means valid.
 */
export function reviewDecisionProblems(decision: ReviewDecision, context: ReviewContext): FieldError[] {
  const problems: FieldError[] = [];
  const applicable = new Map(context.applicable.map((s) => [s.code, s]));
  const seen = new Set<string>();
  decision.verdicts.forEach((v, i) => {
    const at = `verdicts[${i}]`;
    if (!applicable.has(v.standardCode)) {
      problems.push({ field: `${at}.standardCode`, message: `${v.standardCode} is not among the standards this review rates` });
    } else if (seen.has(v.standardCode)) {
      problems.push({ field: `${at}.standardCode`, message: `${v.standardCode} has more than one verdict` });
    }
    seen.add(v.standardCode);
    if (!(VERDICTS as readonly string[]).includes(v.verdict)) problems.push({ field: `${at}.verdict`, message: `${at}.verdict must be one of ${VERDICTS.join(', ')}` });
    if (v.verdict !== 'MEETS' && !isNonEmptyString(v.comment)) {
      problems.push({ field: `${at}.comment`, message: `a comment is required for a ${v.verdict} verdict on ${v.standardCode}` });
    }
  });
  const missing = [...applicable.keys()].filter((code) => !seen.has(code));
  if (missing.length) problems.push({ field: 'verdicts', message: `a verdict is missing for ${missing.join(', ')}` });

  const favourable = decision.opinion === 'FAVOURABLE' || decision.opinion === 'FAVOURABLE_WITH_CONDITIONS';
  if (context.type === 'TECHNICAL_REVIEW' && favourable) {
    const blocking = decision.verdicts.filter((v) => v.verdict === 'NOT_MET' && applicable.get(v.standardCode)?.mandatory).map((v) => v.standardCode);
    if (blocking.length) {
      problems.push({ field: 'opinion', message: `a favourable opinion is not allowed while mandatory standard(s) ${blocking.join(', ')} are NOT_MET` });
    }
  }
  if (decision.opinion === 'FAVOURABLE_WITH_CONDITIONS' && !decision.conditions?.length) {
    problems.push({ field: 'conditions', message: 'FAVOURABLE_WITH_CONDITIONS needs at least one condition' });
  }
  if (decision.opinion !== 'FAVOURABLE_WITH_CONDITIONS' && decision.conditions?.length) {
    problems.push({ field: 'conditions', message: 'conditions belong to a FAVOURABLE_WITH_CONDITIONS opinion' });
  }
  if (decision.opinion === 'CHANGES_REQUESTED' && !decision.questions?.some(isNonEmptyString)) {
    problems.push({ field: 'questions', message: 'CHANGES_REQUESTED needs at least one question for the agency' });
  }
  problems.push(...conditionProblems(decision.conditions, context.catalogueCodes, context.today));

  if (decision.flaggedCostLines?.length && context.type !== 'COST_EFFICIENCY_REVIEW') {
    problems.push({ field: 'flaggedCostLines', message: 'only the cost-efficiency review flags cost lines' });
  }
  decision.flaggedCostLines?.forEach((flag, i) => {
    if (!Number.isInteger(flag.costIndex) || flag.costIndex < 0 || flag.costIndex >= context.costLineCount) {
      problems.push({ field: `flaggedCostLines[${i}].costIndex`, message: `flaggedCostLines[${i}].costIndex must point at one of the ${context.costLineCount} cost lines` });
    }
  });
  return problems;
}

export interface ApprovalContext {
  requestedAmount: number;
  /** The review opinions in force for the version being approved. */
  opinions: readonly ReviewOpinion[];
  catalogueCodes: ReadonlySet<string>;
  today: string;
}

/** The semantic rules of an approval decision. */
export function approvalDecisionProblems(decision: ApprovalDecision, context: ApprovalContext): FieldError[] {
  const problems: FieldError[] = [];
  const approving = decision.decision === 'APPROVE' || decision.decision === 'APPROVE_WITH_CONDITIONS';
  if (decision.approvedAmount !== undefined) {
    if (!approving) problems.push({ field: 'approvedAmount', message: 'approvedAmount belongs to an approval' });
    else if (!Number.isInteger(decision.approvedAmount) || decision.approvedAmount < 0 || decision.approvedAmount > context.requestedAmount) {
      problems.push({ field: 'approvedAmount', message: `approvedAmount must be a whole number of pesos from 0 to the requested ${context.requestedAmount}` });
    }
  }
  if (decision.decision === 'APPROVE_WITH_CONDITIONS' && !decision.conditions?.length) {
    problems.push({ field: 'conditions', message: 'APPROVE_WITH_CONDITIONS needs at least one condition' });
  }
  if (decision.decision !== 'APPROVE_WITH_CONDITIONS' && decision.conditions?.length) {
    problems.push({ field: 'conditions', message: 'conditions belong to APPROVE_WITH_CONDITIONS' });
  }
  if (decision.decision === 'RETURN_TO_REVIEW' && !isNonEmptyString(decision.comment)) {
    problems.push({ field: 'comment', message: 'RETURN_TO_REVIEW needs a comment giving the reasons' });
  }
  if (approving && context.opinions.includes('UNFAVOURABLE') && !isNonEmptyString(decision.comment)) {
    problems.push({ field: 'comment', message: 'approving against an UNFAVOURABLE opinion needs a written justification in comment' });
  }
  problems.push(...conditionProblems(decision.conditions, context.catalogueCodes, context.today));
  return problems;
}

/** Fields each review is concerned with: a change to them re-opens that review after an answer. */
const COST_EFFICIENCY_FIELDS = ['costs', 'benefits', 'horizonYears', 'annualTransactions'] as const;

export function reviewsTouchedBy(changedFields: readonly string[]): ReviewType[] {
  const touched = new Set<ReviewType>();
  for (const field of changedFields) {
    touched.add((COST_EFFICIENCY_FIELDS as readonly string[]).includes(field) ? 'COST_EFFICIENCY_REVIEW' : 'TECHNICAL_REVIEW');
  }
  return [...touched];
}

// ----- the context of a decision ---------------------------------------------------------

/** Exactly the standards a task rates: the applicable ones of its review's side; none for an approval. */
export function standardsToRate(taskType: TaskType, data: ProposalData, tier: Tier, catalogue: StandardsCatalogue): StandardDefinition[] {
  if (taskType === 'APPROVAL') return [];
  const applicable = applicableStandards(data, tier, catalogue);
  return taskType === 'TECHNICAL_REVIEW' ? technicalStandards(applicable) : costEfficiencyStandards(applicable);
}

/** The review opinions in force: the latest decided opinion of each review (`reviews` in the order decided). */
export function opinionsInForce(reviews: readonly { type: string; opinion: ReviewOpinion }[]): ReviewOpinion[] {
  const latest = new Map<string, ReviewOpinion>();
  for (const r of reviews) latest.set(r.type, r.opinion);
  return [...latest.values()];
}

/** Everything a decision on a task is checked against. */
export interface DecisionFacts {
  taskType: TaskType;
  /** The version under review. */
  data: ProposalData;
  tier: Tier;
  /** The pinned catalogue. */
  catalogue: StandardsCatalogue;
  /** The pinned policy's time zone: the day a decision is made in. */
  timeZone: string;
  /** For approvals: the review opinions in force for the version being approved. */
  opinionsInForce: readonly ReviewOpinion[];
  now: Date;
}

/** The one check of a decision's meaning, as the API and the workflow both run it. */
export function decisionProblems(decision: ReviewDecision | ApprovalDecision, facts: DecisionFacts): FieldError[] {
  const catalogueCodes = new Set(facts.catalogue.standards.map((s) => s.code));
  const today = localDateOf(facts.now, facts.timeZone);
  if (facts.taskType === 'APPROVAL') {
    return approvalDecisionProblems(decision as ApprovalDecision, {
      requestedAmount: totalCostOfOwnership(facts.data),
      opinions: facts.opinionsInForce,
      catalogueCodes,
      today,
    });
  }
  return reviewDecisionProblems(decision as ReviewDecision, {
    type: facts.taskType,
    applicable: standardsToRate(facts.taskType, facts.data, facts.tier, facts.catalogue),
    catalogueCodes,
    costLineCount: facts.data.costs?.length ?? 0,
    today,
  });
}
