/**
 * What an evaluation decided, and how its final record is put together: the one rule the
 * workflow runs and the portfolio generator reproduces. Pure, so the workflow bundle imports it.
 */
import type { ApprovalDecision, Condition, ReviewDecision } from './decisions.js';
import type { Metrics } from './cost-efficiency.js';
import type { OutcomeStatus, ProposalData, Tier } from './proposal.model.js';
import type { ApprovalLevel } from './policy.model.js';
import { totalCostOfOwnership, type ReviewType } from './tiering.js';

/** A person as the record names them. */
export interface ActorRef {
  id: string;
  email: string;
}

export interface OpinionInForce {
  type: ReviewType;
  taskId: string;
  version: number;
  by: ActorRef;
  decision: ReviewDecision;
  decidedAt: string;
}

export interface ApprovalInForce {
  taskId: string;
  level: ApprovalLevel;
  by: ActorRef;
  decision: ApprovalDecision;
  decidedAt: string;
}

/**
 * How long the evaluation took, in the unit of the policy's whole-evaluation target (working
 * days; seconds in test policies), with the time the proposal spent with the agency apart.
 */
export interface OutcomeTiming {
  unit: 'workingDays' | 'seconds';
  /** Submit to outcome. */
  total: number;
  /** While the agency held the proposal (returned by screening, or answering a change request). */
  withAgency: number;
  /** `total - withAgency`: the evaluation's own time, measured against the target. */
  evaluation: number;
  target: number;
  withinTarget: boolean;
}

export interface Outcome {
  status: OutcomeStatus;
  decidedAt: string;
  version: number;
  tier: Tier | null;
  requestedAmount: number;
  approvedAmount: number | null;
  opinions: OpinionInForce[];
  approvals: ApprovalInForce[];
  conditions: (Condition & { source: string })[];
  metrics: Metrics | null;
  catalogueVersion: string;
  policyVersion: string;
  reason: string | null;
  by: ActorRef | null;
  /** Absent from outcomes recorded before the evaluation measured its time in working days. */
  timing?: OutcomeTiming;
}

/** What the evaluation knows when it ends: the outcome's own facts, how it ended, and the data in force. */
export interface OutcomeFacts
  extends Pick<Outcome, 'decidedAt' | 'version' | 'tier' | 'opinions' | 'approvals' | 'metrics' | 'catalogueVersion' | 'policyVersion' | 'reason' | 'by' | 'timing'> {
  /** How the evaluation ended; APPROVED becomes APPROVED_WITH_CONDITIONS when conditions are in force. */
  ending: 'APPROVED' | 'REJECTED' | 'WITHDRAWN' | 'LAPSED';
  data: ProposalData;
}

export function composeOutcome(facts: OutcomeFacts): Outcome {
  const { ending, opinions, approvals } = facts;
  const conditions: Outcome['conditions'] = [
    ...opinions.flatMap((o) => (o.decision.conditions ?? []).map((c: Condition) => ({ ...c, source: o.type }))),
    ...approvals.flatMap((a) => (a.decision.conditions ?? []).map((c: Condition) => ({ ...c, source: `APPROVAL:${a.level}` }))),
  ];
  const approved = ending === 'APPROVED';
  const requestedAmount = totalCostOfOwnership(facts.data);
  // The lowest amount any approval in force granted; an approval without one grants the request.
  const amounts = approvals.filter((a) => a.decision.decision.startsWith('APPROVE')).map((a) => a.decision.approvedAmount ?? requestedAmount);
  return {
    status: approved && conditions.length ? 'APPROVED_WITH_CONDITIONS' : ending,
    decidedAt: facts.decidedAt,
    version: facts.version,
    tier: facts.tier,
    requestedAmount,
    approvedAmount: approved ? Math.min(requestedAmount, ...amounts) : null,
    opinions,
    approvals,
    conditions: approved ? conditions : [],
    metrics: facts.metrics,
    catalogueVersion: facts.catalogueVersion,
    policyVersion: facts.policyVersion,
    reason: facts.reason,
    by: facts.by,
    ...(facts.timing ? { timing: facts.timing } : {}),
  };
}
