/** The API's shapes, as far as the pages use them (../shared/API.md). */
export const STATUSES = ['DRAFT', 'SUBMITTED', 'RETURNED', 'IN_REVIEW', 'CHANGES_REQUESTED', 'IN_APPROVAL', 'APPROVED', 'APPROVED_WITH_CONDITIONS', 'REJECTED', 'WITHDRAWN', 'LAPSED'] as const;
export const OUTCOMES = ['APPROVED', 'APPROVED_WITH_CONDITIONS', 'REJECTED', 'WITHDRAWN', 'LAPSED'] as const;
export const TIERS = ['LOW', 'MEDIUM', 'HIGH'] as const;
export const CATEGORIES = ['NEW_SYSTEM', 'ENHANCEMENT', 'INFRASTRUCTURE', 'LICENSING', 'SERVICES'] as const;
export const COST_KINDS = ['CAPEX', 'OPEX'] as const;
export const COST_CATEGORIES = ['DEVELOPMENT', 'LICENSES', 'HOSTING', 'STAFF', 'HARDWARE', 'SERVICES', 'OTHER'] as const;
export const ANSWERS = ['MEETS', 'PARTIAL', 'NOT_MET', 'NOT_APPLICABLE'] as const;
export const OPINIONS = ['FAVOURABLE', 'FAVOURABLE_WITH_CONDITIONS', 'CHANGES_REQUESTED', 'UNFAVOURABLE'] as const;
export const APPROVAL_DECISIONS = ['APPROVE', 'APPROVE_WITH_CONDITIONS', 'REJECT', 'RETURN_TO_REVIEW'] as const;
export const CLOSED = new Set<string>(OUTCOMES);

export interface CostLine {
  year: number;
  kind: string;
  category: string;
  description: string;
  amount: number;
  quantity?: number;
  unitPrice?: number;
}
export interface Benefit {
  year: number;
  description: string;
  amount: number;
}
export interface SelfAssessment {
  standardCode: string;
  answer: string;
  evidence?: string;
}
export interface ProposalData {
  title: string;
  summary?: string;
  category?: string;
  citizenFacing?: boolean;
  handlesPersonalData?: boolean;
  exchangesData?: boolean;
  handlesProcedures?: boolean;
  risk?: { novelTechnology?: boolean; securityCritical?: boolean; identityComponent?: boolean };
  horizonYears?: number;
  annualTransactions?: number;
  costs?: CostLine[];
  benefits?: Benefit[];
  selfAssessment?: SelfAssessment[];
}
export interface ProposalSummary {
  id: string;
  agencyCode: string;
  title: string;
  status: string;
  stages: string[];
  tier: string | null;
  requestedAmount: number;
  currentVersion: number;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
}
export interface Metrics {
  tco: number;
  tcoByYear: { year: number; capex: number; opex: number }[];
  npv: number;
  benefitCostRatio: number | null;
  paybackYear: number | null;
  npvPerPeso: number | null;
  costPerTransaction: number | null;
  discountRate: number;
  sensitivity: { npvCostsUp20: number; npvBenefitsDown20: number };
  benchmarkFlags: { costIndex: number; unitPrice: number; referencePrice: number; ratio: number }[];
}
export interface Condition {
  text: string;
  standardCode?: string;
  dueDate: string;
  source?: string;
}
export interface Task {
  id: string;
  proposalId: string;
  proposalTitle: string;
  agencyCode: string;
  type: string;
  approvalLevel: string | null;
  status: string;
  candidateRole: string;
  assigneeId: string | null;
  dueAt: string;
  escalated: boolean;
  createdAt: string;
  completedAt: string | null;
}
export interface Outcome {
  status: string;
  decidedAt: string;
  version: number;
  tier: string | null;
  requestedAmount: number;
  approvedAmount: number | null;
  conditions: Condition[];
  opinions: { type: string; decision: { opinion: string; comment?: string }; decidedBy?: { email?: string; name?: string } | string }[];
  approvals: { level: string; decision: { decision: string; comment?: string; approvedAmount?: number } }[];
  reason: string | null;
}
export interface Proposal extends ProposalSummary, ProposalData {
  tierReasons: string[];
  route: { reviews?: string[]; approvalLevels?: string[]; reviewMode?: string } | null;
  applicableStandards: { code: string; area: string; title: string; mandatory: boolean }[];
  catalogueVersion: string;
  policyVersion: string;
  screeningIssues: { field: string; message: string }[];
  openTasks: Task[];
  outcome: Outcome | null;
  metrics: Metrics;
}
export interface HistoryRecord {
  seq: number;
  at: string;
  actor: string;
  type: string;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}
export interface Standard {
  code: string;
  area: string;
  title: string;
  description: string;
  mandatory: boolean;
}
