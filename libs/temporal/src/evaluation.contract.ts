/**
 * Everything that crosses the Temporal wire for an evaluation. Names here are on the wire:
 * never rename them; add new ones instead. Imported by the workflow bundle, so it may import
 * only @temporalio/workflow-safe modules and pure domain code.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { Policy, ProposalData, Route, ScreeningResult, StandardsCatalogue, Tier } from '../../domain';

export const EVALUATION_WORKFLOW_TYPE = 'evaluationWorkflow';

/** One workflow per proposal; a second submit cannot start a second evaluation. */
export function evaluationWorkflowId(proposalId: string): string {
  return `proposal-${proposalId}`;
}

export const SEARCH_ATTRIBUTES = {
  status: defineSearchAttributeKey('AppraiseStatus', SearchAttributeType.KEYWORD),
  tier: defineSearchAttributeKey('AppraiseTier', SearchAttributeType.KEYWORD),
  agency: defineSearchAttributeKey('AppraiseAgency', SearchAttributeType.KEYWORD),
  requestedAmount: defineSearchAttributeKey('AppraiseRequestedAmount', SearchAttributeType.INT),
  stepDueAt: defineSearchAttributeKey('AppraiseStepDueAt', SearchAttributeType.DATETIME),
} as const;

/** What the dev server must register at start-up (name -> type as the CLI spells it). */
export const SEARCH_ATTRIBUTE_REGISTRATIONS: Record<string, string> = {
  AppraiseStatus: 'Keyword',
  AppraiseTier: 'Keyword',
  AppraiseAgency: 'Keyword',
  AppraiseRequestedAmount: 'Int',
  AppraiseStepDueAt: 'Datetime',
};

export interface ActorRef {
  id: string;
  email: string;
}

export interface EvaluationInput {
  proposalId: string;
  agencyCode: string;
  requestedAmount: number;
  /** The draft as it stood when submitted: this becomes version 1. */
  data: ProposalData;
  catalogueVersion: string;
  policyVersion: string;
  submittedBy: ActorRef;
  /** The HTTP request that started it, carried into every activity's logs. */
  requestId: string;
}

export interface EvaluationContext {
  version: number;
  data: ProposalData;
  catalogue: StandardsCatalogue;
  policy: Policy;
}

export interface ScreeningRecord {
  proposalId: string;
  version: number;
  result: ScreeningResult;
  requestId: string;
}

export interface TriageRecord {
  proposalId: string;
  version: number;
  tier: Tier;
  tierReasons: string[];
  route: Route;
  stages: string[];
  requestId: string;
}

export type EvaluationResult =
  | { status: 'RETURNED'; version: number; missing: ScreeningResult['missing'] }
  | { status: 'IN_REVIEW'; version: number; tier: Tier };

/** The activities an evaluation calls. The workflow imports this as a type only. */
export interface EvaluationActivities {
  beginEvaluation(input: EvaluationInput): Promise<EvaluationContext>;
  recordScreening(record: ScreeningRecord): Promise<void>;
  recordTriage(record: TriageRecord): Promise<void>;
}
