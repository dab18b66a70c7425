export const ROLES = [
  'agency_submitter',
  'technical_reviewer',
  'finance_reviewer',
  'approver',
  'supervisor',
  'auditor',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

/** Who a request is made by, as every service and guard sees it. */
export interface Actor {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  agencyCode: string;
  approvalLevel: string | null;
  deputy: boolean;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Roles whose work spans agencies and so see every proposal; everyone else sees their agency's. */
const CROSS_AGENCY_ROLES: readonly Role[] = ['technical_reviewer', 'finance_reviewer', 'approver', 'supervisor', 'auditor', 'admin'];

export function seesAllAgencies(actor: Actor): boolean {
  return actor.roles.some((r) => CROSS_AGENCY_ROLES.includes(r));
}

/** The agency a proposal query must be limited to, or undefined when the actor sees all. */
export function proposalScope(actor: Actor): string | undefined {
  return seesAllAgencies(actor) ? undefined : actor.agencyCode;
}

export function canSeeProposal(actor: Actor, proposalAgencyCode: string): boolean {
  return seesAllAgencies(actor) || actor.agencyCode === proposalAgencyCode;
}
