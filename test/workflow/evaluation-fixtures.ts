import { randomUUID } from 'node:crypto';
import {
  applicableStandards,
  CATALOGUE_2026_1,
  computeTier,
  costEfficiencyStandards,
  DEFAULT_POLICY,
  technicalStandards,
  type ApprovalDecision,
  type Condition,
  type Policy,
  type ProposalData,
  type ReviewDecision,
  type ReviewOpinion,
  type ReviewType,
  type SlaPolicy,
  type StandardsCatalogue,
  type StandardVerdict,
  type Tier,
} from '../../libs/domain';
import type { ActorSnapshot, CommitteeMember } from '../../libs/temporal';
import { hospitalProposal } from '../../libs/domain/src/testing/proposal.factory';

// ----- proposals -----------------------------------------------------------------------------

/** Under 50,000,000 CLP, internal, no personal data: one approval level (DIGITAL_HEAD). */
export function lowProposal(overrides: Partial<ProposalData> = {}): ProposalData {
  return hospitalProposal({
    title: 'Internal records archive upgrade',
    citizenFacing: false,
    handlesPersonalData: false,
    handlesProcedures: false,
    costs: [
      { year: 1, kind: 'CAPEX', category: 'DEVELOPMENT', description: 'Build', amount: 20_000_000, quantity: 4, unitPrice: 5_000_000 },
      ...[1, 2, 3, 4, 5].map((year) => ({ year, kind: 'OPEX' as const, category: 'HOSTING' as const, description: 'Cloud hosting', amount: 2_000_000 })),
    ],
    ...overrides,
  });
}

/** The hospital proposal as it is: citizen-facing with personal data, so MEDIUM (two approval levels). */
export function mediumProposal(overrides: Partial<ProposalData> = {}): ProposalData {
  return hospitalProposal(overrides);
}

/** A novel-technology answer makes it HIGH: three approval levels, the last a committee. */
export function highProposal(overrides: Partial<ProposalData> = {}): ProposalData {
  return hospitalProposal({ risk: { novelTechnology: true, securityCritical: false, identityComponent: false }, ...overrides });
}

/** The tier the default policy gives, to check a fixture is what its name says. */
export function tierOf(data: ProposalData): Tier {
  return computeTier(data, DEFAULT_POLICY).tier;
}

/** The default policy with some service levels replaced, e.g. second-scale ones for timers. */
export function policyWith(sla: Partial<SlaPolicy>, rest: Partial<Omit<Policy, 'sla'>> = {}): Policy {
  return { ...DEFAULT_POLICY, ...rest, sla: { ...DEFAULT_POLICY.sla, ...sla } };
}

// ----- people (the demo directory of API.md) ---------------------------------------------------

function person(email: string, roles: string[], agencyCode: string, approvalLevel: string | null = null): ActorSnapshot {
  return { id: randomUUID(), email, roles, agencyCode, approvalLevel };
}

/** The agency whose proposals the tests evaluate. */
export const AGENCY = 'MINSAL';

export const ACTORS = {
  submitter: person('ana.torres@minsal.example', ['agency_submitter'], AGENCY),
  otherAgencySubmitter: person('bruno.diaz@mineduc.example', ['agency_submitter'], 'MINEDUC'),
  technicalReviewer: person('carla.rojas@digital.example', ['technical_reviewer'], 'DIGITAL'),
  secondTechnicalReviewer: person('diego.soto@digital.example', ['technical_reviewer'], 'DIGITAL'),
  financeReviewer: person('elena.vera@hacienda.example', ['finance_reviewer'], 'HACIENDA'),
  /** A reviewer of the submitting agency itself: never acts on its proposals. */
  ownAgencyReviewer: person('pedro.salas@minsal.example', ['technical_reviewer'], AGENCY),
  digitalHead: person('gabriela.pinto@digital.example', ['approver', 'supervisor'], 'DIGITAL', 'DIGITAL_HEAD'),
  budgetDirector: person('hector.lagos@hacienda.example', ['approver', 'supervisor'], 'HACIENDA', 'BUDGET_DIRECTOR'),
  committeeHacienda: person('irene.fuentes@hacienda.example', ['approver'], 'HACIENDA', 'COMMITTEE'),
  committeeSegpres: person('karen.silva@segpres.example', ['approver'], 'SEGPRES', 'COMMITTEE'),
  committeeDipres: person('maria.nunez@dipres.example', ['approver'], 'DIPRES', 'COMMITTEE'),
  /** Holds a committee seat and also reviews: separation of duties keeps him to one stage. */
  reviewerOnCommittee: person('jorge.paredes@digital.example', ['approver', 'technical_reviewer'], 'DIGITAL', 'COMMITTEE'),
} as const;

/** The three committee members of different agencies most tests seat. */
export const COMMITTEE = [ACTORS.committeeHacienda, ACTORS.committeeSegpres, ACTORS.committeeDipres] as const;

export function members(...actors: ActorSnapshot[]): CommitteeMember[] {
  return actors.map(({ id, email }) => ({ id, email }));
}

// ----- decisions -------------------------------------------------------------------------------

/** A due date a year ahead: conditions may not fall due in the past. */
export function condition(text: string, standardCode?: string): Condition {
  const dueDate = new Date(Date.now() + 365 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  return { text, dueDate, ...(standardCode ? { standardCode } : {}) };
}

/** Exactly the standards a review of this type rates for this data and tier, as the workflow computes them. */
export function standardsRatedBy(type: ReviewType, data: ProposalData, tier: Tier, catalogue: StandardsCatalogue = CATALOGUE_2026_1): string[] {
  const applicable = applicableStandards(data, tier, catalogue);
  return (type === 'TECHNICAL_REVIEW' ? technicalStandards(applicable) : costEfficiencyStandards(applicable)).map((s) => s.code);
}

/** MEETS for every standard the review rates, except the verdicts given. */
export function verdictsFor(type: ReviewType, data: ProposalData, tier: Tier, except: Record<string, Omit<StandardVerdict, 'standardCode'>> = {}): StandardVerdict[] {
  return standardsRatedBy(type, data, tier).map((standardCode): StandardVerdict => ({ standardCode, ...(except[standardCode] ?? { verdict: 'MEETS' }) }));
}

/**
 * A valid review decision with the given opinion: conditions or questions are filled in when
 * the opinion needs them, unless `extra` gives its own.
 */
export function reviewDecision(type: ReviewType, data: ProposalData, tier: Tier, opinion: ReviewOpinion, extra: Partial<ReviewDecision> = {}): ReviewDecision {
  return {
    opinion,
    verdicts: verdictsFor(type, data, tier),
    ...(opinion === 'FAVOURABLE_WITH_CONDITIONS' ? { conditions: [condition('Publish the service KPIs before go-live', 'SVC-04')] } : {}),
    ...(opinion === 'CHANGES_REQUESTED' ? { questions: ['Which existing platform did the reuse check consider?'] } : {}),
    ...(opinion === 'UNFAVOURABLE' ? { comment: 'The costs are not justified.' } : {}),
    ...extra,
  };
}

export const APPROVE: ApprovalDecision = { decision: 'APPROVE' };
export const REJECT: ApprovalDecision = { decision: 'REJECT', comment: 'Not a priority for this budget year.' };
export const RETURN_TO_REVIEW: ApprovalDecision = { decision: 'RETURN_TO_REVIEW', comment: 'The hosting costs need a second look.' };
export function approveWithConditions(...conditions: Condition[]): ApprovalDecision {
  return { decision: 'APPROVE_WITH_CONDITIONS', conditions: conditions.length ? conditions : [condition('Report take-up quarterly')] };
}
