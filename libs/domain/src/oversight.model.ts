/**
 * What oversight reads: the outcomes list, the portfolio figures of DOMAIN.md, supervisors'
 * workload and the verification of the decision log. libs/persistence computes them in SQL and
 * the API returns them as they are (libs/http-contract names them for its clients), so they are
 * defined here, the one library both may import. Shapes only: the rules are elsewhere.
 */
import type { TaskType } from './access.rules.js';
import type { Condition } from './decisions.js';
import type { OutcomeStatus, Tier } from './proposal.model.js';

/** A condition of an outcome, with where it came from (a review type, or `APPROVAL:<level>`). */
export interface OutcomeCondition extends Condition {
  source?: string;
}

/** A closed evaluation, as the outcomes list and its CSV show it. */
export interface OutcomeRow {
  proposalId: string;
  title: string;
  agencyCode: string;
  tier: Tier | null;
  outcome: OutcomeStatus;
  requestedAmount: number;
  approvedAmount: number | null;
  decidedAt: string;
  submittedAt: string;
  cycleDays: number;
  conditions: OutcomeCondition[];
  catalogueVersion: string | null;
  policyVersion: string | null;
}

export interface Percentiles {
  p50: number | null;
  p90: number | null;
}

export interface ConditionItem extends OutcomeCondition {
  proposalId: string;
  title: string;
  agencyCode: string;
}

export interface ConditionFigures {
  count: number;
  /** The first few, soonest (or longest overdue) first. */
  items: ConditionItem[];
}

export interface PortfolioFigures {
  outcomes: { total: number } & Record<OutcomeStatus, number>;
  byAgency: { agencyCode: string; year: number; requested: number; approved: number; count: number }[];
  /** Approved (with or without conditions) over decided (approved + rejected); null when none was decided. */
  approvalRate: number | null;
  requestedTotal: number;
  approvedTotal: number;
  /** Submit to outcome, in calendar days. */
  cycleDays: Percentiles;
  /**
   * Submit to outcome in working days, for the outcomes that measured it: the evaluation's own
   * time (what the 20-day target is about) and the agency's time apart, and how many met the target.
   */
  workingDays: { evaluation: Percentiles; withAgency: Percentiles; measured: number; withinTarget: number };
  /** Time a task was open, created to decided, in calendar days. */
  stageDays: Record<TaskType, Percentiles & { count: number }>;
  /** The same in working days (tasks decided since the evaluation measured it). */
  stageWorkingDays: Record<TaskType, Percentiles & { count: number }>;
  /** Times a task's clock ran out (escalations because nobody eligible could take it are not breaches). */
  slaBreaches: { total: number; byType: Record<TaskType, number> };
  mostNotMetStandards: { standardCode: string; count: number }[];
  openConditions: ConditionFigures;
  overdueConditions: ConditionFigures;
}

/** Local calendar dates (yyyy-mm-dd, both inclusive). */
export interface PortfolioPeriod {
  from: string;
  to: string;
}

/** One person's share of the open work, for supervisors. */
export interface WorkloadRow {
  userId: string;
  name: string;
  email: string;
  roles: string[];
  agencyCode: string;
  approvalLevel: string | null;
  open: number;
  overdue: number;
  escalated: number;
}

/** The decision log checked from its first record: where it first breaks, if it does. */
export interface ChainVerification {
  ok: boolean;
  records: number;
  firstBadSeq: number | null;
}

/**
 * A record of the decision log with every field its hash covers, as auditors read it: one line of
 * `GET /audit/export` (NDJSON), an item of `GET /audit/records`, what the offline verifier reads.
 */
export interface AuditRecord {
  seq: number;
  /** ISO-8601 UTC with milliseconds, exactly as hashed. */
  at: string;
  proposalId: string | null;
  actor: string;
  /** Any record type: evaluation and administration alike. */
  type: string;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}
